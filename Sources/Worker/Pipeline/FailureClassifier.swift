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

/// Sorts errors from every module the pipeline calls into `FailureClass`, and phrases the next step for the user.
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

    /// What the user should do, shown on the canvas under the failure.
    public static func nextStep(for error: any Error, class failureClass: FailureClass) -> String {
        if failureClass == .transient {
            return "This is usually temporary; the update will be retried automatically."
        }
        switch error {
        case let error as BenchlingError:
            switch error.status {
            case 403, 404:
                return "Make sure the app has access to this entry's project, then press Update Package."
            case 401:
                return "Ask your administrator to check the app's client credentials."
            default:
                if error.kind == .taskFailed { return "Check the entry can be exported, then press Update Package." }
                return "Press Update Package to try again; if it keeps failing, contact your administrator."
            }
        case is ExportArchiveError:
            return "The export contains file names that cannot be packaged; rename the attachments and try again."
        case let error as WorkflowError:
            if case .validationFailed = error {
                return "Change the entry so its package meets the bucket's Quilt workflow (or ask your administrator to change the workflow), then press Update Package."
            }
            return "Ask your administrator to fix the bucket's Quilt workflows config (.quilt/workflows/config.yml) or PKG_WORKFLOW, then press Update Package."
        default:
            return "Contact your administrator; the job log has the details."
        }
    }
}
