/// The twelve keys of the Benchling secret, in the seed's upper-case spelling.
///
/// Deployments made by the Python service may store the lower-case snake_case spelling (`client_id`); both
/// are accepted. A key set in both spellings with different values is a problem, as it is ambiguous.
public enum SecretKey: String, Sendable, CaseIterable {
    case clientId = "CLIENT_ID"
    case clientSecret = "CLIENT_SECRET"
    case tenant = "TENANT"
    case appDefinitionId = "APP_DEFINITION_ID"
    case ecrRepositoryName = "ECR_REPOSITORY_NAME"
    case enableWebhookVerification = "ENABLE_WEBHOOK_VERIFICATION"
    case logLevel = "LOG_LEVEL"
    case pkgPrefix = "PKG_PREFIX"
    case pkgKey = "PKG_KEY"
    case pkgWorkflow = "PKG_WORKFLOW"
    case userBucket = "USER_BUCKET"
    case webhookAllowList = "WEBHOOK_ALLOW_LIST"

    /// The lower-case snake_case spelling; for `PKG_WORKFLOW` the Python service's own key, `workflow`.
    public var lowerCaseName: String { self == .pkgWorkflow ? "workflow" : rawValue.lowercased() }

    /// Whether the value is a credential that must never be printed, not even in part.
    public var isCredential: Bool { self == .clientId || self == .clientSecret }

    /// Keys without a default: the service cannot run without them.
    public static let required: [SecretKey] = [.clientId, .clientSecret, .tenant, .appDefinitionId, .userBucket]

    /// What the key is for, used in the fix of a "required, not set" problem.
    var purpose: String {
        switch self {
        case .clientId: "the Benchling app's OAuth client id"
        case .clientSecret: "the Benchling app's OAuth client secret"
        case .tenant: "the Benchling tenant, e.g. \"acme\" for acme.benchling.com"
        case .appDefinitionId: "the Benchling app definition id, e.g. \"appdef_abc123\""
        case .ecrRepositoryName: "the ECR repository of the service image"
        case .enableWebhookVerification: "whether webhook signatures are verified"
        case .logLevel: "the log level"
        case .pkgPrefix: "the package name prefix"
        case .pkgKey: "the metadata key linking packages to entries"
        case .pkgWorkflow: "the Quilt workflow packages are published under"
        case .userBucket: "the S3 bucket packages are written to, or file:///absolute/path for a local registry"
        case .webhookAllowList: "the IP addresses and CIDR blocks allowed to call the webhook"
        }
    }
}
