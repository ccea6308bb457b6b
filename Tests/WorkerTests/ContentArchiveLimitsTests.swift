import Foundation
import Testing
import ZIPFoundation

@testable import Worker

/// Zip bombs and lying headers: the bytes actually written are capped (per member by its declared size, per
/// export by `MAX_EXPORT_BYTES`, member count, compression ratio) and recorded; hostile member names are refused
/// or moved off the names the package writer reserves.
@Suite(.timeLimit(.minutes(2)))
struct ContentArchiveLimitsTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("archive-limits-\(UUID().uuidString)")

    func makeZip(_ members: [(String, Data)], deflate: Bool = true) throws -> URL {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent("export-\(UUID().uuidString.prefix(6)).zip")
        let archive = try Archive(url: url, accessMode: .create)
        for (path, data) in members {
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(data.count),
                compressionMethod: deflate ? .deflate : .none
            ) { position, size in data.subdata(in: Int(position)..<Int(position) + size) }
        }
        return url
    }

    /// Rewrites the uncompressed size every header of the ZIP declares (local and central), as a hostile export
    /// would: the deflated bytes and their CRC stay those of the real content.
    func declareUncompressedSize(_ size: UInt32, in zip: URL) throws {
        var bytes = [UInt8](try Data(contentsOf: zip))
        func patch(at offset: Int) {
            for index in 0..<4 { bytes[offset + index] = UInt8(truncatingIfNeeded: size >> (8 * UInt32(index))) }
        }
        var index = 0
        while index + 4 <= bytes.count {
            let signature =
                UInt32(bytes[index]) | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2]) << 16
                | UInt32(bytes[index + 3]) << 24
            if signature == 0x0403_4B50 { patch(at: index + 22) }
            if signature == 0x0201_4B50 { patch(at: index + 24) }
            index += 1
        }
        try Data(bytes).write(to: zip)
    }

    /// Bytes that deflate poorly, cheaply made (the suite shares two cores with every other test).
    static func noise(_ count: Int, seed: UInt64) -> Data {
        var state = seed | 1
        var bytes = [UInt8](repeating: 0, count: count)
        for index in 0..<count {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            bytes[index] = UInt8(truncatingIfNeeded: state)
        }
        return Data(bytes)
    }

    @Test func aMemberInflatingPastItsDeclaredSizeIsRefused() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let zip = try makeZip([("plate.bin", Data(count: 2 << 20))])
        try declareUncompressedSize(10, in: zip)
        let out = directory.appendingPathComponent("out")
        #expect(throws: ExportArchiveError.largerThanDeclared(path: "plate.bin", declared: 10)) {
            try ExportArchive.extract(zip: zip, into: out)
        }
        let partial =
            (try? FileManager.default.attributesOfItem(atPath: out.appendingPathComponent("plate.bin").path))?[.size]
            as? Int
        #expect((partial ?? 0) <= 10, "no more than the declared bytes were written: \(partial ?? 0)")
    }

    @Test func theExportIsCappedByMaxExportBytesDeclaredOrWritten() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let limits = ExportLimits(maxTotalBytes: 1 << 20)
        let honest = try makeZip(
            [("a.bin", Self.noise(600_000, seed: 1)), ("b.bin", Self.noise(600_000, seed: 2))], deflate: false)
        let error = #expect(throws: ExportArchiveError.self) {
            try ExportArchive.extract(zip: honest, into: directory.appendingPathComponent("out1"), limits: limits)
        }
        #expect(error == .tooLarge(limit: 1 << 20))
        #expect(error?.description.contains("MAX_EXPORT_BYTES") == true)
        // Headers that declare little do not get past the total either: it counts what is written.
        let lying = try makeZip([("a.bin", Self.noise(700_000, seed: 3)), ("b.bin", Self.noise(700_000, seed: 4))])
        try declareUncompressedSize(100, in: lying)
        #expect(throws: ExportArchiveError.self) {
            try ExportArchive.extract(zip: lying, into: directory.appendingPathComponent("out2"), limits: limits)
        }
    }

    @Test func memberCountAndCompressionRatioAreCapped() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let many = try makeZip((1...4).map { ("f\($0).txt", Data("x".utf8)) })
        #expect(throws: ExportArchiveError.tooManyMembers(limit: 3)) {
            try ExportArchive.extract(
                zip: many, into: directory.appendingPathComponent("out1"), limits: ExportLimits(maxMembers: 3))
        }
        // 4 MiB of zeros deflate to ~4 KB: ~1000:1.
        let bomb = try makeZip([("zeros.bin", Data(count: 4 << 20))])
        let error = #expect(throws: ExportArchiveError.self) {
            try ExportArchive.extract(zip: bomb, into: directory.appendingPathComponent("out2"))
        }
        #expect(error == .compressionRatio(path: "zeros.bin", limit: 500))
        #expect(error?.description.contains("compression ratio cap") == true)
    }

    @Test func recordedSizesAreTheBytesWritten() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let data = Self.noise(70_000, seed: 5)
        let zip = try makeZip([("a.bin", data)])
        let files = try ExportArchive.extract(zip: zip, into: directory.appendingPathComponent("out"))
        #expect(files.map(\.size) == [70_000])
    }

    @Test(arguments: ["a\u{1B}[2J.txt", "line\nbreak.txt", "bell\u{07}.csv", "dir\u{9B}31m/x.txt"])
    func memberNamesWithControlCharactersAreRefused(path: String) throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let zip = try makeZip([(path, Data("x".utf8)), ("ok.txt", Data("y".utf8))])
        #expect(throws: ExportArchiveError.controlCharacters(path)) {
            try ExportArchive.extract(zip: zip, into: directory.appendingPathComponent("out"))
        }
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("out/ok.txt").path))
    }

    @Test func reservedNamesMoveToFreeNamesAndNothingIsDropped() {
        let here = URL(fileURLWithPath: "/x")
        let files = [
            ExportedFile(path: "README.md", localURL: here, size: 1),
            ExportedFile(path: "README.export.md", localURL: here, size: 2),
            ExportedFile(path: "entry.json", localURL: here, size: 3),
            ExportedFile(path: "links.json/inner.csv", localURL: here, size: 4),
            ExportedFile(path: "data/README.md", localURL: here, size: 5),
        ]
        let moved = ExportedFile.movingReservedNames(files)
        #expect(
            moved.map(\.path) == [
                "README.export2.md", "README.export.md", "entry.export.json", "links.export.json/inner.csv",
                "data/README.md",
            ])
        #expect(moved.map(\.size) == [1, 2, 3, 4, 5])
        #expect(Set(moved.map(\.path)).isDisjoint(with: EntryDocuments.reservedNames))
    }
}
