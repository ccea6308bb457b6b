import JSONCore

/// Why a webhook body could not be understood. The receiver answers 400 with `description`.
public struct WebhookPayloadError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) { self.description = description }

    static func invalidJSON(_ error: JSONParseError) -> WebhookPayloadError {
        WebhookPayloadError("body is not valid JSON: \(error)")
    }

    static func missing(_ path: String) -> WebhookPayloadError {
        WebhookPayloadError("missing or non-string field \(path)")
    }
}
