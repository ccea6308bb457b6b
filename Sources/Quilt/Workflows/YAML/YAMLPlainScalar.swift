import JSONCore

/// What a plain (unquoted) scalar means, as PyYAML's `safe_load` (YAML 1.1) reads it — quilt3 parses workflow
/// configs with PyYAML, so `yes` is true and `1.0` a number there, and must be here too.
///
/// Forms PyYAML turns into values we do not model (timestamps, octal/hex/binary/sexagesimal integers, numbers
/// with `_`, `.inf`, `.nan`, `=`, `<<`) are refused: reading them as strings would silently differ from quilt3.
enum YAMLPlainScalar {
    static func resolve(_ text: String, line: Int) throws(YAMLSubsetError) -> JSONValue {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON": return .bool(true)
        case "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF": return .bool(false)
        case "=", "<<":
            throw YAMLSubsetError(line: line, "'\(text)' has a special meaning in YAML 1.1; quote it")
        default: break
        }
        guard let first = text.utf8.first, Self.numberStart.contains(first) else { return .string(text) }
        if text.wholeMatch(of: Self.decimalInteger) != nil {
            var digits = Substring(text)
            if digits.hasPrefix("+") { digits = digits.dropFirst() }
            if digits == "-0" { digits = "0" }
            return .integer(String(digits))
        }
        if text.wholeMatch(of: Self.simpleFloat) != nil, let value = Double(text) {
            return .float(value)
        }
        if text.wholeMatch(of: Self.yaml11Integer) != nil || text.wholeMatch(of: Self.yaml11Float) != nil
            || text.wholeMatch(of: Self.yaml11Timestamp) != nil
        {
            throw YAMLSubsetError(
                line: line,
                "'\(text)' is a number or date in YAML 1.1 in a form this reader does not support; quote it if it is text"
            )
        }
        return .string(text)
    }

    private static let numberStart = Set("0123456789+-.".utf8)
    nonisolated(unsafe) private static let decimalInteger = #/[-+]?(0|[1-9][0-9]*)/#
    nonisolated(unsafe) private static let simpleFloat = #/[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+][0-9]+)?/#
    // PyYAML's implicit resolvers (resolver.py) for YAML 1.1 ints, floats and timestamps.
    nonisolated(unsafe) private static let yaml11Integer =
        #/[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+/#
    nonisolated(unsafe) private static let yaml11Float =
        #/[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)/#
    nonisolated(unsafe) private static let yaml11Timestamp =
        #/[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?/#
}
