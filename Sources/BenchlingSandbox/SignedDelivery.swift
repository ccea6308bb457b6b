import Crypto
import Foundation
import JSONCore

/// A webhook delivery exactly as Benchling would POST it: the raw body bytes and the three signature headers.
public struct SignedDelivery: Sendable {
    /// `webhook-id`, `webhook-timestamp`, `webhook-signature` and `content-type`, in that order.
    public let headers: [(name: String, value: String)]
    /// The envelope bytes that were signed; send them unchanged.
    public let body: Data
    public let webhookId: String
    public let timestamp: Int
    /// The envelope (parsed form of `body`).
    public let envelope: JSONValue

    /// Headers as a dictionary keyed by lower-case name.
    public var headerDictionary: [String: String] {
        Dictionary(headers.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last })
    }

    /// The `webhook-signature` header value.
    public var signature: String { headerDictionary["webhook-signature"] ?? "" }
}

/// Builds envelopes and signs them the way Benchling does (ECDSA P-256 / SHA-256, DER, standard base64, `v1bder`).
struct WebhookSigner: Sendable {
    var tenantId: String
    var appId: String
    var appDefinitionId: String
    var appVersionNumber: String

    func envelope(message: SandboxMessage, baseURL: String) -> JSONValue {
        [
            "version": "0",
            "baseURL": .string(baseURL),
            "tenantId": .string(tenantId),
            "app": ["id": .string(appId)],
            "appDefinition": ["id": .string(appDefinitionId), "versionNumber": .string(appVersionNumber)],
            "channel": .string(message.channel),
            "message": message.json,
        ]
    }

    /// Signs `"{id}.{timestamp}.{body}"` over the exact body bytes.
    static func sign(
        body: Data, webhookId: String, timestamp: Int, key: P256.Signing.PrivateKey
    ) throws -> String {
        var content = Data("\(webhookId).\(timestamp).".utf8)
        content.append(body)
        let signature = try key.signature(for: content)
        return "v1bder," + signature.derRepresentation.base64EncodedString()
    }

    static func delivery(
        envelope: JSONValue, webhookId: String, timestamp: Int, key: P256.Signing.PrivateKey
    ) throws -> SignedDelivery {
        let body = envelope.compactData()
        let signature = try sign(body: body, webhookId: webhookId, timestamp: timestamp, key: key)
        return SignedDelivery(
            headers: [
                ("webhook-id", webhookId), ("webhook-timestamp", String(timestamp)),
                ("webhook-signature", signature), ("content-type", "application/json"),
            ],
            body: body, webhookId: webhookId, timestamp: timestamp, envelope: envelope)
    }
}
