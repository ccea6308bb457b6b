/// A printable account of the configuration with credentials masked, for `worker config check` and the
/// start-up log: an operator sees every setting and where it came from, never `CLIENT_ID`/`CLIENT_SECRET`.
public struct ConfigurationSummary: Sendable, CustomStringConvertible {
    public let configuration: Configuration

    public init(_ configuration: Configuration) {
        self.configuration = configuration
    }

    /// `(name, value)` pairs in display order; credential values are masked as `****(set, N chars)`.
    public var settings: [(name: String, value: String)] {
        let config = configuration
        let parameters = config.parameters
        return [
            (ConfigurationInputs.stackVariable, config.stackARN?.description ?? "(not set: embedded mode)"),
            ("  catalog host", config.catalogHost ?? "(none)"),
            ("  Athena database", config.athenaDatabase ?? "(none: linked packages are found by reading manifests)"),
            ("  Athena workgroup", config.athenaWorkgroup ?? "(none)"),
            ("  Athena results bucket", config.athenaResultsBucket ?? "(none)"),
            ("  linked packages", config.linkedPackageSource.summary),
            (ConfigurationInputs.secretVariable, config.secretSource),
            ("  secret version", config.secretVersion?.description ?? "(unknown)"),
            (SecretKey.clientId.rawValue, Self.mask(parameters.clientId)),
            (SecretKey.clientSecret.rawValue, Self.mask(parameters.clientSecret)),
            (SecretKey.tenant.rawValue, parameters.tenant),
            (SecretKey.appDefinitionId.rawValue, parameters.appDefinitionId),
            (SecretKey.ecrRepositoryName.rawValue, parameters.ecrRepositoryName ?? "(not set)"),
            (SecretKey.enableWebhookVerification.rawValue, String(parameters.enableWebhookVerification)),
            (SecretKey.logLevel.rawValue, parameters.logLevel.rawValue),
            (SecretKey.pkgPrefix.rawValue, parameters.pkgPrefix),
            (SecretKey.pkgKey.rawValue, parameters.pkgKey),
            (SecretKey.pkgWorkflow.rawValue, Self.workflowChoice(parameters.pkgWorkflow)),
            (SecretKey.userBucket.rawValue, parameters.userBucket.description),
            (
                SecretKey.webhookAllowList.rawValue,
                parameters.webhookAllowList.allowsEveryone
                    ? "(empty: every address allowed)" : parameters.webhookAllowList.description
            ),
            (
                "Benchling API",
                config.benchlingBaseURL.absoluteString
                    + (config.benchlingBaseURLOverride == nil ? "" : " (BENCHLING_BASE_URL)")
            ),
            (
                "Benchling JWKS",
                config.jwksURL.absoluteString
                    + (config.jwksURLOverride == nil ? "" : " (BENCHLING_JWKS_URL)")
            ),
        ]
    }

    static func workflowChoice(_ value: String?) -> String {
        guard let value else { return "(not set: the bucket's default workflow)" }
        return value.isEmpty ? "\"\" (no workflow)" : value
    }

    /// Things that work but deserve attention.
    public var warnings: [String] {
        var warnings: [String] = []
        if !configuration.enableWebhookVerification {
            warnings.append("ENABLE_WEBHOOK_VERIFICATION is false: webhook signatures are not checked")
        }
        if !configuration.unknownSecretKeys.isEmpty {
            warnings.append(
                "the secret has keys that are ignored: "
                    + configuration.unknownSecretKeys.joined(separator: ", "))
        }
        if configuration.athenaDatabase != nil, case .manifests(let reason) = configuration.linkedPackageSource {
            warnings.append("linked packages are found by reading manifests, not with Athena: \(reason)")
        }
        if configuration.stackARN != nil && configuration.catalogHost == nil {
            warnings.append("the stack has no QuiltWebHost/Catalog/CatalogDomain output: no catalog links")
        }
        return warnings
    }

    /// `NAME: value` lines.
    public var description: String {
        settings.map { "\($0.name): \($0.value)" }.joined(separator: "\n")
    }

    /// `****(set, 32 chars)`: whether a credential is present and how long, which is enough to spot a
    /// truncated paste, without revealing any of it.
    public static func mask(_ value: String) -> String {
        value.isEmpty ? "(not set)" : "****(set, \(value.count) chars)"
    }
}

/// Renders the outcome of resolution for `worker config check`.
///
/// - Parameters:
///   - result: what `ConfigurationResolver.resolve()` returned.
///   - notes: further lines from the caller (e.g. whether the bucket is versioned), printed after warnings.
/// - Returns: the text to print and whether configuration is usable (the command's exit status).
public func renderCheck(
    _ result: Result<Configuration, ConfigurationError>, notes: [String] = []
) -> (text: String, ok: Bool) {
    switch result {
    case .success(let configuration):
        let summary = ConfigurationSummary(configuration)
        var lines = ["configuration OK", ""] + summary.description.split(separator: "\n").map(String.init)
        let remarks = summary.warnings.map { "warning: \($0)" } + notes.map { "note: \($0)" }
        if !remarks.isEmpty { lines += [""] + remarks }
        return (lines.joined(separator: "\n") + "\n", true)
    case .failure(let error):
        let count = error.problems.count
        var lines = ["configuration NOT usable: \(count) problem\(count == 1 ? "" : "s")", ""]
        for problem in error.problems {
            lines.append("✗ \(problem.message)")
            lines.append("  fix: \(problem.fix)")
        }
        lines += notes.map { "note: \($0)" }
        return (lines.joined(separator: "\n") + "\n", false)
    }
}

/// Printing a configuration (`"\(config)"`, `dump`-free logging) shows the masked summary, so an accidental
/// log line cannot leak the client secret.
extension Configuration: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String { ConfigurationSummary(self).description }
    public var debugDescription: String { description }
}

/// The same masking for the bare parameters.
extension SecretParameters: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String {
        "SecretParameters(CLIENT_ID: \(ConfigurationSummary.mask(clientId)), "
            + "CLIENT_SECRET: \(ConfigurationSummary.mask(clientSecret)), TENANT: \(tenant), "
            + "APP_DEFINITION_ID: \(appDefinitionId), USER_BUCKET: \(userBucket), LOG_LEVEL: \(logLevel.rawValue))"
    }
    public var debugDescription: String { description }
}
