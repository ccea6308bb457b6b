import AWSCore
import AWSServices
import Foundation
import JSONCore
import TestSupport
import Testing

@testable import Quilt

/// Reading only a manifest's header (line 1), locally and from S3 with ranged GETs — including headers larger
/// than the first range, and manifests whose entries dwarf their header.
@Suite(.timeLimit(.minutes(5))) struct ManifestHeaderReadTests {
    /// A package whose header carries `metaBytes` of user metadata, plus `files` entries.
    static func publish(
        to registry: any PackageRegistry, package: String, metaBytes: Int, files: Int, in work: URL
    ) async throws -> (topHash: String, manifest: Manifest) {
        var staged: [PackageFile] = []
        for index in 0..<files {
            let url = work.appendingPathComponent("f\(index)")
            try Data("file \(index)".utf8).write(to: url)
            staged.append(
                PackageFile(localURL: url, logicalKey: "data/file-\(index).txt", contentType: "text/plain", meta: [:]))
        }
        let meta: JSONObject = [
            "experiment_id": "EXP00000042", "note": .string(String(repeating: "é-ünïcode ", count: metaBytes / 20)),
        ]
        let result = try await PackageWriter(registry: registry).publish(
            package: try PackageName(package), message: "header test", userMeta: meta, files: staged,
            dataKeyPrefix: package)
        return (result.topHash, try await registry.readManifest(topHash: result.topHash))
    }

    @Test func localRegistryReadsTheHeaderOnly() async throws {
        let work = try makeTemporaryDirectory("header")
        defer { try? FileManager.default.removeItem(at: work) }
        let registry = try LocalDirectoryRegistry(root: work.appendingPathComponent("registry"))
        let (topHash, manifest) = try await Self.publish(
            to: registry, package: "benchling/EXP00000042", metaBytes: 100_000, files: 300, in: work)
        let header = try await registry.readManifestHeader(topHash: topHash)
        #expect(header == manifest.header)
        #expect(header.userMeta?["experiment_id"]?.stringValue == "EXP00000042")
        let latest = try await registry.readLatestManifestHeader(of: try PackageName("benchling/EXP00000042"))
        #expect(latest?.topHash == topHash && latest?.header == manifest.header)
        #expect(try await registry.readLatestManifestHeader(of: try PackageName("benchling/none")) == nil)

        // The line ends at the newline; a file without one is one line; too long a line is refused.
        let key = RegistryLayout.manifestKey(topHash: topHash)
        let whole = try await registry.getObject(key: key)
        let line = try await registry.firstLine(ofKey: key, maxBytes: 1 << 20)
        #expect(line == whole.prefix(upTo: try #require(whole.firstIndex(of: 0x0A))))
        await #expect(throws: QuiltError.invalidManifest("line 1 is longer than 1000 bytes")) {
            try await registry.firstLine(ofKey: key, maxBytes: 1000)
        }
        let plain = work.appendingPathComponent("registry/benchling/plain.txt")
        try Data("no newline".utf8).write(to: plain)
        #expect(try await registry.firstLine(ofKey: "benchling/plain.txt", maxBytes: 100) == Data("no newline".utf8))
        await #expect(throws: QuiltError.manifestNotFound(topHash: String(repeating: "a", count: 64))) {
            try await registry.readManifestHeader(topHash: String(repeating: "a", count: 64))
        }
    }

    @Test func s3RegistryReadsTheHeaderWithGrowingRanges() async throws {
        let environment = try TestEnvironment.load()
        let bucket = environment.uniqueName("header")
        try await MotoSeeder(environment).createBucket(name: bucket)
        try await environment.withAWSClient(environment.worker) { worker in
            let registry = S3Registry(s3: S3(client: worker), bucket: bucket)
            let work = try makeTemporaryDirectory("s3header")
            defer { try? FileManager.default.removeItem(at: work) }
            // A header of ~100 KB (larger than the 16 KiB first range) before 300 entries.
            let (topHash, manifest) = try await Self.publish(
                to: registry, package: "benchling/EXP00000042", metaBytes: 100_000, files: 300, in: work)
            let key = RegistryLayout.manifestKey(topHash: topHash)
            let whole = try await registry.getObject(key: key)
            let headerLength = try #require(whole.firstIndex(of: 0x0A))
            #expect(headerLength > S3Registry.firstLineChunk)

            #expect(try await registry.readManifestHeader(topHash: topHash) == manifest.header)
            let latest = try await registry.readLatestManifestHeader(of: try PackageName("benchling/EXP00000042"))
            #expect(latest?.topHash == topHash && latest?.header == manifest.header)

            // 16 + 32 + 64 KiB reach past a ~100 KB header: three ranged GETs, and the entries are not read.
            let read = try await registry.firstLine(
                ofKey: key, maxBytes: 1 << 20, firstChunk: S3Registry.firstLineChunk)
            #expect(read.line == whole.prefix(headerLength))
            #expect(read.requests == 3)
            // A first range that ends exactly on the newline, and one a byte short of it.
            let exact = try await registry.firstLine(ofKey: key, maxBytes: 1 << 20, firstChunk: headerLength + 1)
            #expect(exact.line == whole.prefix(headerLength) && exact.requests == 1)
            let short = try await registry.firstLine(ofKey: key, maxBytes: 1 << 20, firstChunk: headerLength)
            #expect(short.line == whole.prefix(headerLength) && short.requests == 2)

            await #expect(throws: QuiltError.invalidManifest("line 1 is longer than 50000 bytes")) {
                try await registry.firstLine(ofKey: key, maxBytes: 50_000)
            }
            // An object without a newline (a pointer) is one line, read to its end.
            let pointer = RegistryLayout.pointerKey(package: try PackageName("benchling/EXP00000042"), tag: "latest")
            let small = try await registry.firstLine(ofKey: pointer, maxBytes: 1000, firstChunk: 10)
            #expect(small.line == Data(topHash.utf8) && small.requests == 3)  // 10 + 20 + 40 bytes
            await #expect(throws: QuiltError.objectNotFound(key: ".quilt/packages/missing")) {
                try await registry.firstLine(ofKey: ".quilt/packages/missing", maxBytes: 1000)
            }
        }
    }
}
