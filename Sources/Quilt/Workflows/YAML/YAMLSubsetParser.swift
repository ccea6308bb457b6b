import JSONCore

/// A strict reader for the YAML that Quilt workflow configs are written in: block mappings and sequences,
/// plain, quoted and block (`|`, `>`) scalars, flow collections and comments, read as PyYAML's `safe_load` would.
///
/// Anything else (anchors and aliases, tags, complex keys, multi-line plain or quoted scalars, several
/// documents, duplicate keys) is refused with the line it is on, never guessed: the config decides whether a
/// package may be published, so a misread must not pass silently.
public enum YAMLSubsetParser {
    /// Nesting deeper than this is refused (a config needs four or five levels).
    public static let maxDepth = 64

    public static func parse(_ bytes: some Collection<UInt8>) throws(YAMLSubsetError) -> JSONValue {
        var reader = BlockReader(text: try YAMLText(Array(bytes)))
        return try reader.document()
    }

    public static func parse(_ text: String) throws(YAMLSubsetError) -> JSONValue { try parse(Array(text.utf8)) }
}

private struct BlockReader {
    var text: YAMLText
    /// The next line to read.
    var index = 0

    init(text: YAMLText) { self.text = text }

    mutating func document() throws(YAMLSubsetError) -> JSONValue {
        skipBlank()
        if index < text.lines.count, content(text.lines[index]).hasPrefix("%") {
            throw YAMLSubsetError(line: text.lines[index].number, "YAML directives are not supported")
        }
        if index < text.lines.count, isMarker(text.lines[index], "---") { index += 1 }
        skipBlank()
        guard index < text.lines.count else { return .null }
        let value = try node(parentIndent: -1, depth: 0)
        skipBlank()
        if index < text.lines.count, isMarker(text.lines[index], "...") {
            index += 1
            skipBlank()
        }
        if index < text.lines.count {
            let line = text.lines[index]
            throw YAMLSubsetError(
                line: line.number,
                isMarker(line, "---")
                    ? "only one YAML document is supported" : "unexpected content (check the indentation)")
        }
        return value
    }

    // MARK: - Nodes

    /// The node starting on the current line, whose indent is greater than `parentIndent`.
    mutating func node(parentIndent: Int, depth: Int) throws(YAMLSubsetError) -> JSONValue {
        let line = text.lines[index]
        guard depth < YAMLSubsetParser.maxDepth else {
            throw YAMLSubsetError(line: line.number, "nested deeper than \(YAMLSubsetParser.maxDepth) levels")
        }
        if isSequenceItem(line) { return try sequence(indent: line.indent, depth: depth) }
        if try keyEnd(line) != nil { return try mapping(indent: line.indent, depth: depth) }
        index += 1
        return try inlineValue(line: line, from: line.start + line.indent, parentIndent: parentIndent, depth: depth)
    }

    mutating func sequence(indent: Int, depth: Int) throws(YAMLSubsetError) -> JSONValue {
        var items: [JSONValue] = []
        while index < text.lines.count {
            let line = text.lines[index]
            if isDocumentMarker(line) { break }
            guard line.indent == indent, isSequenceItem(line) else {
                try checkDedent(line, below: indent, in: "sequence")
                break
            }
            let afterDash = line.start + line.indent + 1
            var column = afterDash
            while column < line.end, YAMLText.isSpace(text.bytes[column]) { column += 1 }
            if text.contentEnd(from: column, lineEnd: line.end) == column {
                index += 1
                skipBlank()
                if index < text.lines.count, text.lines[index].indent > indent {
                    items.append(try node(parentIndent: indent, depth: depth + 1))
                } else {
                    items.append(.null)
                }
            } else {
                // `- key: value` and `- - x`: the item's content is read as if it started its own line there.
                text.lines[index].indent = column - line.start
                items.append(try node(parentIndent: indent, depth: depth + 1))
            }
            skipBlank()
        }
        return .array(items)
    }

    mutating func mapping(indent: Int, depth: Int) throws(YAMLSubsetError) -> JSONValue {
        var object = JSONObject()
        while index < text.lines.count {
            let line = text.lines[index]
            if isDocumentMarker(line) { break }
            guard line.indent == indent, !isSequenceItem(line), let entry = try keyEnd(line) else {
                if line.indent == indent {
                    throw YAMLSubsetError(line: line.number, "expected 'key: value' in a mapping")
                }
                try checkDedent(line, below: indent, in: "mapping")
                break
            }
            let (key, valueStart) = entry
            guard object[key] == nil else { throw YAMLSubsetError(line: line.number, "duplicate key '\(key)'") }
            index += 1
            var column = valueStart
            while column < line.end, YAMLText.isSpace(text.bytes[column]) { column += 1 }
            if text.contentEnd(from: column, lineEnd: line.end) == column {
                skipBlank()
                if index < text.lines.count, text.lines[index].indent > indent {
                    object[key] = try node(parentIndent: indent, depth: depth + 1)
                } else if index < text.lines.count, text.lines[index].indent == indent,
                    isSequenceItem(text.lines[index])
                {
                    object[key] = try sequence(indent: indent, depth: depth + 1)
                } else {
                    object[key] = .null
                }
            } else {
                object[key] = try inlineValue(line: line, from: column, parentIndent: indent, depth: depth + 1)
            }
            skipBlank()
        }
        return .object(object)
    }

    /// A value that starts on `line` at `from` (after `key:` or on a line of its own). `index` is past `line`.
    mutating func inlineValue(
        line: YAMLText.Line, from: Int, parentIndent: Int, depth: Int
    ) throws(YAMLSubsetError)
        -> JSONValue
    {
        let first = text.bytes[from]
        let value: JSONValue
        switch first {
        case UInt8(ascii: "["), UInt8(ascii: "{"):
            var flow = YAMLFlowParser(text: text, offset: from, maxDepth: YAMLSubsetParser.maxDepth - depth)
            value = try flow.collection(depth: 0)
            let endLine = text.lines[text.lineNumber(at: max(flow.offset - 1, 0)) - 1]
            try expectNothingMore(after: flow.offset, on: endLine)
            index = endLine.number
        case UInt8(ascii: "'"), UInt8(ascii: "\""):
            let (string, end) = try text.quoted(at: from, lineEnd: line.end)
            try expectNothingMore(after: end, on: line)
            value = .string(string)
        case UInt8(ascii: "|"), UInt8(ascii: ">"):
            return try blockScalar(header: line, from: from, parentIndent: parentIndent)
        case UInt8(ascii: "&"), UInt8(ascii: "*"), UInt8(ascii: "!"), UInt8(ascii: "%"), UInt8(ascii: "@"),
            UInt8(ascii: "`"), UInt8(ascii: "?"):
            throw YAMLSubsetError(
                line: line.number,
                "'\(Character(Unicode.Scalar(first)))' (anchors, aliases, tags, complex keys) is not supported")
        case UInt8(ascii: "-") where from + 1 == line.end || YAMLText.isSpace(text.bytes[from + 1]):
            throw YAMLSubsetError(
                line: line.number, "a sequence cannot start on the line of its key; put its items on the next lines")
        default:
            let end = text.contentEnd(from: from, lineEnd: line.end)
            let plain = text.string(from..<end)
            if plain.contains(": ") || plain.hasSuffix(":") {
                throw YAMLSubsetError(line: line.number, "a mapping cannot start on the line of its key")
            }
            value = try YAMLPlainScalar.resolve(plain, line: line.number)
        }
        skipBlank()
        if index < text.lines.count, text.lines[index].indent > parentIndent, !isDocumentMarker(text.lines[index]) {
            let next = text.lines[index]
            // Only a continuation of the scalar can sit here (the parent's next key or item is less indented).
            if next.indent > line.indent || !(isSequenceItem(next) || (try? keyEnd(next)) != nil) {
                throw YAMLSubsetError(
                    line: next.number,
                    "unexpected indented content (multi-line plain scalars are not supported: quote the value or use | or >)"
                )
            }
        }
        return value
    }

    /// `|` or `>`, with `-`/`+` chomping; the content is the following lines indented deeper than the parent.
    mutating func blockScalar(
        header line: YAMLText.Line, from: Int, parentIndent: Int
    ) throws(YAMLSubsetError)
        -> JSONValue
    {
        let folded = text.bytes[from] == UInt8(ascii: ">")
        var chomping: UInt8?
        var offset = from + 1
        if offset < line.end, text.bytes[offset] == UInt8(ascii: "-") || text.bytes[offset] == UInt8(ascii: "+") {
            chomping = text.bytes[offset]
            offset += 1
        }
        guard text.contentEnd(from: offset, lineEnd: line.end) == offset,
            offset == line.end || YAMLText.isSpace(text.bytes[offset])
        else {
            throw YAMLSubsetError(
                line: line.number,
                "block scalar header must be |, |-, |+, >, >- or >+ (indentation indicators are not supported)")
        }
        var contentIndent: Int?
        var rows: [String] = []
        while index < text.lines.count {
            let row = text.lines[index]
            let isEmpty = (row.start..<row.end).allSatisfy { text.bytes[$0] == 0x20 }
            if isEmpty {
                rows.append("")
                index += 1
                continue
            }
            if contentIndent == nil {
                guard row.indent > parentIndent else { break }
                contentIndent = row.indent
            }
            guard row.indent >= contentIndent! else { break }
            rows.append(text.string(row.start + contentIndent!..<row.end))
            index += 1
        }
        // Trailing empty rows belong to the scalar only for keep-chomping, and never past the document's end.
        var trailing = 0
        while let last = rows.last, last.isEmpty {
            rows.removeLast()
            trailing += 1
        }
        if index == text.lines.count, trailing > 0 { trailing -= 1 }
        var body = folded ? Self.fold(rows) : rows.joined(separator: "\n")
        if !rows.isEmpty {
            switch chomping {
            case UInt8(ascii: "-"): break
            case UInt8(ascii: "+"): body += String(repeating: "\n", count: trailing + 1)
            default: body += "\n"
            }
        } else if chomping == UInt8(ascii: "+") {
            body = String(repeating: "\n", count: trailing)
        }
        return .string(body)
    }

    /// YAML line folding: a single break between two plain lines becomes a space, empty lines become breaks, and
    /// more-indented lines keep their breaks.
    static func fold(_ rows: [String]) -> String {
        var out = ""
        var pendingBreaks = 0
        var previousWasMoreIndented: Bool?
        for row in rows {
            if row.isEmpty {
                pendingBreaks += 1
                continue
            }
            let moreIndented = row.first == " " || row.first == "\t"
            if let previous = previousWasMoreIndented {
                if !previous && !moreIndented {
                    out += pendingBreaks == 0 ? " " : String(repeating: "\n", count: pendingBreaks)
                } else {
                    out += String(repeating: "\n", count: pendingBreaks + 1)
                }
            } else {
                out += String(repeating: "\n", count: pendingBreaks)
            }
            out += row
            pendingBreaks = 0
            previousWasMoreIndented = moreIndented
        }
        return out
    }

    // MARK: - Lines

    /// The key of a `key: value` line and the offset after its colon, or nil when the line is no mapping entry.
    func keyEnd(_ line: YAMLText.Line) throws(YAMLSubsetError) -> (String, Int)? {
        let start = line.start + line.indent
        guard start < line.end else { return nil }
        let first = text.bytes[start]
        if first == UInt8(ascii: "'") || first == UInt8(ascii: "\"") {
            let (key, end) = try text.quoted(at: start, lineEnd: line.end)
            var colon = end
            while colon < line.end, YAMLText.isSpace(text.bytes[colon]) { colon += 1 }
            guard colon < line.end, text.bytes[colon] == UInt8(ascii: ":"),
                colon + 1 == line.end || YAMLText.isSpace(text.bytes[colon + 1])
            else { return nil }
            return (key, colon + 1)
        }
        if first == UInt8(ascii: "[") || first == UInt8(ascii: "{") || first == UInt8(ascii: "#") { return nil }
        if first == UInt8(ascii: "?") && (start + 1 == line.end || YAMLText.isSpace(text.bytes[start + 1])) {
            throw YAMLSubsetError(line: line.number, "complex keys ('? ') are not supported")
        }
        let end = text.contentEnd(from: start, lineEnd: line.end)
        var offset = start
        while offset < end {
            if text.bytes[offset] == UInt8(ascii: ":"), offset + 1 == end || YAMLText.isSpace(text.bytes[offset + 1]) {
                var keyEnd = offset
                while keyEnd > start, YAMLText.isSpace(text.bytes[keyEnd - 1]) { keyEnd -= 1 }
                let raw = text.string(start..<keyEnd)
                if raw == "<<" { throw YAMLSubsetError(line: line.number, "merge keys ('<<') are not supported") }
                if let special = raw.utf8.first, "&*!|>%@`".utf8.contains(special) {
                    throw YAMLSubsetError(
                        line: line.number, "'\(Character(Unicode.Scalar(special)))' in a key is not supported")
                }
                guard case .string(let key) = try YAMLPlainScalar.resolve(raw, line: line.number) else {
                    throw YAMLSubsetError(line: line.number, "key '\(raw)' is not a string in YAML 1.1; quote it")
                }
                return (key, offset + 1)
            }
            offset += 1
        }
        return nil
    }

    func isDocumentMarker(_ line: YAMLText.Line) -> Bool { isMarker(line, "---") || isMarker(line, "...") }

    func isSequenceItem(_ line: YAMLText.Line) -> Bool {
        let start = line.start + line.indent
        return start < line.end && text.bytes[start] == UInt8(ascii: "-")
            && (start + 1 == line.end || YAMLText.isSpace(text.bytes[start + 1]))
    }

    func content(_ line: YAMLText.Line) -> String { text.string(line.start + line.indent..<line.end) }

    func isMarker(_ line: YAMLText.Line, _ marker: String) -> Bool {
        line.indent == 0 && text.string(line.start..<text.contentEnd(from: line.start, lineEnd: line.end)) == marker
    }

    /// Moves past lines holding only spaces and comments.
    mutating func skipBlank() {
        while index < text.lines.count, text.isBlank(text.lines[index]) { index += 1 }
    }

    /// A block ends at a less indented line (or, for a sequence, at a key of the same indent, which the parent
    /// mapping reads); a more indented one is an error.
    func checkDedent(_ line: YAMLText.Line, below indent: Int, in what: String) throws(YAMLSubsetError) {
        if line.indent > indent {
            throw YAMLSubsetError(line: line.number, "unexpected indentation in a \(what)")
        }
    }

    func expectNothingMore(after offset: Int, on line: YAMLText.Line) throws(YAMLSubsetError) {
        guard text.contentEnd(from: offset, lineEnd: line.end) == offset else {
            throw YAMLSubsetError(line: line.number, "unexpected text after the value")
        }
    }
}
