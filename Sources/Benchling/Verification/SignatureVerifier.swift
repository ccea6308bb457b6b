import Crypto
import Foundation
import Logging

/// Verifies Benchling webhook deliveries exactly as Benchling's SDK does, with keys from a `JWKSCache`.
///
/// On a mismatch it asks the cache for one refetch (rate-limited, single-flight) before rejecting, so a key
/// rotation is picked up at once without letting forged traffic hammer the JWKS endpoint.
public struct SignatureVerifier: Sendable {
    public let keys: JWKSCache
    public let now: @Sendable () -> Date

    public init(keys: JWKSCache, now: @escaping @Sendable () -> Date = { Date() }) {
        self.keys = keys
        self.now = now
    }

    public func verify(headers: WebhookHeaders, body: some Collection<UInt8>) async -> SignatureVerdict {
        let delivery: SignatureCheck
        switch SignatureCheck.prepare(headers: headers, body: body, now: now()) {
        case .failure(let reason): return .invalid(reason)
        case .success(let prepared): delivery = prepared
        }
        // Nothing decodable: no key can ever match, so don't touch the JWKS for it.
        if delivery.signatures.isEmpty { return .invalid(.malformedSignature) }
        guard let snapshot = await keys.currentKeys() else { return .invalid(.jwksUnavailable) }
        if delivery.isSigned(byAnyOf: snapshot.keys) { return .valid }
        if let refreshed = await keys.keysAfterFailedMatch(seenGeneration: snapshot.generation),
            delivery.isSigned(byAnyOf: refreshed.keys)
        {
            return .valid
        }
        return .invalid(delivery.mismatchFailure)
    }

    /// Verification against a fixed key set (no fetching): for tests and tools.
    public static func verify(
        headers: WebhookHeaders, body: some Collection<UInt8>, keys: [P256.Signing.PublicKey], now: Date
    ) -> SignatureVerdict {
        switch SignatureCheck.prepare(headers: headers, body: body, now: now) {
        case .failure(let reason): return .invalid(reason)
        case .success(let delivery):
            return delivery.isSigned(byAnyOf: keys) ? .valid : .invalid(delivery.mismatchFailure)
        }
    }
}
