import Crypto
import Foundation
import NIOCore

/// A byte range of a file as an async sequence of buffers, opened afresh for every iteration so a retried
/// request re-reads the same bytes. Memory stays at one chunk.
struct FileChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    let url: URL
    let offset: Int64
    let length: Int64
    var chunkSize: Int = 256 * 1024

    struct AsyncIterator: AsyncIteratorProtocol {
        let url: URL
        let offset: Int64
        let chunkSize: Int
        var remaining: Int64
        var handle: FileHandle?

        mutating func next() async throws -> ByteBuffer? {
            guard remaining > 0 else {
                try handle?.close()
                handle = nil
                return nil
            }
            if handle == nil {
                let opened = try FileHandle(forReadingFrom: url)
                try opened.seek(toOffset: UInt64(offset))
                handle = opened
            }
            let wanted = Int(Swift.min(Int64(chunkSize), remaining))
            guard let data = try handle?.read(upToCount: wanted), !data.isEmpty else {
                throw CocoaError(
                    .fileReadTooLarge,
                    userInfo: [
                        NSFilePathErrorKey: url.path,
                        NSLocalizedDescriptionKey: "file shorter than expected",
                    ])
            }
            remaining -= Int64(data.count)
            return ByteBuffer(bytes: data)
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(url: url, offset: offset, chunkSize: chunkSize, remaining: length, handle: nil)
    }

    /// Hex SHA-256 of the range, read in chunks (for services that need a hashed payload).
    static func sha256(url: URL, offset: Int64, length: Int64) throws -> String {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(offset))
        var hasher = SHA256()
        var remaining = length
        while remaining > 0 {
            guard let data = try handle.read(upToCount: Int(Swift.min(remaining, 1 << 20))), !data.isEmpty else {
                break
            }
            hasher.update(data: data)
            remaining -= Int64(data.count)
        }
        return hasher.finalize().hexString
    }
}
