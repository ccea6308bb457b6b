import JSONCore
import Quilt

/// What the package's latest revision, ours or the Python service's, hands on to the next one.
///
/// The Python service packaged every object under the package's prefix, so files users added through the catalog
/// or quilt3 stayed in later revisions; it also kept `canvas_id` in `entry.json` for entry events, which carry no
/// canvas. Both survive a switch to this service: files that are neither our documents nor export files listed in
/// the revision's `entry.json` `files` were added by someone else and are kept, and its `canvas_id` names the
/// canvas to update when the event has none. Export files the entry no longer has are dropped.
struct PreviousRevision: Sendable {
    let manifest: Manifest

    /// `canvas_id` of its `entry.json` (which is the package's `user_meta`).
    var canvasId: String? {
        guard let id = manifest.header.userMeta?["canvas_id"]?.stringValue, !id.isEmpty else { return nil }
        return id
    }

    /// Entries added outside the export: not a document we write, not listed in `entry.json`'s `files`.
    var addedFiles: [ManifestEntry] {
        let exported = Set(manifest.header.userMeta?["files"]?.objectValue?.keys ?? [])
        return manifest.entries.filter {
            !EntryDocuments.reservedNames.contains($0.logicalKey) && !exported.contains($0.logicalKey)
        }
    }

    /// The added files that the new revision keeps: those the new export does not replace.
    func filesToKeep(exportedPaths: Set<String>) -> [ManifestEntry] {
        addedFiles.filter { !exportedPaths.contains($0.logicalKey) }
    }

    static func latest(of package: PackageName, in registry: any PackageRegistry) async throws -> PreviousRevision? {
        try await registry.readLatestManifest(of: package).map(PreviousRevision.init(manifest:))
    }
}
