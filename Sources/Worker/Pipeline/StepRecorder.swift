import Foundation
import JobLog
import Logging

/// Runs the named steps of one attempt and records each: open in the job log before it starts (so a hung step is
/// visible), closed with its outcome and duration after; one JSON log line and one latency sample per step.
public struct StepRecorder: Sendable {
    let jobLog: JobLog
    let attemptId: Int64
    let metrics: WorkerMetrics
    let logger: Logger
    let clock: ContinuousClock = ContinuousClock()

    /// Runs `body` as `step`. `detail` summarises a success for operators (e.g. bytes, top hash).
    public func run<T: Sendable>(
        _ step: PipelineStep, detail: (T) -> String? = { _ in nil }, _ body: () async throws -> T
    ) async throws -> T {
        let name = step.rawValue
        let record = try await jobLog.startStep(attemptId: attemptId, name: name)
        let started = clock.now
        do {
            let value = try await body()
            let elapsed = clock.now - started
            let text = detail(value)
            try await jobLog.finishStep(stepId: record.id, outcome: .succeeded, detail: text)
            finished(name, outcome: "succeeded", elapsed: elapsed, detail: text)
            return value
        } catch {
            let elapsed = clock.now - started
            let text = String(describing: error)
            // The job log may be the thing failing; the step error matters more than recording it.
            _ = try? await jobLog.finishStep(stepId: record.id, outcome: .failed, detail: text)
            finished(name, outcome: error is CancellationError ? "cancelled" : "failed", elapsed: elapsed, detail: text)
            throw error
        }
    }

    /// Records a step that found its work already done (e.g. the package's top hash is already `latest`).
    public func skipped(_ step: PipelineStep, detail: String) async throws {
        let now = Date()
        let name = step.rawValue
        try await jobLog.recordStep(
            attemptId: attemptId, name: name, startedAt: now, finishedAt: now, outcome: .skipped, detail: detail)
        finished(name, outcome: "skipped", elapsed: .zero, detail: detail)
    }

    private func finished(_ name: String, outcome: String, elapsed: Duration, detail: String?) {
        metrics.recordStep(name, outcome: outcome, duration: elapsed)
        var metadata: Logger.Metadata = [
            "step": "\(name)", "outcome": "\(outcome)", "duration_ms": "\(Self.milliseconds(elapsed))",
        ]
        if let detail { metadata["detail"] = "\(detail)" }
        logger.log(level: outcome == "failed" ? .warning : .info, "step finished", metadata: metadata)
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }
}
