import Benchling
import Foundation
import Logging

/// Everything the receiver and worker need to run, resolved once from the two inputs and validated.
public struct Configuration: Sendable, Hashable {
    /// The Quilt stack; nil only in the embedded mode (`USER_BUCKET=file:///…` and no stack given).
    public var stackARN: StackARN?
    /// The Quilt catalog host without scheme or trailing slash (`catalog.example.com`); nil when the stack
    /// has no catalog output or there is no stack.
    public var catalogHost: String?
    /// The stack's `UserAthenaDatabaseName` output, when present: linked packages are then found with Athena.
    public var athenaDatabase: String?
    /// The stack's `UserAthenaWorkgroupName` output, when present (not every Quilt stack exports it; see
    /// `linkedPackageSource` for what happens then).
    public var athenaWorkgroup: String?
    /// The stack's `AthenaResultsBucketName` output, when present: the bucket for Athena query results, used as
    /// the result location when there is no workgroup (see `linkedPackageSource`).
    public var athenaResultsBucket: String?
    /// All outputs of the stack, for settings not modelled above.
    public var stackOutputs: [String: String]
    /// The validated secret.
    public var parameters: SecretParameters
    /// Secret keys present but not recognised (ignored).
    public var unknownSecretKeys: [String]
    /// Where the secret came from (name, ARN or file URL) — for messages; not a secret value.
    public var secretSource: String
    /// `BENCHLING_BASE_URL` when set (tests, the embedded sandbox).
    public var benchlingBaseURLOverride: URL?
    /// `BENCHLING_JWKS_URL` when set.
    public var jwksURLOverride: URL?
    /// The secret version this configuration was read from, and when; nil when built by hand.
    public var secretVersion: SecretVersion?
    /// `ATHENA_LOOKUP` (default on): off when the deployment grants no Athena access (the ops template sets it
    /// from its AthenaResultsBucket/QuiltAthenaDatabase parameters), so linked packages are found from manifests.
    public var athenaPermitted: Bool

    public init(
        stackARN: StackARN?, catalogHost: String? = nil, athenaDatabase: String? = nil, athenaWorkgroup: String? = nil,
        athenaResultsBucket: String? = nil, stackOutputs: [String: String] = [:], parameters: SecretParameters,
        unknownSecretKeys: [String] = [],
        secretSource: String, benchlingBaseURLOverride: URL? = nil, jwksURLOverride: URL? = nil,
        secretVersion: SecretVersion? = nil,
        athenaPermitted: Bool = true
    ) {
        self.stackARN = stackARN
        self.catalogHost = catalogHost
        self.athenaDatabase = athenaDatabase
        self.athenaWorkgroup = athenaWorkgroup
        self.athenaResultsBucket = athenaResultsBucket
        self.stackOutputs = stackOutputs
        self.parameters = parameters
        self.unknownSecretKeys = unknownSecretKeys
        self.secretSource = secretSource
        self.benchlingBaseURLOverride = benchlingBaseURLOverride
        self.jwksURLOverride = jwksURLOverride
        self.secretVersion = secretVersion
        self.athenaPermitted = athenaPermitted
    }

    // MARK: - The secret's parameters, for convenience

    public var clientId: String { parameters.clientId }
    public var clientSecret: String { parameters.clientSecret }
    public var tenant: String { parameters.tenant }
    public var appDefinitionId: String { parameters.appDefinitionId }
    public var ecrRepositoryName: String? { parameters.ecrRepositoryName }
    public var enableWebhookVerification: Bool { parameters.enableWebhookVerification }
    public var logLevel: LogLevel { parameters.logLevel }
    public var pkgPrefix: String { parameters.pkgPrefix }
    public var pkgKey: String { parameters.pkgKey }
    /// `PKG_WORKFLOW` as set: nil (absent: the bucket's default), `""` (none) or a workflow id.
    public var pkgWorkflow: String? { parameters.pkgWorkflow }
    public var userBucket: UserBucket { parameters.userBucket }
    public var webhookAllowList: AllowList { parameters.webhookAllowList }

    // MARK: - Derived

    /// The Benchling API base, `https://{tenant}.benchling.com` (`BenchlingEndpoints`) unless overridden. Never
    /// taken from a webhook body, so a forged body cannot redirect the OAuth token.
    public var benchlingBaseURL: URL {
        benchlingBaseURLOverride ?? URL(string: BenchlingEndpoints.baseURL(tenant: tenant))!
    }

    /// Where Benchling publishes the app's webhook signing keys (`BenchlingEndpoints`) unless overridden.
    public var jwksURL: URL {
        jwksURLOverride ?? URL(string: BenchlingEndpoints.jwksURL(appDefinitionId: appDefinitionId))!
    }

    /// The AWS region of the stack, when there is one.
    public var stackRegion: String? { stackARN?.region }

    /// Whether packages go to a local directory rather than S3 (the embedded default).
    public var isEmbedded: Bool {
        if case .localDirectory = userBucket { return true }
        return false
    }
}

/// Which version of the secret a configuration came from: Secrets Manager's `VersionId` (a file secret's content
/// fingerprint), and when it was read.
public struct SecretVersion: Sendable, Hashable, CustomStringConvertible {
    public let id: String
    public let readAt: Date

    public init(id: String, readAt: Date) {
        self.id = id
        self.readAt = readAt
    }

    public var description: String {
        "\(id) (read \(readAt.formatted(.iso8601)))"
    }
}
