import AWSCore
import Foundation
import JSONCore
import Logging

/// Resolves the two inputs (`QuiltStackARN`, `BenchlingSecret`) into a validated `Configuration`.
///
/// This is the only way the receiver and worker obtain configuration, and tests run it unchanged against
/// moto. Every problem found — inputs, AWS answers, each secret key — is reported in one `ConfigurationError`.
public struct ConfigurationResolver: Sendable {
    public let environment: [String: String]
    private let secretSource: (any SecretSource)?
    private let stackSource: (any StackSource)?
    private let logger: Logger

    /// - Parameters:
    ///   - environment: the process environment (inject a dictionary in tests). Read: the two inputs,
    ///     `AWS_REGION`/`AWS_DEFAULT_REGION`, `AWS_ENDPOINT_URL`, credentials, `BENCHLING_BASE_URL`,
    ///     `BENCHLING_JWKS_URL`.
    ///   - secretSource, stackSource: override where the secret and stack come from. Nil chooses by address:
    ///     `file://` secrets from disk, everything else from Secrets Manager / CloudFormation.
    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        secretSource: (any SecretSource)? = nil, stackSource: (any StackSource)? = nil,
        logger: Logger = Logger(label: "config")
    ) {
        self.environment = environment
        self.secretSource = secretSource
        self.stackSource = stackSource
        self.logger = logger
    }

    /// Reads, fetches and validates everything; throws every problem at once.
    public func resolve() async throws(ConfigurationError) -> Configuration {
        let inputs = ConfigurationInputs(environment: environment)
        var problems: [ConfigurationProblem] = []

        let stackARN = inputs.stackARN.flatMap { text -> StackARN? in
            if let arn = StackARN(text) { return arn }
            problems.append(ResolverProblems.malformedStackARN(text))
            return nil
        }
        let overrides = overrideURLs(&problems)
        let athenaPermitted = athenaLookup(&problems)
        guard let secretReference = inputs.secret else {
            problems.append(ResolverProblems.missingSecretInput())
            if inputs.stackARN == nil { problems.append(ResolverProblems.missingStackInput()) }
            throw ConfigurationError(problems: problems)
        }
        let access = try secretAccess(reference: secretReference, stackARN: stackARN, problems: problems)
        let secretRegion = access.region

        // The secret and the stack are independent: fetch both at once, then release the AWS clients.
        let clients = AWSClients(environment: environment, logger: logger)
        let secrets = await access.source(clients)
        // DescribeStacks must be called in the stack's own region.
        var stacks = stackSource
        if stacks == nil, let stackARN {
            stacks = CloudFormationStackSource(client: await clients.client(stackARN.region))
        }
        let readAt = Date()
        async let secretFetch = Self.fetch { () throws(SourceFailure) in
            try await secrets.secretString(reference: secretReference)
        }
        async let stackFetch = Self.fetch { () throws(SourceFailure) -> StackDescription? in
            guard let stackARN, let stacks else { return nil }
            return try await stacks.describe(stack: stackARN)
        }
        let (secretResult, stackResult) = await (secretFetch, stackFetch)
        await clients.shutdown()

        var validated: SecretValidator.Validated?
        let versionId: String? = (try? secretResult.get())?.versionId
        switch secretResult {
        case .success(let secret):
            do {
                validated = try SecretValidator(secretName: secretReference).validate(text: secret.text)
            } catch {
                problems += error.problems
            }
        case .failure(let failure):
            problems.append(
                ResolverProblems.secretFailure(failure, reference: secretReference, region: secretRegion))
        }

        var description: StackDescription?
        if let stackARN {
            switch stackResult {
            case .success(nil):
                break
            case .success(let stack?):
                if stack.status == "DELETE_COMPLETE" {
                    problems.append(
                        ResolverProblems.stackFailure(
                            .notFound(detail: "the stack was deleted"), stack: stackARN))
                } else {
                    description = stack
                }
            case .failure(let failure):
                problems.append(ResolverProblems.stackFailure(failure, stack: stackARN))
            }
        }

        // The stack may be omitted only for a local registry (the embedded default).
        if stackARN == nil && inputs.stackARN == nil {
            let embedded = validated.map { $0.parameters.userBucket.bucketName == nil } ?? access.isFile
            if !embedded { problems.append(ResolverProblems.missingStackInput()) }
        }

        guard problems.isEmpty, let validated else {
            throw ConfigurationError(problems: problems, secretVersion: versionId)
        }
        let outputs = description?.outputs ?? [:]
        let configuration = Configuration(
            stackARN: stackARN,
            catalogHost: Self.catalogHost(outputs: outputs),
            athenaDatabase: Self.output("UserAthenaDatabaseName", in: outputs),
            athenaWorkgroup: Self.output("UserAthenaWorkgroupName", in: outputs),
            athenaResultsBucket: Self.bucketName(Self.output("AthenaResultsBucketName", in: outputs)),
            stackOutputs: outputs,
            parameters: validated.parameters,
            unknownSecretKeys: validated.unknownKeys,
            secretSource: secretReference,
            benchlingBaseURLOverride: overrides.base,
            jwksURLOverride: overrides.jwks,
            secretVersion: versionId.map { SecretVersion(id: $0, readAt: readAt) },
            athenaPermitted: athenaPermitted)
        logger.info(
            "configuration resolved",
            metadata: [
                "stack": "\(stackARN?.description ?? "none (embedded)")", "secret": "\(secretReference)",
                "secret_version": "\(configuration.secretVersion?.id ?? "none")",
                "tenant": "\(configuration.tenant)", "user_bucket": "\(configuration.userBucket)",
            ])
        if !validated.unknownKeys.isEmpty {
            logger.warning("secret has unknown keys (ignored)", metadata: ["keys": "\(validated.unknownKeys)"])
        }
        return configuration
    }

    /// The id of the secret's current version, read cheaply (`DescribeSecret`; a file's fingerprint). A refresh
    /// compares it with the version in use and skips everything else while it is unchanged.
    public func currentSecretVersion() async throws(ConfigurationError) -> String? {
        let inputs = ConfigurationInputs(environment: environment)
        guard let reference = inputs.secret else {
            throw ConfigurationError(problems: [ResolverProblems.missingSecretInput()])
        }
        let access = try secretAccess(
            reference: reference, stackARN: inputs.stackARN.flatMap(StackARN.init), problems: [])
        let clients = AWSClients(environment: environment, logger: logger)
        let result = await Self.fetch { () throws(SourceFailure) in
            try await access.source(clients).currentVersion(reference: reference)
        }
        await clients.shutdown()
        switch result {
        case .success(let version): return version
        case .failure(let failure):
            throw ConfigurationError(problems: [
                ResolverProblems.secretFailure(failure, reference: reference, region: access.region)
            ])
        }
    }

    // MARK: - Pieces

    /// How the secret named `reference` is read: from a file, Secrets Manager (in `region`) or the injected source.
    struct SecretAccess: Sendable {
        let isFile: Bool
        let region: String?
        let source: @Sendable (AWSClients) async -> any SecretSource
    }

    /// Throws `problems` plus a missing region when Secrets Manager would need one and none is known.
    private func secretAccess(
        reference: String, stackARN: StackARN?, problems: [ConfigurationProblem]
    ) throws(ConfigurationError) -> SecretAccess {
        let isFile = reference.hasPrefix("file:")
        let region = isFile ? nil : awsRegion(stackARN: stackARN, secretReference: reference)
        if !isFile, secretSource == nil, region == nil {
            throw ConfigurationError(problems: problems + [ResolverProblems.missingRegion()])
        }
        let injected = secretSource
        return SecretAccess(isFile: isFile, region: region) { clients in
            if let injected { return injected }
            if isFile { return FileSecretSource() }
            return SecretsManagerSecretSource(client: await clients.client(region ?? ""))
        }
    }

    /// The region for Secrets Manager, by the one region rule (`AWSClientFactory.region`): the secret ARN's when
    /// the secret is given as an ARN, else `AWS_REGION`, else `AWS_DEFAULT_REGION`, else the stack's.
    func awsRegion(stackARN: StackARN?, secretReference: String) -> String? {
        let fields = secretReference.split(separator: ":", omittingEmptySubsequences: false)
        let secretRegion: AWSRegion? =
            fields.count >= 7 && fields[0] == "arn" && fields[2] == "secretsmanager" && !fields[3].isEmpty
            ? AWSRegion(String(fields[3])) : nil
        return AWSClientFactory(environment: environment)
            .region(resource: secretRegion, stack: stackARN.map { AWSRegion($0.region) })?.name
    }

    /// A stack output's value without surrounding blanks; nil when absent or empty (an empty output is as good
    /// as none).
    static func output(_ key: String, in outputs: [String: String]) -> String? {
        guard let value = outputs[key]?.trimmingBlanks(), !value.isEmpty else { return nil }
        return String(value)
    }

    /// A bucket output as a bare name: some stacks write `s3://bucket/` where the name is meant, and the worker
    /// builds `s3://{bucket}/benchling-quilt/` from it.
    static func bucketName(_ value: String?) -> String? {
        guard var name = value?[...] else { return nil }
        if name.lowercased().hasPrefix("s3://") { name = name.dropFirst(5) }
        name = name.prefix { $0 != "/" }
        return name.isEmpty ? nil : String(name)
    }

    /// `QuiltWebHost`, else `Catalog`, else `CatalogDomain`, as a bare host.
    static func catalogHost(outputs: [String: String]) -> String? {
        for key in ["QuiltWebHost", "Catalog", "CatalogDomain"] {
            guard var host = outputs[key]?.trimmingBlanks(), !host.isEmpty else { continue }
            for scheme in ["https://", "http://"] where host.lowercased().hasPrefix(scheme) {
                host = host.dropFirst(scheme.count)
            }
            if let slash = host.firstIndex(of: "/") { host = host[..<slash] }
            if !host.isEmpty { return String(host) }
        }
        return nil
    }

    /// `ATHENA_LOOKUP`: `on` (the default) or `off`.
    private func athenaLookup(_ problems: inout [ConfigurationProblem]) -> Bool {
        guard let text = environment["ATHENA_LOOKUP"]?.trimmingBlanks(), !text.isEmpty else { return true }
        switch text.lowercased() {
        case "on": return true
        case "off": return false
        default:
            problems.append(ResolverProblems.badAthenaLookup(String(text)))
            return true
        }
    }

    private func overrideURLs(_ problems: inout [ConfigurationProblem]) -> (base: URL?, jwks: URL?) {
        func read(_ name: String) -> URL? {
            guard let text = environment[name], !text.isEmpty else { return nil }
            guard let url = URL(string: text), let scheme = url.scheme?.lowercased(),
                scheme == "http" || scheme == "https", url.host != nil
            else {
                problems.append(ResolverProblems.badOverride(name: name, value: text))
                return nil
            }
            var normalised = text
            while normalised.hasSuffix("/") { normalised.removeLast() }
            return URL(string: normalised) ?? url
        }
        return (read("BENCHLING_BASE_URL"), read("BENCHLING_JWKS_URL"))
    }

    private static func fetch<T: Sendable>(
        _ body: () async throws(SourceFailure) -> T
    ) async -> Result<T, SourceFailure> {
        do {
            return .success(try await body())
        } catch {
            return .failure(error)
        }
    }
}
