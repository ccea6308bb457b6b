import Foundation
import JSONCore
import Quilt

/// The latest revision of a package as one click sees it: its top hash and its manifest bytes, read once (one
/// pointer read plus one manifest read) and then looked at lazily.
struct PackageSnapshot: Sendable {
    static let pageSize = 15

    let package: PackageName
    let topHash: String
    let lines: ManifestLines

    /// nil when the package has no `latest` revision yet.
    static func latest(of package: PackageName, in registry: any PackageRegistry) async throws -> PackageSnapshot? {
        guard let topHash = try await registry.latestTopHash(of: package) else { return nil }
        let bytes: Data
        do {
            bytes = try await registry.getObject(key: RegistryLayout.manifestKey(topHash: topHash))
        } catch QuiltError.objectNotFound {
            throw QuiltError.manifestNotFound(topHash: topHash)
        }
        return PackageSnapshot(package: package, topHash: topHash, lines: ManifestLines(bytes))
    }

    var fileCount: Int { lines.entryCount }

    /// Pages of `pageSize` files; an empty package still has one (empty) page.
    var pageCount: Int { max(1, (fileCount + Self.pageSize - 1) / Self.pageSize) }

    /// The files of `page`, clamped to the last page (a stale button of a package that shrank still lands
    /// somewhere useful).
    func page(_ page: Int) throws -> FilePage {
        let index = min(max(0, page), pageCount - 1)
        let start = index * Self.pageSize
        let files = try lines.entries(in: start..<(start + Self.pageSize))
        return FilePage(index: index, pageCount: pageCount, firstNumber: start + 1, totalFiles: fileCount, files: files)
    }

    /// The header's `user_meta` (the entry's `entry.json`), empty when the header has none.
    func userMeta() throws -> JSONObject {
        try lines.header().userMeta ?? [:]
    }

    /// What the metadata view shows, by the Python service's rule: the package's `entry.json` file when it has one
    /// in this registry and it holds a JSON object, else the header's `user_meta`.
    func metadataDocument(in registry: any PackageRegistry) async throws -> MetadataDocument {
        let fallback = MetadataDocument(source: .userMeta, metadata: try userMeta())
        let files = try lines.entries(in: 0..<fileCount)
        guard let physical = files.first(where: { $0.logicalKey == "entry.json" })?.physicalKey,
            let key = Self.registryKey(physicalKey: physical, registryURL: registry.registryURL),
            let bytes = try? await registry.getObject(key: key),
            let object = (try? JSONValue.parse(bytes))?.objectValue
        else { return fallback }
        return MetadataDocument(source: .entryJSON, metadata: object)
    }

    /// The registry-relative key of a physical key inside `registryURL` (version dropped: the registry reads the
    /// current object), or nil when it lies elsewhere.
    static func registryKey(physicalKey: String, registryURL: String) -> String? {
        let base = registryURL.hasSuffix("/") ? registryURL : registryURL + "/"
        guard physicalKey.hasPrefix(base) else { return nil }
        var rest = Substring(physicalKey.dropFirst(base.count))
        if let query = rest.firstIndex(of: "?") { rest = rest[..<query] }
        let key = PhysicalKey.unquote(String(rest))
        return key.isEmpty ? nil : key
    }
}

/// The metadata a package shows, and where it came from.
struct MetadataDocument: Sendable, Equatable {
    enum Source: Sendable, Equatable {
        case entryJSON
        case userMeta
    }

    var source: Source
    var metadata: JSONObject
}

/// One page of a package's files.
struct FilePage: Sendable, Equatable {
    var index: Int
    var pageCount: Int
    /// 1-based number of the first file on the page (for "files 16–30 of 40").
    var firstNumber: Int
    var totalFiles: Int
    var files: [ListedFile]

    var hasPrevious: Bool { index > 0 }
    var hasNext: Bool { index + 1 < pageCount }
}
