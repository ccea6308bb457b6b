import Crypto
import Foundation
import JSONCore

/// A delivery whose headers passed the structural checks (steps 1–5 of Benchling's verification), ready to be
/// checked against keys. Splitting this from the key check lets the verifier reject malformed requests without
/// touching the JWKS, and re-check against refreshed keys without re-parsing.
public struct SignatureCheck: Sendable {
    /// How far a timestamp may be from now, both ways, inclusive.
    public static let tolerance: TimeInterval = 300
    /// `"{id}.{timestamp}."` followed by the raw body bytes.
    public let signedContent: Data
    /// The decodable DER signatures among the `der` items.
    public let signatures: [P256.Signing.ECDSASignature]
    /// How many `der` items could not be decoded (bad base64 or bad DER).
    public let undecodableCount: Int

    /// Runs the structural checks; returns the failure when one fails.
    public static func prepare(
        headers: WebhookHeaders, body: some Collection<UInt8>, now: Date
    ) -> Result<SignatureCheck, SignatureFailure> {
        guard let id = headers.id, let timestamp = headers.timestamp, let header = headers.signature else {
            return .failure(.missingHeaders)
        }
        guard let seconds = Double(timestamp.trimmingWhitespace), seconds.isFinite else {
            return .failure(.invalidTimestamp)
        }
        let age = now.timeIntervalSince1970 - seconds
        guard age <= tolerance, age >= -tolerance else { return .failure(.timestampOutOfRange) }

        let payloads: [Data?]
        switch SignatureHeader.derItems(header) {
        case .failure(let reason): return .failure(reason)
        case .success(let items): payloads = items
        }
        var signatures: [P256.Signing.ECDSASignature] = []
        var undecodable = 0
        for payload in payloads {
            if let der = payload, let signature = try? P256.Signing.ECDSASignature(derRepresentation: der) {
                signatures.append(signature)
            } else {
                undecodable += 1
            }
        }

        var content = Data("\(id).\(timestamp).".utf8)
        content.append(contentsOf: body)
        return .success(SignatureCheck(signedContent: content, signatures: signatures, undecodableCount: undecodable))
    }

    /// True when any key verifies any signature (Benchling sends no `kid` to match on).
    public func isSigned(byAnyOf keys: [P256.Signing.PublicKey]) -> Bool {
        for key in keys {
            for signature in signatures where key.isValidSignature(signature, for: signedContent) {
                return true
            }
        }
        return false
    }

    /// The failure to report when no key matched: malformed when nothing could even be decoded.
    public var mismatchFailure: SignatureFailure {
        signatures.isEmpty ? .malformedSignature : .invalidSignature
    }
}
