import JSONCore

/// Checks a schema's keywords against draft 7's rules for their values (what jsonschema's `check_schema` does)
/// and against the subset this validator implements; compiles its patterns on the way.
struct SchemaChecker {
    private(set) var patterns: [String: CompiledPatterns.Pattern] = [:]

    static let typeNames: Set<String> = ["null", "boolean", "object", "array", "number", "string", "integer"]

    mutating func check(_ schema: JSONValue, path: String) throws(JSONSchemaError) {
        if case .bool = schema { return }
        guard case .object(let object) = schema else {
            throw .unusableSchema(path: path, reason: "a schema must be an object or a boolean")
        }
        for (keyword, value) in object {
            let here = path + "/" + keyword
            if JSONSchema.unimplemented.contains(keyword) {
                throw .unusableSchema(path: here, reason: "keyword '\(keyword)' is not supported by this service")
            }
            guard JSONSchema.implemented.contains(keyword) || keyword == "definitions" else { continue }
            try checkKeyword(keyword, value, path: here)
        }
    }

    private mutating func checkKeyword(_ keyword: String, _ value: JSONValue, path: String) throws(JSONSchemaError) {
        func bad(_ what: String) -> JSONSchemaError {
            .unusableSchema(path: path, reason: "'\(keyword)' must be \(what)")
        }
        switch keyword {
        case "type":
            let names: [JSONValue]
            if case .array(let items) = value { names = items } else { names = [value] }
            guard !names.isEmpty, Set(names).count == names.count,
                names.allSatisfy({ $0.stringValue.map(Self.typeNames.contains) ?? false })
            else { throw bad("a type name or a list of type names") }
        case "enum":
            guard value.arrayValue != nil else { throw bad("an array") }
        case "properties", "patternProperties", "definitions":
            guard case .object(let members) = value else { throw bad("an object of schemas") }
            for (name, subschema) in members {
                if keyword == "patternProperties" { try compile(name, path: path) }
                try check(subschema, path: path + "/" + name)
            }
        case "required":
            guard case .array(let names) = value, names.allSatisfy({ $0.stringValue != nil }),
                Set(names).count == names.count
            else { throw bad("an array of unique strings") }
        case "minProperties", "maxProperties", "minItems", "maxItems", "minLength", "maxLength":
            guard Self.isNonNegativeInteger(value) else { throw bad("a non-negative integer") }
        case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum":
            guard value.numberValue != nil else { throw bad("a number") }
        case "multipleOf":
            guard let number = value.numberValue, number > 0 else { throw bad("a number greater than 0") }
        case "uniqueItems":
            guard case .bool = value else { throw bad("a boolean") }
        case "pattern":
            guard case .string(let pattern) = value else { throw bad("a string") }
            try compile(pattern, path: path)
        case "items":
            if case .array(let schemas) = value {
                for (index, subschema) in schemas.enumerated() { try check(subschema, path: "\(path)/\(index)") }
            } else {
                try check(value, path: path)
            }
        case "allOf", "anyOf", "oneOf":
            guard case .array(let schemas) = value, !schemas.isEmpty else { throw bad("a non-empty array of schemas") }
            for (index, subschema) in schemas.enumerated() { try check(subschema, path: "\(path)/\(index)") }
        default:
            // additionalProperties, additionalItems, propertyNames, contains, not, if, then, else, const.
            if keyword != "const" { try check(value, path: path) }
        }
    }

    private mutating func compile(_ pattern: String, path: String) throws(JSONSchemaError) {
        guard patterns[pattern] == nil else { return }
        guard let compiled = CompiledPatterns.compile(pattern) else {
            throw .unusableSchema(
                path: path, reason: "pattern '\(pattern)' is not a regular expression this service can read")
        }
        patterns[pattern] = compiled
    }

    static func isNonNegativeInteger(_ value: JSONValue) -> Bool {
        switch value {
        case .integer(let digits): return !digits.hasPrefix("-")
        case .float(let number): return number >= 0 && number.rounded() == number
        default: return false
        }
    }
}

extension JSONValue {
    /// Numbers as Double (booleans are not numbers).
    var numberValue: Double? {
        switch self {
        case .integer(let digits): Double(digits)
        case .float(let number): number
        default: nil
        }
    }
}
