import Foundation

/// A registry in a local directory, laid out exactly like a bucket so quilt3 reads it with
/// `registry="file:///abs/path"`. Every write goes to a temporary file in the target folder and is renamed into
/// place, so readers never see a partial manifest or pointer. Data files are cloned or copied in the kernel, or
/// hard-linked when the caller's sources allow it (see `DataFilePlacement`).
public struct LocalDirectoryRegistry: PackageRegistry {
    public let root: URL
    public let placement: DataFilePlacement

    /// `root` must be an absolute `file:` URL or path; the directory is created when missing.
    public init(root: URL, placement: DataFilePlacement = .copy) throws {
        guard root.isFileURL, root.path.hasPrefix("/") else {
            throw QuiltError.invalidRegistry("local registry root must be an absolute file URL: \(root)")
        }
        self.root = root.standardizedFileURL
        self.placement = placement
        try FileManager.default.createDirectory(at: self.root, withIntermediateDirectories: true)
    }

    /// Accepts `file:///abs/path` (percent-encoded or not).
    public init(url: String, placement: DataFilePlacement = .copy) throws {
        guard url.hasPrefix("file://") else { throw QuiltError.invalidRegistry("not a file:// URL: \(url)") }
        let path = PhysicalKey.unquote(String(url.dropFirst("file://".count)))
        try self.init(root: URL(fileURLWithPath: path, isDirectory: true), placement: placement)
    }

    private var rootPath: String {
        let path = root.path
        return path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }

    public var registryURL: String { PhysicalKey.file(path: rootPath) }

    public func keepsObjectVersions() async throws -> Bool { false }

    public func physicalKey(forKey key: String) -> String { PhysicalKey.file(path: rootPath + "/" + key) }

    /// The file for a key, refusing keys that would leave the root.
    func fileURL(forKey key: String) throws -> URL {
        let segments = key.split(separator: "/", omittingEmptySubsequences: false)
        guard !key.isEmpty, !segments.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else {
            throw QuiltError.invalidRegistry("object key not allowed in a local registry: '\(key)'")
        }
        return URL(fileURLWithPath: rootPath + "/" + key)
    }

    public func latestTopHash(of package: PackageName) async throws -> String? {
        let url = try fileURL(forKey: RegistryLayout.pointerKey(package: package, tag: "latest"))
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        return try Self.parsePointer(Data(contentsOf: url))
    }

    public func putDataFile(from file: URL, key: String, contentType: String, size: Int64) async throws -> String {
        _ = try placeDataFile(from: file, key: key, size: size)
        return physicalKey(forKey: key)
    }

    /// `putDataFile`, telling how the bytes got there. `size` is the size the file had when it was hashed.
    func placeDataFile(from file: URL, key: String, size: Int64) throws -> PlacementMethod {
        var method = PlacementMethod.bufferedCopy
        try Self.atomically(to: try fileURL(forKey: key)) { temporary in
            method = try FilePlacement.place(file, at: temporary, expectedSize: size, placement: placement)
        }
        return method
    }

    public func putManifest(_ bytes: Data, topHash: String) async throws {
        try Manifest.validateTopHash(topHash)
        try write(bytes, key: RegistryLayout.manifestKey(topHash: topHash))
    }

    public func putPointer(topHash: String, package: PackageName, tag: String) async throws {
        try Manifest.validateTopHash(topHash)
        try write(Data(topHash.utf8), key: RegistryLayout.pointerKey(package: package, tag: tag))
    }

    /// Writes small bytes at a key atomically.
    public func write(_ bytes: Data, key: String) throws {
        try Self.atomically(to: try fileURL(forKey: key)) { temporary in
            guard FileManager.default.createFile(atPath: temporary.path, contents: bytes) else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary.path])
            }
        }
    }

    public func getObject(key: String) async throws -> Data {
        let url = try fileURL(forKey: key)
        guard FileManager.default.fileExists(atPath: url.path) else { throw QuiltError.objectNotFound(key: key) }
        return try Data(contentsOf: url)
    }

    /// Reads local files only: quilt3 would fetch s3:// schemas with its own credentials, which a local registry
    /// (development) does not have.
    public func readObject(at location: ObjectLocation, maxBytes: Int) async throws -> (Data, ObjectLocation)? {
        guard case .file(let path) = location else {
            throw QuiltError.invalidRegistry("\(location) is in S3; a local registry reads only file:// objects")
        }
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        let data = try handle.read(upToCount: maxBytes + 1) ?? Data()
        guard data.count <= maxBytes else {
            throw QuiltError.invalidRegistry("\(location) is larger than \(maxBytes) bytes")
        }
        return (data, location)
    }

    public func listPackages() async throws -> [PackageName] {
        let base = URL(fileURLWithPath: rootPath + "/" + RegistryLayout.namedPackagesPrefix)
        let manager = FileManager.default
        guard let prefixes = try? manager.contentsOfDirectory(atPath: base.path) else { return [] }
        var packages: [PackageName] = []
        for prefix in prefixes {
            guard let names = try? manager.contentsOfDirectory(atPath: base.path + "/" + prefix) else { continue }
            for name in names where manager.fileExists(atPath: "\(base.path)/\(prefix)/\(name)/latest") {
                if let package = try? PackageName(prefix: prefix, name: name) { packages.append(package) }
            }
        }
        return packages.sorted()
    }

    /// Runs `produce` against a hidden temporary path next to `destination`, then renames it into place.
    static func atomically(to destination: URL, _ produce: (URL) throws -> Void) throws {
        let folder = destination.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // Short fixed-length name: the destination name may already be near the 255-byte limit.
        let temporary = folder.appendingPathComponent(".quilt-\(UUID().uuidString).tmp")
        do {
            try produce(temporary)
            guard rename(temporary.path, destination.path) == 0 else {
                throw FileError.posix(operation: "rename", path: destination.path, errno: errno)
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }
}
