import Foundation
import JSONCore

/// Reading a manifest's header (line 1: message and `user_meta`) without its entries.
extension PackageRegistry {
    /// Default `firstLine`: reads the whole object and cuts it at the first newline.
    public func firstLine(ofKey key: String, maxBytes: Int) async throws -> Data {
        try FirstLine.cut(try await getObject(key: key), maxBytes: maxBytes)
    }

    /// The header of a revision's manifest; throws `QuiltError.manifestNotFound` when it does not exist.
    /// `maxBytes` bounds the header line (`user_meta` holds a whole `entry.json`, far below 16 MiB).
    public func readManifestHeader(topHash: String, maxBytes: Int = 16 << 20) async throws -> ManifestHeader {
        try Manifest.validateTopHash(topHash)
        let line: Data
        do {
            line = try await firstLine(ofKey: RegistryLayout.manifestKey(topHash: topHash), maxBytes: maxBytes)
        } catch QuiltError.objectNotFound {
            throw QuiltError.manifestNotFound(topHash: topHash)
        }
        return try FirstLine.header(line)
    }

    /// The latest revision's top hash and header, or nil when the package does not exist.
    public func readLatestManifestHeader(
        of package: PackageName, maxBytes: Int = 16 << 20
    )
        async throws -> (topHash: String, header: ManifestHeader)?
    {
        guard let topHash = try await latestTopHash(of: package) else { return nil }
        return (topHash, try await readManifestHeader(topHash: topHash, maxBytes: maxBytes))
    }
}

/// Shared pieces of the first-line readers.
enum FirstLine {
    static let newline = UInt8(ascii: "\n")

    /// `data` up to (not including) its first newline; all of it when there is none.
    static func cut(_ data: Data, maxBytes: Int) throws(QuiltError) -> Data {
        let line = data.firstIndex(of: newline).map { data[data.startIndex..<$0] } ?? data[...]
        guard line.count <= maxBytes else { throw tooLong(maxBytes) }
        return Data(line)
    }

    static func tooLong(_ maxBytes: Int) -> QuiltError {
        .invalidManifest("line 1 is longer than \(maxBytes) bytes")
    }

    /// Parses a header line (a trailing `\r` of CRLF files is dropped).
    static func header(_ line: Data) throws(QuiltError) -> ManifestHeader {
        var bytes = line
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        guard !bytes.isEmpty else { throw .invalidManifest("empty") }
        let value: JSONValue
        do { value = try JSONValue.parse(bytes) } catch { throw .invalidManifest("header: \(error)") }
        guard let object = value.objectValue else { throw .invalidManifest("header is not an object") }
        return ManifestHeader(json: object)
    }
}
