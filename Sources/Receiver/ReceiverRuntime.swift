import Benchling
import Config
import MessageQueue

/// What the receiver needs to take traffic under one configuration: the configuration itself, the signature
/// verifier (nil when the secret turns verification off) and the queue to enqueue into. A request reads the
/// runtime once and keeps it, so a configuration change never splits one request across two configurations.
public struct ReceiverRuntime: Sendable {
    public let configuration: Configuration
    public let verifier: SignatureVerifier?
    public let queue: any MessageQueue
    /// The app and tenant a delivery must name.
    let identity: DeliveryIdentity

    public init(configuration: Configuration, verifier: SignatureVerifier?, queue: any MessageQueue) {
        self.configuration = configuration
        self.verifier = verifier
        self.queue = queue
        identity = DeliveryIdentity(configuration)
    }

    public var allowList: AllowList { configuration.webhookAllowList }
}

/// Why the receiver cannot take traffic yet, in the words health answers use: a one-line reason and the fix.
/// Never contains a secret value (the resolver's messages do not).
public struct StartupProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public let reason: String
    public let action: String

    public init(reason: String, action: String) {
        self.reason = reason
        self.action = action
    }

    /// The first problem (and how many more) and its fix.
    public init(_ error: ConfigurationError) {
        self.init(
            reason: error.summary,
            action: error.problems.first?.fix ?? "check the QuiltStackARN and BenchlingSecret inputs")
    }

    public var description: String { "\(reason) (fix: \(action))" }

    /// What callers other than the local host are told: the real reason names the stack, the secret and the
    /// account, which is for the log and `worker config check`, not for whoever can reach the port.
    public static let withheld = StartupProblem(
        reason: "configuration is not usable",
        action: "the operator finds the reason in the receiver's log or with `worker config check`")
}
