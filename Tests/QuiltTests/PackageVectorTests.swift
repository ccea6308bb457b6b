import Foundation
import JSONCore
import TestSupport
import Testing

@testable import Quilt

/// quilt3's own results for the packages in Fixtures/packages.json.
enum PackageVectors {
    struct File: Sendable {
        let logicalKey: String
        let content: Data
        let userMeta: JSONObject?
    }

    struct Vector: Sendable {
        let package: String
        let bucket: String
        let files: [File]
        let header: JSONObject
        let entriesInOrder: [JSONValue]
        let topHash: String
    }

    static let all: [Vector] = {
        let root = try! JSONValue.parse(Fixtures.data("packages.json"))
        return root["vectors"]!.arrayValue!.map { vector in
            Vector(
                package: vector["package"]!.stringValue!, bucket: vector["bucket"]!.stringValue!,
                files: vector["files"]!.arrayValue!.map {
                    File(
                        logicalKey: $0["logical_key"]!.stringValue!,
                        content: Data(base64Encoded: $0["content_base64"]!.stringValue!)!,
                        userMeta: $0["user_meta"]!.objectValue)
                },
                header: vector["header"]!.objectValue!, entriesInOrder: vector["entries_in_order"]!.arrayValue!,
                topHash: vector["top_hash"]!.stringValue!)
        }
    }()
}

@Suite(.timeLimit(.minutes(2))) struct PackageVectorTests {
    @Test func fixtureHasVectors() {
        #expect(PackageVectors.all.count >= 2)
    }

    @Test(arguments: PackageVectors.all.indices)
    func entryHashesMatchQuilt3(index: Int) throws {
        let vector = PackageVectors.all[index]
        for expected in vector.entriesInOrder {
            let file = try #require(vector.files.first { $0.logicalKey == expected["logical_key"]?.stringValue })
            var hasher = ChunkedHasher(totalSize: Int64(file.content.count))
            hasher.update(file.content)
            #expect(try hasher.finalize() == expected["hash"]?["value"]?.stringValue, "\(file.logicalKey)")
            #expect(expected["hash"]?["type"] == "sha2-256-chunked")
            #expect(expected["size"] == .integer(String(file.content.count)))
        }
    }

    /// Builds the manifest from the vector's inputs (files, header) and compares with quilt3's results.
    static func manifest(for vector: PackageVectors.Vector) throws -> Manifest {
        let header = ManifestHeader(
            message: vector.header["message"]?.stringValue, userMeta: vector.header["user_meta"]?.objectValue)
        let entries = try vector.files.map { file in
            var hasher = ChunkedHasher(totalSize: Int64(file.content.count))
            hasher.update(file.content)
            return ManifestEntry(
                logicalKey: file.logicalKey,
                physicalKey: "s3://\(vector.bucket)/\(vector.package)/\(file.logicalKey)",
                size: Int64(file.content.count), hash: EntryHash(value: try hasher.finalize()),
                meta: file.userMeta.map { ["user_meta": .object($0)] } ?? [:])
        }
        return try Manifest(header: header, entries: entries)
    }

    @Test(arguments: PackageVectors.all.indices)
    func topHashAndWalkOrderMatchQuilt3(index: Int) throws {
        let vector = PackageVectors.all[index]
        let manifest = try Self.manifest(for: vector)
        #expect(manifest.header.json == vector.header)
        #expect(manifest.entries.map(\.logicalKey) == vector.entriesInOrder.map { $0["logical_key"]!.stringValue! })
        #expect(manifest.topHash == vector.topHash)
    }

    @Test(arguments: PackageVectors.all.indices)
    func manifestLinesMatchQuilt3Objects(index: Int) throws {
        let vector = PackageVectors.all[index]
        let manifest = try Self.manifest(for: vector)
        let text = String(decoding: manifest.serialized(), as: UTF8.self)
        #expect(text.hasSuffix("\n"))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == vector.entriesInOrder.count + 1)
        #expect(try JSONValue.parse(String(lines.first!)) == .object(vector.header))
        for (line, expected) in zip(lines.dropFirst(), vector.entriesInOrder) {
            // Same keys in quilt3's order, same values (physical keys aside: the vector does not encode them).
            var parsed = try JSONValue.parse(String(line)).objectValue!
            var want = expected.objectValue!
            #expect(parsed.keys == ["logical_key", "physical_keys", "size", "hash", "meta"])
            #expect(parsed.keys == want.keys)
            parsed["physical_keys"] = nil
            want["physical_keys"] = nil
            #expect(parsed == want)
            // Lines are json.dumps output: ", "/": " separators and raw UTF-8.
            #expect(String(line) == JSONValue.object(try JSONValue.parse(String(line)).objectValue!).pythonString())
        }
        // Reading back gives the same manifest and top hash.
        let reread = try Manifest.parse(manifest.serialized())
        #expect(reread == manifest)
        #expect(reread.topHash == vector.topHash)
    }

    @Test func headerLineFormat() {
        let withMeta = ManifestHeader(message: "m", userMeta: ["a": 1])
        #expect(
            JSONValue.object(withMeta.json).pythonString()
                == #"{"version": "v0", "user_meta": {"a": 1}, "message": "m"}"#)
        let bare = ManifestHeader(message: nil, userMeta: nil)
        #expect(JSONValue.object(bare.json).pythonString() == #"{"version": "v0", "message": null}"#)
    }

    @Test func parsingSkipsFolderMetadataLines() throws {
        let text = """
            {"version": "v0", "message": null}
            {"logical_key": "dir/", "meta": {"x": 1}}
            {"logical_key": "dir/a", "physical_keys": ["s3://b/dir/a"], "size": 1, "hash": {"type": "sha2-256-chunked", "value": "v"}, "meta": {}}

            """
        let manifest = try Manifest.parse(Data(text.utf8))
        #expect(manifest.entries.map(\.logicalKey) == ["dir/a"])
        #expect(throws: QuiltError.self) {
            try Manifest.parse(Data("{\"version\": \"v0\"}\n{\"logical_key\": 1}\n".utf8))
        }
        #expect(throws: QuiltError.self) { try Manifest.parse(Data()) }
    }
}
