import AsyncHTTPClient
import BenchlingSandbox
import Config
import Foundation
import JSONCore
import NIOCore
import TestSupport
import Testing

/// ops/template.yaml is the tests' wiring: its task definitions' Environment and Command, with moto stand-ins for
/// the parameters and resources, start the real `receiver` and `worker` executables. Added to that environment is
/// only what the platform or a test must add: the AWS endpoint and region, the keys of the IAM user that holds
/// the component's task-role policy, the Benchling sandbox's address (development overrides), the host name, and
/// the container's port and mount point mapped to this machine.
@Suite("Template wiring", .serialized, .timeLimit(.minutes(10)))
struct TemplateWiringTests {
    @Test(
        "a signed webhook through the template-wired receiver and worker becomes a package quilt3 verifies; jobs list and replay --dlq work"
    )
    func webhookToVerifiedPackage() async throws {
        try await withWorkerFixture(visibilitySeconds: 30) { (fixture) async throws in
            let environment = fixture.environment
            let binaries = try ExecutableProducts.directory()
            await fixture.sandbox.addEntry(id: "etr_wire1", displayId: "EXP00007001", name: "Template wiring")
            let stack = try await fixture.createStack()
            let secret = try await MotoSeeder(environment).createSecret(
                Self.secret(fixture).compactString(), name: environment.uniqueName("wiring"))
            let stackName = environment.uniqueName("wiring-stack")
            let events = try await fixture.createPackageEventQueue()
            let containers = try TemplateTaskDefinitions.load(
                environment,
                substitutions: [
                    "Queue": fixture.queueURL, "DeadLetterQueue": fixture.deadLetterURL, "QuiltStackARN": stack,
                    "PackageEventQueue": events.queue,
                    "BenchlingSecretARN": secret.arn, "VpcCidr": "127.0.0.0/8", "AWS::StackName": stackName,
                    // The moto stack has no Athena outputs either.
                    "AthenaResultsBucket": "", "QuiltAthenaDatabase": "",
                ])
            #expect(containers["worker"]?.environment["ATHENA_LOOKUP"] == "off")
            let receiverTask = try #require(containers["receiver"])
            let workerTask = try #require(containers["worker"])

            // The container's surroundings, mapped to this machine: its port and its job-log volume.
            let port = try FreePort.pick()
            var receiverEnvironment = receiverTask.environment
            #expect(receiverTask.containerPorts.map { String($0) } == [receiverEnvironment["PORT"] ?? ""])
            receiverEnvironment["PORT"] = String(port)
            var workerEnvironment = workerTask.environment
            let jobLogDirectory = fixture.folder.appendingPathComponent("joblog")
            try FileManager.default.createDirectory(at: jobLogDirectory, withIntermediateDirectories: true)
            let mount = try #require(workerTask.mountPaths.first)
            #expect(workerEnvironment["JOB_LOG_DIR"] == mount)
            workerEnvironment["JOB_LOG_DIR"] = jobLogDirectory.path
            let overrides = [
                "BENCHLING_BASE_URL": fixture.sandbox.baseURL.absoluteString,
                "BENCHLING_JWKS_URL": fixture.sandbox.jwksURL.absoluteString,
            ]
            receiverEnvironment.merge(environment.awsProcessEnvironment(environment.receiver)) { _, new in new }
            receiverEnvironment.merge(overrides) { _, new in new }
            workerEnvironment.merge(environment.awsProcessEnvironment(environment.worker)) { _, new in new }
            workerEnvironment.merge(overrides) { _, new in new }
            workerEnvironment["HOSTNAME"] = "wiring-task"
            let scratch = fixture.folder.appendingPathComponent("tmp")
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            workerEnvironment["TMPDIR"] = scratch.path

            let receiverLog = fixture.folder.appendingPathComponent("receiver.log")
            let workerLog = fixture.folder.appendingPathComponent("worker.log")
            let receiver = try ChildProcess.start(
                binary: binaries.appendingPathComponent("receiver").path, arguments: [],
                environment: receiverEnvironment,
                log: receiverLog)
            defer { receiver.stop() }
            let worker = try ChildProcess.start(
                binary: binaries.appendingPathComponent("worker").path, arguments: workerTask.command,
                environment: workerEnvironment, log: workerLog)
            defer { worker.stop() }

            // Ready means the receiver resolved the template's secret and stack with its own role.
            let base = "http://127.0.0.1:\(port)"
            try await Self.poll("receiver ready (log: \(receiverLog.path))", timeout: .seconds(120)) {
                try await Self.get(base + "/health/ready") == 200
            }
            let delivery = try await fixture.sandbox.signedDelivery(
                message: SandboxMessage.entryUpdatedFields(entryId: "etr_wire1"))
            #expect(try await Self.post(delivery, to: base + "/event") == 200)  // entry events: 200; canvas events: 202

            // The operator command, with the worker task's environment, sees the job finish.
            let jobs = OperatorRun(binary: binaries.appendingPathComponent("worker"), environment: workerEnvironment)
            var finished: JSONValue?
            try await Self.poll(
                "job \(delivery.webhookId) finished (worker log: \(workerLog.path))", timeout: .seconds(180)
            ) {
                let lines = try jobs.run(["jobs", "list", "--json"]).split(separator: "\n")
                finished = try lines.map { try JSONValue.parse(String($0)) }.first {
                    $0["webhook_id"]?.stringValue == delivery.webhookId
                        && ["succeeded", "dead_lettered"].contains($0["status"]?.stringValue ?? "")
                }
                return finished != nil
            }
            let job = try #require(finished)
            #expect(job["status"]?.stringValue == "succeeded", "\(job)")
            let package = try #require(job["package"]?.stringValue)
            let topHash = try #require(job["top_hash"]?.stringValue)
            #expect(package == "benchling/EXP00007001")
            let report = try fixture.judgePackage(package, topHash: topHash)
            #expect(report["error"] == .null, "\(report)")
            #expect(report["top_hash"]?.stringValue == topHash)
            #expect((report["entries"]?.arrayValue ?? []).allSatisfy { $0["hash_ok"] == .bool(true) }, "\(report)")

            // A dead letter, replayed with the worker task's environment and role, is worked off by the worker.
            let lost = try await fixture.sandbox.signedDelivery(
                message: SandboxMessage.entryUpdatedFields(entryId: "etr_wire1"))
            let queued = try await fixture.enqueue(lost, queueURL: fixture.deadLetterURL)
            let replayed = try jobs.run(["replay", "--dlq", "--all"])
            #expect(replayed.contains(queued.webhookId), "\(replayed)")
            try await Self.poll("replayed job \(queued.webhookId) finished", timeout: .seconds(180)) {
                try jobs.run(["jobs", "list", "--json"]).split(separator: "\n").contains {
                    // Same entry, same export: the replayed job finds the package unchanged (skipped) or writes it.
                    $0.contains(#""webhook_id":"\#(queued.webhookId)""#)
                        && ($0.contains(#""status":"succeeded""#) || $0.contains(#""status":"skipped""#))
                }
            }
            #expect(try jobs.run(["queue", "stats"]).contains(fixture.deadLetterURL))

            // The package-event queue is drained with the template's policy: an event for the package (whose entry
            // has no canvas yet) is received and deleted.
            #expect(workerEnvironment["PACKAGE_EVENT_QUEUE_URL"] == events.queue)
            try await fixture.sendPackageEvent(handle: package, topHash: topHash, to: events.queue)
            try await Self.poll("package event consumed (worker log: \(workerLog.path))", timeout: .seconds(60)) {
                try await fixture.pendingMessages(events.queue) == 0
            }
            #expect(try await fixture.pendingMessages(events.deadLetter) == 0)

            // Stopping flushes the CloudWatch metrics (Embedded Metric Format, namespace from the template).
            worker.stop()
            receiver.stop()
            let namespace = try #require(workerTask.environment["METRICS_NAMESPACE"])
            #expect(namespace == "BenchlingQuilt/\(stackName)")
            let workerMetrics = try Self.metricLines(workerLog, namespace: namespace)
            #expect(
                workerMetrics.contains { $0["jobs"] != nil && $0["outcome"]?.stringValue == "succeeded" },
                "\(workerMetrics)")
            #expect(workerMetrics.contains { $0["job_duration"]?.arrayValue?.isEmpty == false }, "\(workerMetrics)")
            let receiverMetrics = try Self.metricLines(receiverLog, namespace: namespace)
            #expect(
                receiverMetrics.contains { $0["webhooks"] != nil && $0["route"]?.stringValue == "event" },
                "\(receiverMetrics)")
            #expect(receiverMetrics.contains { $0["enqueue_latency"] != nil }, "\(receiverMetrics)")
        }
    }

    static func secret(_ fixture: WorkerFixture) -> JSONValue {
        [
            "CLIENT_ID": .string(fixture.sandbox.clientId), "CLIENT_SECRET": .string(fixture.sandbox.clientSecret),
            "TENANT": "sandbox", "APP_DEFINITION_ID": .string(fixture.sandbox.appDefinitionId),
            "USER_BUCKET": .string(fixture.bucket), "PKG_PREFIX": .string(WorkerFixture.pkgPrefix), "LOG_LEVEL": "INFO",
        ]
    }

    /// The EMF lines of `namespace` in a process's output.
    static func metricLines(_ log: URL, namespace: String) throws -> [JSONValue] {
        try String(contentsOf: log, encoding: .utf8).split(separator: "\n").compactMap { line in
            guard line.hasPrefix(#"{"_aws""#) else { return nil }
            let json = try JSONValue.parse(String(line))
            let directive = json["_aws"]?["CloudWatchMetrics"]?[0]
            return directive?["Namespace"]?.stringValue == namespace ? json : nil
        }
    }

    static func poll(
        _ what: String, timeout: Duration, _ done: () async throws -> Bool
    ) async throws {
        var lastError: (any Error)?
        let held = try await eventually(timeout: timeout, every: .milliseconds(250)) {
            do {
                return try await done()
            } catch {
                lastError = error
                return false
            }
        }
        if held { return }
        throw TemplateError("timed out waiting for \(what)\(lastError.map { "; last error: \($0)" } ?? "")")
    }

    static func get(_ url: String) async throws -> Int {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(5))
        _ = try await response.body.collect(upTo: 1 << 20)
        return Int(response.status.code)
    }

    static func post(_ delivery: SignedDelivery, to url: String) async throws -> Int {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        for header in delivery.headers { request.headers.add(name: header.name, value: header.value) }
        request.body = .bytes(ByteBuffer(bytes: delivery.body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        _ = try await response.body.collect(upTo: 1 << 20)
        return Int(response.status.code)
    }
}

/// One operator command (`worker …`) run to completion with a given environment; its stdout, or an error with
/// its stderr.
struct OperatorRun {
    let binary: URL
    let environment: [String: String]

    func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.environment = environment
        let stdout = Pipe(), stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let errors = ErrorCollector(stderr.fileHandleForReading)
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: out, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw TemplateError(
                "worker \(arguments.joined(separator: " ")) exited \(process.terminationStatus): \(errors.wait())")
        }
        return text
    }
}

/// Reads a pipe to its end on a thread of its own, so neither pipe of a child can fill up and block it.
private final class ErrorCollector: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var data = Data()

    init(_ handle: FileHandle) {
        Thread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }.start()
    }

    func wait() -> String {
        done.wait()
        return String(decoding: data, as: UTF8.self)
    }
}
