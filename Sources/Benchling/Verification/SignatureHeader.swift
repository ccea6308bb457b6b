import Foundation

/// The `webhook-signature` header's structure (step 4 of Benchling's verification), apart from any key work:
/// a space-separated list of `version,signature` items, of which those whose version contains `der` count.
public enum SignatureHeader {
    /// Benchling sends one signature (two or three while it rotates keys), about 100 bytes each. Every item is
    /// base64-decoded and tried against every key, so a long list is refused unread: 700 items cost 75 ms.
    public static let maxItems = 8
    public static let maxBytes = 2048

    /// The base64-decoded payload of every `der` item, nil for one that is not valid base64; or why the header
    /// is refused (too large, an item without exactly one comma, no `der` item).
    public static func derItems(_ header: String) -> Result<[Data?], SignatureFailure> {
        guard header.utf8.count <= maxBytes else { return .failure(.signatureHeaderTooLarge) }
        let items = header.split(separator: " ", omittingEmptySubsequences: true)
        guard items.count <= maxItems else { return .failure(.signatureHeaderTooLarge) }
        var payloads: [Data?] = []
        for item in items {
            let parts = item.split(separator: ",", omittingEmptySubsequences: false)
            guard parts.count == 2 else { return .failure(.malformedSignature) }
            guard parts[0].contains("der") else { continue }
            payloads.append(Data(base64Encoded: String(parts[1])))
        }
        guard !payloads.isEmpty else { return .failure(.noSupportedSignature) }
        return .success(payloads)
    }
}
