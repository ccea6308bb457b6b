import Benchling
import Config

/// The app definition and tenant a delivery must name: a delivery correctly signed for another app of the
/// same Benchling account, or naming another tenant, must not run work with this app's credentials.
struct DeliveryIdentity: Sendable {
    let appDefinitionId: String
    /// The tenant's base URL in lower case without a trailing slash (`https://acme.benchling.com`), as
    /// configured (`BENCHLING_BASE_URL` when overridden).
    let baseURL: String

    init(appDefinitionId: String, baseURL: String) {
        self.appDefinitionId = appDefinitionId
        var text = baseURL.lowercased()
        while text.hasSuffix("/") { text.removeLast() }
        self.baseURL = text
    }

    init(_ configuration: Configuration) {
        self.init(
            appDefinitionId: configuration.appDefinitionId, baseURL: configuration.benchlingBaseURL.absoluteString)
    }

    /// Why the delivery is not ours (`wrong_app`, `wrong_tenant`) with a detail for the log, nil when it is.
    func refusal(of envelope: WebhookEnvelope) -> (reason: String, detail: String)? {
        guard envelope.appDefinitionId == appDefinitionId else {
            return (
                "wrong_app", "appDefinition.id \(envelope.appDefinitionId.map { "\"\($0.prefix(64))\"" } ?? "missing")"
            )
        }
        guard let sent = envelope.baseURL, Self.sameURL(sent, baseURL) else {
            return ("wrong_tenant", "baseURL \(envelope.baseURL.map { "\"\($0.prefix(100))\"" } ?? "missing")")
        }
        return nil
    }

    /// Compares without allocating: ASCII case folded, trailing slashes of `sent` ignored.
    static func sameURL(_ sent: String, _ expected: String) -> Bool {
        var bytes = sent.utf8[...]
        while bytes.last == UInt8(ascii: "/") { bytes = bytes.dropLast() }
        guard bytes.count == expected.utf8.count else { return false }
        for (byte, wanted) in zip(bytes, expected.utf8) {
            let folded = (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
            if folded != wanted { return false }
        }
        return true
    }
}
