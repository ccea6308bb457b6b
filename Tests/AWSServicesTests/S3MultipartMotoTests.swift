import AWSCore
import AWSServices
import Crypto
import Foundation
import TestSupport
import Testing

/// A 100 MiB file goes up by multipart (parts streamed from file ranges) and comes back byte-identical; both sides
/// are hashed in 1 MiB chunks, so neither the test nor the code under test holds the file in memory.
/// `Benchmarks/bench-s3-multipart.sh` runs this test under `/usr/bin/time -v` for peak RSS.
@Suite(.timeLimit(.minutes(5))) struct S3MultipartMotoTests {
    static let size = 100 * 1024 * 1024

    @Test func hundredMiBMultipartRoundTrip() async throws {
        let moto = try Moto()
        let env = moto.environment
        let bucket = env.uniqueName("s3-mp")
        try await moto.createBucket(bucket)

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(env.uniqueName("mp"))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = folder.appendingPathComponent("source.bin")
        let sourceHash = try Self.writePseudoRandomFile(source, size: Self.size)

        let key = "benchling/etr_big/export.zip"
        try await moto.with(env.worker) { worker in
            let s3 = S3(client: worker)
            let result = try await s3.upload(file: source, bucket: bucket, key: key, contentType: "application/zip")
            #expect(result.etag.hasSuffix("-13\""), "100 MiB / 8 MiB parts = 13 parts, got \(result.etag)")
            #expect(result.versionId == nil)

            let head = try #require(try await s3.headObject(bucket: bucket, key: key))
            #expect(head.contentLength == Int64(Self.size))
            #expect(head.contentType == "application/zip")

            let copy = folder.appendingPathComponent("copy.bin")
            let info = try await s3.getObject(bucket: bucket, key: key, to: copy)
            #expect(info.contentLength == Int64(Self.size))
            #expect(try Self.sha256(of: copy) == sourceHash)
            // No partial download file is left beside the result.
            #expect(
                try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["copy.bin", "source.bin"])
        }
    }

    @Test func smallFileGoesUpInOnePut() async throws {
        let moto = try Moto()
        let env = moto.environment
        let bucket = env.uniqueName("s3-sp")
        try await moto.createBucket(bucket)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(env.uniqueName("small"))
        let hash = try Self.writePseudoRandomFile(file, size: 3 * 1024 * 1024 + 17)
        defer { try? FileManager.default.removeItem(at: file) }
        try await moto.with(env.worker) { worker in
            let s3 = S3(client: worker)
            let result = try await s3.upload(file: file, bucket: bucket, key: "benchling/small.bin")
            #expect(!result.etag.contains("-"))
            let (data, _) = try await s3.getObject(bucket: bucket, key: "benchling/small.bin")
            #expect(SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() == hash)
        }
    }

    /// A failing multipart upload is aborted: a conditional complete that fails leaves no pending upload.
    @Test func failedMultipartUploadIsAborted() async throws {
        let moto = try Moto()
        let env = moto.environment
        let bucket = env.uniqueName("s3-ab")
        try await moto.createBucket(bucket)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(env.uniqueName("ab"))
        _ = try Self.writePseudoRandomFile(file, size: 11 * 1024 * 1024)
        defer { try? FileManager.default.removeItem(at: file) }
        let key = "benchling/abort/file.bin"
        try await moto.with(env.admin) { admin in
            let s3 = S3(client: admin)
            try await s3.putObject(bucket: bucket, key: key, body: Data("exists".utf8))
            let error = await #expect(throws: AWSError.self) {
                try await s3.upload(
                    file: file, bucket: bucket, key: key, partSize: 5 * 1024 * 1024,
                    condition: .ifNoneMatchAny)
            }
            #expect(error?.code == "PreconditionFailed")
            let uploads = try await admin.send(
                AWSRequest(
                    service: "s3", operation: "ListMultipartUploads", method: "GET", baseURL: env.awsEndpoint,
                    path: "/" + bucket, query: [("uploads", "")], signingOptions: .s3))
            let root = try AWSXMLElement.parse(uploads.body)
            #expect(
                root.children("Upload").isEmpty, "pending uploads: \(String(decoding: uploads.body, as: UTF8.self))")
            #expect(try await s3.getObject(bucket: bucket, key: key).data == Data("exists".utf8))
        }
    }

    /// Deterministic, incompressible content written in 1 MiB chunks; returns its hex SHA-256.
    static func writePseudoRandomFile(_ url: URL, size: Int) throws -> String {
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var hasher = SHA256()
        var seed = Data("bq-test-seed".utf8)
        var written = 0
        while written < size {
            var chunk = Data()
            chunk.reserveCapacity(1 << 20)
            while chunk.count < (1 << 20) {
                seed = Data(SHA256.hash(data: seed))
                chunk.append(seed)
            }
            let piece = chunk.prefix(min(chunk.count, size - written))
            try handle.write(contentsOf: piece)
            hasher.update(data: piece)
            written += piece.count
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    static func sha256(of url: URL) throws -> String {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hasher = SHA256()
        while let data = try handle.read(upToCount: 1 << 20), !data.isEmpty { hasher.update(data: data) }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
