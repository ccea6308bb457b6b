/// The twelve runtime parameters of the Benchling secret, validated and typed.
public struct SecretParameters: Sendable, Hashable {
    public var clientId: String
    public var clientSecret: String
    /// The tenant's subdomain (`acme` for acme.benchling.com), whatever form the secret used.
    public var tenant: String
    public var appDefinitionId: String
    /// Not used at run time (it names the image's repository for deployment tooling); nil when unset.
    public var ecrRepositoryName: String?
    public var enableWebhookVerification: Bool
    public var logLevel: LogLevel
    public var pkgPrefix: String
    public var pkgKey: String
    /// `PKG_WORKFLOW`: nil when absent (the bucket's default workflow), `""` for none, else a workflow id.
    public var pkgWorkflow: String?
    public var userBucket: UserBucket
    public var webhookAllowList: AllowList

    public static let defaultPkgPrefix = "benchling"
    public static let defaultPkgKey = "experiment_id"
    public static let defaultLogLevel = LogLevel.info
    public static let defaultEnableWebhookVerification = true

    public init(
        clientId: String, clientSecret: String, tenant: String, appDefinitionId: String,
        ecrRepositoryName: String? = nil,
        enableWebhookVerification: Bool = SecretParameters.defaultEnableWebhookVerification,
        logLevel: LogLevel = SecretParameters.defaultLogLevel,
        pkgPrefix: String = SecretParameters.defaultPkgPrefix, pkgKey: String = SecretParameters.defaultPkgKey,
        userBucket: UserBucket, webhookAllowList: AllowList = .everyone, pkgWorkflow: String? = nil
    ) {
        self.clientId = clientId
        self.clientSecret = clientSecret
        self.tenant = tenant
        self.appDefinitionId = appDefinitionId
        self.ecrRepositoryName = ecrRepositoryName
        self.enableWebhookVerification = enableWebhookVerification
        self.logLevel = logLevel
        self.pkgPrefix = pkgPrefix
        self.pkgKey = pkgKey
        self.pkgWorkflow = pkgWorkflow
        self.userBucket = userBucket
        self.webhookAllowList = webhookAllowList
    }
}
