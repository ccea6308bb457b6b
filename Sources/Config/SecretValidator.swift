import JSONCore

/// Turns the secret's JSON text into `SecretParameters`, checking every key and collecting every problem,
/// so an operator fixes the secret in one round instead of one error per restart.
public struct SecretValidator: Sendable {
    /// The outcome of a successful validation.
    public struct Validated: Sendable, Hashable {
        public let parameters: SecretParameters
        /// Keys present in the secret that are not among the twelve (ignored; worth a warning).
        public let unknownKeys: [String]
    }

    /// How the secret is named in messages (its name or ARN, or the file URL). Not a secret value.
    let secretName: String

    public init(secretName: String) {
        self.secretName = secretName
    }

    /// Parses and validates the secret text.
    public func validate(text: String) throws(ConfigurationError) -> Validated {
        let object = try parseObject(text)
        return try validate(object: object)
    }

    /// Validates an already parsed secret object.
    public func validate(object: JSONObject) throws(ConfigurationError) -> Validated {
        let reader = SecretReader(object: object)
        let clientId = reader.requiredString(.clientId)
        let clientSecret = reader.requiredString(.clientSecret)
        let tenant = reader.requiredString(.tenant).flatMap(reader.tenant)
        let appDefinitionId = reader.requiredString(.appDefinitionId).flatMap(reader.appDefinitionId)
        let ecrRepositoryName = reader.optionalString(.ecrRepositoryName).flatMap(reader.ecrRepositoryName)
        let verification = reader.boolean(.enableWebhookVerification)
        let logLevel = reader.optionalString(.logLevel).flatMap(reader.logLevel)
        let pkgPrefix = reader.optionalString(.pkgPrefix).flatMap { reader.packageNamePart(.pkgPrefix, $0) }
        let pkgKey = reader.optionalString(.pkgKey).flatMap { reader.packageNamePart(.pkgKey, $0) }
        let pkgWorkflow = reader.workflowId()
        let userBucket = reader.requiredString(.userBucket).flatMap(reader.userBucket)
        let allowList = reader.allowList()
        if verification == false, let allowList, allowList.allowsEveryone {
            reader.refuseOpenDoor()
        }

        guard reader.problems.isEmpty, let clientId, let clientSecret, let tenant, let appDefinitionId,
            let userBucket, let allowList
        else {
            throw ConfigurationError(problems: reader.problems)
        }
        let parameters = SecretParameters(
            clientId: clientId, clientSecret: clientSecret, tenant: tenant, appDefinitionId: appDefinitionId,
            ecrRepositoryName: ecrRepositoryName,
            enableWebhookVerification: verification ?? SecretParameters.defaultEnableWebhookVerification,
            logLevel: logLevel ?? SecretParameters.defaultLogLevel,
            pkgPrefix: pkgPrefix ?? SecretParameters.defaultPkgPrefix,
            pkgKey: pkgKey ?? SecretParameters.defaultPkgKey,
            userBucket: userBucket, webhookAllowList: allowList, pkgWorkflow: pkgWorkflow)
        return Validated(parameters: parameters, unknownKeys: reader.unknownKeys)
    }

    /// The secret text as a non-empty JSON object, or a problem saying what it is instead.
    /// The text is never quoted: it may hold the client secret.
    func parseObject(_ text: String) throws(ConfigurationError) -> JSONObject {
        func fail(_ what: String) -> ConfigurationError {
            ConfigurationError(problems: [
                ConfigurationProblem(
                    key: ConfigurationInputs.secretVariable, kind: .invalidSecret, what: what,
                    fix:
                        "store a JSON object with the keys \(SecretKey.required.map(\.rawValue).joined(separator: ", ")) "
                        + "(and optionally the other settings) in the secret")
            ])
        }
        if text.trimmingBlanks().isEmpty {
            throw fail("secret \(secretName) is empty")
        }
        let value: JSONValue
        do {
            value = try JSONValue.parse(text)
        } catch {
            throw fail("secret \(secretName) is not valid JSON (error at byte \(error.offset))")
        }
        guard case .object(let object) = value else {
            throw fail("secret \(secretName) holds \(SecretReader.kindName(value)), expected a JSON object")
        }
        if object.isEmpty {
            throw fail("secret \(secretName) holds an empty JSON object")
        }
        return object
    }
}
