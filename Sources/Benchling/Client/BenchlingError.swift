import JSONCore

/// A failed Benchling call, with what Benchling said and whether retrying could help.
public struct BenchlingError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Benchling answered with this non-2xx status.
        case http(status: Int)
        /// No answer: connect failure, reset, timeout.
        case connection(String)
        /// A 2xx answer this client could not read.
        case invalidResponse(String)
        /// An async task (export) ended FAILED.
        case taskFailed
        /// Waiting for a task ran past its bound.
        case timedOut(String)
    }

    public let kind: Kind
    /// What was being done, e.g. `GET /entries/etr_1` (no secrets, no query strings).
    public let operation: String
    /// From the Benchling error body `{"error": {type, message, userMessage, invalidId}}`, or a task's message.
    public let errorType: String?
    public let message: String?
    public let userMessage: String?
    public let invalidId: String?
    /// Seconds the server asked us to wait (`x-rate-limit-reset` or `Retry-After`).
    public let retryAfter: Double?

    public init(
        kind: Kind, operation: String, errorType: String? = nil, message: String? = nil, userMessage: String? = nil,
        invalidId: String? = nil, retryAfter: Double? = nil
    ) {
        self.kind = kind
        self.operation = operation
        self.errorType = errorType
        self.message = message
        self.userMessage = userMessage
        self.invalidId = invalidId
        self.retryAfter = retryAfter
    }

    /// Builds the error for an HTTP answer, reading Benchling's error body when there is one.
    static func http(status: Int, operation: String, body: JSONValue?, retryAfter: Double?) -> BenchlingError {
        let error = body?["error"]
        return BenchlingError(
            kind: .http(status: status), operation: operation, errorType: error?["type"]?.stringValue,
            message: error?["message"]?.stringValue, userMessage: error?["userMessage"]?.stringValue,
            invalidId: error?["invalidId"]?.stringValue, retryAfter: retryAfter)
    }

    public var status: Int? {
        if case .http(let status) = kind { return status }
        return nil
    }

    /// Whether a retry can never succeed: 4xx other than 429 (a 401 reaching the caller already failed after a
    /// token refresh), a FAILED task, or an unreadable answer. 429, 5xx, connection errors and waits that ran out
    /// are transient.
    public var isPermanent: Bool {
        switch kind {
        case .http(let status): return status != 429 && (400..<500).contains(status)
        case .taskFailed, .invalidResponse: return true
        case .connection, .timedOut: return false
        }
    }

    public var isTransient: Bool { !isPermanent }

    /// Whether the HTTP call layer retries it itself.
    var isRetryable: Bool {
        switch kind {
        case .http(let status): return [429, 500, 502, 503, 504].contains(status)
        case .connection: return true
        default: return false
        }
    }

    public var description: String {
        var text = "\(operation) failed: "
        switch kind {
        case .http(let status): text += "HTTP \(status)"
        case .connection(let detail): text += "connection error (\(detail))"
        case .invalidResponse(let detail): text += "invalid response (\(detail))"
        case .taskFailed: text += "task failed"
        case .timedOut(let detail): text += "timed out (\(detail))"
        }
        if let errorType { text += " [\(errorType)]" }
        if let message { text += ": \(message)" }
        if let invalidId { text += " (invalid id \(invalidId))" }
        return text
    }
}
