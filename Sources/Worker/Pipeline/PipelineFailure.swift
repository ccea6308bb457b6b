/// Failures the pipeline itself detects (as opposed to errors thrown by Benchling, AWS or the registry).
///
/// Each says whether retrying could ever help, so the job runner can dead-letter at once instead of burning the
/// queue's receive count on a message that will never succeed.
public enum PipelineFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The queue message is not the receiver's JSON.
    case undecodableMessage(String)
    /// The webhook body inside it is not a Benchling envelope we can act on.
    case invalidWebhook(String)
    /// The event names no entry and its canvas has none either.
    case noEntry(String)
    /// The entry has no display id, so there is no package name.
    case noDisplayId(entryId: String)
    /// A Benchling export exceeded the configured wait.
    case exportTimedOut(String)

    public var isPermanent: Bool {
        switch self {
        case .undecodableMessage, .invalidWebhook, .noEntry, .noDisplayId: return true
        case .exportTimedOut: return false
        }
    }

    public var description: String {
        switch self {
        case .undecodableMessage(let why): return "queue message is not a queued webhook: \(why)"
        case .invalidWebhook(let why): return "webhook body is unusable: \(why)"
        case .noEntry(let why): return "no entry to package: \(why)"
        case .noDisplayId(let id): return "entry \(id) has no display id"
        case .exportTimedOut(let why): return "export did not finish in time: \(why)"
        }
    }
}
