/// The bytes of a YAML document cut into lines, with the helpers both the block and the flow readers use.
struct YAMLText {
    struct Line {
        /// Byte offsets of the line's text, without its line break.
        var start: Int
        var end: Int
        /// Spaces before the content (for a sequence item rewritten in place: the column of its content).
        var indent: Int
        /// 1-based.
        var number: Int
    }

    let bytes: [UInt8]
    var lines: [Line]

    /// Splits on LF (CRLF too); refuses tabs in indentation and characters PyYAML does not accept.
    init(_ text: [UInt8]) throws(YAMLSubsetError) {
        var bytes = text
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        self.bytes = bytes
        var lines: [Line] = []
        var start = 0
        var number = 1
        while start <= bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            let next = end + 1
            if end > start, bytes[end - 1] == 0x0D { end -= 1 }
            var indent = 0
            while start + indent < end, bytes[start + indent] == 0x20 { indent += 1 }
            if start + indent < end, bytes[start + indent] == 0x09 {
                var rest = start + indent
                while rest < end, bytes[rest] == 0x09 || bytes[rest] == 0x20 { rest += 1 }
                if rest < end, bytes[rest] != UInt8(ascii: "#") {
                    throw YAMLSubsetError(line: number, "tabs cannot be used for indentation")
                }
            }
            lines.append(Line(start: start, end: end, indent: indent, number: number))
            start = next
            number += 1
        }
        self.lines = lines
        try Self.checkCharacters(bytes, lines: lines)
    }

    /// PyYAML refuses control characters other than tab, LF and CR (and `\u{85}`), and so does this reader.
    private static func checkCharacters(_ bytes: [UInt8], lines: [Line]) throws(YAMLSubsetError) {
        for line in lines {
            let text = String(decoding: bytes[line.start..<line.end], as: UTF8.self)
            guard Array(text.utf8) == Array(bytes[line.start..<line.end]) else {
                throw YAMLSubsetError(line: line.number, "not valid UTF-8")
            }
            for scalar in text.unicodeScalars {
                let value = scalar.value
                let printable =
                    value == 0x09 || (0x20...0x7E).contains(value) || value == 0x85
                    || (0xA0...0xD7FF).contains(value) || (0xE000...0xFFFD).contains(value) || value >= 0x10000
                if !printable {
                    throw YAMLSubsetError(
                        line: line.number,
                        "control character U+\(String(value, radix: 16, uppercase: true)) is not allowed")
                }
            }
        }
    }

    func byte(_ offset: Int) -> UInt8? { offset < bytes.count ? bytes[offset] : nil }

    func string(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }

    /// The 1-based line holding a byte offset.
    func lineNumber(at offset: Int) -> Int {
        var low = 0, high = lines.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lines[mid].start <= offset { low = mid } else { high = mid - 1 }
        }
        return lines[low].number
    }

    /// Whether a line holds nothing but spaces and maybe a comment.
    func isBlank(_ line: Line) -> Bool {
        var offset = line.start + line.indent
        while offset < line.end, bytes[offset] == 0x20 || bytes[offset] == 0x09 { offset += 1 }
        return offset == line.end || bytes[offset] == UInt8(ascii: "#")
    }

    /// The end of a line's content before a trailing comment (`#` after a space) and spaces, from `from`
    /// (which must not be inside a quoted scalar).
    func contentEnd(from: Int, lineEnd: Int) -> Int {
        var offset = from
        while offset < lineEnd {
            if bytes[offset] == UInt8(ascii: "#"), offset == from || Self.isSpace(bytes[offset - 1]) { break }
            offset += 1
        }
        while offset > from, Self.isSpace(bytes[offset - 1]) { offset -= 1 }
        return offset
    }

    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

    static func isHexDigit(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x46).contains(byte) || (0x61...0x66).contains(byte)
    }

    /// Reads a quoted scalar starting at `offset` (on its quote); returns the text and the offset after the
    /// closing quote. The scalar must end on its line: multi-line quoted scalars are outside the subset.
    func quoted(at offset: Int, lineEnd: Int) throws(YAMLSubsetError) -> (String, Int) {
        let quote = bytes[offset]
        var out: [UInt8] = []
        var position = offset + 1
        let line = lineNumber(at: offset)
        while position < lineEnd {
            let current = bytes[position]
            if quote == UInt8(ascii: "'") {
                if current == quote {
                    if position + 1 < lineEnd, bytes[position + 1] == quote {
                        out.append(quote)
                        position += 2
                        continue
                    }
                    return (String(decoding: out, as: UTF8.self), position + 1)
                }
                out.append(current)
                position += 1
            } else {
                if current == quote { return (String(decoding: out, as: UTF8.self), position + 1) }
                if current == UInt8(ascii: "\\") {
                    position = try escape(at: position + 1, lineEnd: lineEnd, line: line, into: &out)
                } else {
                    out.append(current)
                    position += 1
                }
            }
        }
        throw YAMLSubsetError(
            line: line, "quoted scalar does not end on its line (multi-line quoted scalars are not supported)")
    }

    /// One double-quoted escape after its backslash; returns the offset after it.
    private func escape(at offset: Int, lineEnd: Int, line: Int, into out: inout [UInt8]) throws(YAMLSubsetError) -> Int
    {
        guard offset < lineEnd else {
            throw YAMLSubsetError(line: line, "escape at the end of a line is not supported")
        }
        let simple: [UInt8: String] = [
            UInt8(ascii: "0"): "\0", UInt8(ascii: "a"): "\u{07}", UInt8(ascii: "b"): "\u{08}", UInt8(ascii: "t"): "\t",
            0x09: "\t", UInt8(ascii: "n"): "\n", UInt8(ascii: "v"): "\u{0B}", UInt8(ascii: "f"): "\u{0C}",
            UInt8(ascii: "r"): "\r", UInt8(ascii: "e"): "\u{1B}", UInt8(ascii: " "): " ", UInt8(ascii: "\""): "\"",
            UInt8(ascii: "/"): "/", UInt8(ascii: "\\"): "\\", UInt8(ascii: "N"): "\u{85}", UInt8(ascii: "_"): "\u{A0}",
            UInt8(ascii: "L"): "\u{2028}", UInt8(ascii: "P"): "\u{2029}",
        ]
        let code = bytes[offset]
        if let text = simple[code] {
            out += Array(text.utf8)
            return offset + 1
        }
        let width: Int
        switch code {
        case UInt8(ascii: "x"): width = 2
        case UInt8(ascii: "u"): width = 4
        case UInt8(ascii: "U"): width = 8
        default:
            throw YAMLSubsetError(
                line: line, "unknown escape '\\\(Character(Unicode.Scalar(code)))' in a double-quoted scalar")
        }
        let digits = offset + 1..<offset + 1 + width
        guard digits.upperBound <= lineEnd, bytes[digits].allSatisfy(Self.isHexDigit),
            let value = UInt32(string(digits), radix: 16), let scalar = Unicode.Scalar(value)
        else {
            throw YAMLSubsetError(
                line: line, "bad \\\(Character(Unicode.Scalar(code))) escape in a double-quoted scalar")
        }
        out += Array(String(scalar).utf8)
        return offset + 1 + width
    }
}
