import Foundation
import Testing
import ZIPFoundation

@testable import Worker

/// Export ZIPs built here with ZIPFoundation, including hostile members a forged or broken export could carry.
@Suite(.timeLimit(.minutes(2))) struct ContentArchiveTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("archive-\(UUID().uuidString)")

    func makeZip(_ members: [(String, Data)]) throws -> URL {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent("export.zip")
        let archive = try Archive(url: url, accessMode: .create)
        for (path, data) in members {
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate
            ) {
                position, size in data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return url
    }

    @Test func extractsNestedFilesKeepingPaths() throws {
        let zip = try makeZip([
            ("EXP1.html", Data("<html>entry</html>".utf8)),
            ("attachments/data.csv", Data("a,b\n1,2\n".utf8)),
            ("attachments/empty.txt", Data()),
        ])
        let out = directory.appendingPathComponent("out")
        let files = try ExportArchive.extract(zip: zip, into: out)
        #expect(files.map(\.path) == ["EXP1.html", "attachments/data.csv", "attachments/empty.txt"])
        #expect(files.map(\.size) == [18, 8, 0])
        #expect(try Data(contentsOf: out.appendingPathComponent("attachments/data.csv")) == Data("a,b\n1,2\n".utf8))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("attachments/empty.txt").path))
    }

    @Test(arguments: [
        "../evil.txt", "a/../../evil.txt", "/etc/passwd", "a//b.txt", "./a.txt", "a\\..\\b.txt", "C:/x.txt",
    ])
    func refusesUnsafeMemberPaths(path: String) throws {
        let zip = try makeZip([("ok.txt", Data("fine".utf8)), (path, Data("evil".utf8))])
        let out = directory.appendingPathComponent("out")
        #expect(throws: ExportArchiveError.unsafePath(path)) {
            try ExportArchive.extract(zip: zip, into: out)
        }
        // Checked before writing anything: not even the safe member was extracted.
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("ok.txt").path))
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("evil.txt").path))
    }

    @Test func refusesDuplicateMembers() throws {
        let zip = try makeZip([("a.txt", Data("1".utf8)), ("a.txt", Data("2".utf8))])
        #expect(throws: ExportArchiveError.duplicatePath("a.txt")) {
            try ExportArchive.extract(zip: zip, into: directory.appendingPathComponent("out"))
        }
    }

    @Test func refusesSomethingThatIsNotAZip() throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent("not.zip")
        try Data("this is not a zip".utf8).write(to: url)
        #expect {
            try ExportArchive.extract(zip: url, into: directory.appendingPathComponent("out"))
        } throws: { error in
            guard case .unreadable = error as? ExportArchiveError else { return false }
            return true
        }
    }

    @Test func contentTypesAreReal() {
        #expect(ContentTypes.forPath("a/b/report.PDF") == "application/pdf")
        #expect(ContentTypes.forPath("entry.json") == "application/json")
        #expect(ContentTypes.forPath("README.md") == "text/markdown; charset=utf-8")
        #expect(ContentTypes.forPath("noextension") == "application/octet-stream")
        #expect(ContentTypes.forPath(".hidden") == "application/octet-stream")
    }
}
