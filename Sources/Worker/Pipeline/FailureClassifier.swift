import Benchling
import MessageQueue
import Quilt

/// Whether a failed job may succeed if tried again.
public enum FailureClass: String, Sendable, Equatable {
    /// Worth retrying later (throttling, 5xx, timeouts, network): the message becomes visible again after a
    /// back-off and SQS redrive dead-letters it after maxReceiveCount receives.
    case transient
    /// Retrying the same message cannot succeed (a FAILED export, a 4xx, a hostile ZIP, an entry the app may not
    /// read): dead-letter at once with the reason.
    case permanent
}

/// Sorts errors from every module the pipeline calls into `FailureClass` (how a failure is worded for the user is
/// beside it, in `FailureClassifier+Wording`).
///
/// Unknown errors count as transient: a bounded number of retries is cheap, while wrongly dead-lettering a
/// recoverable job loses the user's update.
public enum FailureClassifier {
    public static func classify(_ error: any Error) -> FailureClass {
        switch error {
        case let error as BenchlingError: return error.isPermanent ? .permanent : .transient
        case let error as PipelineFailure: return error.isPermanent ? .permanent : .transient
        case is ExportArchiveError, is WorkflowError: return .permanent
        case let error as QueueError: return error.isTransient ? .transient : .permanent
        case let error as QuiltError: return quilt(error)
        default:
            if let aws = awsClass(error) { return aws }
            return .transient
        }
    }

    private static func quilt(_ error: QuiltError) -> FailureClass {
        switch error {
        case .invalidPackageName, .invalidLogicalKey, .duplicateLogicalKey, .invalidRegistry: return .permanent
        case .invalidTopHash, .invalidManifest, .manifestNotFound, .objectNotFound: return .transient
        }
    }
}
