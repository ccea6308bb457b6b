import Benchling
import Foundation
import Logging
import Quilt

/// Shows one job's state on the entry's canvas. Every update re-renders the whole main view (with the linked
/// packages, except while updating) and sends `enabled: true`, so a canvas Benchling disabled after a button
/// press is always re-enabled.
struct CanvasPresenter: Sendable {
    let client: BenchlingClient
    let canvasId: String
    let interaction: CanvasInteraction
    let logger: Logger

    func show(_ status: CanvasStatus) async throws {
        try await client.updateCanvas(canvasId, await interaction.mainView(status: status))
    }

    /// The view a non-packaging button press asks for (Browse, Metadata, Back, linked Browse, unknown ids).
    func showView(forButtonId buttonId: String) async throws {
        try await client.updateCanvas(canvasId, await interaction.view(forButtonId: buttonId))
    }

    /// A status update whose failure must not stop the job (the "Updating…" banner, the failure report): logged.
    func showBestEffort(_ status: CanvasStatus) async {
        do {
            try await show(status)
        } catch is CancellationError {
        } catch {
            logger.warning("canvas update failed", metadata: ["canvas_id": "\(canvasId)", "error": "\(error)"])
        }
    }

    /// Answers a non-packaging button press with its view (step `canvas_view`). The job is recorded as skipped
    /// (nothing written), naming the package's latest revision when there is one.
    func answerViewPress(buttonId: String, entryId: String, steps: StepRecorder) async throws -> JobResult {
        try await steps.run(.canvasView, detail: { _ in buttonId }) {
            try await showView(forButtonId: buttonId)
        }
        let package = interaction.canvas.package
        let latest = (try? await interaction.registry.latestTopHash(of: package)) ?? nil
        return JobResult(
            outcome: .unchanged, package: package.description, topHash: latest ?? "", bytes: 0, entryId: entryId,
            displayId: package.name)
    }

    /// The final update of a packaging job (step `canvas_done`).
    func showDone(_ result: JobResult, at time: Date) async throws {
        do {
            try await show(.updated(topHash: result.topHash, at: time, unchanged: result.outcome == .unchanged))
        } catch let error as BenchlingError where error.isPermanent {
            // The canvas is gone or not ours: the package is written, which is what matters.
            logger.warning("final canvas update refused", metadata: ["error": "\(error)"])
        }
    }
}
