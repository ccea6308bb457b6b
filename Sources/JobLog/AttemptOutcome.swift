/// How one attempt at a job ended.
public enum AttemptOutcome: String, Codable, Sendable, CaseIterable {
    case succeeded
    case skipped
    case failed
    case deadLettered = "dead_lettered"
    /// The process died (or was stopped) with the attempt open; closed when the next attempt begins.
    case abandoned

    /// The attempt outcome recorded when a job is finished with `status`.
    init(finishing status: JobStatus) {
        switch status {
        case .succeeded: self = .succeeded
        case .skipped: self = .skipped
        case .deadLettered: self = .deadLettered
        case .failed, .queued, .running: self = .failed
        }
    }
}
