import Benchling
import Foundation
import Logging

/// Shows the job's state on the entry's canvas. Every update re-renders the whole main view (with the linked
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
}
