import Benchling
import Config
import MessageQueue

/// What the receiver needs to take traffic, built once configuration resolved: the configuration itself,
/// the signature verifier (nil when the secret turns verification off) and the queue to enqueue into.
public struct ReceiverRuntime: Sendable {
    public let configuration: Configuration
    public let verifier: SignatureVerifier?
    public let queue: any MessageQueue
    /// The app and tenant a delivery must name.
    let identity: DeliveryIdentity
    private let release: @Sendable () async -> Void

    /// - Parameter release: closes what the runtime owns (HTTP clients); called once at shutdown.
    public init(
        configuration: Configuration, verifier: SignatureVerifier?, queue: any MessageQueue,
        release: @escaping @Sendable () async -> Void = {}
    ) {
        self.configuration = configuration
        self.verifier = verifier
        self.queue = queue
        identity = DeliveryIdentity(configuration)
        self.release = release
    }

    public var allowList: AllowList { configuration.webhookAllowList }

    func close() async { await release() }
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

    public var description: String { "\(reason) (fix: \(action))" }

    /// What callers other than the local host are told: the real reason names the stack, the secret and the
    /// account, which is for the log and `worker config check`, not for whoever can reach the port.
    public static let withheld = StartupProblem(
        reason: "configuration is not usable",
        action: "the operator finds the reason in the receiver's log or with `worker config check`")
}

/// Builds a `ReceiverRuntime`; the receiver calls it until it succeeds.
///
/// The boundary exists so the retry loop and the HTTP surface do not care how configuration is obtained;
/// production (and every test) uses `ConfiguredRuntimeProvider`, which runs the real resolver.
public protocol ReceiverRuntimeProvider: Sendable {
    func makeRuntime() async throws(StartupProblem) -> ReceiverRuntime
}
