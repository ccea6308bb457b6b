import Foundation

/// Where the receiver is in obtaining its configuration.
///
/// `resolving` → `ready` on success, or → `degraded` on failure, which retries with back-off and moves to
/// `ready` as soon as an attempt succeeds (a fixed secret heals the process without a restart). Once ready, the
/// receiver stays ready: a refreshed configuration that cannot be used leaves the runtime in place (stale).
public enum ReceiverState: Sendable {
    /// The first attempt is running.
    case resolving
    case ready(ReceiverRuntime)
    /// The last attempt failed; the next one is due at `nextAttempt`.
    case degraded(StartupProblem, nextAttempt: Date, failures: Int)

    public var isReady: Bool {
        if case .ready = self { return true }
        return false
    }

    /// "ready", "starting" or "degraded": the `mode` in health answers.
    public var mode: String {
        switch self {
        case .resolving: "starting"
        case .ready: "normal"
        case .degraded: "degraded"
        }
    }

    /// `problem` as a caller may see it: in full for a caller on this host, else `StartupProblem.withheld`.
    public func problem(toldTo client: ClientAddress) -> StartupProblem? {
        guard let problem else { return nil }
        if case .resolving = self { return problem }
        return client.isLocal ? problem : .withheld
    }

    /// Why traffic cannot be taken now, nil when ready.
    public var problem: StartupProblem? {
        switch self {
        case .ready: nil
        case .resolving:
            StartupProblem(
                reason: "configuration is being resolved",
                action: "wait a few seconds; if this persists, check the receiver's logs")
        case .degraded(let problem, _, _): problem
        }
    }
}
