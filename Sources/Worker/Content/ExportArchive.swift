import Foundation
import ZIPFoundation

/// One file of a Benchling export, extracted to local disk.
public struct ExportedFile: Sendable, Equatable {
    /// The member's path inside the ZIP, which becomes its logical key in the package.
    public let path: String
    public let localURL: URL
    public let size: Int64
}

/// Why an export ZIP was refused. Every case is permanent: retrying the same export cannot fix it.
public enum ExportArchiveError: Error, Equatable, CustomStringConvertible {
    case unreadable(String)
    /// A member whose path could escape the extraction folder or is not a plain relative path (zip-slip).
    case unsafePath(String)
    case symlink(String)
    case duplicatePath(String)

    public var description: String {
        switch self {
        case .unreadable(let why): return "the export is not a readable ZIP: \(why)"
        case .unsafePath(let path):
            return "the export contains an unsafe member path \(String(reflecting: path)) (absolute, '..', '.', empty segment or backslash); refused"
        case .symlink(let path): return "the export contains a symbolic link \(String(reflecting: path)); refused"
        case .duplicatePath(let path): return "the export contains \(String(reflecting: path)) twice; refused"
        }
    }
}

/// Extracts a Benchling export ZIP member by member, streaming each to disk, after checking every path first.
///
/// All paths are checked before anything is written, so a hostile archive leaves nothing behind.
public enum ExportArchive {
    /// Bytes per read/CRC/write round while extracting: ZIPFoundation's 16 KiB default costs a `Data` and two
    /// stdio calls per 16 KiB, which dominates a large export; 1 MiB keeps memory flat and the overhead small.
    static let extractBufferSize = 1 << 20

    public static func extract(zip: URL, into directory: URL) throws(ExportArchiveError) -> [ExportedFile] {
        let archive: Archive
        do {
            archive = try Archive(url: zip, accessMode: .read)
        } catch {
            throw .unreadable(String(describing: error))
        }
        var members: [(Entry, String)] = []
        var seen = Set<String>()
        for entry in archive {
            switch entry.type {
            case .directory:
                _ = try safeSegments(entry.path, allowTrailingSlash: true)
                continue
            case .symlink:
                throw .symlink(entry.path)
            case .file:
                let path = try safeSegments(entry.path, allowTrailingSlash: false).joined(separator: "/")
                guard seen.insert(path).inserted else { throw .duplicatePath(path) }
                members.append((entry, path))
            }
        }
        var files: [ExportedFile] = []
        for (entry, path) in members.sorted(by: { $0.1 < $1.1 }) {
            let destination = directory.appendingPathComponent(path)
            let checksum: UInt32
            do {
                try FileManager.default.createDirectory(
                    at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
                checksum = try extractChecked(entry, of: archive, to: destination)
            } catch {
                throw .unreadable("member \(path): \(error)")
            }
            guard checksum == entry.checksum else {
                throw .unreadable("member \(path): CRC-32 mismatch (the export is corrupt)")
            }
            files.append(ExportedFile(path: path, localURL: destination, size: Int64(entry.uncompressedSize)))
        }
        return files
    }

    /// Streams one member to a new file, returning the CRC-32 of the bytes written (ZIPFoundation's own check is
    /// skipped: `CRC32Checksum` is several times faster than its Linux fallback).
    private static func extractChecked(_ entry: Entry, of archive: Archive, to destination: URL) throws -> UInt32 {
        let output = try ExtractedFileSink(creating: destination)
        defer { output.close() }
        var crc = CRC32Checksum()
        _ = try archive.extract(entry, bufferSize: extractBufferSize, skipCRC32: true) { data in
            try data.withUnsafeBytes { bytes in
                crc.update(bytes)
                try output.write(bytes)
            }
        }
        return crc.value
    }

    /// The path's segments, or an error when it is not a plain relative path.
    static func safeSegments(_ path: String, allowTrailingSlash: Bool) throws(ExportArchiveError) -> [String] {
        var trimmed = Substring(path)
        if allowTrailingSlash, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        let segments = trimmed.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let unsafe = path.isEmpty || path.hasPrefix("/") || path.contains("\\") || path.contains("\0")
            || segments.contains { $0.isEmpty || $0 == "." || $0 == ".." }
            || (segments.first.map { $0.count == 2 && $0.hasSuffix(":") } ?? false)
        if unsafe { throw .unsafePath(path) }
        return segments
    }
}
