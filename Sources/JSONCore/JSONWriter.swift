import Foundation

extension JSONValue {
    /// Python `json.dumps(v, sort_keys=True, separators=(",", ":"))` (ensure_ascii): the bytes Quilt hashes.
    /// Keys are sorted by Unicode code point, not by Swift's `String` ordering.
    public func canonicalString() -> String {
        var writer = JSONWriter(style: .canonical)
        writer.write(self)
        return writer.output
    }

    public func canonicalData() -> Data { Data(canonicalString().utf8) }

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

    public func compactData() -> Data { Data(compactString().utf8) }
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

struct JSONWriter {
    enum Style { case canonical, python, compact }

    let style: Style
    var output = ""

    init(style: Style) {
        self.style = style
    }

    private var itemSeparator: String { style == .python ? ", " : "," }
    private var keySeparator: String { style == .python ? ": " : ":" }

    mutating func write(_ value: JSONValue) {
        switch value {
        case .null: output += "null"
        case .bool(let flag): output += flag ? "true" : "false"
        case .integer(let text): output += text
        case .float(let number): output += PythonFloat.repr(number)
        case .string(let string): writeString(string)
        case .array(let array):
            output += "["
            for (position, element) in array.enumerated() {
                if position > 0 { output += itemSeparator }
                write(element)
            }
            output += "]"
        case .object(let object):
            output += "{"
            var keys = object.keys
            if style == .canonical { keys.sort(by: codePointPrecedes) }
            for (position, key) in keys.enumerated() {
                if position > 0 { output += itemSeparator }
                writeString(key)
                output += keySeparator
                write(object[key]!)
            }
            output += "}"
        }
    }

    private static let hexDigits = Array("0123456789abcdef".unicodeScalars)

    private mutating func writeUnicodeEscape(_ unit: UInt16) {
        output += "\\u"
        for shift in stride(from: 12, through: 0, by: -4) {
            output.unicodeScalars.append(Self.hexDigits[Int(unit >> UInt16(shift)) & 0xF])
        }
    }

    private mutating func writeString(_ string: String) {
        output += "\""
        let asciiOnly = style == .canonical
        for scalar in string.unicodeScalars {
            switch scalar.value {
            case 0x22: output += "\\\""
            case 0x5C: output += "\\\\"
            case 0x0A: output += "\\n"
            case 0x0D: output += "\\r"
            case 0x09: output += "\\t"
            case 0x08: output += "\\b"
            case 0x0C: output += "\\f"
            case 0..<0x20: writeUnicodeEscape(UInt16(scalar.value))
            case 0x20..<0x7F: output.unicodeScalars.append(scalar)
            default:
                if !asciiOnly {
                    output.unicodeScalars.append(scalar)
                } else {
                    for unit in String(scalar).utf16 { writeUnicodeEscape(unit) }
                }
            }
        }
        output += "\""
    }
}
