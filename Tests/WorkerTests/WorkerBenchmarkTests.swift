import BenchlingSandbox
import Config
import Foundation
import JobLog
import Testing
import TestSupport
import Worker

/// Throughput of one job packaging a large export (default 1 GiB, stored ZIP) into the local registry and into
/// moto, with the real worker. Runs only when `BQ_BENCH_WORKER_MIB` is set (Benchmarks/bench-worker.sh sets it);
/// prints figures, asserts only that the jobs succeeded. Never a timing assertion.
@Suite("Worker benchmark", .serialized, .enabled(if: ProcessInfo.processInfo.environment["BQ_BENCH_WORKER_MIB"] != nil))
struct WorkerBenchmarkTests {
    static var sizeMiB: Int { Int(ProcessInfo.processInfo.environment["BQ_BENCH_WORKER_MIB"] ?? "") ?? 1024 }

    @Test("package a large export into the local registry and into S3 (moto)")
    func packageLargeExport() async throws {
        let fixture = try await WorkerFixture.make(visibilitySeconds: 60)
        defer { Task { await fixture.shutdown() } }
        let zip = try Self.makeStoredZip(sizeMiB: Self.sizeMiB, in: fixture.folder)
        var entry = SandboxEntry(id: "etr_bench1", displayId: "EXP00009001", name: "Benchmark")
        entry.exportZip = zip
        await fixture.sandbox.addEntry(entry)

        for target in ["local", "s3"] {
            var settings = fixture.settings()
            settings.jobLogPath = fixture.folder.appendingPathComponent("jobs-\(target).sqlite").path
            let registryPath = fixture.folder.appendingPathComponent("registry").path
            let app = try await WorkerApplication.build(
                configuration: target == "local" ? Self.local(fixture.configuration, path: registryPath) : fixture.configuration,
                settings: settings, environment: fixture.workerEnvironment)
            let task = Task { await app.run() }
            let queued = try await fixture.enqueue(SandboxMessage.entryUpdatedFields(entryId: "etr_bench1"))
            let detail = try await fixture.waitForJob(app.jobLog, webhookId: queued.webhookId, timeout: .seconds(3600))
            app.requestStop()
            await task.value
            await app.close()
            #expect(detail.job.status == .succeeded, "\(detail.job)")

            let steps = detail.attempts.last?.steps ?? []
            let total = (detail.job.finishedAt ?? Date()).timeIntervalSince(detail.job.createdAt)
            let mib = Double(Self.sizeMiB)
            print(String(format: "bench-worker %@: %d MiB in %.2f s = %.1f MiB/s end to end", target, Self.sizeMiB, total, mib / total))
            for step in steps {
                let seconds = (step.finishedAt ?? step.startedAt).timeIntervalSince(step.startedAt)
                guard seconds > 0.05 else { continue }
                print(String(format: "bench-worker %@:   %-16@ %.2f s (%.1f MiB/s)", target, step.name, seconds, mib / seconds))
            }
        }
        var usage = rusage()
        #if os(Linux)
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        let peakMiB = usage.ru_maxrss / 1024  // kilobytes on Linux
        #else
        getrusage(RUSAGE_SELF, &usage)
        let peakMiB = usage.ru_maxrss / (1024 * 1024)  // bytes on macOS
        #endif
        print("bench-worker peak RSS: \(peakMiB) MiB (test process: worker + Benchling sandbox)")
    }

    static func local(_ configuration: Configuration, path: String) -> Configuration {
        var copy = configuration
        copy.parameters.userBucket = .localDirectory(path: path)
        copy.catalogHost = nil
        return copy
    }

    /// A ZIP (stored, not deflated: the export's cost is the bytes, not our inflater) holding one file of `sizeMiB`.
    static func makeStoredZip(sizeMiB: Int, in folder: URL) throws -> URL {
        let data = folder.appendingPathComponent("bench-data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let file = data.appendingPathComponent("plate-images.bin")
        _ = FileManager.default.createFile(atPath: file.path, contents: nil)
        let handle = try FileHandle(forWritingTo: file)
        var block = Data(count: 1 << 20)
        block.withUnsafeMutableBytes { buffer in
            for index in 0..<buffer.count { buffer[index] = UInt8.random(in: 0...255) }
        }
        for index in 0..<sizeMiB {
            block[0] = UInt8(truncatingIfNeeded: index)  // no two MiB alike
            try handle.write(contentsOf: block)
        }
        try handle.close()
        let zip = folder.appendingPathComponent("bench-export.zip")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["zip", "-0", "-q", "-r", zip.path, "."]
        process.currentDirectoryURL = data
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw FixtureError("zip failed: \(process.terminationStatus)") }
        try FileManager.default.removeItem(at: data)
        return zip
    }
}
