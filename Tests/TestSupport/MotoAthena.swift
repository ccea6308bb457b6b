import AWSCore
import AWSServices
import Foundation
import JSONCore

/// moto's Athena runs no SQL. Results are queued through `/moto-api/static/athena/query-results` and each
/// `StartQueryExecution` (of any test, any user) takes the next queued result; query states progress per a global
/// state-manager setting. Both are shared by the whole moto server, so every test that queues results or changes
/// the progression does it inside `MotoAthena.exclusive`, which serialises them within the test process and
/// drains results a failed test may have left queued. (Only Athena tests start Athena queries.)
public enum MotoAthena {
    private static let lock = AsyncSerialLock()

    /// Runs `body` with moto's Athena to itself: no other `exclusive` body runs meanwhile, the result queue starts
    /// empty, and query states progress immediately again afterwards.
    public static func exclusive<T: Sendable>(
        _ environment: TestEnvironment, _ body: @Sendable (MotoAthenaControl) async throws -> T
    ) async throws -> T {
        await lock.acquire()
        let control = MotoAthenaControl(environment: environment)
        do {
            try await control.drainQueuedResults()
            let result = try await body(control)
            try await control.progressImmediately()
            await lock.release()
            return result
        } catch {
            try? await control.progressImmediately()
            await lock.release()
            throw error
        }
    }
}

/// What a test may do to moto's Athena while it holds `MotoAthena.exclusive`.
public struct MotoAthenaControl: Sendable {
    public let environment: TestEnvironment

    /// Queues one result set: the column-name row first (as Athena returns it on the first page), then `rows`.
    public func queueResult(columns: [String], rows: [[String?]]) async throws {
        func row(_ values: [String?]) -> JSONValue {
            ["Data": .array(values.map { $0.map { ["VarCharValue": .string($0)] } ?? .object([:]) })]
        }
        let body: JSONValue = [
            "account_id": .string(environment.accountId), "region": .string(environment.region),
            "results": [
                [
                    "rows": .array([row(columns)] + rows.map(row)),
                    "column_info": .array(
                        columns.map { ["Name": .string($0), "Label": .string($0), "Type": "varchar"] }),
                ]
            ],
        ]
        try await post("/moto-api/static/athena/query-results", body)
    }

    /// Query states advance one step per `times` GetQueryExecution calls (QUEUED → RUNNING → SUCCEEDED);
    /// a large `times` keeps queries queued.
    public func progressManually(times: Int) async throws {
        try await post(
            "/moto-api/state-manager/set-transition",
            [
                "model_name": "athena::execution",
                "transition": ["progression": "manual", "times": .integer(String(times))],
            ])
    }

    /// Back to moto's default: a query has succeeded when first looked at.
    func progressImmediately() async throws {
        try await post("/moto-api/state-manager/unset-transition", ["model_name": "athena::execution"])
    }

    /// Starts throw-away queries (as admin) until one gets no rows: every queued result has rows (its header).
    func drainQueuedResults() async throws {
        let athena = Athena(client: MotoSeeder(environment).admin)
        for _ in 0..<100 {
            let id = try await athena.startQueryExecution(Athena.Query(sql: "SELECT 1"))
            let page = try await athena.getQueryResults(id: id)
            if page.rows.isEmpty && page.columns.isEmpty { return }
        }
    }

    /// moto's own API needs no signature; the admin client is just a convenient HTTP client here.
    private func post(_ path: String, _ body: JSONValue) async throws {
        _ = try await MotoSeeder(environment).admin.send(
            AWSRequest(
                service: "moto", operation: path, method: "POST", baseURL: environment.awsEndpoint, path: path,
                headers: [("Content-Type", "application/json")], body: .data(body.compactData()), timeout: .seconds(10))
        )
    }
}

/// A lock for async code: waiters resume one at a time, in arrival order.
actor AsyncSerialLock {
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        guard busy else {
            busy = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty {
            busy = false
        } else {
            waiters.removeFirst().resume()
        }
    }
}
