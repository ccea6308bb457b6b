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
    /// Benchling refused the client credentials, and a fresh read of the secret brought no others.
    case credentialsRejected(String)
    /// Benchling refused the client credentials in use, and the secret's newest version cannot be used (yet).
    case configurationStale(String)

    public var isPermanent: Bool {
        switch self {
        case .undecodableMessage, .invalidWebhook, .noEntry, .noDisplayId, .credentialsRejected: return true
        case .configurationStale: return false
        }
    }

    public var description: String {
        switch self {
        case .undecodableMessage(let why): return "queue message is not a queued webhook: \(why)"
        case .invalidWebhook(let why): return "webhook body is unusable: \(why)"
        case .noEntry(let why): return "no entry to package: \(why)"
        case .noDisplayId(let id): return "entry \(id) has no display id"
        case .credentialsRejected(let why):
            return "the secret's CLIENT_ID/CLIENT_SECRET are rejected by Benchling (\(why)); fix them in the secret"
        case .configurationStale(let why):
            return
                "Benchling rejected the client credentials in use and the secret's newest version cannot be used: \(why)"
        }
    }
}
