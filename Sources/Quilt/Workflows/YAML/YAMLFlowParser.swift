import JSONCore

/// Flow collections (`{url: s3://b/k}`, `[a, b]`), which may span lines; entries are quoted or single-line
/// plain scalars, or nested flow collections.
struct YAMLFlowParser {
    let text: YAMLText
    var offset: Int
    let maxDepth: Int

    init(text: YAMLText, offset: Int, maxDepth: Int) {
        self.text = text
        self.offset = offset
        self.maxDepth = maxDepth
    }

    private var line: Int { text.lineNumber(at: offset) }

    /// Parses the collection starting at `offset`; leaves `offset` after its closing bracket.
    mutating func collection(depth: Int) throws(YAMLSubsetError) -> JSONValue {
        guard depth < maxDepth else { throw YAMLSubsetError(line: line, "nested deeper than \(maxDepth) levels") }
        let open = text.bytes[offset]
        let openLine = line
        offset += 1
        let close = open == UInt8(ascii: "[") ? UInt8(ascii: "]") : UInt8(ascii: "}")
        var items: [JSONValue] = []
        var object = JSONObject()
        while true {
            try skipSpace()
            guard let next = text.byte(offset) else {
                throw YAMLSubsetError(line: openLine, "flow collection is not closed")
            }
            if next == close {
                offset += 1
                return open == UInt8(ascii: "[") ? .array(items) : .object(object)
            }
            let startLine = line
            let value = try node(depth: depth)
            try skipSpace()
            if open == UInt8(ascii: "{") {
                guard case .string(let key) = value else {
                    throw YAMLSubsetError(line: startLine, "flow mapping keys must be strings")
                }
                var entry: JSONValue = .null
                if text.byte(offset) == UInt8(ascii: ":") {
                    offset += 1
                    try skipSpace()
                    if let byte = text.byte(offset), byte != UInt8(ascii: ","), byte != close {
                        entry = try node(depth: depth)
                        try skipSpace()
                    }
                }
                guard object[key] == nil else { throw YAMLSubsetError(line: startLine, "duplicate key '\(key)'") }
                object[key] = entry
            } else {
                if text.byte(offset) == UInt8(ascii: ":") {
                    throw YAMLSubsetError(
                        line: startLine, "mappings inside flow sequences are not supported; use {key: value}")
                }
                items.append(value)
            }
            guard let separator = text.byte(offset) else { continue }
            if separator == UInt8(ascii: ",") {
                offset += 1
            } else if separator != close {
                throw YAMLSubsetError(
                    line: line, "expected ',' or '\(Character(Unicode.Scalar(close)))' in a flow collection")
            }
        }
    }

    private mutating func node(depth: Int) throws(YAMLSubsetError) -> JSONValue {
        let byte = text.bytes[offset]
        switch byte {
        case UInt8(ascii: "["), UInt8(ascii: "{"):
            return try collection(depth: depth + 1)
        case UInt8(ascii: "'"), UInt8(ascii: "\""):
            let lineEnd = text.lines[text.lineNumber(at: offset) - 1].end
            let (value, end) = try text.quoted(at: offset, lineEnd: lineEnd)
            offset = end
            return .string(value)
        case UInt8(ascii: "&"), UInt8(ascii: "*"), UInt8(ascii: "!"), UInt8(ascii: "|"), UInt8(ascii: ">"),
            UInt8(ascii: "%"), UInt8(ascii: "@"), UInt8(ascii: "`"), UInt8(ascii: "?"):
            throw YAMLSubsetError(
                line: line,
                "'\(Character(Unicode.Scalar(byte)))' (anchors, aliases, tags, complex keys, block scalars) is not supported here"
            )
        default:
            return try YAMLPlainScalar.resolve(plain(), line: line)
        }
    }

    /// A plain scalar in flow context: ends at a flow indicator, `: `, ` #` or the end of the line.
    private mutating func plain() throws(YAMLSubsetError) -> String {
        let start = offset
        while let byte = text.byte(offset) {
            if byte == 0x0A || byte == 0x0D || byte == UInt8(ascii: ",") || byte == UInt8(ascii: "[")
                || byte == UInt8(ascii: "]") || byte == UInt8(ascii: "{") || byte == UInt8(ascii: "}")
            {
                break
            }
            if byte == UInt8(ascii: ":") {
                let after = text.byte(offset + 1)
                if after == nil || YAMLText.isSpace(after!) || after == 0x0A || after == 0x0D
                    || after == UInt8(ascii: ",")
                    || after == UInt8(ascii: "]") || after == UInt8(ascii: "}")
                {
                    break
                }
            }
            if byte == UInt8(ascii: "#"), offset > start, YAMLText.isSpace(text.bytes[offset - 1]) { break }
            offset += 1
        }
        var end = offset
        while end > start, YAMLText.isSpace(text.bytes[end - 1]) { end -= 1 }
        return text.string(start..<end)
    }

    /// Spaces, line breaks and comments between flow tokens.
    private mutating func skipSpace() throws(YAMLSubsetError) {
        var afterSpace = offset == 0 || [0x20, 0x09, 0x0A, 0x0D].contains(text.bytes[offset - 1])
        while let byte = text.byte(offset) {
            if YAMLText.isSpace(byte) || byte == 0x0A || byte == 0x0D {
                afterSpace = true
                offset += 1
            } else if byte == UInt8(ascii: "#"), afterSpace {
                while let next = text.byte(offset), next != 0x0A { offset += 1 }
            } else {
                return
            }
        }
    }
}
