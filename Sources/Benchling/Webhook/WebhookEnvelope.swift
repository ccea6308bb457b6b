import Foundation
import JSONCore

/// The outer object of every Benchling webhook delivery.
///
/// Decoded leniently from the raw JSON: unknown keys are ignored and only `message.type` (plus the ids the
/// message kind needs for routing) is required, because real payloads carry more than the spec and the receiver
/// must not reject an event it could still handle. `raw` keeps the whole body for metadata pass-through.
public struct WebhookEnvelope: Sendable, Equatable {
    public let version: String?
    /// The tenant URL as Benchling wrote it. Informational only: never send credentials to it
    /// (a forged body must not redirect our OAuth token).
    public let baseURL: String?
    public let tenantId: String?
    /// The installation id (`app_…`).
    public let appId: String?
    /// `appdef_…`.
    public let appDefinitionId: String?
    /// `appDefinition.versionNumber`, kept as text whatever its JSON type.
    public let appDefinitionVersion: String?
    /// `events` or `app_signals`.
    public let channel: String?
    public let message: WebhookMessage
    /// The full body, unchanged.
    public let raw: JSONValue

    /// Parses the raw request body.
    public static func parse(_ body: some Collection<UInt8>) throws(WebhookPayloadError) -> WebhookEnvelope {
        let json: JSONValue
        do { json = try JSONValue.parse(body) } catch { throw .invalidJSON(error) }
        return try WebhookEnvelope(json: json)
    }

    public init(json: JSONValue) throws(WebhookPayloadError) {
        guard json.objectValue != nil else { throw WebhookPayloadError("body is not a JSON object") }
        guard let message = json["message"], message.objectValue != nil else {
            throw WebhookPayloadError("missing object field message")
        }
        self.version = json["version"].flatMap(Self.text)
        self.baseURL = json["baseURL"]?.stringValue
        self.tenantId = json["tenantId"]?.stringValue
        self.appId = json["app"]?["id"]?.stringValue
        self.appDefinitionId = json["appDefinition"]?["id"]?.stringValue
        self.appDefinitionVersion = json["appDefinition"]?["versionNumber"].flatMap(Self.text)
        self.channel = json["channel"]?.stringValue
        self.message = try WebhookMessage(json: message)
        self.raw = json
    }

    /// A string, or the text of a number (versions are sometimes numbers).
    private static func text(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text), .integer(let text): return text
        case .float(let number): return String(number)
        default: return nil
        }
    }
}
