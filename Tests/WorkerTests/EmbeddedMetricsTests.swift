import CoreMetrics
import Foundation
import JSONCore
import Observability
import Testing
import Worker

/// The CloudWatch Embedded Metric Format backend: what a flush writes is what CloudWatch Logs turns into metrics.
@Suite("Embedded Metric Format", .timeLimit(.minutes(1)))
struct EmbeddedMetricsTests {
    @Test("counters sum and timers list their values per flush, with Service and the metric's dimensions")
    func flushWritesEMF() throws {
        let emf = EmbeddedMetrics(namespace: "BenchlingQuilt/test", service: "worker")
        let metrics = WorkerMetrics(cloudWatch: emf)
        metrics.countJob(outcome: "succeeded")
        metrics.countJob(outcome: "succeeded")
        metrics.countJob(outcome: "dead_lettered")
        metrics.recordJobDuration(.milliseconds(1500), outcome: "succeeded")
        metrics.countRateLimited()

        let at = Date(timeIntervalSince1970: 1_714_564_800.123)
        let lines = try emf.flush(at: at).map { try JSONValue.parse($0) }
        #expect(lines.count == 4, "\(lines)")
        let succeeded = try #require(lines.first { $0["jobs"] != nil && $0["outcome"]?.stringValue == "succeeded" })
        #expect(succeeded["jobs"]?.intValue == 2)
        #expect(succeeded["Service"]?.stringValue == "worker")
        let metadata = try #require(succeeded["_aws"])
        #expect(metadata["Timestamp"]?.intValue == 1_714_564_800_123)
        let directive = try #require(metadata["CloudWatchMetrics"]?[0])
        #expect(directive["Namespace"]?.stringValue == "BenchlingQuilt/test")
        #expect(directive["Dimensions"] == [["Service", "outcome"]])
        #expect(directive["Metrics"] == [["Name": "jobs", "Unit": "Count"]])
        #expect(lines.contains { $0["jobs"]?.intValue == 1 && $0["outcome"]?.stringValue == "dead_lettered" })
        let duration = try #require(lines.first { $0["job_duration"] != nil })
        #expect(duration["job_duration"] == [1500.0])
        #expect(
            duration["_aws"]?["CloudWatchMetrics"]?[0]?["Metrics"] == [
                ["Name": "job_duration", "Unit": "Milliseconds"]
            ])
        let limited = try #require(lines.first { $0["benchling_429"] != nil })
        #expect(limited["benchling_429"]?.intValue == 1)
        #expect(limited["_aws"]?["CloudWatchMetrics"]?[0]?["Dimensions"] == [["Service"]])

        // A flush starts over: nothing new, nothing written.
        #expect(emf.flush().isEmpty)
    }

    @Test("more than 100 values are split over lines (EMF's limit per metric)")
    func valuesAreChunked() throws {
        let emf = EmbeddedMetrics(namespace: "ns", service: "receiver")
        let timer = CoreMetrics.Timer(label: "enqueue_latency", dimensions: [], factory: emf)
        for index in 0..<250 { timer.recordMilliseconds(index) }
        let lines: [JSONValue] = try emf.flush().map { try JSONValue.parse($0) }
        let counts: [Int] = lines.map { $0["enqueue_latency"]?.arrayValue?.count ?? 0 }
        #expect(counts == [100, 100, 50])
        let values: [JSONValue] = lines.flatMap { $0["enqueue_latency"]?.arrayValue ?? [] }
        let milliseconds: [Double] = values.compactMap(\.doubleValue)
        let expected: [Double] = (0..<250).map { Double($0) }
        #expect(milliseconds == expected)
    }

    @Test("METRICS_NAMESPACE switches it on; unset or blank leaves it off")
    func namespaceFromEnvironment() {
        #expect(
            EmbeddedMetrics.fromEnvironment(["METRICS_NAMESPACE": "BenchlingQuilt/x"], service: "worker")?.namespace
                == "BenchlingQuilt/x")
        #expect(EmbeddedMetrics.fromEnvironment(["METRICS_NAMESPACE": " "], service: "worker") == nil)
        #expect(EmbeddedMetrics.fromEnvironment([:], service: "worker") == nil)
    }
}
