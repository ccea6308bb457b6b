import Benchling
import Crypto
import Foundation
import JSONCore
import TestSupport
import Testing

/// Every case of the SDK-confirmed signature vectors, by iteration.
@Suite(.timeLimit(.minutes(2))) struct SignatureVectorTests {
    struct Case: Sendable, CustomStringConvertible {
        let name: String
        let headers: [String: String]
        let body: String
        let now: Date
        let valid: Bool
        var description: String { name }
    }

    /// The reason each named case must be rejected with (the file gives only the verdict).
    static let expectedReasons: [String: SignatureFailure] = [
        "timestamp-too-old": .timestampOutOfRange, "timestamp-too-new": .timestampOutOfRange,
        "body-tampered": .invalidSignature, "body-reserialized": .invalidSignature, "id-changed": .invalidSignature,
        "signed-by-unknown-key": .invalidSignature, "no-der-signature": .noSupportedSignature,
        "missing-signature-header": .missingHeaders, "garbage-timestamp": .invalidTimestamp,
        "malformed-signature-item": .malformedSignature, "not-base64": .malformedSignature,
    ]

    static func vectors() throws -> (keys: [P256.Signing.PublicKey], cases: [Case]) {
        let json = try JSONValue.parse(try Fixtures.data("webhook-signatures.json"))
        let keys = JSONWebKeySet.p256Keys(from: try #require(json["jwks"]))
        let cases = try #require(json["cases"]?.arrayValue).map { item in
            var headers: [String: String] = [:]
            for (name, value) in item["headers"]?.objectValue ?? JSONObject() { headers[name] = value.stringValue }
            return Case(
                name: item["name"]?.stringValue ?? "?", headers: headers, body: item["body"]?.stringValue ?? "",
                now: Date(timeIntervalSince1970: item["now"]?.doubleValue ?? 0),
                valid: item["valid"]?.boolValue ?? false)
        }
        return (keys, cases)
    }

    @Test func everyVectorGetsTheSDKVerdict() throws {
        let (keys, cases) = try Self.vectors()
        #expect(keys.count == 1)
        #expect(cases.count >= 14)
        for vector in cases {
            let verdict = SignatureVerifier.verify(
                headers: WebhookHeaders(vector.headers), body: Array(vector.body.utf8), keys: keys, now: vector.now)
            #expect(verdict.isValid == vector.valid, "\(vector.name): \(verdict)")
            if !vector.valid, let reason = Self.expectedReasons[vector.name] {
                #expect(verdict == .invalid(reason), "\(vector.name)")
            }
        }
        // Every invalid case of the file has a pinned reason (a new case must be classified deliberately).
        for vector in cases where !vector.valid { #expect(Self.expectedReasons[vector.name] != nil, "\(vector.name)") }
    }

    @Test func headerNamesAreCaseInsensitive() throws {
        let (keys, cases) = try Self.vectors()
        let valid = try #require(cases.first { $0.name == "valid" })
        let shouted = valid.headers.map { ($0.key.uppercased(), $0.value) }
        let verdict = SignatureVerifier.verify(
            headers: WebhookHeaders(shouted), body: Array(valid.body.utf8), keys: keys, now: valid.now)
        #expect(verdict == .valid)
    }

    @Test func noKeysMeansInvalidSignatureNotValid() throws {
        let (_, cases) = try Self.vectors()
        let valid = try #require(cases.first { $0.name == "valid" })
        let verdict = SignatureVerifier.verify(
            headers: WebhookHeaders(valid.headers), body: Array(valid.body.utf8), keys: [], now: valid.now)
        #expect(verdict == .invalid(.invalidSignature))
    }

    @Test func reasonStringsAreStableAndDistinct() {
        let raw = SignatureFailure.allCases.map(\.rawValue)
        #expect(Set(raw).count == raw.count)
        #expect(
            raw == [
                "missing_headers", "invalid_timestamp", "timestamp_out_of_range", "no_supported_signature",
                "malformed_signature", "signature_header_too_large", "invalid_signature", "jwks_unavailable",
            ])
    }

    /// Every item is decoded and tried against every key, so a long header is refused before any of that:
    /// even when it holds the one valid signature.
    @Test func oversizedSignatureHeadersAreRefusedUnread() throws {
        let (keys, cases) = try Self.vectors()
        let valid = try #require(cases.first { $0.name == "valid" })
        let signature = try #require(valid.headers["webhook-signature"])
        func verdict(_ header: String) -> SignatureVerdict {
            var headers = valid.headers
            headers["webhook-signature"] = header
            return SignatureVerifier.verify(
                headers: WebhookHeaders(headers), body: Array(valid.body.utf8), keys: keys, now: valid.now)
        }
        let filler = "v1,aGVsbG8="
        let most = Array(repeating: filler, count: SignatureHeader.maxItems - 1) + [signature]
        #expect(verdict(most.joined(separator: " ")) == .valid)
        #expect(verdict(([filler] + most).joined(separator: " ")) == .invalid(.signatureHeaderTooLarge))
        #expect(
            verdict(Array(repeating: signature, count: 700).joined(separator: " "))
                == .invalid(.signatureHeaderTooLarge))
        let long = "v1," + String(repeating: "A", count: SignatureHeader.maxBytes)
        #expect(verdict(long + " " + signature) == .invalid(.signatureHeaderTooLarge))
    }

    @Test func jwkParsingSkipsForeignKeys() throws {
        let json = try JSONValue.parse(
            """
            {"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB"},{"kty":"EC","crv":"P-384","x":"AA","y":"AA"},
            {"kty":"EC","crv":"P-256","x":"bad","y":"bad"},
            {"kty":"EC","crv":"P-256","kid":"k","x":"YP7UuiVanTHJYet0xjVtaMBJuJI7Yfps5mliLmDyn7Y","y":"eQP-EAi4vJmkGunpVii8ZPLxsgwtfp9Rd6PClNRGIpk"}]}
            """)
        #expect(JSONWebKeySet.p256Keys(from: json).count == 1)
    }
}
