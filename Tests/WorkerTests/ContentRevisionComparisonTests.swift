import JSONCore
import Quilt
import Testing

@testable import Worker

@Suite(.timeLimit(.minutes(2))) struct ContentRevisionComparisonTests {
    func manifest(message: String, meta: JSONObject, files: [(String, String, Int64)]) throws -> Manifest {
        let entries = files.map { key, hash, size in
            ManifestEntry(
                logicalKey: key, physicalKey: "s3://b/benchling/EXP1/\(key)", size: size, hash: EntryHash(value: hash))
        }
        return try Manifest(header: ManifestHeader(message: message, userMeta: meta), entries: entries)
    }

    let meta: JSONObject = [
        "display_id": "EXP1", "export_timestamp": "2026-01-01T00:00:00Z", "webhook_data": ["id": "evt_1"],
    ]
    let files: [(String, String, Int64)] = [
        ("entry.json", "AAA=", 10), ("EXP1.html", "BBB=", 20), ("README.md", "CCC=", 5),
    ]

    @Test func anotherEventForAnUnchangedEntryIsTheSameContent() throws {
        let latest = try manifest(message: "Benchling v2.entry.created at 2026-01-01", meta: meta, files: files)
        var newMeta = meta
        newMeta["export_timestamp"] = "2026-02-02T00:00:00Z"
        newMeta["webhook_data"] = ["id": "evt_2"]
        var newFiles = files
        newFiles[0] = ("entry.json", "ZZZ=", 11)  // entry.json embeds the event, so its hash differs
        let candidate = try manifest(
            message: "Benchling v2.entry.updated.fields at 2026-02-02", meta: newMeta, files: newFiles)
        #expect(candidate.topHash != latest.topHash)
        #expect(RevisionComparison.sameContent(candidate, as: latest))
    }

    @Test func aChangedFileOrMetadataIsNewContent() throws {
        let latest = try manifest(message: "m", meta: meta, files: files)
        var changedFile = files
        changedFile[1] = ("EXP1.html", "DDD=", 20)
        #expect(!RevisionComparison.sameContent(try manifest(message: "m", meta: meta, files: changedFile), as: latest))
        #expect(
            !RevisionComparison.sameContent(
                try manifest(message: "m", meta: meta, files: Array(files.dropLast())), as: latest))
        var renamed = meta
        renamed["name"] = "new title"
        #expect(!RevisionComparison.sameContent(try manifest(message: "m", meta: renamed, files: files), as: latest))
    }
}
