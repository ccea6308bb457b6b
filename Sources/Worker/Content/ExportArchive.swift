import Foundation
import ZIPFoundation

/// One file of a Benchling export, extracted to local disk.
public struct ExportedFile: Sendable, Equatable {
    /// The member's path inside the ZIP, which becomes its logical key in the package.
    public let path: String
    public let localURL: URL
    public let size: Int64
}

/// Bounds on what one export may put on disk: an export is data from outside, and a ZIP can claim small sizes
/// and inflate without end (a zip bomb), filling the task's disk for every job that runs beside it.
public struct ExportLimits: Sendable, Equatable {
    /// `MAX_EXPORT_BYTES`: bytes the extracted members may add up to (also bounds the downloaded ZIP).
    public var maxTotalBytes: Int64
    /// Members (files) one export may hold.
    public var maxMembers: Int
    /// Largest bytes written per compressed byte of a member, checked once the member passes `ratioFloorBytes`
    /// (small files of one repeated byte legitimately compress further than any real export does in bulk).
    public var maxCompressionRatio: Int64
    public var ratioFloorBytes: Int64

    /// 5 GiB: the worker task has 50 GiB of ephemeral storage and runs up to 4 jobs, each holding its ZIP and
    /// what it extracts at once.
    public static let defaultMaxTotalBytes: Int64 = 5 << 30

    public init(
        maxTotalBytes: Int64 = ExportLimits.defaultMaxTotalBytes, maxMembers: Int = 100_000,
        maxCompressionRatio: Int64 = 500, ratioFloorBytes: Int64 = 1 << 20
    ) {
        self.maxTotalBytes = maxTotalBytes
        self.maxMembers = maxMembers
        self.maxCompressionRatio = maxCompressionRatio
        self.ratioFloorBytes = ratioFloorBytes
    }
}

/// Why an export ZIP was refused. Every case is permanent: retrying the same export cannot fix it.
public enum ExportArchiveError: Error, Equatable, CustomStringConvertible {
    case unreadable(String)
    /// A member whose path could escape the extraction folder or is not a plain relative path (zip-slip).
    case unsafePath(String)
    /// A member whose path holds control characters (they would reach logs, terminals and the catalog raw).
    case controlCharacters(String)
    case symlink(String)
    case duplicatePath(String)
    /// More members than `ExportLimits.maxMembers`.
    case tooManyMembers(limit: Int)
    /// The members add up to more than `MAX_EXPORT_BYTES` (declared, or found while writing).
    case tooLarge(limit: Int64)
    /// A member inflated past the size its ZIP header declared.
    case largerThanDeclared(path: String, declared: Int64)
    /// A member inflated past `ExportLimits.maxCompressionRatio`.
    case compressionRatio(path: String, limit: Int64)

    public var description: String {
        switch self {
        case .unreadable(let why): return "the export is not a readable ZIP: \(why)"
        case .unsafePath(let path):
            return
                "the export contains an unsafe member path \(String(reflecting: path)) (absolute, '..', '.', empty segment or backslash); refused"
        case .controlCharacters(let path):
            return "the export contains a member path with control characters \(String(reflecting: path)); refused"
        case .symlink(let path): return "the export contains a symbolic link \(String(reflecting: path)); refused"
        case .duplicatePath(let path): return "the export contains \(String(reflecting: path)) twice; refused"
        case .tooManyMembers(let limit):
            return "the export has more than \(limit) members (member count cap); refused"
        case .tooLarge(let limit):
            return "the export inflates past MAX_EXPORT_BYTES (\(limit) bytes); refused"
        case .largerThanDeclared(let path, let declared):
            return
                "member \(String(reflecting: path)) inflates past the \(declared) bytes its ZIP header declares (declared size cap); refused"
        case .compressionRatio(let path, let limit):
            return "member \(String(reflecting: path)) inflates more than \(limit):1 (compression ratio cap); refused"
        }
    }
}

/// Extracts a Benchling export ZIP member by member, streaming each to disk, after checking every path first.
///
/// All paths, the member count and the declared sizes are checked before anything is written; the bytes actually
/// written are counted as they are written, and each file's recorded size is what was written, never the header's.
public enum ExportArchive {
    /// Bytes per read/CRC/write round while extracting: ZIPFoundation's 16 KiB default costs a `Data` and two
    /// stdio calls per 16 KiB, which dominates a large export; 1 MiB keeps memory flat and the overhead small.
    static let extractBufferSize = 1 << 20

    public static func extract(
        zip: URL, into directory: URL, limits: ExportLimits = ExportLimits()
    ) throws(ExportArchiveError) -> [ExportedFile] {
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
                guard members.count <= limits.maxMembers else {
                    throw .tooManyMembers(limit: limits.maxMembers)
                }
            }
        }
        let declared = members.reduce(Int64(0)) { $0 + Int64(clamping: $1.0.uncompressedSize) }
        guard declared <= limits.maxTotalBytes else { throw .tooLarge(limit: limits.maxTotalBytes) }
        var files: [ExportedFile] = []
        var budget = limits.maxTotalBytes
        for (entry, path) in members.sorted(by: { $0.1 < $1.1 }) {
            let destination = directory.appendingPathComponent(path)
            let written: (checksum: UInt32, bytes: Int64)
            do {
                try FileManager.default.createDirectory(
                    at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
                written = try extractChecked(
                    entry, path: path, of: archive, to: destination, budget: budget, limits: limits)
            } catch let error as ExportArchiveError {
                throw error
            } catch {
                throw .unreadable("member \(path): \(error)")
            }
            guard written.checksum == entry.checksum else {
                throw .unreadable("member \(path): CRC-32 mismatch (the export is corrupt)")
            }
            budget -= written.bytes
            files.append(ExportedFile(path: path, localURL: destination, size: written.bytes))
        }
        return files
    }

    /// Streams one member to a new file, returning the CRC-32 and count of the bytes written (ZIPFoundation's
    /// own check is skipped: `CRC32Checksum` is several times faster than its Linux fallback). Stops as soon as the
    /// member passes its declared size, the export's remaining `budget` or the compression ratio cap.
    private static func extractChecked(
        _ entry: Entry, path: String, of archive: Archive, to destination: URL, budget: Int64, limits: ExportLimits
    ) throws -> (checksum: UInt32, bytes: Int64) {
        let output = try ExtractedFileSink(creating: destination)
        defer { output.close() }
        var crc = CRC32Checksum()
        var written: Int64 = 0
        let declared = Int64(clamping: entry.uncompressedSize)
        let compressed = max(Int64(clamping: entry.compressedSize), 1)
        _ = try archive.extract(entry, bufferSize: extractBufferSize, skipCRC32: true) { data in
            written += Int64(data.count)
            if written > declared { throw ExportArchiveError.largerThanDeclared(path: path, declared: declared) }
            if written > budget { throw ExportArchiveError.tooLarge(limit: limits.maxTotalBytes) }
            if written > limits.ratioFloorBytes, written / compressed > limits.maxCompressionRatio {
                throw ExportArchiveError.compressionRatio(path: path, limit: limits.maxCompressionRatio)
            }
            try data.withUnsafeBytes { bytes in
                crc.update(bytes)
                try output.write(bytes)
            }
        }
        return (crc.value, written)
    }

    /// The path's segments, or an error when it is not a plain relative path.
    static func safeSegments(_ path: String, allowTrailingSlash: Bool) throws(ExportArchiveError) -> [String] {
        var trimmed = Substring(path)
        if allowTrailingSlash, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        let segments = trimmed.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let unsafe =
            path.isEmpty || path.hasPrefix("/") || path.contains("\\") || path.contains("\0")
            || segments.contains { $0.isEmpty || $0 == "." || $0 == ".." }
            || (segments.first.map { $0.count == 2 && $0.hasSuffix(":") } ?? false)
        if unsafe { throw .unsafePath(path) }
        if path.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw .controlCharacters(path)
        }
        return segments
    }
}
