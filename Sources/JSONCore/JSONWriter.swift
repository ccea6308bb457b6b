import Foundation

extension JSONValue {
    /// Python `json.dumps(v, sort_keys=True, separators=(",", ":"))` (ensure_ascii): the bytes Quilt hashes.
    /// Keys are sorted by Unicode code point, not by Swift's `String` ordering.
    public func canonicalString() -> String {
        var writer = JSONWriter(style: .canonical)
        writer.write(self)
        return writer.output
    }

    public func canonicalData() -> Data {
        var writer = JSONWriter(style: .canonical)
        writer.write(self)
        return Data(writer.bytes)
    }

    /// Python `json.dumps(v)` with `ensure_ascii=False`: `", "`/`": "` separators, insertion order, raw UTF-8.
    /// This is how quilt3 writes manifest lines.
    public func pythonString() -> String {
        var writer = JSONWriter(style: .python)
        writer.write(self)
        return writer.output
    }

    /// Compact wire JSON: no whitespace, insertion order, raw UTF-8, only the escapes JSON requires.
    public func compactString() -> String {
        var writer = JSONWriter(style: .compact)
        writer.write(self)
        return writer.output
    }

    public func compactData() -> Data {
        var writer = JSONWriter(style: .compact)
        writer.write(self)
        return Data(writer.bytes)
    }

    /// Python `json.dumps(v, indent=2)`: insertion order, `ensure_ascii`, one item per line, no trailing newline.
    /// How the Python service wrote its package documents (entry.json, links.json, …).
    public func indentedString() -> String {
        var writer = JSONWriter(style: .indented)
        writer.write(self)
        return writer.output
    }
}

extension JSONObject {
    public func canonicalString() -> String { JSONValue.object(self).canonicalString() }
    public func canonicalData() -> Data { JSONValue.object(self).canonicalData() }
    public func compactData() -> Data { JSONValue.object(self).compactData() }
    public func pythonString() -> String { JSONValue.object(self).pythonString() }
    public func compactString() -> String { JSONValue.object(self).compactString() }
}

/// Compares strings the way Python compares `str`: by Unicode code point, scalar by scalar.
public func codePointPrecedes(_ lhs: String, _ rhs: String) -> Bool {
    lhs.unicodeScalars.lexicographicallyPrecedes(rhs.unicodeScalars)
}

/// Writes UTF-8 bytes into one growing buffer (appending to a `String` scalar by scalar is several times slower,
/// and manifests of 10,000 entries go through here).
struct JSONWriter {
    enum Style { case canonical, python, compact, indented }

    let style: Style
    var bytes: [UInt8] = []
    /// Nesting depth, for `.indented`.
    private var depth = 0

    init(style: Style) {
        self.style = style
        bytes.reserveCapacity(256)
    }

    var output: String { String(decoding: bytes, as: UTF8.self) }

    private mutating func append(_ text: String) { bytes.append(contentsOf: text.utf8) }

    private mutating func appendItemSeparator() {
        bytes.append(UInt8(ascii: ","))
        if style == .python { bytes.append(UInt8(ascii: " ")) }
        if style == .indented { appendNewline() }
    }

    private mutating func appendKeySeparator() {
        bytes.append(UInt8(ascii: ":"))
        if style == .python || style == .indented { bytes.append(UInt8(ascii: " ")) }
    }

    private mutating func appendNewline() {
        bytes.append(UInt8(ascii: "\n"))
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * depth))
    }

    /// `.indented` puts the items of a non-empty container on their own lines; empty ones stay `[]`/`{}`.
    private mutating func openContainer(_ bracket: Character, empty: Bool) {
        bytes.append(UInt8(ascii: bracket.unicodeScalars.first!))
        guard style == .indented, !empty else { return }
        depth += 1
        appendNewline()
    }

    private mutating func closeContainer(_ bracket: Character, empty: Bool) {
        if style == .indented, !empty {
            depth -= 1
            appendNewline()
        }
        bytes.append(UInt8(ascii: bracket.unicodeScalars.first!))
    }

    mutating func write(_ value: JSONValue) {
        switch value {
        case .null: append("null")
        case .bool(let flag): append(flag ? "true" : "false")
        case .integer(let text): append(text)
        case .float(let number): append(PythonFloat.repr(number))
        case .string(let string): writeString(string)
        case .array(let array):
            openContainer("[", empty: array.isEmpty)
            for (position, element) in array.enumerated() {
                if position > 0 { appendItemSeparator() }
                write(element)
            }
            closeContainer("]", empty: array.isEmpty)
        case .object(let object):
            openContainer("{", empty: object.isEmpty)
            var keys = object.keys
            if style == .canonical { keys.sort(by: codePointPrecedes) }
            for (position, key) in keys.enumerated() {
                if position > 0 { appendItemSeparator() }
                writeString(key)
                appendKeySeparator()
                write(object[key]!)
            }
            closeContainer("}", empty: object.isEmpty)
        }
    }

    /// Python's `ensure_ascii=True`.
    private var asciiOnly: Bool { style == .canonical || style == .indented }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private mutating func writeUnicodeEscape(_ unit: UInt16) {
        bytes.append(UInt8(ascii: "\\"))
        bytes.append(UInt8(ascii: "u"))
        for shift in stride(from: 12, through: 0, by: -4) {
            bytes.append(Self.hexDigits[Int(unit >> UInt16(shift)) & 0xF])
        }
    }

    /// Escapes an ASCII byte as Python's json does; returns false for bytes written as they are.
    private mutating func writeEscapedASCII(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x22: append("\\\"")
        case 0x5C: append("\\\\")
        case 0x0A: append("\\n")
        case 0x0D: append("\\r")
        case 0x09: append("\\t")
        case 0x08: append("\\b")
        case 0x0C: append("\\f")
        case 0..<0x20: writeUnicodeEscape(UInt16(byte))
        case 0x7F where asciiOnly: writeUnicodeEscape(0x7F)
        default: return false
        }
        return true
    }

    private mutating func writeString(_ string: String) {
        bytes.append(UInt8(ascii: "\""))
        if !asciiOnly || string.utf8.allSatisfy({ $0 < 0x80 }) {
            // Raw UTF-8 passes through; only ASCII needs escaping.
            for byte in string.utf8 {
                if byte >= 0x80 || !writeEscapedASCII(byte) { bytes.append(byte) }
            }
        } else {
            // ensure_ascii: everything from 0x7F up as \uXXXX, astral characters as a surrogate pair.
            for scalar in string.unicodeScalars {
                if scalar.value < 0x80 {
                    let byte = UInt8(scalar.value)
                    if !writeEscapedASCII(byte) { bytes.append(byte) }
                } else {
                    for unit in String(scalar).utf16 { writeUnicodeEscape(unit) }
                }
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
