import AWSCore
import Foundation

/// A query that did not produce results: it failed, was cancelled, or outlived its time budget.
public struct AthenaQueryError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Athena says FAILED (bad SQL, missing table, no access to the data or the result location).
        case failed
        /// Athena says CANCELLED (someone stopped it).
        case cancelled
        /// Still queued or running when the budget ran out; the query was asked to stop.
        case timedOut(Duration)
    }

    public var kind: Kind
    public var queryExecutionId: String
    public var reason: String?

    public init(kind: Kind, queryExecutionId: String, reason: String? = nil) {
        self.kind = kind
        self.queryExecutionId = queryExecutionId
        self.reason = reason
    }

    public var description: String {
        switch kind {
        case .failed: return "Athena query \(queryExecutionId) failed: \(reason ?? "no reason given")"
        case .cancelled: return "Athena query \(queryExecutionId) was cancelled: \(reason ?? "no reason given")"
        case .timedOut(let budget):
            return "Athena query \(queryExecutionId) did not finish within \(budget.components.seconds) s"
        }
    }
}

extension Athena {
    /// How long and how often `run` waits.
    public struct Wait: Sendable, Equatable {
        /// Budget from start to the end of polling (see `run` for the exact bound).
        public var timeout: Duration
        /// First gap between state polls; doubled after each poll up to `maxPollInterval`.
        public var pollInterval: Duration
        public var maxPollInterval: Duration

        public init(
            timeout: Duration, pollInterval: Duration = .milliseconds(200),
            maxPollInterval: Duration = .seconds(2)
        ) {
            self.timeout = timeout
            self.pollInterval = pollInterval
            self.maxPollInterval = maxPollInterval
        }
    }

    /// Starts `query`, polls its state with backoff until it is final or `wait.timeout` has passed, and returns
    /// the first page of results (at most `maxResults` rows). A query still running at the deadline is stopped
    /// (best effort) and `AthenaQueryError.timedOut` is thrown; FAILED/CANCELLED throw with Athena's reason.
    /// AWS errors of the calls themselves (access denied, unknown workgroup) are thrown as they are.
    ///
    /// Each call's deadline is what is left of the budget but at least `minimumCallTime`, so the whole run takes
    /// at most `wait.timeout + minimumCallTime` (plus the client's back-off should a call be retried).
    public func run(_ query: Query, wait: Wait, maxResults: Int) async throws -> ResultPage {
        let clock = ContinuousClock()
        let deadline = clock.now + wait.timeout
        func callTime() -> Duration { max(Self.minimumCallTime, deadline - clock.now) }

        // A fresh token per run (Athena's API reference asks callers without an AWS SDK to send one): a retried
        // StartQueryExecution then starts the query once.
        let id = try await startQueryExecution(query, clientRequestToken: UUID().uuidString, timeout: callTime())
        var interval = wait.pollInterval
        while true {
            let execution: QueryExecution
            do {
                execution = try await getQueryExecution(id: id, timeout: callTime())
            } catch let error as AWSClientError where error.kind == .timeout && clock.now >= deadline {
                throw await timedOut(id, wait.timeout)
            }
            switch execution.state {
            case .succeeded:
                return try await getQueryResults(id: id, maxResults: maxResults, timeout: callTime())
            case .failed:
                throw AthenaQueryError(kind: .failed, queryExecutionId: id, reason: execution.reason)
            case .cancelled:
                throw AthenaQueryError(kind: .cancelled, queryExecutionId: id, reason: execution.reason)
            case .queued, .running:
                break
            }
            let now = clock.now
            guard now < deadline else { throw await timedOut(id, wait.timeout) }
            try await Task.sleep(for: min(interval, deadline - now))
            interval = min(interval * 2, wait.maxPollInterval)
        }
    }

    /// The least time one call of `run` gets, even right at the deadline.
    public static let minimumCallTime: Duration = .seconds(2)

    /// Asks Athena to stop the query (best effort, briefly) and returns the error to throw.
    private func timedOut(_ id: String, _ budget: Duration) async -> AthenaQueryError {
        try? await stopQueryExecution(id: id, timeout: Self.minimumCallTime)
        return AthenaQueryError(kind: .timedOut(budget), queryExecutionId: id)
    }
}
