import Crypto
import Foundation

/// Quilt's `sha2-256-chunked` file hash: SHA-256 over the concatenated SHA-256 digests of fixed-size chunks,
/// base64-encoded. The chunk size depends on the total size, so it must be known before hashing starts.
///
/// Streaming: feed bytes in any slicing with `update`; memory stays constant whatever the file size.
public struct ChunkedHasher: Sendable {
    public static let hashType = "sha2-256-chunked"
    public static let minimumChunkSize = 8 * 1024 * 1024
    public static let maximumChunkCount = 10_000

    /// 8 MiB, doubled while the size would need more than 10,000 chunks (the S3 multipart part limit).
    public static func chunkSize(forTotalSize size: Int64) -> Int {
        var chunk = Int64(minimumChunkSize)
        while (size + chunk - 1) / chunk > Int64(maximumChunkCount) { chunk *= 2 }
        return Int(chunk)
    }

    public let totalSize: Int64
    public let chunkSize: Int
    private var outer = SHA256()
    private var chunk = SHA256()
    private var filledInChunk = 0
    private var consumed: Int64 = 0

    public init(totalSize: Int64) {
        self.totalSize = totalSize
        self.chunkSize = Self.chunkSize(forTotalSize: totalSize)
    }

    /// The number of bytes hashed so far.
    public var byteCount: Int64 { consumed }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        var remaining = bytes
        while !remaining.isEmpty {
            let take = min(remaining.count, chunkSize - filledInChunk)
            chunk.update(bufferPointer: UnsafeRawBufferPointer(rebasing: remaining[..<take]))
            filledInChunk += take
            consumed += Int64(take)
            remaining = UnsafeRawBufferPointer(rebasing: remaining[take...])
            if filledInChunk == chunkSize { closeChunk() }
        }
    }

    public mutating func update(_ data: some DataProtocol) {
        for region in data.regions {
            region.withUnsafeBytes { update($0) }
        }
    }

    private mutating func closeChunk() {
        let digest = chunk.finalize()
        digest.withUnsafeBytes { outer.update(bufferPointer: $0) }
        chunk = SHA256()
        filledInChunk = 0
    }

    /// The base64 hash value. Hashing a different number of bytes than announced is a programming error
    /// upstream (the file changed while being read), reported as `ChunkedHasherError.sizeMismatch`.
    public func finalize() throws(ChunkedHasherError) -> String {
        guard consumed == totalSize else { throw .sizeMismatch(expected: totalSize, actual: consumed) }
        var copy = self
        if copy.filledInChunk > 0 { copy.closeChunk() }
        return Data(copy.outer.finalize()).base64EncodedString()
    }

    /// Hashes one file from disk with a bounded buffer.
    public static func hashFile(at url: URL) throws -> (size: Int64, hash: String) {
        let file = try ReadOnlyFile(url)
        defer { file.closeFile() }
        var hasher = ChunkedHasher(totalSize: file.size)
        try file.forEachBlock(size: 4 * 1024 * 1024) { hasher.update($0) }
        return (file.size, try hasher.finalize())
    }
}

public enum ChunkedHasherError: Error, Sendable, Equatable, CustomStringConvertible {
    case sizeMismatch(expected: Int64, actual: Int64)

    public var description: String {
        switch self {
        case .sizeMismatch(let expected, let actual):
            "file size changed while hashing: expected \(expected) bytes, read \(actual)"
        }
    }
}
