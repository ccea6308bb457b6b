import Benchling
import Foundation
import JSONCore
import Quilt

/// Answers a canvas button press that does not package (Browse, View Metadata, Back, linked Browse, and any id
/// this worker does not understand) with the view to PATCH. Stateless: everything comes from the button id and
/// the registry, read once per click.
///
/// Never throws: a registry failure becomes an error view with Try Again / Back buttons, because Benchling keeps
/// the canvas disabled until it receives an update.
public struct CanvasInteraction: Sendable {
    public let canvas: EntryCanvas
    public let registry: any PackageRegistry
    /// How linked packages are found (Athena or the manifest scan, see `LinkedPackageLookups`).
    public let finder: any LinkedPackageLookup

    /// `finder` nil: the manifest scan of `registry`.
    public init(canvas: EntryCanvas, registry: any PackageRegistry, finder: (any LinkedPackageLookup)? = nil) {
        self.canvas = canvas
        self.registry = registry
        self.finder = finder ?? LinkedPackageFinder(registry: registry, packageKey: canvas.packageKey)
    }

    /// The view for a pressed button id; nil or unparseable ids (and Update, which the pipeline handles) give
    /// the main view.
    public func view(forButtonId buttonId: String) async -> AppCanvasUpdate {
        guard let button = CanvasButton(parsing: buttonId), button.entryId == canvas.entryId else {
            return await mainView()
        }
        switch button.action {
        case .browse(let page): return await browse(.own, package: canvas.package, page: page, retryId: buttonId)
        case .metadata: return await metadata(.own, package: canvas.package, retryId: buttonId)
        case .back, .update: return await mainView()
        case .linkedBrowse(let package, let page):
            return await browse(.linked(package), package: package, page: page, retryId: buttonId)
        case .linkedMetadata(let package):
            return await metadata(.linked(package), package: package, retryId: buttonId)
        }
    }

    /// The main view with linked packages. `status` nil: derived from the package's latest revision.
    public func mainView(status: CanvasStatus? = nil, warnings: [String] = []) async -> AppCanvasUpdate {
        let resolved: CanvasStatus
        if let status {
            resolved = status
        } else {
            do {
                resolved = try await Self.status(of: PackageSnapshot.latest(of: canvas.package, in: registry))
            } catch {
                resolved = .failed(
                    problem: "The package could not be read: \(error)",
                    nextStep: "Press Update Package to write it again, or try again later.")
            }
        }
        var update = CanvasRenderer.main(
            entryId: canvas.entryId, displayId: canvas.displayId, entryName: canvas.entryName,
            location: canvas.location, status: resolved, warnings: warnings, deployment: canvas.deployment)
        if resolved != .updating {
            let linked = await finder.find(displayId: canvas.displayId, excluding: canvas.package)
            update.blocks = Self.inserting(LinkedPackagesView.blocks(canvas, linked: linked), into: update.blocks ?? [])
        }
        return update
    }

    // MARK: - Views

    private func browse(
        _ subject: BrowseView.Subject, package: PackageName, page: Int, retryId: String
    ) async -> AppCanvasUpdate {
        do {
            guard let snapshot = try await PackageSnapshot.latest(of: package, in: registry) else {
                if subject == .own { return await mainView(status: .noPackage) }
                return ProblemView.render(
                    canvas, problem: "Package \(package) does not exist (any more).", retryId: nil)
            }
            if case .linked = subject, let problem = try unlinked(snapshot) { return problem }
            return BrowseView.render(canvas, subject: subject, snapshot: snapshot, page: try snapshot.page(page))
        } catch {
            return ProblemView.render(
                canvas, problem: "The files of \(package) could not be read: \(error)", retryId: retryId)
        }
    }

    /// The package's metadata as the Python service showed it: its `entry.json` when it has one, else `user_meta`.
    private func metadata(_ subject: BrowseView.Subject, package: PackageName, retryId: String) async -> AppCanvasUpdate
    {
        do {
            guard let snapshot = try await PackageSnapshot.latest(of: package, in: registry) else {
                if subject == .own { return await mainView(status: .noPackage) }
                return ProblemView.render(
                    canvas, problem: "Package \(package) does not exist (any more).", retryId: nil)
            }
            if case .linked = subject, let problem = try unlinked(snapshot) { return problem }
            let document = try await snapshot.metadataDocument(in: registry)
            return MetadataView.render(canvas, subject: subject, snapshot: snapshot, document: document)
        } catch {
            return ProblemView.render(
                canvas, problem: "The metadata of \(package) could not be read: \(error)", retryId: retryId)
        }
    }

    /// The problem view when a linked package no longer names the entry (its metadata changed since the list).
    private func unlinked(_ snapshot: PackageSnapshot) throws -> AppCanvasUpdate? {
        guard !PackageKeyPath(canvas.packageKey).matches(try snapshot.userMeta(), value: canvas.displayId) else {
            return nil
        }
        return ProblemView.render(
            canvas, problem: "Package \(snapshot.package) is no longer linked to \(canvas.displayId).", retryId: nil)
    }

    // MARK: - Pieces

    /// The footer state a revision implies: updated at the time of the event that made it.
    static func status(of snapshot: PackageSnapshot?) throws -> CanvasStatus {
        guard let snapshot else { return .noPackage }
        let meta = try snapshot.userMeta()
        // The Python service's layout leaves `export_timestamp` empty: then the event's own time.
        let at =
            meta["export_timestamp"]?.stringValue.flatMap(Self.parseTime)
            ?? meta["webhook_data"]?["createdAt"]?.stringValue.flatMap(Self.parseTime) ?? Date()
        return .updated(topHash: snapshot.topHash, at: at, unchanged: false)
    }

    static func parseTime(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }

    /// Puts the linked-package blocks after the main view's action buttons (before the status footer).
    static func inserting(_ linked: [CanvasBlock], into blocks: [CanvasBlock]) -> [CanvasBlock] {
        guard !blocks.isEmpty else { return linked }
        var result = blocks
        result.insert(contentsOf: linked, at: blocks.count - 1)
        return result
    }
}
