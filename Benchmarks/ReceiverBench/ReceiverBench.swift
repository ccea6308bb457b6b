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
        let cpuBefore = cpuSeconds(pid: receiver.processIdentifier)
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
        let cpuUsed = cpuSeconds(pid: receiver.processIdentifier).flatMap { after in cpuBefore.map { after - $0 } }
        let exposition = await scrape(client: client, base: base)
        try await client.shutdown()
        await sandbox.shutdown()
        await results.report(elapsed: elapsed, offeredRate: rate)
        // The receiver's own view: the client shares two cores with the receiver and the sandbox, so its
        // figures include scheduling noise that is not the receiver's doing.
        for (label, metric) in [("server:", "receiver_webhook_duration_seconds"),
                                ("enqueue:", "receiver_enqueue_duration_seconds")]
        {
            print(label.padding(toLength: 13, withPad: " ", startingAt: 0)
                + HistogramSummary(exposition: exposition, metric: metric).description)
        }
        if let cpuUsed {
            // How much of the machine the receiver itself needs: what caps throughput when the queue does not.
            print("receiver cpu: " + String(format: "%.1f s, %.0f µs per request, %.0f%% of one core", cpuUsed,
                                            cpuUsed / Double(total) * 1e6,
                                            cpuUsed / (Double(elapsed.components.seconds) + 1e-18
                                                * Double(elapsed.components.attoseconds)) * 100))
        }
    }

    /// User + system CPU time of a process, from /proc (Linux); nil elsewhere.
    static func cpuSeconds(pid: Int32) -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")")
        else { return nil }
        // Fields after the command name: state is field 3, utime 14 and stime 15 (in clock ticks).
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    static func scrape(client: HTTPClient, base: String) async -> String {
        guard let response = try? await client.execute(HTTPClientRequest(url: base + "/metrics"), timeout: .seconds(5)),
              let body = try? await response.body.collect(upTo: 1 << 22)
        else { return "" }
        return String(buffer: body)
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

/// Percentiles read off a Prometheus histogram: each is the upper bound of the bucket it falls in.
struct HistogramSummary: CustomStringConvertible {
    var buckets: [(bound: Double, count: Double)] = []

    init(exposition: String, metric: String) {
        for line in exposition.split(separator: "\n") where line.hasPrefix(metric + "_bucket{") {
            guard let open = line.range(of: "le=\""), let close = line[open.upperBound...].firstIndex(of: "\""),
                  let count = line.split(separator: " ").last.flatMap({ Double($0) })
            else { continue }
            let bound = String(line[open.upperBound..<close])
            buckets.append((bound == "+Inf" ? .infinity : Double(bound) ?? .infinity, count))
        }
        buckets.sort { $0.bound < $1.bound }
    }

    func percentile(_ p: Double) -> String {
        guard let total = buckets.last?.count, total > 0 else { return "n/a" }
        let bucket = buckets.first { $0.count >= total * p } ?? buckets[buckets.count - 1]
        return bucket.bound.isInfinite ? "> last bucket" : String(format: "<= %g ms", bucket.bound * 1000)
    }

    var description: String {
        guard let total = buckets.last?.count, total > 0 else { return "no samples" }
        return "p50 \(percentile(0.5))  p99 \(percentile(0.99))  p99.9 \(percentile(0.999))  (\(Int(total)) samples)"
    }
}
