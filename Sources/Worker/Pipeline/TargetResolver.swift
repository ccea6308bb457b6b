import Benchling
import JobLog

/// The entry and canvas a job is about.
struct JobTarget: Sendable {
    var entryId: String
    /// Nil for an entry event of an entry no earlier job showed on a canvas (the package's `entry.json` may still
    /// name one, see `PackagingPipeline`).
    var canvasId: String?
}

/// Finds the entry and canvas of an event: step `resolve_target`, the first of every job.
struct TargetResolver: Sendable {
    let client: BenchlingClient
    let jobLog: JobLog

    func resolve(_ event: JobEvent) async throws -> JobTarget {
        switch event.kind {
        case .canvasInitialized(let entryId, let featureId):
            // No canvas exists yet for this entry: create it, so the job can show its progress there.
            let created = try await client.createCanvas(
                AppCanvasCreate(
                    appId: event.envelope.appId ?? "", featureId: featureId ?? "", resourceId: entryId,
                    blocks: CanvasRenderer.main(
                        entryId: entryId, displayId: entryId, entryName: nil,
                        location: PackageLocation(packageName: ""), status: .updating
                    ).blocks ?? [],
                    enabled: true))
            return JobTarget(entryId: entryId, canvasId: created.id)
        case .canvas(let canvasId):
            if let entryId = event.entryId { return JobTarget(entryId: entryId, canvasId: canvasId) }
            let canvas = try await client.getCanvas(canvasId)
            guard let entryId = canvas.resourceId, !entryId.isEmpty else {
                throw PipelineFailure.noEntry("canvas \(canvasId) names no resource")
            }
            return JobTarget(entryId: entryId, canvasId: canvasId)
        case .entry(let entryId):
            if let canvasId = event.canvasId { return JobTarget(entryId: entryId, canvasId: canvasId) }
            return JobTarget(entryId: entryId, canvasId: try await knownCanvas(of: entryId))
        }
    }

    /// The canvas an earlier job of this entry used: entry events carry no canvas id.
    private func knownCanvas(of entryId: String) async throws -> String? {
        try await jobLog.list(entryId: entryId, limit: 50).lazy.compactMap(\.canvasId).first
    }
}
