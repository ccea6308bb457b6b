import Foundation

/// Where packages live: an S3 bucket in production, a local directory for the embedded default. The writer
/// and readers only speak this port, so both adapters get the same publish logic.
///
/// Keys are registry-relative object keys (`.quilt/packages/…`, `benchling/EXP1/file.csv`).
public protocol PackageRegistry: Sendable {
    /// The address quilt3 accepts as `registry=`: `s3://bucket` or `file:///abs/path`.
    var registryURL: String { get }

    /// Whether overwritten data objects keep their old bytes (S3 versioning). When false, older revisions are
    /// only as stable as the objects under the data prefix.
    func keepsObjectVersions() async throws -> Bool

    /// The physical key a data object at `key` gets, before any version id is known.
    func physicalKey(forKey key: String) -> String

    /// The top hash `latest` points at, or nil when the package does not exist yet.
    func latestTopHash(of package: PackageName) async throws -> String?

    /// Stores a local file at `key` without reading it into memory; returns the entry's physical key
    /// (with `?versionId=` on versioned buckets).
    func putDataFile(from file: URL, key: String, contentType: String, size: Int64) async throws -> String

    /// Stores manifest bytes at `.quilt/packages/{topHash}`.
    func putManifest(_ bytes: Data, topHash: String) async throws

    /// Writes the pointer `.quilt/named_packages/{package}/{tag}` holding the top hash with no newline.
    func putPointer(topHash: String, package: PackageName, tag: String) async throws

    /// The bytes of a small object (manifests, pointers, `entry.json`); throws `QuiltError.objectNotFound`.
    func getObject(key: String) async throws -> Data

    /// Every package that has a `latest` pointer, sorted.
    func listPackages() async throws -> [PackageName]

    /// The first line of an object (without its newline), reading little more than that line: a manifest's
    /// header is line 1, and its entries can be megabytes. Throws `QuiltError.objectNotFound`, or
    /// `QuiltError.invalidManifest` when line 1 is longer than `maxBytes`. Default: `getObject`, then cut.
    func firstLine(ofKey key: String, maxBytes: Int) async throws -> Data

    /// Reads an object named by a quilt3 URL (workflow configs and schemas, possibly in another bucket) and
    /// returns it with the location quilt3 records for it (S3: with the version id the read answered). nil when
    /// it does not exist; `QuiltError.invalidRegistry` when this registry cannot read such a location.
    func readObject(at location: ObjectLocation, maxBytes: Int) async throws -> (Data, ObjectLocation)?
}

/// The fixed object keys of the registry layout.
public enum RegistryLayout {
    public static func manifestKey(topHash: String) -> String { ".quilt/packages/" + topHash }

    public static func pointerKey(package: PackageName, tag: String) -> String {
        ".quilt/named_packages/\(package.prefix)/\(package.name)/\(tag)"
    }

    public static let namedPackagesPrefix = ".quilt/named_packages/"

    /// Recovers the package from a `.quilt/named_packages/{prefix}/{name}/latest` key.
    static func packageOfLatestPointer(_ key: String) -> PackageName? {
        guard key.hasPrefix(namedPackagesPrefix) else { return nil }
        let parts = key.dropFirst(namedPackagesPrefix.count).split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[2] == "latest" else { return nil }
        return try? PackageName(prefix: String(parts[0]), name: String(parts[1]))
    }
}

extension PackageRegistry {
    /// Reads and parses the manifest of a revision.
    public func readManifest(topHash: String) async throws -> Manifest {
        try Manifest.validateTopHash(topHash)
        let bytes: Data
        do {
            bytes = try await getObject(key: RegistryLayout.manifestKey(topHash: topHash))
        } catch QuiltError.objectNotFound {
            throw QuiltError.manifestNotFound(topHash: topHash)
        }
        return try Manifest.parse(bytes)
    }

    /// The latest revision's manifest, or nil when the package does not exist.
    public func readLatestManifest(of package: PackageName) async throws -> Manifest? {
        guard let topHash = try await latestTopHash(of: package) else { return nil }
        return try await readManifest(topHash: topHash)
    }

    /// Parses pointer text (tolerating surrounding whitespace written by other tools).
    static func parsePointer(_ data: Data) throws -> String {
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        try Manifest.validateTopHash(text)
        return text
    }
}
