import BenchlingSandbox
import Config
import Foundation
import JobLog
import Logging
import ServiceLifecycle
import TestSupport
import Testing
import Worker

/// `LOG_LEVEL=DEBUG` with credentials in the environment, the worker run as `worker run` runs it (configuration
/// through the resolver, `WorkerService` in a `ServiceGroup`, whose debug lines name the service): no line of any
/// level holds a credential, token, signature or pre-signed URL.
@Suite("Worker logs hold no credentials", .serialized, .timeLimit(.minutes(5)))
struct CredentialLogTests {
    @Test("a job at DEBUG logs no AWS secret, Benchling secret, token, signature or download URL")
    func debugLogsHoldNoCredentials() async throws {
        try await withWorkerFixture { (fixture) async throws in
            await fixture.sandbox.addEntry(id: "etr_creds1", displayId: "EXP00005001", name: "Credential scan")
            let environment = try fixture.deploymentEnvironment(
                userBucket: fixture.bucket, stackARN: try await fixture.createStack(), label: "creds", logLevel: "DEBUG"
            )
            let logs = CapturedLogs()
            let logger = logs.logger(level: .debug)
            let settings = fixture.settings()
            let service = WorkerService(settings: settings, environment: environment, logger: logger)
            let group = ServiceGroup(
                configuration: ServiceGroupConfiguration(
                    services: [.init(service: service)], gracefulShutdownSignals: [], logger: logger))
            let running = Task { try await group.run() }
            let jobLog = try JobLog(path: settings.jobLogPath)
            defer { try? jobLog.close() }
            let queued = try await fixture.enqueue(SandboxMessage.entryUpdatedFields(entryId: "etr_creds1"))
            let detail = try await fixture.waitForJob(jobLog, webhookId: queued.webhookId)
            await group.triggerGracefulShutdown()
            try await running.value

            #expect(detail.job.status == .succeeded, "\(detail.job)")
            // The scan is only worth something if DEBUG lines were written, the service's own among them.
            #expect(
                logs.all.contains { $0.level == .debug && $0.metadata.values.contains { $0.contains("WorkerService") } }
            )
            let secrets = [
                try #require(environment["AWS_SECRET_ACCESS_KEY"]), fixture.sandbox.clientSecret,
            ]
            let findings = CredentialScan.findings(in: logs.all, secrets: secrets)
            #expect(findings.isEmpty, "\(findings)")
        }
    }
}

/// The same scan on the `worker` executable itself (own process, JSON lines on stdout as in ECS), which also
/// covers the loggers the process makes for itself (AWS client, Benchling client).
@Suite("Worker executable logs hold no credentials", .serialized, .timeLimit(.minutes(5)))
struct WorkerExecutableCredentialLogTests {
    @Test("worker run at DEBUG: one job, and no credential in any line it printed")
    func executableLogsHoldNoCredentials() async throws {
        try await withWorkerFixture { (fixture) async throws in
            await fixture.sandbox.addEntry(id: "etr_creds2", displayId: "EXP00005002", name: "Credential scan")
            var environment = try fixture.deploymentEnvironment(
                userBucket: fixture.bucket, stackARN: try await fixture.createStack(), label: "exe", logLevel: "DEBUG")
            let jobLogPath = fixture.folder.appendingPathComponent("jobs-exe.sqlite").path
            let scratch = fixture.folder.appendingPathComponent("tmp-exe")
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            environment["PATH"] = ProcessInfo.processInfo.environment["PATH"]
            environment["QUEUE_URL"] = fixture.queueURL
            environment["JOB_LOG_PATH"] = jobLogPath
            environment["TMPDIR"] = scratch.path
            environment["LOG_LEVEL"] = "DEBUG"
            let jobLog = try JobLog(path: jobLogPath)
            defer { try? jobLog.close() }
            let logFile = fixture.folder.appendingPathComponent("worker-exe.log")
            let worker = try ChildProcess.start(
                binary: try BuiltExecutable.path("worker"), arguments: ["run"], environment: environment, log: logFile)
            let queued = try await fixture.enqueue(SandboxMessage.entryUpdatedFields(entryId: "etr_creds2"))
            let detail: JobDetail
            do {
                detail = try await fixture.waitForJob(jobLog, webhookId: queued.webhookId)
            } catch {
                worker.stop()
                throw error
            }
            worker.stop()
            #expect(detail.job.status == .succeeded, "\(detail.job)")

            let lines = try String(contentsOf: logFile, encoding: .utf8).split(separator: "\n").map(String.init)
            #expect(!lines.isEmpty)
            let secrets = [try #require(environment["AWS_SECRET_ACCESS_KEY"]), fixture.sandbox.clientSecret]
            let findings = CredentialScan.findings(inText: lines, secrets: secrets)
            #expect(findings.isEmpty, "\(findings)")
        }
    }
}
