/// Misuse of the job log that the caller can act on.
public enum JobLogError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No job, attempt or step with that id.
    case notFound(String)
    /// `finish` was called with a status that does not finish a job (queued/running).
    case notAFinalStatus(JobStatus)
    /// The file cannot be read as a job log of this version (missing, corrupt, other schema).
    case unusable(String)

    public var description: String {
        switch self {
        case .notFound(let what): "job log: \(what) not found"
        case .notAFinalStatus(let status): "job log: \(status.rawValue) is not a final status"
        case .unusable(let why): "not a usable job log: \(why)"
        }
    }
}
