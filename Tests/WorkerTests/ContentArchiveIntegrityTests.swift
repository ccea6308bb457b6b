import Foundation
import Testing
import ZIPFoundation

@testable import Worker

/// Large members cross many extraction buffers and keep every byte; a corrupt member is caught by our CRC-32.
@Suite(.timeLimit(.minutes(2))) struct ContentArchiveIntegrityTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("archive-crc-\(UUID().uuidString)")

    func makeZip(_ members: [(String, Data)], deflate: Bool) throws -> URL {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent("export-\(UUID().uuidString.prefix(6)).zip")
        let archive = try Archive(url: url, accessMode: .create)
        for (path, data) in members {
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(data.count),
                compressionMethod: deflate ? .deflate : .none
            ) {
                position, size in data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return url
    }

    static func pattern(_ count: Int, seed: UInt8) -> Data {
        Data((0..<count).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ ($0 >> 9)) ^ seed })
    }

    @Test func crc32MatchesTheStandardCheckValueAndZIPFoundation() {
        var check = CRC32Checksum()
        Data("123456789".utf8).withUnsafeBytes { check.update($0) }
        #expect(check.value == 0xCBF4_3926)
        #expect(CRC32Checksum().value == 0)
        // Any slicing of the input gives the same value as ZIPFoundation's own implementation.
        let data = Self.pattern(100_003, seed: 0x5A)
        for step in [1, 7, 16, 17, 4096, 100_003] {
            var crc = CRC32Checksum()
            data.withUnsafeBytes { bytes in
                var start = 0
                while start < bytes.count {
                    let end = min(start + step, bytes.count)
                    crc.update(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
                    start = end
                }
            }
            #expect(crc.value == data.crc32(checksum: 0), "slices of \(step)")
        }
    }

    @Test(arguments: [false, true])
    func largeMembersAreExtractedExactly(deflate: Bool) throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let big = Self.pattern(3 * ExportArchive.extractBufferSize + 12_345, seed: 1)
        let small = Self.pattern(10, seed: 2)
        let zip = try makeZip([("data/big.bin", big), ("small.bin", small)], deflate: deflate)
        let out = directory.appendingPathComponent("out")
        let files = try ExportArchive.extract(zip: zip, into: out)
        #expect(files.map(\.path) == ["data/big.bin", "small.bin"])
        #expect(files.map(\.size) == [Int64(big.count), 10])
        #expect(try Data(contentsOf: out.appendingPathComponent("data/big.bin")) == big)
        #expect(try Data(contentsOf: out.appendingPathComponent("small.bin")) == small)
    }

    @Test func aCorruptStoredMemberIsRefused() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let data = Self.pattern(200_000, seed: 3)
        let zip = try makeZip([("plate.bin", data)], deflate: false)
        // Flip one byte in the middle of the stored member's data.
        var bytes = try Data(contentsOf: zip)
        let marker = data.subdata(in: 100_000..<100_032)
        let at = try #require(bytes.range(of: marker)).lowerBound
        bytes[at] ^= 0xFF
        try bytes.write(to: zip)
        #expect {
            try ExportArchive.extract(zip: zip, into: directory.appendingPathComponent("out"))
        } throws: { error in
            guard case .unreadable(let why) = error as? ExportArchiveError else { return false }
            return why.contains("CRC-32 mismatch")
        }
    }
}
