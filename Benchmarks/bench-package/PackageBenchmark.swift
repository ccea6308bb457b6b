import Foundation
import JSONCore
import Quilt

/// Measures the package write path on one large file: `sha2-256-chunked` hashing alone, then a full publish into a
/// local registry (hash + copy + manifest + pointers). Run through `Benchmarks/bench-package.sh`, which adds the
/// OpenSSL single-core SHA-256 baseline and peak RSS.
///
/// Usage: bench-package [size-in-MiB] [work-directory]
@main
struct PackageBenchmark {
    static func main() async throws {
        let arguments = CommandLine.arguments
        let sizeMiB = arguments.count > 1 ? Int(arguments[1]) ?? 1024 : 1024
        let base =
            arguments.count > 2
            ? URL(fileURLWithPath: arguments[2]) : FileManager.default.temporaryDirectory
        let work = base.appendingPathComponent("bench-package-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }

        let file = work.appendingPathComponent("input.bin")
        try writeFile(file, mebibytes: sizeMiB)
        let megabytes = Double(sizeMiB)

        let hashStart = ContinuousClock.now
        let (size, hash) = try ChunkedHasher.hashFile(at: file)
        let hashSeconds = seconds(ContinuousClock.now - hashStart)
        print("file: \(size) bytes, hash \(hash)")
        print(String(format: "hash only:   %8.1f MiB/s  (%.2f s)", megabytes / hashSeconds, hashSeconds))

        let registry = try LocalDirectoryRegistry(root: work.appendingPathComponent("registry"))
        let writer = PackageWriter(registry: registry)
        let publishStart = ContinuousClock.now
        let result = try await writer.publish(
            package: PackageName("bench/package"), message: "benchmark", userMeta: ["size_mib": .int(sizeMiB)],
            files: [PackageFile(localURL: file, logicalKey: "data/input.bin")], dataKeyPrefix: "bench")
        let publishSeconds = seconds(ContinuousClock.now - publishStart)
        print(
            String(
                format: "publish:     %8.1f MiB/s  (%.2f s, hash + copy into the registry)",
                megabytes / publishSeconds, publishSeconds))
        print("top hash: \(result.topHash)")
        try manifestBenchmark(entries: 10_000)
    }

    /// The canvas Browse view reads manifests of up to ~10,000 entries: time building, hashing, writing, parsing.
    static func manifestBenchmark(entries count: Int) throws {
        let start = ContinuousClock.now
        let entries = (0..<count).map { index in
            ManifestEntry(
                logicalKey: "folder \(index % 37)/file-\(index)-é.csv",
                physicalKey: PhysicalKey.s3(
                    bucket: "bucket", key: "benchling/EXP1/file-\(index).csv", versionId: "v\(index)"),
                size: Int64(index * 1000), hash: EntryHash(value: "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="),
                meta: ["user_meta": ["index": .int(index), "ratio": .float(Double(index) / 7)]])
        }
        let manifest = try Manifest(header: ManifestHeader(message: "bench", userMeta: ["k": "v"]), entries: entries)
        let built = ContinuousClock.now
        let topHash = manifest.topHash
        let hashed = ContinuousClock.now
        let bytes = manifest.serialized()
        let written = ContinuousClock.now
        let parsed = try Manifest.parse(bytes)
        let read = ContinuousClock.now
        precondition(parsed.topHash == topHash)
        print(
            String(
                format:
                    "manifest %ld entries (%.1f MiB): build %.0f ms, top hash %.0f ms, serialise %.0f ms, parse %.0f ms",
                count, Double(bytes.count) / 1_048_576, seconds(built - start) * 1000,
                seconds(hashed - built) * 1000, seconds(written - hashed) * 1000, seconds(read - written) * 1000))
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// Writes pseudo-random bytes 1 MiB at a time (content does not affect SHA-256 speed).
    static func writeFile(_ url: URL, mebibytes: Int) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var state: UInt64 = 0x1234_5678_9ABC_DEF0
        var block = [UInt64](repeating: 0, count: 1024 * 1024 / 8)
        for _ in 0..<mebibytes {
            for index in block.indices {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                block[index] = state
            }
            try block.withUnsafeBytes { try handle.write(contentsOf: Data($0)) }
        }
    }
}
