import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What one run measured: the client's view, the receiver's histograms over the run, and CPU.
struct RunReport {
    var title: String
    var offeredRate: Int?
    var latencies: [Duration]
    var statuses: [Int: Int]
    /// Client-side failures (status 0), by error text.
    var errors: [String: Int] = [:]
    var elapsed: Duration
    /// `receiver_webhook_duration_seconds` over the run: routing to answer, enqueue included.
    var server: HistogramSnapshot
    /// `receiver_enqueue_duration_seconds` over the run.
    var enqueue: HistogramSnapshot
    var receiverCPU: Double?
    var motoCPU: Double?

    var seconds: Double { elapsed.seconds }
    var throughput: Double { Double(latencies.count) / max(seconds, 1e-9) }
    var okCount: Int { statuses.filter { (200..<300).contains($0.key) }.values.reduce(0, +) }

    func percentile(_ p: Double) -> String {
        guard !latencies.isEmpty else { return "n/a" }
        return Self.ms(latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))].seconds)
    }

    static func ms(_ seconds: Double) -> String { String(format: "%.2f ms", seconds * 1000) }

    func percentOfCore(_ cpu: Double?) -> String {
        cpu.map { String(format: "%.0f%%", $0 / max(seconds, 1e-9) * 100) } ?? "n/a"
    }

    func printDetails() {
        print("== \(title)")
        let offered = offeredRate.map { "offered \($0)/s" } ?? "closed loop"
        print("requests:    \(latencies.count) in \(String(format: "%.1f", seconds)) s (\(offered))")
        print(
            "throughput:  \(String(format: "%.1f", throughput)) req/s answered, \(String(format: "%.1f", Double(okCount) / max(seconds, 1e-9))) req/s accepted"
        )
        print("latency:     p50 \(percentile(0.5))  p99 \(percentile(0.99))  max \(percentile(1.0))  (client)")
        print(
            "statuses:    \(statuses.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))"
                + (statuses[0] == nil
                    ? "" : "  (0 = no answer: " + errors.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ") + ")")
        )
        // The receiver's own view: the client shares two cores with the receiver (and moto), so its figures
        // include scheduling noise that is not the receiver's doing.
        print("server:      \(server)")
        print("enqueue:     \(enqueue)")
        if let split = timeSplit { print("time split:  \(split)") }
        if let receiverCPU {
            // How much of the machine the receiver itself needs: what caps throughput when the queue does not.
            print(
                "receiver cpu: "
                    + String(
                        format: "%.1f s, %.0f µs per request, ", receiverCPU,
                        receiverCPU / Double(max(latencies.count, 1)) * 1e6)
                    + "\(percentOfCore(receiverCPU)) of one core")
        }
        if let motoCPU {
            print("moto cpu:    " + String(format: "%.1f s, ", motoCPU) + "\(percentOfCore(motoCPU)) of one core")
        }
    }

    /// Mean time per answered webhook: in the queue call vs everything else the receiver does.
    var timeSplit: String? {
        guard let total = server.mean, let queue = enqueue.mean, server.count > 0 else { return nil }
        let share = enqueue.sum / max(server.sum, 1e-12) * 100
        return
            "mean \(Self.ms(total)) per webhook = enqueue \(Self.ms(queue)) + receiver \(Self.ms(max(0, total - queue)))"
            + String(format: " (enqueue %.0f%% of server time)", share)
    }

    static func printTable(_ reports: [RunReport]) {
        print("== summary")
        let header = [
            "offered/s", "answered/s", "2xx/s", "503", "p50", "p99", "srv p99", "enq mean", "rest mean",
            "rcv cpu", "moto cpu",
        ]
        var rows = [header]
        for report in reports {
            let serviceUnavailable = report.statuses[503, default: 0] + report.statuses[0, default: 0]
            rows.append([
                report.offeredRate.map(String.init) ?? "closed", String(format: "%.0f", report.throughput),
                String(format: "%.0f", Double(report.okCount) / max(report.seconds, 1e-9)), String(serviceUnavailable),
                report.percentile(0.5), report.percentile(0.99), report.server.percentile(0.99),
                report.enqueue.mean.map(ms) ?? "n/a",
                (report.server.mean.flatMap { total in report.enqueue.mean.map { max(0, total - $0) } }).map(ms)
                    ?? "n/a",
                report.percentOfCore(report.receiverCPU), report.percentOfCore(report.motoCPU),
            ])
        }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            print(
                row.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }
                    .joined(separator: "  "))
        }
        print("(503 counts include client errors; rest mean = receiver time outside the queue call)")
    }
}

/// One Prometheus histogram as scraped; subtract an earlier scrape to get one run's share.
struct HistogramSnapshot: CustomStringConvertible {
    var buckets: [(bound: Double, count: Double)] = []
    var sum = 0.0
    var count = 0.0

    init(exposition: String, metric: String) {
        for line in exposition.split(separator: "\n") {
            let value = line.split(separator: " ").last.flatMap { Double($0) }
            if line.hasPrefix(metric + "_bucket{") {
                guard let open = line.range(of: "le=\""), let close = line[open.upperBound...].firstIndex(of: "\""),
                    let value
                else { continue }
                let bound = String(line[open.upperBound..<close])
                buckets.append((bound == "+Inf" ? .infinity : Double(bound) ?? .infinity, value))
            } else if line.hasPrefix(metric + "_sum"), let value {
                sum = value
            } else if line.hasPrefix(metric + "_count"), let value {
                count = value
            }
        }
        buckets.sort { $0.bound < $1.bound }
    }

    private init(buckets: [(bound: Double, count: Double)], sum: Double, count: Double) {
        self.buckets = buckets
        self.sum = sum
        self.count = count
    }

    func minus(_ earlier: HistogramSnapshot) -> HistogramSnapshot {
        let before = Dictionary(earlier.buckets.map { ($0.bound, $0.count) }, uniquingKeysWith: { $1 })
        return HistogramSnapshot(
            buckets: buckets.map { ($0.bound, $0.count - (before[$0.bound] ?? 0)) },
            sum: sum - earlier.sum, count: count - earlier.count)
    }

    /// Mean in seconds.
    var mean: Double? { count > 0 ? sum / count : nil }

    /// The upper bound of the bucket the percentile falls in.
    func percentile(_ p: Double) -> String {
        guard let total = buckets.last?.count, total > 0 else { return "n/a" }
        let bucket = buckets.first { $0.count >= total * p } ?? buckets[buckets.count - 1]
        return bucket.bound.isInfinite ? "> last bucket" : String(format: "<= %g ms", bucket.bound * 1000)
    }

    var description: String {
        guard let total = buckets.last?.count, total > 0 else { return "no samples" }
        return "p50 \(percentile(0.5))  p99 \(percentile(0.99))  p99.9 \(percentile(0.999))  mean "
            + (mean.map { String(format: "%.2f ms", $0 * 1000) } ?? "n/a") + "  (\(Int(total)) samples)"
    }
}

/// User + system CPU time of a process, from /proc (Linux); nil elsewhere.
func cpuSeconds(pid: Int32) -> Double? {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
        let close = stat.lastIndex(of: ")")
    else { return nil }
    // Fields after the command name: state is field 3, utime 14 and stime 15 (in clock ticks).
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
    return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
