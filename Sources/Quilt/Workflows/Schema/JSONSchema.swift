import JSONCore

/// A JSON Schema (draft 7) checked for the keywords this validator implements, the subset Quilt workflow
/// schemas use. A schema with a draft-7 keyword outside that subset is refused, never half-applied.
///
/// As quilt3 (jsonschema's `Draft7Validator` without a format checker): `format` and unknown keywords are
/// annotations; `$schema`, when present, must be draft 07; and, unlike draft 7 itself, `$ref` anywhere in the
/// document is refused (quilt3 refuses such schemas before validating, so nothing could be published with one).
public struct JSONSchema: Sendable {
    public let root: JSONValue
    let patterns: CompiledPatterns

    public static let draft7 = "http://json-schema.org/draft-07/schema#"

    /// Keywords that only describe.
    static let annotations: Set<String> = [
        "$schema", "$id", "$comment", "title", "description", "default", "examples", "readOnly", "writeOnly",
        "format", "contentMediaType", "contentEncoding", "definitions",
    ]
    /// Draft-7 keywords this validator applies.
    static let implemented: Set<String> = [
        "type", "enum", "const", "properties", "required", "additionalProperties", "patternProperties",
        "minProperties", "maxProperties", "propertyNames", "items", "additionalItems", "minItems", "maxItems",
        "uniqueItems", "contains", "minLength", "maxLength", "pattern", "minimum", "maximum", "exclusiveMinimum",
        "exclusiveMaximum", "multipleOf", "allOf", "anyOf", "oneOf", "not", "if", "then", "else",
    ]
    /// Draft-7 keywords it does not apply: a schema using one is refused.
    static let unimplemented: Set<String> = ["$ref", "dependencies"]

    public init(_ root: JSONValue) throws(JSONSchemaError) {
        try Self.refuseReferences(root, path: "#")
        if case .object(let object) = root, let meta = object["$schema"] {
            guard case .string(let uri) = meta else {
                throw .unusableSchema(path: "#/$schema", reason: "$schema must be a string")
            }
            guard uri == Self.draft7 else {
                throw .unusableSchema(
                    path: "#/$schema", reason: "unsupported meta-schema \(uri) (only draft 07 is supported)")
            }
        }
        var checker = SchemaChecker()
        try checker.check(root, path: "#")
        self.root = root
        self.patterns = CompiledPatterns(byText: checker.patterns)
    }

    /// quilt3 decodes schemas with an object hook that rejects every object holding a `$ref` key.
    private static func refuseReferences(_ value: JSONValue, path: String) throws(JSONSchemaError) {
        switch value {
        case .object(let object):
            if object["$ref"] != nil {
                throw .unusableSchema(
                    path: path, reason: "$ref is not supported in workflow schemas (quilt3 refuses it too)")
            }
            for (key, child) in object { try refuseReferences(child, path: path + "/" + key) }
        case .array(let items):
            for (index, child) in items.enumerated() { try refuseReferences(child, path: "\(path)/\(index)") }
        default: break
        }
    }
}

/// Regular expressions of `pattern` and `patternProperties`, compiled once. Python's `re.search` semantics are
/// approximated by Swift's `Regex` (same syntax for the common constructs: classes, anchors, groups, quantifiers).
final class CompiledPatterns: @unchecked Sendable {
    struct Pattern: @unchecked Sendable {
        let regex: Regex<AnyRegexOutput>
    }

    // Written once in init, read-only afterwards.
    private let byText: [String: Pattern]

    init(byText: [String: Pattern]) { self.byText = byText }

    func search(_ pattern: String, in text: String) -> Bool {
        guard let compiled = byText[pattern] else { return false }
        return text.firstMatch(of: compiled.regex) != nil
    }

    static func compile(_ pattern: String) -> Pattern? {
        guard let regex = try? Regex(pattern) else { return nil }
        return Pattern(regex: regex)
    }
}
