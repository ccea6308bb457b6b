import Benchling
import Config
import Logging
import Quilt

/// The canvas a job reports on, as far as the job got.
enum JobCanvas: Sendable {
    /// No canvas is known (an entry event of an entry no job showed on a canvas yet).
    case none
    /// The canvas is known but the entry is not read (yet, or it cannot be): no package view can be drawn.
    case entryUnread(canvasId: String, entryId: String)
    /// The entry's canvas with its package view.
    case entry(CanvasPresenter)

    init(_ target: JobTarget) {
        self = target.canvasId.map { .entryUnread(canvasId: $0, entryId: target.entryId) } ?? .none
    }
}

/// How a job's canvas is drawn: the entry's view (owner, package, where packages open, linked packages) and the
/// failure report, whatever the job got to.
struct CanvasResponses: Sendable {
    let client: BenchlingClient
    let registry: any PackageRegistry
    /// How the canvas finds linked packages (see `LinkedPackageLookups.source(configuration:athena:)`).
    let linkedPackages: any LinkedPackageLookup
    let configuration: Configuration
    let settings: WorkerSettings
    let logger: Logger

    /// The canvas's owner and where its packages open: catalog links when the deployment has a catalog, else
    /// the local registry (embedded mode).
    func entryCanvas(_ entry: Entry, displayId: String, package: PackageName) -> EntryCanvas {
        var links: CatalogLinks?
        if let host = configuration.catalogHost, let bucket = configuration.userBucket.bucketName {
            links = CatalogLinks(host: host, bucket: bucket)
        }
        return EntryCanvas(
            entryId: entry.id, displayId: displayId, entryName: entry.name, package: package, links: links,
            registryURL: registry.registryURL, packageKey: configuration.pkgKey, buildVersion: settings.buildVersion)
    }

    /// What draws the entry's views (main, Browse, Metadata) from the registry.
    func interaction(_ entry: Entry, displayId: String, package: PackageName) -> CanvasInteraction {
        CanvasInteraction(
            canvas: entryCanvas(entry, displayId: displayId, package: package), registry: registry,
            finder: linkedPackages)
    }

    func presenter(canvasId: String, entry: Entry, displayId: String, package: PackageName) -> CanvasPresenter {
        CanvasPresenter(
            client: client, canvasId: canvasId, interaction: interaction(entry, displayId: displayId, package: package),
            logger: logger)
    }

    /// Shows a failed job on its canvas, worded by `FailureClassifier`. Never throws: the job's own error is what
    /// the caller reports.
    func showFailure(_ error: any Error, on canvas: JobCanvas, isFinalAttempt: Bool) async {
        let status = FailureClassifier.canvasStatus(for: error, isFinalAttempt: isFinalAttempt)
        switch canvas {
        case .none: return
        case .entry(let presenter): await presenter.showBestEffort(status)
        case .entryUnread(let canvasId, let entryId):
            await showWithoutEntry(status, canvasId: canvasId, entryId: entryId)
        }
    }

    /// The entry could not be read (gone, no access, Benchling down), so there is no package view to draw. The
    /// canvas is still answered: Benchling disabled it when the button was pressed, and it must never stay so.
    private func showWithoutEntry(_ status: CanvasStatus, canvasId: String, entryId: String) async {
        let update = CanvasRenderer.main(
            entryId: entryId, displayId: entryId, entryName: nil, location: PackageLocation(packageName: ""),
            status: status)
        do {
            _ = try await client.updateCanvas(canvasId, update)
        } catch {
            logger.warning(
                "could not show the failure on the canvas", metadata: ["canvas": "\(canvasId)", "error": "\(error)"])
        }
    }
}
