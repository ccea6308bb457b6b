import Benchling
import Foundation

/// The canvas refresh a package event asks for: the same main view a button press or a finished job draws, read
/// from the registry as it is now (status from the latest revision, linked packages looked up again).
extension PackagingPipeline {
    /// What decides whether (and which) canvas an event refreshes, with this pipeline's registry and configuration.
    var packageEventTriage: PackageEventTriage {
        PackageEventTriage(registry: registry, configuration: configuration, jobLog: jobLog)
    }

    /// Fetches the entry (its name heads the canvas) and PATCHes the main view to `target.canvasId`.
    func refreshCanvas(_ target: PackageEventTarget, steps: StepRecorder) async throws {
        let entry = try await steps.run(.getEntry, detail: { $0.displayId ?? "" }) {
            try await client.getEntry(target.entryId)
        }
        let interaction = canvases.interaction(entry, displayId: target.displayId, package: target.package)
        _ = try await steps.run(.canvasRefresh, detail: { (_: AppCanvas) in target.canvasId }) {
            try await client.updateCanvas(target.canvasId, await interaction.mainView())
        }
    }
}
