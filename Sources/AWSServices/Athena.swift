import AWSCore
import Foundation
import JSONCore

/// Amazon Athena (JSON 1.1, `X-Amz-Target: AmazonAthena.<Operation>`): start a query, watch it, read its first
/// page of results.
///
/// `region` lets one shared client query the catalog of another region (the Quilt stack's database lives in the
/// stack's region, which need not be the worker's).
public struct Athena: Sendable {
    public let client: AWSClient
    public let region: AWSRegion

    public init(client: AWSClient, region: AWSRegion? = nil) {
        self.client = client
        self.region = region ?? client.region
    }

    /// What to run and where. `workGroup` nil runs in the account's `primary` workgroup; `outputLocation`
    /// (`s3://bucket/prefix/`) is needed only when the workgroup has no result location of its own.
    public struct Query: Sendable, Equatable {
        public var sql: String
        public var database: String?
        public var catalog: String?
        public var workGroup: String?
        public var outputLocation: String?

        public init(
            sql: String, database: String? = nil, catalog: String? = nil, workGroup: String? = nil,
            outputLocation: String? = nil
        ) {
            self.sql = sql
            self.database = database
            self.catalog = catalog
            self.workGroup = workGroup
            self.outputLocation = outputLocation
        }
    }

    /// `QueryExecution.Status.State`.
    public enum QueryState: String, Sendable, Equatable {
        case queued = "QUEUED", running = "RUNNING", succeeded = "SUCCEEDED", failed = "FAILED"
        case cancelled = "CANCELLED"

        /// No further change will happen.
        public var isFinal: Bool { self == .succeeded || self == .failed || self == .cancelled }
    }

    /// The part of `GetQueryExecution` a caller acts on.
    public struct QueryExecution: Sendable, Equatable {
        public var id: String
        public var state: QueryState
        /// Why it failed or was cancelled (`StateChangeReason`, else `AthenaError.ErrorMessage`).
        public var reason: String?
    }

    /// One page of `GetQueryResults`: column names and rows of nullable strings (Athena returns every value as
    /// `VarCharValue`; SQL NULL has none).
    public struct ResultPage: Sendable, Equatable {
        public var columns: [String]
        public var rows: [[String?]]
        /// Pass to the next `getQueryResults` for more rows; nil on the last page.
        public var nextToken: String?

        public init(columns: [String], rows: [[String?]], nextToken: String?) {
            self.columns = columns
            self.rows = rows
            self.nextToken = nextToken
        }

        /// The value of `column` in every row (nil where NULL or the column is missing).
        public func values(of column: String) -> [String?] {
            guard let index = columns.firstIndex(of: column) else { return rows.map { _ in nil } }
            return rows.map { index < $0.count ? $0[index] : nil }
        }
    }

    // MARK: calls

    // Every call takes `timeout`: the deadline of one attempt (nil = the client's `Timeouts.request`).

    /// `StartQueryExecution`; returns the query execution id.
    public func startQueryExecution(
        _ query: Query, clientRequestToken: String? = nil, timeout: Duration? = nil
    )
        async throws -> String
    {
        var body: JSONObject = ["QueryString": .string(query.sql)]
        var context = JSONObject()
        if let database = query.database { context["Database"] = .string(database) }
        if let catalog = query.catalog { context["Catalog"] = .string(catalog) }
        if !context.isEmpty { body["QueryExecutionContext"] = .object(context) }
        if let workGroup = query.workGroup { body["WorkGroup"] = .string(workGroup) }
        if let outputLocation = query.outputLocation {
            body["ResultConfiguration"] = ["OutputLocation": .string(outputLocation)]
        }
        if let clientRequestToken { body["ClientRequestToken"] = .string(clientRequestToken) }
        let answer = try await call("StartQueryExecution", body: .object(body), timeout: timeout)
        guard let id = answer["QueryExecutionId"]?.stringValue, !id.isEmpty else {
            throw invalid("StartQueryExecution", "no QueryExecutionId")
        }
        return id
    }

    /// `GetQueryExecution`: the query's state.
    public func getQueryExecution(id: String, timeout: Duration? = nil) async throws -> QueryExecution {
        let answer = try await call("GetQueryExecution", body: ["QueryExecutionId": .string(id)], timeout: timeout)
        let status = answer["QueryExecution"]?["Status"]
        guard let text = status?["State"]?.stringValue, let state = QueryState(rawValue: text) else {
            throw invalid("GetQueryExecution", "no known Status.State")
        }
        let reason = status?["StateChangeReason"]?.stringValue ?? status?["AthenaError"]?["ErrorMessage"]?.stringValue
        return QueryExecution(id: id, state: state, reason: reason)
    }

    /// `GetQueryResults`: one page (at most `maxResults` rows, Athena allows 1000). On the first page of a
    /// `SELECT` Athena repeats the column names as row 1; that row is dropped here, so `rows` is data only.
    public func getQueryResults(
        id: String, maxResults: Int? = nil, nextToken: String? = nil, timeout: Duration? = nil
    )
        async throws -> ResultPage
    {
        var body: JSONObject = ["QueryExecutionId": .string(id)]
        if let maxResults { body["MaxResults"] = .integer(String(max(1, min(1000, maxResults)))) }
        if let nextToken { body["NextToken"] = .string(nextToken) }
        let answer = try await call("GetQueryResults", body: .object(body), timeout: timeout)
        let columns = (answer["ResultSet"]?["ResultSetMetadata"]?["ColumnInfo"]?.arrayValue ?? []).map {
            $0["Label"]?.stringValue ?? $0["Name"]?.stringValue ?? ""
        }
        var rows: [[String?]] = (answer["ResultSet"]?["Rows"]?.arrayValue ?? []).map { row in
            (row["Data"]?.arrayValue ?? []).map { $0["VarCharValue"]?.stringValue }
        }
        if nextToken == nil, !columns.isEmpty, let first = rows.first, first.map({ $0 ?? "" }) == columns {
            rows.removeFirst()
        }
        return ResultPage(columns: columns, rows: rows, nextToken: answer["NextToken"]?.stringValue)
    }

    /// `StopQueryExecution` (cancels a queued or running query; a finished one is left as it is).
    public func stopQueryExecution(id: String, timeout: Duration? = nil) async throws {
        _ = try await call("StopQueryExecution", body: ["QueryExecutionId": .string(id)], timeout: timeout)
    }

    // MARK: protocol

    func call(_ operation: String, body: JSONValue, timeout: Duration? = nil) async throws -> JSONValue {
        let request = AWSRequest(
            service: "athena", operation: operation, method: "POST",
            baseURL: client.endpoints.baseURL(service: "athena", region: region), path: "/",
            headers: [("Content-Type", "application/x-amz-json-1.1"), ("X-Amz-Target", "AmazonAthena." + operation)],
            body: .data(body.compactData()), signingRegion: region, timeout: timeout)
        let response = try await client.send(request)
        if response.body.isEmpty { return .object(JSONObject()) }
        do {
            return try JSONValue.parse(response.body)
        } catch {
            throw invalid(operation, "response is not JSON: \(error)")
        }
    }

    private func invalid(_ operation: String, _ detail: String) -> AWSClientError {
        AWSClientError(.invalidResponse, service: "athena", operation: operation, detail: detail)
    }
}
