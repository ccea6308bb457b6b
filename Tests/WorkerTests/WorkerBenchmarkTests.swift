import BenchlingSandbox
import Foundation
import JSONCore
import JobLog
import TestSupport
import Testing
import Worker

/// Throughput and memory of one job packaging a large export (default 1 GiB, stored ZIP) into the local registry
/// and into moto, with the real `worker` executable in a process of its own. Runs only when
/// `BQ_BENCH_WORKER_MIB` and `BQ_BENCH_WORKER_BINARY` are set (Benchmarks/bench-worker.sh sets both); prints
/// figures, asserts only that the jobs succeeded. Never a timing assertion.
///
/// The worker runs as a child process so that its peak RSS (`VmHWM` of that process) is the worker's alone: the
/// Benchling sandbox serving the export, the moto seeding and the test runner stay in this process.
@Suite(
    "Worker benchmark", .serialized, .enabled(if: WorkerBenchmarkSettings.binary != nil), .timeLimit(.minutes(30)))
struct WorkerBenchmarkTests {
    static var sizeMiB: Int { WorkerBenchmarkSettings.sizeMiB }
    static var binary: String? { WorkerBenchmarkSettings.binary }

    @Test("package a large export into the local registry and into S3 (moto)")
    func packageLargeExport() async throws {
        let binary = try #require(Self.binary)
        try await withWorkerFixture(visibilitySeconds: 60) { (fixture) async throws in
            let zip = try Self.makeStoredZip(sizeMiB: Self.sizeMiB, in: fixture.folder)
            var entry = SandboxEntry(id: "etr_bench1", displayId: "EXP00009001", name: "Benchmark")
            entry.exportZip = zip
            entry.runningPolls = 0  // the export is ready at the first poll: measure the worker, not Benchling's wait
            await fixture.sandbox.addEntry(entry)
            let stack = try await fixture.createStack()

            for target in ["local", "s3"] {
                let registry = fixture.folder.appendingPathComponent("registry")
                let jobLogPath = fixture.folder.appendingPathComponent("jobs-\(target).sqlite").path
                // Created here first, so the worker finds the schema in place and both processes share the WAL file.
                let jobLog = try JobLog(path: jobLogPath)
                defer { try? jobLog.close() }
                let worker = try ChildProcess.start(
                    binary: binary, arguments: ["run"],
                    environment: try Self.workerEnvironment(
                        fixture, target: target, registry: registry, stack: stack, jobLogPath: jobLogPath),
                    log: fixture.folder.appendingPathComponent("worker-\(target).log"))
                let queued = try await fixture.enqueue(SandboxMessage.entryUpdatedFields(entryId: "etr_bench1"))
                let detail: JobDetail
                do {
                    detail = try await fixture.waitForJob(jobLog, webhookId: queued.webhookId, timeout: .seconds(3600))
                } catch {
                    worker.stop()
                    throw error
                }
                let peakKiB = worker.peakResidentKiB()
                worker.stop()
                #expect(detail.job.status == .succeeded, "\(detail.job)")
                Self.report(detail, target: target, peakKiB: peakKiB)
            }
        }
    }

    static func report(_ detail: JobDetail, target: String, peakKiB: Int?) {
        let mib = Double(sizeMiB)
        let steps = detail.attempts.last?.steps ?? []
        let total = (detail.job.finishedAt ?? Date()).timeIntervalSince(detail.job.createdAt)
        print(
            String(
                format: "bench-worker %@: %d MiB in %.2f s = %.1f MiB/s end to end", target, sizeMiB, total, mib / total
            ))
        var packaging = 0.0
        for step in steps {
            let seconds = (step.finishedAt ?? step.startedAt).timeIntervalSince(step.startedAt)
            if [PipelineStep.plan, .publish].map(\.rawValue).contains(step.name) { packaging += seconds }
            guard seconds > 0.05 else { continue }
            print(
                String(
                    format: "bench-worker %@:   %-16@ %.2f s (%.1f MiB/s)", target, step.name, seconds, mib / seconds))
        }
        print(
            String(
                format: "bench-worker %@: packaging (hash + publish) %.2f s = %.1f MiB/s", target, packaging,
                mib / packaging))
        print("bench-worker \(target): worker peak RSS \(peakKiB.map { "\($0 / 1024) MiB" } ?? "unknown (no /proc)")")
    }

    /// The worker process's environment, as a deployment would set it: the file secret (embedded mode for the
    /// local registry; with the moto stack for S3), moto with the worker's IAM user, the queue, the job log.
    static func workerEnvironment(
        _ fixture: WorkerFixture, target: String, registry: URL, stack: String, jobLogPath: String
    ) throws -> [String: String] {
        var environment = try fixture.deploymentEnvironment(
            userBucket: target == "local" ? registry.absoluteString : fixture.bucket,
            stackARN: target == "s3" ? stack : nil, label: target)
        let scratch = fixture.folder.appendingPathComponent("tmp-\(target)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        environment["PATH"] = ProcessInfo.processInfo.environment["PATH"]
        environment["QUEUE_URL"] = fixture.queueURL
        environment["JOB_LOG_PATH"] = jobLogPath
        environment["WORKER_CONCURRENCY"] = "1"
        environment["TMPDIR"] = scratch.path
        return environment
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

/// What Benchmarks/bench-worker.sh passes in.
enum WorkerBenchmarkSettings {
    static var sizeMiB: Int { Int(ProcessInfo.processInfo.environment["BQ_BENCH_WORKER_MIB"] ?? "") ?? 1024 }
    /// The `worker` executable to measure; nil (suite disabled) unless a size is given too.
    static var binary: String? {
        let environment = ProcessInfo.processInfo.environment
        guard environment["BQ_BENCH_WORKER_MIB"] != nil else { return nil }
        return environment["BQ_BENCH_WORKER_BINARY"]
    }
}

/// An executable of this package (`worker run`, `receiver`) as a child process, its output going to a file.
struct ChildProcess {
    let process: Process

    static func start(
        binary: String, arguments: [String], environment: [String: String], log: URL
    ) throws -> ChildProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.environment = environment
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let output = try FileHandle(forWritingTo: log)
        process.standardOutput = output
        process.standardError = output
        try process.run()
        return ChildProcess(process: process)
    }

    /// The process's peak resident set (`VmHWM`, KiB) while it still runs; nil where there is no /proc.
    func peakResidentKiB() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return nil }
        return Int(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first ?? "")
    }

    /// SIGTERM (graceful stop), then wait for the exit.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }
}
