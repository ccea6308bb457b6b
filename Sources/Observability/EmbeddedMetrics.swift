import CoreMetrics
import Foundation
import JSONCore

/// A swift-metrics backend that writes CloudWatch Embedded Metric Format (EMF) lines: on Fargate nothing scrapes
/// `/metrics`, but every stdout line reaches CloudWatch Logs, which turns EMF lines into CloudWatch metrics.
///
/// Values are aggregated in memory and written by `flush()` (the commands call `publish(every:to:)`, one flush a
/// minute plus one at exit): counters as the sum since the last flush, timers in milliseconds and recorders as
/// their raw values (CloudWatch computes percentiles from them), at most 100 values per line as EMF allows.
/// Every line carries the dimension `Service` plus the metric's own dimensions.
public final class EmbeddedMetrics: MetricsFactory, @unchecked Sendable {
    public let namespace: String
    public let service: String
    private let lock = NSLock()
    private var series: [SeriesKey: Aggregate] = [:]

    /// EMF's limit on values in one metric of one line.
    static let maxValuesPerLine = 100

    public init(namespace: String, service: String) {
        self.namespace = namespace
        self.service = service
    }

    /// `METRICS_NAMESPACE` from `environment`; nil (no EMF lines) when unset or blank, as on a laptop.
    public static func fromEnvironment(_ environment: [String: String], service: String) -> EmbeddedMetrics? {
        guard let namespace = environment["METRICS_NAMESPACE"]?.trimmingCharacters(in: .whitespaces),
            !namespace.isEmpty
        else { return nil }
        return EmbeddedMetrics(namespace: namespace, service: service)
    }

    struct SeriesKey: Hashable {
        let name: String
        let dimensions: [String]  // alternating name, value; in the caller's order
        var sortKey: String { ([name] + dimensions).joined(separator: "\u{0}") }
    }

    enum Unit: String {
        case count = "Count", milliseconds = "Milliseconds", none = "None"
    }

    struct Aggregate {
        var unit: Unit
        var sum: Int64 = 0
        var values: [Double] = []
    }

    fileprivate func add(_ key: SeriesKey, unit: Unit, count: Int64 = 0, value: Double? = nil) {
        lock.withLock {
            var aggregate = series[key] ?? Aggregate(unit: unit)
            aggregate.sum += count
            if let value { aggregate.values.append(value) }
            series[key] = aggregate
        }
    }

    private static func key(_ label: String, _ dimensions: [(String, String)]) -> SeriesKey {
        SeriesKey(name: label, dimensions: dimensions.flatMap { [$0.0, $0.1] })
    }

    // MARK: MetricsFactory

    public func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        EMFCounter(factory: self, key: Self.key(label, dimensions))
    }

    public func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        EMFRecorder(factory: self, key: Self.key(label, dimensions))
    }

    public func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        EMFTimer(factory: self, key: Self.key(label, dimensions))
    }

    public func destroyCounter(_ handler: any CounterHandler) {}
    public func destroyRecorder(_ handler: any RecorderHandler) {}
    public func destroyTimer(_ handler: any TimerHandler) {}

    // MARK: Writing

    /// The EMF lines for everything recorded since the last flush (nothing for series without new values), and
    /// a fresh start.
    public func flush(at date: Date = Date()) -> [String] {
        let taken = lock.withLock { () -> [SeriesKey: Aggregate] in
            let current = series
            series.removeAll(keepingCapacity: true)
            return current
        }
        let timestamp = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var lines: [String] = []
        for (key, aggregate) in taken.sorted(by: { $0.key.sortKey < $1.key.sortKey }) {
            if aggregate.unit == .count {
                if aggregate.sum != 0 {
                    lines.append(line(key, unit: .count, value: .integer(String(aggregate.sum)), timestamp))
                }
                continue
            }
            var start = 0
            while start < aggregate.values.count {
                let chunk = aggregate.values[start..<min(start + Self.maxValuesPerLine, aggregate.values.count)]
                lines.append(line(key, unit: aggregate.unit, value: .array(chunk.map { .float($0) }), timestamp))
                start += Self.maxValuesPerLine
            }
        }
        return lines
    }

    private func line(_ key: SeriesKey, unit: Unit, value: JSONValue, _ timestamp: Int64) -> String {
        var dimensionNames: [JSONValue] = ["Service"]
        var fields: [(String, JSONValue)] = []
        var index = 0
        while index + 1 < key.dimensions.count {
            dimensionNames.append(.string(key.dimensions[index]))
            fields.append((key.dimensions[index], .string(key.dimensions[index + 1])))
            index += 2
        }
        let directive: JSONValue = [
            "Namespace": .string(namespace),
            "Dimensions": [.array(dimensionNames)],
            "Metrics": [["Name": .string(key.name), "Unit": .string(unit.rawValue)]],
        ]
        let metadata: JSONValue = [
            "Timestamp": .integer(String(timestamp)), "CloudWatchMetrics": [directive],
        ]
        let object = JSONObject([("_aws", metadata), ("Service", .string(service))] + fields + [(key.name, value)])
        return JSONValue.object(object).compactString()
    }

    /// Makes `local` (the `/metrics` backend) the process's swift-metrics backend, multiplexed with `cloudWatch`
    /// when there is one, and starts publishing `cloudWatch` to stdout. Cancel and await the returned task at
    /// exit: it flushes once more.
    public static func bootstrap(local: any MetricsFactory, cloudWatch: EmbeddedMetrics?) -> Task<Void, Never>? {
        guard let cloudWatch else {
            MetricsSystem.bootstrap(local)
            return nil
        }
        MetricsSystem.bootstrap(MultiplexMetricsHandler(factories: [local, cloudWatch]))
        return Task { await cloudWatch.publish(to: .standardOutput) }
    }

    /// Writes a flush to `sink` every `interval` until the task is cancelled, then a last one (so a stopping task
    /// loses nothing it recorded).
    public func publish(every interval: Duration = .seconds(60), to sink: JSONLineSink) async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: interval) } catch { break }
            for line in flush() { sink.write(line) }
        }
        for line in flush() { sink.write(line) }
    }
}

private final class EMFCounter: CounterHandler, Sendable {
    let factory: EmbeddedMetrics
    let key: EmbeddedMetrics.SeriesKey
    init(factory: EmbeddedMetrics, key: EmbeddedMetrics.SeriesKey) {
        self.factory = factory
        self.key = key
    }
    func increment(by amount: Int64) { factory.add(key, unit: .count, count: amount) }
    func reset() {}
}

private final class EMFRecorder: RecorderHandler, Sendable {
    let factory: EmbeddedMetrics
    let key: EmbeddedMetrics.SeriesKey
    init(factory: EmbeddedMetrics, key: EmbeddedMetrics.SeriesKey) {
        self.factory = factory
        self.key = key
    }
    func record(_ value: Int64) { factory.add(key, unit: .none, value: Double(value)) }
    func record(_ value: Double) { factory.add(key, unit: .none, value: value) }
}

private final class EMFTimer: TimerHandler, Sendable {
    let factory: EmbeddedMetrics
    let key: EmbeddedMetrics.SeriesKey
    init(factory: EmbeddedMetrics, key: EmbeddedMetrics.SeriesKey) {
        self.factory = factory
        self.key = key
    }
    func recordNanoseconds(_ duration: Int64) {
        factory.add(key, unit: .milliseconds, value: Double(duration) / 1_000_000)
    }
}

extension Duration {
    /// Whole nanoseconds, saturating (swift-metrics timers take nanoseconds).
    public var wholeNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : whole + attoseconds / 1_000_000_000
    }
}
