import Crypto
import Foundation
import JSONCore

/// Which P-256 key signs the sandbox's webhook deliveries.
public enum SigningKeyChoice: Sendable {
    /// The public RFC 6979 A.2.5 example key used by `webhook-signatures.json` (test-only by construction).
    case vectorTestKey
    /// A key generated at start-up.
    case generated
    /// A caller-supplied key.
    case key(P256.Signing.PrivateKey)

    /// Scalar of the RFC 6979 A.2.5 P-256 example key, as published in the signature vectors.
    static let vectorScalarHex = "c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721"

    func makeKey() -> P256.Signing.PrivateKey {
        switch self {
        case .generated:
            return P256.Signing.PrivateKey()
        case .key(let key):
            return key
        case .vectorTestKey:
            var bytes = [UInt8]()
            var index = Self.vectorScalarHex.startIndex
            while index < Self.vectorScalarHex.endIndex {
                let next = Self.vectorScalarHex.index(index, offsetBy: 2)
                bytes.append(UInt8(Self.vectorScalarHex[index..<next], radix: 16)!)
                index = next
            }
            // The scalar is a valid constant; failure here is a programming error.
            return try! P256.Signing.PrivateKey(rawRepresentation: bytes)
        }
    }
}

/// The keys the sandbox publishes: the current signing key first, then any kept after a rotation.
struct SigningKeyRing: Sendable {
    private(set) var current: P256.Signing.PrivateKey
    private(set) var previous: [P256.Signing.PrivateKey] = []
    private var generation = 1

    init(current: P256.Signing.PrivateKey) { self.current = current }

    /// Replaces the signing key; the old one stays in the JWKS only when `keepPrevious` (Benchling's overlap window).
    mutating func rotate(keepPrevious: Bool) {
        if keepPrevious { previous.insert(current, at: 0) } else { previous = [] }
        current = P256.Signing.PrivateKey()
        generation += 1
    }

    /// JWK set as Benchling serves it: `kty` EC, `crv` P-256, `x`/`y` base64url without padding.
    var jwks: JSONValue {
        var keys: [JSONValue] = []
        for (offset, key) in ([current] + previous).enumerated() {
            let point = key.publicKey.x963Representation  // 0x04 || x || y
            let x = point.dropFirst().prefix(32)
            let y = point.dropFirst(33)
            keys.append([
                "kty": "EC", "crv": "P-256", "alg": "ES256", "use": "sig",
                "kid": .string("sandbox-key-\(generation - offset)"),
                "x": .string(Base64URL.encode(Data(x))), "y": .string(Base64URL.encode(Data(y))),
            ])
        }
        return ["keys": .array(keys)]
    }
}

/// Base64url without padding (RFC 7515 §2), the JWK encoding of coordinates.
enum Base64URL {
    static func encode(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
