import Benchling
import Quilt

/// How a failed job is worded on the canvas: what went wrong and what the user should do next. Kept beside the
/// classification because the wording follows it ("will be retried" only when it will be).
extension FailureClassifier {
    /// The failure report for the canvas. `isFinalAttempt`: a transient failure now will not be retried, so the
    /// user is told what to do, as for a permanent one.
    static func canvasStatus(for error: any Error, isFinalAttempt: Bool) -> CanvasStatus {
        let willRetry = classify(error) == .transient && !isFinalAttempt
        return .failed(
            problem: problem(error), nextStep: nextStep(for: error, class: willRetry ? .transient : .permanent))
    }

    /// A short user-facing statement of what went wrong.
    static func problem(_ error: any Error) -> String {
        if let error = error as? BenchlingError { return problem(error) }
        if let error = error as? WorkflowError { return "The package was not published: \(error)" }
        if let error = error as? ExportArchiveError { return error.description }
        return "Packaging failed: \(error)"
    }

    // Kept apart from the `any Error` dispatch above: swiftc 6.3.1 -O crashes in CopyPropagation ("Found ownership
    // error") when this body sits in a `case let error as BenchlingError:` branch of a switch over `any Error`.
    private static func problem(_ error: BenchlingError) -> String {
        if error.kind == .taskFailed {
            return "Benchling could not export this entry: \(error.message ?? "export failed")"
        }
        if let userMessage = error.userMessage { return userMessage }
        if let status = error.status { return "Benchling request failed (HTTP \(status))" }
        return "Benchling request failed (no answer)"
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
                return
                    "Change the entry so its package meets the bucket's Quilt workflow (or ask your administrator to change the workflow), then press Update Package."
            }
            return
                "Ask your administrator to fix the bucket's Quilt workflows config (.quilt/workflows/config.yml) or PKG_WORKFLOW, then press Update Package."
        default:
            return "Contact your administrator; the job log has the details."
        }
    }
}
