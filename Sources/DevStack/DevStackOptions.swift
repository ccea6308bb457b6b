import Foundation
import Logging

/// What `DevStack.start` needs: where to keep things, where the receiver listens, how many entries to seed.
public struct DevStackOptions: Sendable {
    public var folder: DevFolder
    /// Loopback only: the dev stack accepts unauthenticated-by-network traffic and must not be reachable.
    public var host: String = "127.0.0.1"
    /// 0 picks a free port (tests).
    public var receiverPort: Int = 8080
    /// How many sample entries (each with a canvas) the sandbox is seeded with.
    public var sampleCount: Int = 3
    /// Ctrl-C / SIGTERM shut the stack down gracefully (the command); tests call `shutdown()` instead.
    public var handlesSignals: Bool = false
    /// Upper bound on waiting for one round of jobs; a stuck job is reported, never waited on forever.
    public var jobWaitLimit: Duration = .seconds(180)
    public var logger: Logger = Logger(label: "dev")

    public init(folder: DevFolder) {
        self.folder = folder
    }
}
