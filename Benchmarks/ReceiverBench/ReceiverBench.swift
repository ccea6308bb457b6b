import AsyncHTTPClient
import BenchlingSandbox
import Foundation
import NIOCore
import NIOHTTP1

/// Load generator for the receiver (run by Benchmarks/bench-receiver.sh).
///
/// Starts a Benchling sandbox (JWKS + signer), launches the receiver binary with a file secret and a SQLite
/// queue, pre-signs every delivery just before the run (the signature window is ±300 s), fires them open-loop
/// at a fixed rate, and prints throughput and latency percentiles.
///
/// Usage: receiver-bench RECEIVER_BINARY [--rate 500] [--seconds 20] [--port 18080]
@main
struct ReceiverBench {
    static func main() async throws {
        var arguments = Array(CommandLine.arguments.dropFirst())
        guard !arguments.isEmpty else {
            print("usage: receiver-bench RECEIVER_BINARY [--rate N] [--seconds N] [--port N]")
            exit(2)
        }
        let binary = arguments.removeFirst()
        func option(_ name: String, _ fallback: Int) -> Int {
            guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return fallback }
            return Int(arguments[index + 1]) ?? fallback
        }
        let rate = option("--rate", 500), seconds = option("--seconds", 20), port = option("--port", 18080)

        let sandbox = try await BenchlingSandbox.start()
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("receiver-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let secret: [String: Any] = [
            "CLIENT_ID": "bench", "CLIENT_SECRET": "bench", "TENANT": "bench",
            "APP_DEFINITION_ID": sandbox.appDefinitionId, "ENABLE_WEBHOOK_VERIFICATION": true,
            "LOG_LEVEL": "WARNING", "USER_BUCKET": "file://" + work.appendingPathComponent("registry").path,
            "WEBHOOK_ALLOW_LIST": "",
        ]
        let secretURL = work.appendingPathComponent("secret.json")
        try JSONSerialization.data(withJSONObject: secret).write(to: secretURL)

        let receiver = Process()
        receiver.executableURL = URL(fileURLWithPath: binary)
        var environment = ProcessInfo.processInfo.environment
        environment["PORT"] = String(port)
        environment["BenchlingSecret"] = secretURL.absoluteString
        environment["QUEUE_URL"] = "sqlite://" + work.appendingPathComponent("queue.db").path
        environment["BENCHLING_JWKS_URL"] = sandbox.jwksURL.absoluteString
        environment["LOG_LEVEL"] = "warning"
        receiver.environment = environment
        receiver.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        try receiver.run()
        defer {
            receiver.terminate()
            receiver.waitUntilExit()
            try? FileManager.default.removeItem(at: work)
        }

        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(2), read: .seconds(10))
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let base = "http://127.0.0.1:\(port)"
        guard try await waitReady(client: client, base: base) else {
            print("receiver did not become ready")
            try await client.shutdown()
            await sandbox.shutdown()
            exit(1)
        }

        let total = rate * seconds
        var deliveries: [SignedDelivery] = []
        deliveries.reserveCapacity(total)
        for index in 0..<total {
            deliveries.append(try await sandbox.signedDelivery(message: .entryCreated(entryId: "etr_bench\(index % 200)")))
        }

        let results = ResultsBox()
        let interval = Duration.nanoseconds(1_000_000_000 / Int64(rate))
        let clock = ContinuousClock()
        let start = clock.now
        await withTaskGroup(of: Void.self) { group in
            for (index, delivery) in deliveries.enumerated() {
                try? await clock.sleep(until: start + interval * index)
                group.addTask {
                    var request = HTTPClientRequest(url: base + "/event")
                    request.method = .POST
                    for header in delivery.headers { request.headers.add(name: header.name, value: header.value) }
                    request.body = .bytes(ByteBuffer(data: delivery.body))
                    let sent = clock.now
                    do {
                        let response = try await client.execute(request, timeout: .seconds(10))
                        _ = try await response.body.collect(upTo: 1 << 16)
                        await results.record(latency: clock.now - sent, status: Int(response.status.code))
                    } catch {
                        await results.record(latency: clock.now - sent, status: 0)
                    }
                }
            }
        }
        let elapsed = clock.now - start
        try await client.shutdown()
        await sandbox.shutdown()
        await results.report(elapsed: elapsed, offeredRate: rate)
    }

    static func waitReady(client: HTTPClient, base: String) async throws -> Bool {
        for _ in 0..<200 {
            if let response = try? await client.execute(HTTPClientRequest(url: base + "/health/ready"), timeout: .seconds(1)),
               response.status == .ok
            {
                return true
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }
}

/// Collected latencies and statuses.
actor ResultsBox {
    private var latencies: [Duration] = []
    private var statuses: [Int: Int] = [:]

    func record(latency: Duration, status: Int) {
        latencies.append(latency)
        statuses[status, default: 0] += 1
    }

    func report(elapsed: Duration, offeredRate: Int) {
        let sorted = latencies.sorted()
        func percentile(_ p: Double) -> String {
            guard !sorted.isEmpty else { return "n/a" }
            let value = sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
            return String(format: "%.2f ms", Double(value.components.attoseconds) / 1e15
                + Double(value.components.seconds) * 1000)
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("requests:    \(sorted.count) in \(String(format: "%.1f", seconds)) s (offered \(offeredRate)/s)")
        print("throughput:  \(String(format: "%.1f", Double(sorted.count) / seconds)) req/s")
        print("latency:     p50 \(percentile(0.5))  p99 \(percentile(0.99))  max \(percentile(1.0))")
        print("statuses:    \(statuses.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")
    }
}
