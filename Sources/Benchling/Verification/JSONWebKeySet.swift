import Crypto
import Foundation
import JSONCore

/// Reads the P-256 keys of a JWK set. Keys of other types or curves, or with bad coordinates, are skipped:
/// Benchling only signs with EC P-256, and one odd key must not disable the others.
public enum JSONWebKeySet {
    public static func p256Keys(from json: JSONValue) -> [P256.Signing.PublicKey] {
        guard let keys = json["keys"]?.arrayValue else { return [] }
        return keys.compactMap(p256Key)
    }

    public static func p256Keys(from data: some Collection<UInt8>) throws -> [P256.Signing.PublicKey] {
        let json = try JSONValue.parse(data)
        guard json["keys"]?.arrayValue != nil else { throw JWKSError.notAKeySet }
        return p256Keys(from: json)
    }

    static func p256Key(_ jwk: JSONValue) -> P256.Signing.PublicKey? {
        guard jwk["kty"]?.stringValue == "EC", jwk["crv"]?.stringValue == "P-256",
            let x = jwk["x"]?.stringValue.flatMap(base64URLDecode), x.count == 32,
            let y = jwk["y"]?.stringValue.flatMap(base64URLDecode), y.count == 32
        else { return nil }
        return try? P256.Signing.PublicKey(rawRepresentation: x + y)
    }

    /// base64url without padding (RFC 7515 §2).
    public static func base64URLDecode(_ text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }
}

public enum JWKSError: Error, Sendable, Equatable {
    case notAKeySet
    case httpStatus(Int)
    case noUsableKeys
}
