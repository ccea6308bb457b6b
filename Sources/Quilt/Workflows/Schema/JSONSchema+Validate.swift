import JSONCore

extension JSONSchema {
    /// Throws the first rule `instance` breaks, as `.mismatch(path: "$.creator", reason: …)`.
    public func validate(_ instance: JSONValue) throws(JSONSchemaError) {
        if let failure = firstFailure(root, instance, path: "$") { throw failure }
    }

    public func isValid(_ instance: JSONValue) -> Bool { firstFailure(root, instance, path: "$") == nil }

    func firstFailure(_ schema: JSONValue, _ instance: JSONValue, path: String) -> JSONSchemaError? {
        switch schema {
        case .bool(true): return nil
        case .bool(false): return .mismatch(path: path, reason: "no value is allowed here")
        case .object(let object):
            for (keyword, value) in object where Self.implemented.contains(keyword) {
                if let failure = apply(keyword, value, to: instance, schema: object, path: path) { return failure }
            }
            return nil
        default: return nil
        }
    }

    private func fail(_ path: String, _ reason: String) -> JSONSchemaError { .mismatch(path: path, reason: reason) }

    // One keyword; keywords that do not apply to the instance's type pass, as in JSON Schema.
    private func apply(
        _ keyword: String, _ value: JSONValue, to instance: JSONValue, schema: JSONObject, path: String
    ) -> JSONSchemaError? {
        switch keyword {
        case "type":
            let names = value.arrayValue?.compactMap(\.stringValue) ?? [value.stringValue ?? ""]
            guard names.contains(where: { Self.has(type: $0, instance) }) else {
                let expected = names.map { "'\($0)'" }.joined(separator: " or ")
                return fail(path, "\(Self.show(instance)) is not of type \(expected)")
            }
        case "enum":
            guard value.arrayValue?.contains(where: { Self.equal($0, instance) }) == true else {
                return fail(path, "\(Self.show(instance)) is not one of \(Self.show(value))")
            }
        case "const":
            guard Self.equal(value, instance) else { return fail(path, "\(Self.show(value)) was expected") }
        case "allOf", "anyOf", "oneOf", "not", "if":
            return combine(keyword, value, instance, schema: schema, path: path)
        case "then", "else":
            return nil  // applied through "if"
        default:
            switch instance {
            case .object(let members): return objectRule(keyword, value, members, schema: schema, path: path)
            case .array(let items): return arrayRule(keyword, value, items, schema: schema, path: path)
            case .string(let text): return stringRule(keyword, value, text, path: path)
            case .integer, .float: return numberRule(keyword, value, instance, path: path)
            default: return nil
            }
        }
        return nil
    }

    private func combine(
        _ keyword: String, _ value: JSONValue, _ instance: JSONValue, schema: JSONObject, path: String
    ) -> JSONSchemaError? {
        let schemas = value.arrayValue ?? []
        switch keyword {
        case "allOf":
            for subschema in schemas {
                if let failure = firstFailure(subschema, instance, path: path) { return failure }
            }
        case "anyOf":
            guard schemas.contains(where: { firstFailure($0, instance, path: path) == nil }) else {
                return fail(path, "\(Self.show(instance)) is not valid under any of the given schemas")
            }
        case "oneOf":
            let matches = schemas.filter { firstFailure($0, instance, path: path) == nil }.count
            if matches == 0 { return fail(path, "\(Self.show(instance)) is not valid under any of the given schemas") }
            if matches > 1 {
                return fail(path, "\(Self.show(instance)) is valid under each of \(matches) given schemas")
            }
        case "not":
            if firstFailure(value, instance, path: path) == nil {
                return fail(path, "\(Self.show(instance)) should not be valid under \(Self.show(value))")
            }
        default:  // "if"
            let branch = firstFailure(value, instance, path: path) == nil ? schema["then"] : schema["else"]
            if let branch { return firstFailure(branch, instance, path: path) }
        }
        return nil
    }

    private func objectRule(
        _ keyword: String, _ value: JSONValue, _ members: JSONObject, schema: JSONObject, path: String
    ) -> JSONSchemaError? {
        switch keyword {
        case "required":
            for name in value.arrayValue?.compactMap(\.stringValue) ?? [] where members[name] == nil {
                return fail(path, "'\(name)' is a required property")
            }
        case "properties":
            for (name, subschema) in value.objectValue ?? [:] {
                guard let member = members[name] else { continue }
                if let failure = firstFailure(subschema, member, path: Self.child(path, name)) { return failure }
            }
        case "patternProperties":
            for (pattern, subschema) in value.objectValue ?? [:] {
                for (name, member) in members where patterns.search(pattern, in: name) {
                    if let failure = firstFailure(subschema, member, path: Self.child(path, name)) { return failure }
                }
            }
        case "additionalProperties":
            let declared = schema["properties"]?.objectValue
            let patternNames = schema["patternProperties"]?.objectValue?.keys ?? []
            for (name, member) in members where declared?[name] == nil {
                if patternNames.contains(where: { patterns.search($0, in: name) }) { continue }
                if value == .bool(false) {
                    return fail(path, "additional properties are not allowed ('\(name)' was unexpected)")
                }
                if let failure = firstFailure(value, member, path: Self.child(path, name)) { return failure }
            }
        case "propertyNames":
            for name in members.keys {
                if let failure = firstFailure(value, .string(name), path: Self.child(path, name)) { return failure }
            }
        case "minProperties", "maxProperties":
            let limit = Int(value.numberValue ?? 0)
            if keyword == "minProperties", members.count < limit {
                return fail(path, "the object has fewer than \(limit) properties")
            }
            if keyword == "maxProperties", members.count > limit {
                return fail(path, "the object has more than \(limit) properties")
            }
        default: break
        }
        return nil
    }

    private func arrayRule(
        _ keyword: String, _ value: JSONValue, _ items: [JSONValue], schema: JSONObject, path: String
    ) -> JSONSchemaError? {
        switch keyword {
        case "items":
            if case .array(let tuple) = value {
                for (index, item) in items.enumerated() where index < tuple.count {
                    if let failure = firstFailure(tuple[index], item, path: "\(path)[\(index)]") { return failure }
                }
            } else {
                for (index, item) in items.enumerated() {
                    if let failure = firstFailure(value, item, path: "\(path)[\(index)]") { return failure }
                }
            }
        case "additionalItems":
            guard let tupleCount = schema["items"]?.arrayValue?.count else { return nil }
            for (index, item) in items.enumerated() where index >= tupleCount {
                if value == .bool(false) { return fail(path, "additional items are not allowed") }
                if let failure = firstFailure(value, item, path: "\(path)[\(index)]") { return failure }
            }
        case "minItems":
            let limit = Int(value.numberValue ?? 0)
            if items.count < limit {
                return fail(path, "\(Self.show(.array(items))) is too short (at least \(limit) items)")
            }
        case "maxItems":
            let limit = Int(value.numberValue ?? 0)
            if items.count > limit { return fail(path, "the array is too long (at most \(limit) items)") }
        case "uniqueItems":
            guard value == .bool(true) else { return nil }
            for (index, item) in items.enumerated() where items[..<index].contains(where: { Self.equal($0, item) }) {
                return fail(path, "\(Self.show(item)) appears more than once (items must be unique)")
            }
        case "contains":
            if !items.contains(where: { firstFailure(value, $0, path: path) == nil }) {
                return fail(path, "none of the items is valid under the given schema")
            }
        default: break
        }
        return nil
    }

    private func stringRule(_ keyword: String, _ value: JSONValue, _ text: String, path: String) -> JSONSchemaError? {
        // Lengths count code points, as Python's len() does.
        let length = text.unicodeScalars.count
        switch keyword {
        case "minLength":
            if length < Int(value.numberValue ?? 0) { return fail(path, "\(Self.show(.string(text))) is too short") }
        case "maxLength":
            if length > Int(value.numberValue ?? 0) { return fail(path, "\(Self.show(.string(text))) is too long") }
        case "pattern":
            let pattern = value.stringValue ?? ""
            if !patterns.search(pattern, in: text) {
                return fail(path, "\(Self.show(.string(text))) does not match '\(pattern)'")
            }
        default: break
        }
        return nil
    }

    private func numberRule(
        _ keyword: String, _ value: JSONValue, _ instance: JSONValue, path: String
    ) -> JSONSchemaError? {
        guard let number = instance.numberValue, let limit = value.numberValue else { return nil }
        let shown = Self.show(instance)
        switch keyword {
        case "minimum" where number < limit:
            return fail(path, "\(shown) is less than the minimum of \(Self.show(value))")
        case "maximum" where number > limit:
            return fail(path, "\(shown) is greater than the maximum of \(Self.show(value))")
        case "exclusiveMinimum" where number <= limit:
            return fail(path, "\(shown) is less than or equal to the minimum of \(Self.show(value))")
        case "exclusiveMaximum" where number >= limit:
            return fail(path, "\(shown) is greater than or equal to the maximum of \(Self.show(value))")
        case "multipleOf":
            let quotient = number / limit
            if !quotient.isFinite || quotient.rounded() != quotient {
                return fail(path, "\(shown) is not a multiple of \(Self.show(value))")
            }
        default: break
        }
        return nil
    }

    // MARK: - JSON Schema's notions of type and equality

    static func has(type: String, _ value: JSONValue) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("object", .object), ("array", .array), ("string", .string),
            ("number", .integer), ("number", .float), ("integer", .integer):
            return true
        case ("integer", .float(let number)): return number.rounded() == number && number.isFinite
        default: return false
        }
    }

    /// Object key order does not matter, 1 equals 1.0, and booleans never equal numbers.
    static func equal(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.integer, .integer), (.integer, .float), (.float, .integer), (.float, .float):
            if case .integer(let a) = lhs, case .integer(let b) = rhs { return a == b }
            return lhs.numberValue == rhs.numberValue
        case (.array(let a), .array(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { equal($0, $1) }
        case (.object(let a), .object(let b)):
            return a.count == b.count && a.allSatisfy { key, value in b[key].map { equal(value, $0) } ?? false }
        default:
            return lhs == rhs
        }
    }

    /// A short rendering of a value for messages (long values are cut).
    static func show(_ value: JSONValue) -> String {
        let text = value.compactString()
        return text.count > 80 ? String(text.prefix(77)) + "..." : text
    }

    /// `$.name` for identifier-like names, else `$["name"]`.
    static func child(_ path: String, _ name: String) -> String {
        let simple =
            !name.isEmpty
            && name.utf8.allSatisfy {
                (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) || $0 == 0x5F
            } && !(0x30...0x39).contains(name.utf8.first!)
        return simple ? "\(path).\(name)" : "\(path)[\(JSONValue.string(name).compactString())]"
    }
}
