import Crypto
import Foundation
import Testing

@testable import Quilt

@Suite(.timeLimit(.minutes(2))) struct ChunkedHasherTests {
    static let mib: Int64 = 1024 * 1024

    @Test func chunkSizeDoublesOnlyAboveTenThousandChunks() {
        let eight = 8 * Self.mib
        #expect(ChunkedHasher.chunkSize(forTotalSize: 0) == Int(eight))
        #expect(ChunkedHasher.chunkSize(forTotalSize: 1) == Int(eight))
        #expect(ChunkedHasher.chunkSize(forTotalSize: eight * 10_000) == Int(eight))
        #expect(ChunkedHasher.chunkSize(forTotalSize: eight * 10_000 + 1) == Int(2 * eight))
        #expect(ChunkedHasher.chunkSize(forTotalSize: 2 * eight * 10_000) == Int(2 * eight))
        #expect(ChunkedHasher.chunkSize(forTotalSize: 2 * eight * 10_000 + 1) == Int(4 * eight))
        #expect(ChunkedHasher.chunkSize(forTotalSize: 5 * 1024 * 1024 * Self.mib) == Int(1024 * Self.mib))  // 5 TiB
        #expect(ChunkedHasher.chunkSize(forTotalSize: 1024 * 1024 * Self.mib) == Int(128 * Self.mib))  // 1 TiB
    }

    @Test func emptyDataIsHashOfNothing() throws {
        let hasher = ChunkedHasher(totalSize: 0)
        #expect(try hasher.finalize() == "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("empty-\(UUID().uuidString)")
        #expect(FileManager.default.createFile(atPath: url.path, contents: Data()))
        defer { try? FileManager.default.removeItem(at: url) }
        let result = try ChunkedHasher.hashFile(at: url)
        #expect(result.size == 0)
        #expect(result.hash == "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")
    }

    /// Independent reference: digest every chunk, hash the concatenation.
    static func reference(_ data: Data) -> String {
        let chunk = ChunkedHasher.chunkSize(forTotalSize: Int64(data.count))
        var digests = Data()
        var start = 0
        while start < data.count {
            let end = min(start + chunk, data.count)
            digests.append(contentsOf: SHA256.hash(data: data[start..<end]))
            start = end
        }
        return Data(SHA256.hash(data: digests)).base64EncodedString()
    }

    @Test func multiChunkFileMatchesReferenceAndAnySlicing() throws {
        let size = Int(8 * Self.mib) * 2 + 12_345
        let data = randomData(count: size)
        let expected = Self.reference(data)

        let url = FileManager.default.temporaryDirectory.appendingPathComponent("multi-\(UUID().uuidString)")
        try data.write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let fromFile = try ChunkedHasher.hashFile(at: url)
        #expect(fromFile.size == Int64(size))
        #expect(fromFile.hash == expected)

        for step in [1_000_003, 8 * 1024 * 1024, 3 * 1024 * 1024 + 7] {
            var hasher = ChunkedHasher(totalSize: Int64(size))
            var offset = 0
            while offset < size {
                let end = min(offset + step, size)
                hasher.update(data[offset..<end])
                offset = end
            }
            #expect(try hasher.finalize() == expected)
        }
    }

    @Test func exactChunkBoundaryDoesNotAddEmptyChunk() throws {
        let data = Data(repeating: 0xAB, count: Int(8 * Self.mib))
        var hasher = ChunkedHasher(totalSize: Int64(data.count))
        hasher.update(data)
        #expect(try hasher.finalize() == Self.reference(data))
    }

    @Test func sizeMismatchIsReported() {
        var hasher = ChunkedHasher(totalSize: 10)
        hasher.update(Data([1, 2, 3]))
        #expect(throws: ChunkedHasherError.sizeMismatch(expected: 10, actual: 3)) { try hasher.finalize() }
    }

    @Test func missingFileThrows() {
        #expect(throws: FileError.self) {
            try ChunkedHasher.hashFile(at: URL(fileURLWithPath: "/nonexistent/\(UUID().uuidString)"))
        }
    }
}
