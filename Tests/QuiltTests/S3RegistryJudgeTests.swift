import AWSCore
import AWSServices
import Foundation
import JSONCore
import TestSupport
import Testing

@testable import Quilt

/// PackageWriter + S3Registry against moto (signatures and the worker's IAM policy enforced), judged by quilt3.
@Suite(.timeLimit(.minutes(5))) struct S3RegistryJudgeTests {
    struct Fixture {
        let environment: TestEnvironment
        let bucket: String
        let client: AWSClient
        let registry: S3Registry

        /// Creates a fresh `bq-test-quilt-…` bucket with botocore (admin) and a registry signing as the worker.
        static func make(versioned: Bool) throws -> Fixture {
            let environment = try TestEnvironment.load()
            let bucket = environment.uniqueName("quilt")
            let created = try PythonJudge(environment).run(
                "quilt_s3_bucket.py", arguments: ["create", bucket] + (versioned ? ["--versioned"] : []))
            guard created.status == 0 else { throw JudgeFailure(message: "bucket setup failed: \(created.stderr)") }
            let client = environment.awsClient(environment.worker)
            return Fixture(
                environment: environment, bucket: bucket, client: client,
                registry: S3Registry(s3: S3(client: client), bucket: bucket))
        }

        func inventory() throws -> [JSONValue] {
            let result = try PythonJudge(environment).run("quilt_s3_bucket.py", arguments: ["inventory", bucket])
            guard result.status == 0 else { throw JudgeFailure(message: "inventory failed: \(result.stderr)") }
            return try JSONValue.parse(result.stdout)["versions"]?.arrayValue ?? []
        }

        func judge(_ requests: [Quilt3Judge.Request]) throws -> [JSONValue] {
            try Quilt3Judge(environment: environment).judge(registry: registry.registryURL, packages: requests)
        }
    }

    @Test func unversionedBucketPackagesVerifyInQuilt3() async throws {
        try await withShutdown(of: Fixture.make(versioned: false), by: { try? await $0.client.shutdown() }) {
            (fixture) async throws in
            let work = try makeTemporaryDirectory("s3")
            defer { try? FileManager.default.removeItem(at: work) }
            #expect(try await fixture.registry.keepsObjectVersions() == false)

            // moto rejects even botocore's signatures for keys with '+' or non-ASCII characters, so the unicode
            // cases are covered by the local-registry tests; here: spaces, empty files, and a file spanning three hash
            // chunks / multipart parts.
            var files = PackageVectors.all[0].files.map { ($0.logicalKey, $0.content, $0.userMeta) }
            files.append(("sp ace/a~b.txt", Data("space".utf8), nil))
            files.append(("big/data.bin", randomData(count: 2 * 8 * 1024 * 1024 + 4321), ["parts": 3]))
            let staged = try LocalRegistryJudgeTests.stage(files, in: work)
            let package = try PackageName("benchling/EXP0001")
            let writer = PackageWriter(registry: fixture.registry)
            let result = try await writer.publish(
                package: package, message: "Benchling v2.entry.updated at now", userMeta: ["display_id": "EXP0001"],
                files: staged, dataKeyPrefix: "benchling/EXP0001")
            guard case .published(let topHash, _, _) = result else {
                Issue.record("not published: \(result)")
                return
            }
            let manifest = try await fixture.registry.readManifest(topHash: topHash)
            #expect(manifest.entries.allSatisfy { !$0.physicalKey.contains("versionId") })
            #expect(
                manifest.entries.contains {
                    $0.physicalKey == "s3://\(fixture.bucket)/benchling/EXP0001/sp%20ace/a~b.txt"
                })
            #expect(
                manifest.entries.first { $0.logicalKey == "big/data.bin" }?.size == Int64(2 * 8 * 1024 * 1024 + 4321))
            #expect(try await fixture.registry.listPackages() == [package])

            let reports = try fixture.judge([
                .init(
                    name: package.description, topHash: topHash, verifyDir: "s3://\(fixture.bucket)/benchling/EXP0001/")
            ])
            LocalRegistryJudgeTests.assertJudged(reports[0], topHash: topHash, fileCount: files.count)

            // Every data object carries the Content-Type it was given.
            let inventory = try fixture.inventory()
            for row in inventory where row[0]?.stringValue?.hasPrefix("benchling/") == true {
                #expect(row[4] == "text/plain", "\(row)")
            }

            // Publishing the same content again writes nothing at all (not even same bytes: modification times hold).
            try await Task.sleep(for: .milliseconds(1100))
            let again = try await writer.publish(
                package: package, message: "Benchling v2.entry.updated at now", userMeta: ["display_id": "EXP0001"],
                files: staged, dataKeyPrefix: "benchling/EXP0001")
            #expect(again == .unchanged(topHash: topHash))
            #expect(try fixture.inventory() == inventory)
        }
    }

    @Test func versionedBucketKeepsEveryRevisionTrue() async throws {
        try await withShutdown(of: Fixture.make(versioned: true), by: { try? await $0.client.shutdown() }) {
            (fixture) async throws in
            let work = try makeTemporaryDirectory("s3v")
            defer { try? FileManager.default.removeItem(at: work) }
            #expect(try await fixture.registry.keepsObjectVersions() == true)
            let package = try PackageName("benchling/EXP0002")
            var requests: [Quilt3Judge.Request] = []
            for (round, content) in ["first version\n", "second, longer version\n"].enumerated() {
                let staged = try LocalRegistryJudgeTests.stage(
                    [("notes.txt", Data(content.utf8), nil), ("same.bin", Data([1, 2, 3]), nil)],
                    in: work.appendingPathComponent("r\(round)"))
                let writer = PackageWriter(
                    registry: fixture.registry, now: { Date(timeIntervalSince1970: Double(1_700_000_000 + round)) })
                let result = try await writer.publish(
                    package: package, message: "round \(round)", userMeta: nil, files: staged,
                    dataKeyPrefix: "benchling/EXP0002")
                let manifest = try await fixture.registry.readManifest(topHash: result.topHash)
                #expect(manifest.entries.allSatisfy { $0.physicalKey.contains("?versionId=") }, "\(manifest.entries)")
                requests.append(.init(name: package.description, topHash: result.topHash))
            }
            #expect(requests[0].topHash != requests[1].topHash)
            // The unchanged file is not uploaded again: both revisions point at its one and only version.
            let first = try await fixture.registry.readManifest(topHash: requests[0].topHash)
            let second = try await fixture.registry.readManifest(topHash: requests[1].topHash)
            let sameKey = { (manifest: Manifest) in manifest.entries.first { $0.logicalKey == "same.bin" }?.physicalKey
            }
            #expect(sameKey(first) != nil && sameKey(first) == sameKey(second))
            let notesKey = { (manifest: Manifest) in
                manifest.entries.first { $0.logicalKey == "notes.txt" }?.physicalKey
            }
            #expect(notesKey(first) != notesKey(second))
            let inventory = try fixture.inventory()
            #expect(inventory.filter { $0[0] == "benchling/EXP0002/same.bin" }.count == 1)
            #expect(inventory.filter { $0[0] == "benchling/EXP0002/notes.txt" }.count == 2)
            let reports = try fixture.judge(requests)
            for (report, request) in zip(reports, requests) {
                #expect(report["error"] == .null, "\(report["error"]?.stringValue ?? "")")
                #expect(report["top_hash"]?.stringValue == request.topHash)
                #expect(report["latest_top_hash"]?.stringValue == requests[1].topHash)
                #expect(report["dump_matches"] == true)
                for entry in report["entries"]?.arrayValue ?? [] {
                    #expect(entry["hash_ok"] == true, "\(entry)")
                }
            }
            let versions = reports[0]["versions"]?.arrayValue ?? []
            #expect(versions.contains(["1700000000", .string(requests[0].topHash)]), "\(reports[0])")
            #expect(versions.contains(["1700000001", .string(requests[1].topHash)]))
            for (offset, request) in requests.enumerated() {
                let pointer = try await fixture.registry.getObject(
                    key: RegistryLayout.pointerKey(package: package, tag: String(1_700_000_000 + offset)))
                #expect(pointer == Data(request.topHash.utf8))
            }
        }
    }

    @Test func missingPackageAndObjectAreReported() async throws {
        try await withShutdown(of: Fixture.make(versioned: false), by: { try? await $0.client.shutdown() }) {
            (fixture) async throws in
            #expect(try await fixture.registry.latestTopHash(of: PackageName("benchling/none")) == nil)
            #expect(try await fixture.registry.listPackages() == [])
            await #expect(throws: QuiltError.manifestNotFound(topHash: String(repeating: "0", count: 64))) {
                try await fixture.registry.readManifest(topHash: String(repeating: "0", count: 64))
            }
        }
    }
}
