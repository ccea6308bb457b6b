import Foundation
import JSONCore

/// A request the sandbox received, kept in arrival order for assertions and for the OpenAPI judge.
public struct RecordedRequest: Sendable, Hashable {
    public var method: String
    /// Path without the query.
    public var path: String
    /// Raw query string (nil when absent).
    public var query: String?
    /// Header names lower-cased; `authorization` values are redacted to their scheme ("Bearer <redacted>").
    public var headers: [String: String]
    public var body: Data
    public var timestamp: Date
    /// The route the sandbox classified the request as.
    public var route: SandboxRoute

    /// The body parsed as JSON, when it is JSON.
    public var jsonBody: JSONValue? { body.isEmpty ? nil : try? JSONValue.parse(body) }

    /// Whether the request carried an Authorization header at all.
    public var hadAuthorization: Bool { headers["authorization"] != nil }

    static func redact(name: String, value: String) -> String {
        guard name == "authorization" else { return value }
        let scheme = value.split(separator: " ", maxSplits: 1).first.map(String.init) ?? ""
        return "\(scheme) <redacted>"
    }

    /// Form used by scripts/judges/benchling_openapi_check.py.
    var judgeJSON: JSONValue {
        var object: JSONObject = [
            "method": .string(method), "path": .string(path),
            "contentType": .string(headers["content-type"] ?? ""),
        ]
        if let query { object["query"] = .string(query) }
        object["body"] = body.isEmpty ? .null : .string(String(decoding: body, as: UTF8.self))
        return .object(object)
    }
}
