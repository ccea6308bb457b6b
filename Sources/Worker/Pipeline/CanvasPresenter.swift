import Benchling
import Foundation
import Logging

/// Shows the job's state on the entry's canvas. Every update re-renders the whole main view and sends
/// `enabled: true`, so a canvas Benchling disabled after a button press is always re-enabled.
struct CanvasPresenter: Sendable {
    let client: BenchlingClient
    let canvasId: String
    let entryId: String
    let displayId: String
    let entryName: String?
    let location: PackageLocation
    let logger: Logger

    func show(_ status: CanvasStatus) async throws {
        let update = CanvasRenderer.main(
            entryId: entryId, displayId: displayId, entryName: entryName, location: location, status: status)
        try await client.updateCanvas(canvasId, update)
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
