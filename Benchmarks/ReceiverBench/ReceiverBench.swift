import AsyncHTTPClient
import BenchlingSandbox
import Foundation
import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// Load generator for the receiver (run by Benchmarks/bench-receiver.sh).
///
/// Starts a Benchling sandbox (JWKS + signer), launches the receiver binary with a file secret and either a SQLite
/// queue or an SQS FIFO queue on a moto server of its own, pre-signs deliveries just before each run (the
/// signature window is ±300 s), fires them (open loop at fixed rates, or closed loop), and prints throughput,
/// client and receiver-side latency, where the receiver's time goes, and CPU of the receiver (and moto).
@main
struct ReceiverBench {
    static func main() async {
        do {
            try await run(BenchOptions(arguments: Array(CommandLine.arguments.dropFirst())))
        } catch {
            print("receiver-bench: \(error)")
            exit(1)
        }
    }

    static func run(_ options: BenchOptions) async throws {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(2), read: .seconds(10))
        configuration.connectionPool = .init(
            // Open loop means no client-side queueing: enough connections for every request in flight at once.
            idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 4096)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let sandbox = try await SandboxTenant.start()
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("receiver-bench-\(UUID().uuidString)")
        var moto: MotoServer?
        var receiver: Process?
        do {
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
            var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("AWS_") }
            var queueURL: String
            switch options.queue {
            case .sqlite:
                queueURL = "sqlite://" + work.appendingPathComponent("queue.db").path
            case .sqs:
                progress("starting moto")
                let server = try await MotoServer.start(python: options.python, http: client)
                moto = server
                progress("creating the queue")
                queueURL = try await server.createFIFOQueue(name: "bq-bench-receiver.fifo")
                environment.merge(server.receiverEnvironment) { _, new in new }
                print(
                    "queue:       SQS FIFO on a dedicated moto at \(server.endpoint) (pid \(server.process.processIdentifier))"
                )
            }
            environment["QUEUE_URL"] = queueURL
            progress("starting the receiver")
            let process = try launchReceiver(options, sandbox: sandbox, work: work, environment: environment)
            receiver = process
            let base = "http://127.0.0.1:\(options.port)"
            guard try await waitReady(client: client, base: base) else {
                throw BenchError("receiver did not become ready")
            }

            if let connections = options.attackConnections {
                try await HostileRuns.run(
                    client: client, base: base, port: options.port, sandbox: sandbox, receiver: process,
                    connections: connections)
                await shutdown(receiver: receiver, moto: moto, client: client, sandbox: sandbox, work: work)
                return
            }
            let bench = Bench(
                client: client, base: base, sandbox: sandbox, receiver: process, moto: moto,
                queueURL: options.queue == .sqs ? queueURL : nil)
            var reports: [RunReport] = []
            if let concurrency = options.concurrency {
                // Enough pre-signed deliveries for 6000 req/s with SQLite, 300 with moto (both far above what
                // they sustain here).
                let perSecond = options.queue == .sqs ? 300 : 6000
                reports.append(
                    try await bench.measure(
                        title: "closed loop, \(concurrency) clients, \(options.seconds) s", offered: nil,
                        count: perSecond * options.seconds
                    ) { deliveries in
                        await LoadRuns.closedLoop(
                            client: client, base: base, deliveries: deliveries, concurrency: concurrency,
                            seconds: options.seconds)
                    })
            }
            for rate in options.steps.isEmpty && options.concurrency == nil ? [options.rate] : options.steps {
                reports.append(
                    try await bench.measure(
                        title: "open loop \(rate)/s, \(options.seconds) s", offered: rate, count: rate * options.seconds
                    ) { deliveries in
                        await LoadRuns.openLoop(client: client, base: base, deliveries: deliveries, rate: rate)
                    })
            }
            for report in reports { report.printDetails() }
            if reports.count > 1 { RunReport.printTable(reports) }
            if let moto {
                // Every accepted webhook must be a message. A 503 (deadline passed) may still have landed: the call
                // was on the wire; Benchling's retry carries the same webhook-id and FIFO deduplication drops it.
                let last = reports[reports.count - 1]
                let messages = try await moto.messageCount(queueURL: queueURL)
                print(
                    "queue check: \(messages) messages in the queue after the last run for \(last.okCount) accepted "
                        + "webhooks" + (messages >= last.okCount ? " (none lost" : " (MISSING MESSAGES")
                        + (messages > last.okCount
                            ? "; \(messages - last.okCount) from 503 answers whose send completed late)" : ")"))
            }
        } catch {
            await shutdown(receiver: receiver, moto: moto, client: client, sandbox: sandbox, work: work)
            throw error
        }
        await shutdown(receiver: receiver, moto: moto, client: client, sandbox: sandbox, work: work)
    }

    static func launchReceiver(
        _ options: BenchOptions, sandbox: SandboxTenant, work: URL, environment: [String: String]
    ) throws -> Process {
        let secret: [String: Any] = [
            "CLIENT_ID": "bench", "CLIENT_SECRET": "bench", "TENANT": "bench",
            "APP_DEFINITION_ID": sandbox.appDefinitionId, "ENABLE_WEBHOOK_VERIFICATION": true,
            "LOG_LEVEL": options.logLevel, "USER_BUCKET": "file://" + work.appendingPathComponent("registry").path,
            "WEBHOOK_ALLOW_LIST": "",
        ]
        let secretURL = work.appendingPathComponent("secret.json")
        try JSONSerialization.data(withJSONObject: secret).write(to: secretURL)
        let receiver = Process()
        receiver.executableURL = URL(fileURLWithPath: options.binary)
        var environment = environment
        environment["PORT"] = String(options.port)
        environment["BenchlingSecret"] = secretURL.absoluteString
        environment["BENCHLING_JWKS_URL"] = sandbox.jwksURL.absoluteString
        // Deliveries name the sandbox as their tenant; the receiver refuses other tenants.
        environment["BENCHLING_BASE_URL"] = sandbox.baseURL.absoluteString
        environment["LOG_LEVEL"] = options.logLevel
        receiver.environment = environment
        receiver.standardOutput = FileHandle.nullDevice
        try receiver.run()
        return receiver
    }

    static func shutdown(
        receiver: Process?, moto: MotoServer?, client: HTTPClient, sandbox: SandboxTenant, work: URL
    ) async {
        if let receiver, receiver.isRunning {
            receiver.terminate()
            for _ in 0..<100 where receiver.isRunning { try? await Task.sleep(for: .milliseconds(100)) }
            if receiver.isRunning { kill(receiver.processIdentifier, SIGKILL) }
            receiver.waitUntilExit()
        }
        await moto?.stop()
        try? await client.shutdown()
        await sandbox.shutdown()
        try? FileManager.default.removeItem(at: work)
    }

    static func waitReady(client: HTTPClient, base: String) async throws -> Bool {
        for _ in 0..<200 {
            if let response = try? await client.execute(
                HTTPClientRequest(url: base + "/health/ready"), timeout: .seconds(1)),
                response.status == .ok
            {
                return true
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }
}

/// A line on stderr about what the benchmark is doing (stdout carries only results).
func progress(_ text: String) {
    fflush(nil)  // what stdout has so far comes first
    FileHandle.standardError.write(Data("receiver-bench: \(text)\n".utf8))
}

/// One benchmark session: signs, runs, and reads the receiver's metrics and CPU around each run.
struct Bench {
    let client: HTTPClient
    let base: String
    let sandbox: SandboxTenant
    let receiver: Process
    let moto: MotoServer?
    /// The SQS queue, emptied before each run.
    let queueURL: String?

    func measure(
        title: String, offered: Int?, count: Int, _ load: ([SignedDelivery]) async -> Samples
    ) async throws -> RunReport {
        progress("signing \(count) deliveries for: \(title)")
        var deliveries: [SignedDelivery] = []
        deliveries.reserveCapacity(count)
        for index in 0..<count {
            deliveries.append(
                try await sandbox.signedDelivery(message: .entryCreated(entryId: "etr_bench\(index % 200)")))
        }
        if let moto, let queueURL {
            try await moto.purge(queueURL: queueURL)
            try await Task.sleep(for: .seconds(1))  // let moto finish calls left over from the previous run
        }
        let before = await scrape()
        let receiverBefore = cpuSeconds(pid: receiver.processIdentifier)
        let motoBefore = moto.flatMap { cpuSeconds(pid: $0.process.processIdentifier) }
        progress("running: \(title)")
        let samples = await load(deliveries)
        let receiverCPU = cpuSeconds(pid: receiver.processIdentifier).flatMap { after in
            receiverBefore.map { after - $0 }
        }
        let motoCPU = moto.flatMap { cpuSeconds(pid: $0.process.processIdentifier) }.flatMap { after in
            motoBefore.map { after - $0 }
        }
        let after = await scrape()
        func histogram(_ metric: String) -> HistogramSnapshot {
            HistogramSnapshot(exposition: after, metric: metric).minus(
                HistogramSnapshot(exposition: before, metric: metric))
        }
        return RunReport(
            title: title, offeredRate: offered, latencies: await samples.latencies, statuses: await samples.statuses,
            errors: await samples.errors, elapsed: await samples.elapsed,
            server: histogram("receiver_webhook_duration_seconds"),
            enqueue: histogram("receiver_enqueue_duration_seconds"), receiverCPU: receiverCPU, motoCPU: motoCPU)
    }

    func scrape() async -> String {
        guard let response = try? await client.execute(HTTPClientRequest(url: base + "/metrics"), timeout: .seconds(5)),
            let body = try? await response.body.collect(upTo: 1 << 22)
        else { return "" }
        return String(buffer: body)
    }
}
