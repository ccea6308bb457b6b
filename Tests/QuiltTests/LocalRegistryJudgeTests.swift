import Foundation
import JSONCore
import TestSupport
import Testing

@testable import Quilt

/// Packages written by PackageWriter into a local directory, judged by quilt3 reading it as `file:///…`.
@Suite(.timeLimit(.minutes(5))) struct LocalRegistryJudgeTests {
    /// Writes `files` (logical key → bytes) under `folder` and returns PackageFiles for them.
    static func stage(_ files: [(String, Data, JSONObject?)], in folder: URL) throws -> [PackageFile] {
        try files.map { key, bytes, userMeta in
            let url = folder.appendingPathComponent(key)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try bytes.write(to: url)
            return PackageFile(localURL: url, logicalKey: key, contentType: "text/plain", userMeta: userMeta)
        }
    }

    static func assertJudged(_ report: JSONValue, topHash: String, fileCount: Int) {
        #expect(report["error"] == .null, "\(report["error"]?.stringValue ?? "")")
        #expect(report["top_hash"]?.stringValue == topHash)
        #expect(report["latest_top_hash"]?.stringValue == topHash)
        #expect(
            report["dump_matches"] == true,
            "stored:\n\(report["stored_manifest"]?.stringValue ?? "")\nquilt3:\n\(report["quilt3_manifest"]?.stringValue ?? "")"
        )
        let entries = report["entries"]?.arrayValue ?? []
        #expect(entries.count == fileCount)
        for entry in entries {
            #expect(entry["hash_ok"] == true, "\(entry)")
            #expect(entry["size_ok"] == true, "\(entry)")
        }
        if report["verify_dir_ok"] != .null { #expect(report["verify_dir_ok"] == true) }
    }

    @Test func vectorPackagesLoadInQuilt3WithTheSameTopHash() async throws {
        let environment = try TestEnvironment.load()
        let work = try makeTemporaryDirectory("vectors")
        defer { try? FileManager.default.removeItem(at: work) }
        let registry = try LocalDirectoryRegistry(root: work.appendingPathComponent("registry"))
        let writer = PackageWriter(registry: registry)
        var requests: [Quilt3Judge.Request] = []
        for (index, vector) in PackageVectors.all.enumerated() {
            let files = try Self.stage(
                vector.files.map { ($0.logicalKey, $0.content, $0.userMeta) },
                in: work.appendingPathComponent("src\(index)"))
            let package = try PackageName(vector.package)
            let result = try await writer.publish(
                package: package, message: vector.header["message"]?.stringValue,
                userMeta: vector.header["user_meta"]?.objectValue, files: files, dataKeyPrefix: vector.package)
            guard case .published(let topHash, _, let manifestKey) = result else {
                Issue.record("expected a new revision, got \(result)")
                return
            }
            #expect(topHash == vector.topHash)
            #expect(manifestKey == ".quilt/packages/\(vector.topHash)")
            requests.append(
                .init(name: vector.package, topHash: topHash, verifyDir: registry.registryURL + "/" + vector.package))
        }
        let reports = try Quilt3Judge(environment: environment).judge(
            registry: registry.registryURL, packages: requests)
        #expect(reports.count == PackageVectors.all.count)
        for (report, vector) in zip(reports, PackageVectors.all) {
            Self.assertJudged(report, topHash: vector.topHash, fileCount: vector.files.count)
            #expect(report["message"] == vector.header["message"])
            #expect(report["user_meta"] == vector.header["user_meta"])
        }
    }

    @Test func registryLayoutIsWhatQuiltExpects() async throws {
        let work = try makeTemporaryDirectory("layout")
        defer { try? FileManager.default.removeItem(at: work) }
        let registry = try LocalDirectoryRegistry(root: work.appendingPathComponent("reg"))
        let files = try Self.stage([("a/x.txt", Data("x".utf8), nil)], in: work.appendingPathComponent("src"))
        let writer = PackageWriter(registry: registry, now: { Date(timeIntervalSince1970: 1_700_000_000.7) })
        let package = try PackageName("bench/pkg")
        let result = try await writer.publish(
            package: package, message: nil, userMeta: nil, files: files, dataKeyPrefix: "/data/pkg/")
        guard case .published(let topHash, let revision, _) = result else {
            Issue.record("not published: \(result)")
            return
        }
        #expect(revision == 1_700_000_000)
        let latest = try await registry.getObject(key: ".quilt/named_packages/bench/pkg/latest")
        #expect(latest == Data(topHash.utf8))  // no newline
        #expect(try await registry.getObject(key: ".quilt/named_packages/bench/pkg/1700000000") == Data(topHash.utf8))
        #expect(try await registry.getObject(key: "data/pkg/a/x.txt") == Data("x".utf8))
        let manifest = try await registry.readManifest(topHash: topHash)
        #expect(manifest.entries.first?.physicalKey == registry.registryURL + "/data/pkg/a/x.txt")
        #expect(manifest.topHash == topHash)
        #expect(try await registry.latestTopHash(of: package) == topHash)
        #expect(try await registry.latestTopHash(of: PackageName("bench/other")) == nil)
        #expect(try await registry.listPackages() == [package])
        let leftovers = try FileManager.default.subpathsOfDirectory(atPath: registry.root.path)
            .filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }

    @Test func fileNamesNearTheLengthLimitAreStored() async throws {
        let work = try makeTemporaryDirectory("long")
        defer { try? FileManager.default.removeItem(at: work) }
        let registry = try LocalDirectoryRegistry(root: work.appendingPathComponent("reg"))
        let name = String(repeating: "n", count: 250) + ".txt"
        let files = try Self.stage([(name, Data("long".utf8), nil)], in: work.appendingPathComponent("src"))
        let result = try await PackageWriter(registry: registry).publish(
            package: PackageName("bench/long"), message: nil, userMeta: nil, files: files, dataKeyPrefix: "d")
        #expect(try await registry.getObject(key: "d/" + name) == Data("long".utf8))
        #expect(try await registry.readManifest(topHash: result.topHash).entries.map(\.logicalKey) == [name])
    }

    /// Every file's path and modification date under a folder.
    static func snapshot(_ root: URL) throws -> [String: Date] {
        var result: [String: Date] = [:]
        let manager = FileManager.default
        for path in try manager.subpathsOfDirectory(atPath: root.path) {
            let attributes = try manager.attributesOfItem(atPath: root.path + "/" + path)
            result[path] = attributes[.modificationDate] as? Date
        }
        return result
    }

    @Test func unchangedContentWritesNothing() async throws {
        let work = try makeTemporaryDirectory("unchanged")
        defer { try? FileManager.default.removeItem(at: work) }
        let registry = try LocalDirectoryRegistry(root: work.appendingPathComponent("reg"))
        let package = try PackageName("bench/same")
        let files = try Self.stage(
            [("README.md", Data("# hi\n".utf8), nil), ("d/e.bin", randomData(count: 1000), ["k": 1.5])],
            in: work.appendingPathComponent("src"))
        let first = try await PackageWriter(registry: registry, now: { Date(timeIntervalSince1970: 1_000) })
            .publish(package: package, message: "m", userMeta: ["a": "b"], files: files, dataKeyPrefix: "p")
        let before = try Self.snapshot(registry.root)
        try await Task.sleep(for: .milliseconds(20))
        let second = try await PackageWriter(registry: registry, now: { Date(timeIntervalSince1970: 2_000) })
            .publish(package: package, message: "m", userMeta: ["a": "b"], files: files, dataKeyPrefix: "p")
        #expect(second == .unchanged(topHash: first.topHash))
        #expect(try Self.snapshot(registry.root) == before)

        // A changed message is a new revision; the old one still verifies.
        let third = try await PackageWriter(registry: registry, now: { Date(timeIntervalSince1970: 3_000) })
            .publish(package: package, message: "m2", userMeta: ["a": "b"], files: files, dataKeyPrefix: "p")
        #expect(third.topHash != first.topHash)
        // Its data files were already in place with the same bytes: they are not written again.
        let dataFiles = { (snapshot: [String: Date]) in snapshot.filter { $0.key.hasPrefix("p/") } }
        #expect(!dataFiles(before).isEmpty)
        #expect(dataFiles(try Self.snapshot(registry.root)) == dataFiles(before))
        guard case .published(_, 3_000, _) = third else {
            Issue.record("expected revision 3000, got \(third)")
            return
        }
        #expect(try await registry.latestTopHash(of: package) == third.topHash)
        #expect(try await registry.readManifest(topHash: first.topHash).topHash == first.topHash)
    }
}
