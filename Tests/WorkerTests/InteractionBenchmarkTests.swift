import Benchling
import BenchlingSandbox
import Foundation
import JSONCore
import Quilt
import TestSupport
import Testing

@testable import Worker

/// Click-to-updated-canvas latency of Browse on a large package (local registry + sandbox): press the button,
/// fetch the entry (the pipeline does), read the manifest once and render the page, PATCH the canvas. Runs only
/// when `BQ_BENCH_BROWSE_FILES` is set (Benchmarks/bench-browse.sh sets it); prints `bench-browse` lines.
@Suite(
    "Interaction benchmark", .serialized,
    .enabled(if: ProcessInfo.processInfo.environment["BQ_BENCH_BROWSE_FILES"] != nil), .timeLimit(.minutes(30)))
struct InteractionBenchmarkTests {
    static var fileCount: Int { Int(ProcessInfo.processInfo.environment["BQ_BENCH_BROWSE_FILES"] ?? "") ?? 10_000 }
    static let clicksPerPage = 20

    @Test("Browse latency on a large package")
    func browseLatency() async throws {
        try await withInteractionWorld { (world) async throws in
            let canvas = try world.canvas()
            let topHash = try await Self.publishManifestOnly(
                world.registry, package: canvas.package, files: Self.fileCount)
            let manifestBytes = try await world.registry.getObject(key: RegistryLayout.manifestKey(topHash: topHash))
                .count
            print("bench-browse files=\(Self.fileCount) manifest_bytes=\(manifestBytes)")

            let lastPage = (Self.fileCount + PackageSnapshot.pageSize - 1) / PackageSnapshot.pageSize - 1
            for page in [0, lastPage / 2, lastPage] {
                var samples: [Double] = []
                for _ in 0..<Self.clicksPerPage {
                    let buttonId = "quilt:browse:\(world.entryId):\(page)"
                    let clock = ContinuousClock()
                    let started = clock.now
                    _ = try await world.sandbox.pressButton(canvasId: world.canvasId, buttonId: buttonId)
                    _ = try await world.client.getEntry(world.entryId)
                    let view = await CanvasInteraction(canvas: canvas, registry: world.registry).view(
                        forButtonId: buttonId)
                    _ = try await world.client.updateCanvas(world.canvasId, view)
                    samples.append(Self.milliseconds(clock.now - started))
                    #expect(view.markdown("quilt-browse")?.contains("page \(page + 1) of \(lastPage + 1)") == true)
                }
                samples.sort()
                print(
                    String(
                        format: "bench-browse page=%d clicks=%d p50_ms=%.1f p95_ms=%.1f max_ms=%.1f", page,
                        samples.count,
                        samples[samples.count / 2], samples[Int(Double(samples.count - 1) * 0.95)], samples.last ?? 0))
            }

            // The part that grows with the package: pointer + manifest read and the page render, without HTTP.
            var readSamples: [Double] = []
            for _ in 0..<Self.clicksPerPage {
                let clock = ContinuousClock()
                let started = clock.now
                let snapshot = try #require(try await PackageSnapshot.latest(of: canvas.package, in: world.registry))
                _ = BrowseView.render(canvas, subject: .own, snapshot: snapshot, page: try snapshot.page(lastPage))
                readSamples.append(Self.milliseconds(clock.now - started))
            }
            readSamples.sort()
            print(
                String(
                    format: "bench-browse read_and_render p50_ms=%.1f max_ms=%.1f", readSamples[readSamples.count / 2],
                    readSamples.last ?? 0))
        }
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }

    /// Writes a manifest of `files` entries (no data objects: Browse reads only the manifest) and points `latest`
    /// at it.
    static func publishManifestOnly(
        _ registry: LocalDirectoryRegistry, package: PackageName, files: Int
    ) async throws -> String {
        var entries: [ManifestEntry] = []
        entries.reserveCapacity(files)
        for index in 0..<files {
            let key = String(format: "plates/plate-%03d/well-%05d.csv", index / 100, index)
            entries.append(
                ManifestEntry(
                    logicalKey: key, physicalKey: registry.physicalKey(forKey: "\(package)/\(key)"),
                    size: Int64(1000 + index),
                    hash: EntryHash(value: String(repeating: "0", count: 64))))
        }
        let manifest = try Manifest(
            header: ManifestHeader(message: "bench", userMeta: ["experiment_id": "EXP00000042"]), entries: entries)
        try await registry.putManifest(manifest.serialized(), topHash: manifest.topHash)
        try await registry.putPointer(topHash: manifest.topHash, package: package, tag: "latest")
        return manifest.topHash
    }
}
