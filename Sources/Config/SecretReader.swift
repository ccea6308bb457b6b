import JSONCore

/// Reads typed values out of the secret object, one key at a time, recording a problem for every bad key.
///
/// A reference type used within one validation only, so the per-key helpers can record problems while
/// the validator composes them with `flatMap`.
final class SecretReader {
    private let object: JSONObject
    private(set) var problems: [ConfigurationProblem] = []
    /// Keys that are not one of the twelve, in the secret's order.
    let unknownKeys: [String]

    init(object: JSONObject) {
        self.object = object
        let known = Set(SecretKey.allCases.flatMap { [$0.rawValue, $0.lowerCaseName] })
        unknownKeys = object.keys.filter { !known.contains($0) }
    }

    // MARK: - Raw access

    /// The value under either spelling; JSON null counts as absent.
    private func value(_ key: SecretKey) -> JSONValue? {
        let upper = present(object[key.rawValue])
        let lower = present(object[key.lowerCaseName])
        if let upper, let lower, upper != lower {
            record(
                key, kind: .invalidValue,
                "set as both \"\(key.rawValue)\" and \"\(key.lowerCaseName)\" with different values",
                fix: "keep one spelling of \(key.rawValue) in the secret")
        }
        return upper ?? lower
    }

    /// Nil for absent and for JSON null. (Written out: `cond ? nil : value` would turn `nil` into
    /// `JSONValue.null`, as JSONValue is expressible by a nil literal.)
    private func present(_ value: JSONValue?) -> JSONValue? {
        guard let value, !value.isNull else { return Optional<JSONValue>.none }
        return value
    }

    /// A string that must be present and non-empty.
    func requiredString(_ key: SecretKey) -> String? {
        guard let value = value(key) else {
            record(
                key, kind: .invalidValue, "missing; expected \(expectation(key))",
                fix: "add \"\(key.rawValue)\" to the secret: \(key.purpose)")
            return nil
        }
        guard case .string(let text) = value, !text.trimmingBlanks().isEmpty else {
            reject(key, got: SecretReader.kindName(value))
            return nil
        }
        return text
    }

    /// A string that may be absent, null or empty (nil: use the default).
    func optionalString(_ key: SecretKey) -> String? {
        guard let value = value(key) else { return nil }
        guard case .string(let text) = value else {
            reject(key, got: SecretReader.kindName(value))
            return nil
        }
        let trimmed = text.trimmingBlanks()
        return trimmed.isEmpty ? nil : String(trimmed)
    }

    /// `PKG_WORKFLOW`: nil when absent or null, `""` (no workflow) when empty, else a workflow id as the
    /// workflows config names them (quilt3's config schema: `^[A-Za-z_-][A-Za-z0-9_-]*$`, at most 64 characters).
    func workflowId() -> String? {
        guard let value = value(.pkgWorkflow) else { return nil }
        guard case .string(let text) = value else { return invalid(.pkgWorkflow, got: SecretReader.kindName(value)) }
        let id = String(text.trimmingBlanks())
        return ValueRules.isWorkflowId(id) || id.isEmpty
            ? id : invalid(.pkgWorkflow, got: ConfigurationProblem.quoted(text))
    }

    /// A JSON boolean, a string true/false/1/0 (any case), or the integer 1/0. Nil when absent or empty.
    func boolean(_ key: SecretKey) -> Bool? {
        guard let value = value(key) else { return nil }
        switch value {
        case .bool(let flag): return flag
        case .integer("1"): return true
        case .integer("0"): return false
        case .string(let text):
            switch text.trimmingBlanks().lowercased() {
            case "true", "1": return true
            case "false", "0": return false
            case "": return nil
            default: reject(key, got: ConfigurationProblem.quoted(text))
            }
        default: reject(key, got: SecretReader.kindName(value))
        }
        return nil
    }

    // MARK: - Typed values

    func tenant(_ raw: String) -> String? {
        ValueRules.tenant(raw) ?? invalid(.tenant, got: ConfigurationProblem.quoted(raw))
    }

    func appDefinitionId(_ raw: String) -> String? {
        ValueRules.isAppDefinitionId(raw) ? raw : invalid(.appDefinitionId, got: ConfigurationProblem.quoted(raw))
    }

    func ecrRepositoryName(_ raw: String) -> String? {
        ValueRules.isECRRepositoryName(raw)
            ? raw : invalid(.ecrRepositoryName, got: ConfigurationProblem.quoted(raw))
    }

    func logLevel(_ raw: String) -> LogLevel? {
        LogLevel(name: raw) ?? invalid(.logLevel, got: ConfigurationProblem.quoted(raw))
    }

    func packageNamePart(_ key: SecretKey, _ raw: String) -> String? {
        ValueRules.isPackageNamePart(raw) ? raw : invalid(key, got: ConfigurationProblem.quoted(raw))
    }

    /// An S3 bucket name (`s3://name` accepted too) or `file:///absolute/path`.
    func userBucket(_ raw: String) -> UserBucket? {
        let text = String(raw.trimmingBlanks())
        if text.hasPrefix("file:") {
            guard let path = ValueRules.localRegistryPath(text) else {
                return invalid(
                    .userBucket,
                    got: "\(ConfigurationProblem.quoted(raw)) (a local registry is file:///absolute/path)")
            }
            return .localDirectory(path: path)
        }
        var name = text[...]
        if name.hasPrefix("s3://") {
            name = name.dropFirst("s3://".count)
            while name.hasSuffix("/") { name = name.dropLast() }
        }
        if let rule = ValueRules.bucketNameViolation(String(name)) {
            return invalid(
                .userBucket,
                got: "\(ConfigurationProblem.quoted(raw)) (an S3 bucket name must have \(rule))")
        }
        return .s3(bucket: String(name))
    }

    /// A comma-separated string or a JSON array of strings; absent or empty means everyone.
    func allowList() -> AllowList? {
        let key = SecretKey.webhookAllowList
        guard let value = value(key) else { return .everyone }
        let result: Result<AllowList, AllowListError>
        switch value {
        case .string(let text):
            result = Result { () throws(AllowListError) in try AllowList.parse(text) }
        case .array(let items):
            let strings = items.compactMap(\.stringValue)
            guard strings.count == items.count else {
                return invalid(key, got: "an array with entries that are not strings")
            }
            result = Result { () throws(AllowListError) in try AllowList.parse(entries: strings) }
        default:
            return invalid(key, got: SecretReader.kindName(value))
        }
        switch result {
        case .success(let list): return list
        case .failure(let error):
            let entries = error.invalidEntries.map(ConfigurationProblem.quoted).joined(separator: ", ")
            return invalid(key, got: "invalid \(error.invalidEntries.count == 1 ? "entry" : "entries") \(entries)")
        }
    }

    /// Verification off and no allowlist: anyone who finds the URL could enqueue work that runs with the app's
    /// Benchling credentials. Recorded as a problem (never a mere warning) so the receiver stays not ready.
    func refuseOpenDoor() {
        record(
            .enableWebhookVerification, kind: .invalidValue,
            "is false while WEBHOOK_ALLOW_LIST is empty: anyone could enqueue work",
            fix:
                "set \"ENABLE_WEBHOOK_VERIFICATION\" to true, or list the addresses allowed to call in \"WEBHOOK_ALLOW_LIST\""
        )
    }

    // MARK: - Problems

    /// Records `KEY: expected …, got …` and returns nil, so callers can write `rule ?? invalid(...)`.
    func invalid<T>(_ key: SecretKey, got: String) -> T? {
        reject(key, got: got)
        return nil
    }

    /// Records `KEY: expected …, got …`.
    func reject(_ key: SecretKey, got: String) {
        record(
            key, kind: .invalidValue, "expected \(expectation(key)), got \(got)",
            fix: "set \"\(key.rawValue)\" in the secret to \(expectation(key))", quotesValue: true)
    }

    private func record(
        _ key: SecretKey, kind: ConfigurationProblem.Kind, _ what: String, fix: String, quotesValue: Bool = false
    ) {
        let problem = ConfigurationProblem(
            key: key.rawValue, kind: kind, what: what, fix: fix, quotesValue: quotesValue)
        if !problems.contains(problem) { problems.append(problem) }
    }

    /// What a valid value of `key` looks like, for messages.
    private func expectation(_ key: SecretKey) -> String {
        switch key {
        case .clientId, .clientSecret: "a non-empty string"
        case .tenant: "a Benchling tenant such as \"acme\", \"acme.benchling.com\" or \"https://acme.benchling.com/\""
        case .appDefinitionId: "letters, digits, \"_\" and \"-\" (e.g. \"appdef_abc123\")"
        case .ecrRepositoryName: "an ECR repository name (lower-case letters, digits, \".\", \"_\", \"-\", \"/\")"
        case .enableWebhookVerification: "true or false (a JSON boolean, or \"true\", \"false\", \"1\", \"0\")"
        case .logLevel: "one of \(LogLevel.choices)"
        case .pkgPrefix, .pkgKey: "ASCII letters, digits, \"_\" and \"-\""
        case .pkgWorkflow:
            "a workflow id of the bucket's .quilt/workflows/config.yml (letters, digits, \"_\", \"-\"; not starting with a digit), or \"\" for none"
        case .userBucket: "an S3 bucket name or file:///absolute/path"
        case .webhookAllowList: "comma-separated IP addresses or CIDR blocks"
        }
    }

    /// "a number", "an empty string", … — the kind of a value, never its content.
    static func kindName(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .integer, .float: "a number"
        case .string(let text): text.trimmingBlanks().isEmpty ? "an empty string" : "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
