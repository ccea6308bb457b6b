/// Every process environment variable the receiver and worker read: the one list.
///
/// Tests hold ops/template.yaml and the sources against it (DeploymentTests): a variable marked `.template` must
/// be set in that component's task definition, a `.development` one must not be, the template may set nothing
/// that is not listed here, and a variable the sources read must be listed. Adding a variable is one line here
/// (plus the template line when it is `.template`, and the README's configuration section).
public struct EnvironmentVariable: Sendable, Hashable {
    /// Who sets it in a deployment.
    public enum Source: Sendable, Hashable {
        /// The task definition in ops/template.yaml (a deployment is wrong without it).
        case template
        /// Optional tuning with a default; the template may set it.
        case optional
        /// ECS/Fargate or the AWS SDK conventions (region, task-role credentials, host name).
        case platform
        /// Development and test overrides; a deployment must never set them.
        case development
    }

    public enum Component: String, Sendable, Hashable, CaseIterable {
        case receiver, worker
    }

    public let name: String
    public let source: Source
    public let readers: Set<Component>

    init(_ name: String, _ source: Source, _ readers: Set<Component>) {
        self.name = name
        self.source = source
        self.readers = readers
    }

    private static let both: Set<Component> = [.receiver, .worker]

    public static let all: [EnvironmentVariable] = [
        // Configuration inputs (both spellings are read; the template sets the CloudFormation-style one).
        .init("QuiltStackARN", .template, both),
        .init("QUILT_STACK_ARN", .optional, both),
        .init("BenchlingSecret", .template, both),
        .init("BENCHLING_SECRET", .optional, both),
        // Deployment wiring.
        .init("QUEUE_URL", .template, both),
        // Quilt's package-revision events (the worker refreshes canvases); unset: no event consumer.
        .init("PACKAGE_EVENT_QUEUE_URL", .template, [.worker]),
        .init("PORT", .template, [.receiver]),
        .init("JOB_LOG_DIR", .template, [.worker]),
        .init("JOB_LOG_PATH", .optional, [.worker]),
        .init("METRICS_NAMESPACE", .template, both),
        .init("ATHENA_LOOKUP", .template, [.worker]),
        .init("METRICS_PORT", .optional, [.worker]),
        .init("LOG_LEVEL", .optional, [.receiver]),
        .init("TRUSTED_PROXIES", .template, [.receiver]),
        .init("CONFIG_REFRESH_SECONDS", .template, both),
        .init("MAX_EXPORT_BYTES", .template, [.worker]),
        .init("BUILD_VERSION", .optional, [.worker]),
        // Tuning.
        .init("RECEIVER_RETRY_INITIAL_SECONDS", .optional, [.receiver]),
        .init("RECEIVER_RETRY_MAX_SECONDS", .optional, [.receiver]),
        .init("WORKER_CONCURRENCY", .optional, [.worker]),
        .init("EXPORT_MAX_WAIT_SECONDS", .optional, [.worker]),
        .init("WORKER_STOP_TIMEOUT_SECONDS", .optional, [.worker]),
        .init("VISIBILITY_TIMEOUT_SECONDS", .optional, [.worker]),
        // Set by the platform.
        .init("HOSTNAME", .platform, [.worker]),
        .init("AWS_REGION", .platform, both),
        .init("AWS_DEFAULT_REGION", .platform, both),
        .init("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", .platform, both),
        .init("AWS_CONTAINER_CREDENTIALS_FULL_URI", .platform, both),
        .init("AWS_CONTAINER_AUTHORIZATION_TOKEN", .platform, both),
        .init("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", .platform, both),
        .init("AWS_ACCESS_KEY_ID", .platform, both),
        .init("AWS_SECRET_ACCESS_KEY", .platform, both),
        .init("AWS_SESSION_TOKEN", .platform, both),
        // Development and tests only.
        .init("AWS_ENDPOINT_URL", .development, both),
        .init("BENCHLING_BASE_URL", .development, both),
        .init("BENCHLING_JWKS_URL", .development, both),
    ]

    public static func named(_ name: String) -> EnvironmentVariable? {
        all.first { $0.name == name }
    }
}
