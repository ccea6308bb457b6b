import JSONCore

/// A long-running Benchling task (`GET /tasks/{id}`, schema `AsyncTask`), e.g. an export.
public struct AsyncTask: Sendable, Equatable {
    public enum Status: Sendable, Equatable {
        case running, succeeded, failed
        /// A status this client does not know; treated like running until the wait runs out.
        case other(String)

        init(_ text: String) {
            switch text {
            case "RUNNING": self = .running
            case "SUCCEEDED": self = .succeeded
            case "FAILED": self = .failed
            default: self = .other(text)
            }
        }
    }

    public let status: Status
    /// Present when FAILED.
    public let message: String?
    /// Present when a bulk task FAILED: an array or an object.
    public let errors: JSONValue?
    /// Present when SUCCEEDED (may be empty).
    public let response: JSONValue?
    public let raw: JSONValue

    public init(json: JSONValue) throws(BenchlingError) {
        guard let status = json["status"]?.stringValue else {
            throw BenchlingError(kind: .invalidResponse("task has no status"), operation: "decode task")
        }
        self.status = Status(status)
        message = json["message"]?.stringValue
        errors = json["errors"]
        response = json["response"]
        raw = json
    }

    /// `response.downloadURL` of a finished export.
    public var downloadURL: String? { response?["downloadURL"]?.stringValue }
}
