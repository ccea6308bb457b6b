import Benchling
import Config
import Foundation
import Logging

/// The worker's job handler while its configuration can change: each job runs on the pipeline current when it
/// starts (so a job in flight keeps its configuration), and `replace` makes the next job use a new one.
///
/// When Benchling refuses the client credentials (401, from the token endpoint or an API call that a new token
/// did not fix), the secret may have been rotated: the job asks the `refresher` to read the secret now and, if that
/// brought other credentials, runs again with them. A 401 that persists with a freshly read secret is permanent.
public final class LivePipeline: JobHandler, @unchecked Sendable {
    private let lock = NSLock()
    private var pipeline: PackagingPipeline
    private let refresher: ConfigurationLoop?
    private let logger: Logger

    /// - Parameter refresher: the loop that re-reads the secret; nil when the configuration is fixed for the
    ///   process's life (a 401 is then permanent at once).
    public init(_ pipeline: PackagingPipeline, refresher: ConfigurationLoop?, logger: Logger) {
        self.pipeline = pipeline
        self.refresher = refresher
        self.logger = logger
    }

    /// The pipeline new jobs start with.
    public var current: PackagingPipeline { lock.withLock { pipeline } }

    func replace(_ next: PackagingPipeline) {
        lock.withLock { pipeline = next }
    }

    public func run(_ event: JobEvent, context: AttemptContext) async throws -> JobResult {
        try await withCurrent(steps: context.steps) { pipeline in try await pipeline.run(event, context: context) }
    }

    /// Runs `body` on the current pipeline; when Benchling refuses the credentials, again on the one a fresh read
    /// of the secret brings (the package-event refresh goes through here too).
    func withCurrent<T: Sendable>(
        steps: StepRecorder, _ body: (PackagingPipeline) async throws -> T
    ) async throws -> T {
        var pipeline = current
        while true {
            do {
                return try await body(pipeline)
            } catch let error as BenchlingError where error.status == 401 {
                pipeline = try await afterRejection(error, of: pipeline, steps: steps)
            }
        }
    }

    /// The pipeline to run the job again with, or the failure that ends it.
    private func afterRejection(
        _ error: BenchlingError, of rejected: PackagingPipeline, steps: StepRecorder
    ) async throws -> PackagingPipeline {
        guard let refresher else { throw PipelineFailure.credentialsRejected(error.description) }
        let outcome = try await steps.run(.refreshConfiguration, detail: { (text: String) in text }) {
            let state = await refresher.refreshAfterRejection(of: rejected.configuration)
            return "secret version \(state.configuration?.secretVersion?.id ?? "unknown")"
                + (state.isStale ? " (stale)" : "")
        }
        let next = current
        if !next.configuration.hasSameCredentials(as: rejected.configuration) {
            logger.notice(
                "Benchling refused the client credentials; running the job again with the refreshed ones",
                metadata: ["refresh": "\(outcome)"])
            return next
        }
        if let stale = refresher.state.staleReason {
            throw PipelineFailure.configurationStale(stale.reason)
        }
        throw PipelineFailure.credentialsRejected(error.description)
    }
}
