import Crypto
import Foundation
import JSONCore

/// AWS Signature Version 4, as a pure value: no clock, no I/O. Callers pass the time, the request parts and the
/// payload hash; the signer returns the headers (or query items) to add, plus the intermediate canonical request and
/// string to sign so tests can compare them with AWS's suite and with botocore.
public struct SigV4Signer: Sendable {
    /// Per-service signing rules.
    public struct Options: Sendable, Equatable {
        /// Remove `.`/`..`/empty path segments before signing (every service but S3).
        public var normalizePath: Bool
        /// Percent-encode the (already wire-encoded) path once more (every service but S3).
        public var doubleEncodePath: Bool
        /// Add and sign `x-amz-content-sha256` with the payload hash (S3 requires it).
        public var addContentSHA256Header: Bool
        /// Add `x-amz-security-token` after signing instead of signing it (a few STS-style services want this).
        public var omitSessionTokenFromSignature: Bool

        public init(
            normalizePath: Bool = true, doubleEncodePath: Bool = true,
            addContentSHA256Header: Bool = false, omitSessionTokenFromSignature: Bool = false
        ) {
            self.normalizePath = normalizePath
            self.doubleEncodePath = doubleEncodePath
            self.addContentSHA256Header = addContentSHA256Header
            self.omitSessionTokenFromSignature = omitSessionTokenFromSignature
        }

        /// JSON and query protocol services (SQS, Secrets Manager, CloudFormation, IAM, STS).
        public static let standard = Options()
        /// S3: the path is signed exactly as sent (single-encoded, not normalised) and the payload hash is a header.
        public static let s3 = Options(normalizePath: false, doubleEncodePath: false, addContentSHA256Header: true)
    }

    /// The request parts that are signed. `path` is the path exactly as it goes on the wire (already
    /// percent-encoded); `query` holds decoded names and values (the signer encodes them).
    public struct Request: Sendable {
        public var method: String
        public var path: String
        public var query: [(name: String, value: String)]
        /// Must include `host`. Repeated names are allowed (values are joined with `,` in order).
        public var headers: [(name: String, value: String)]

        public init(
            method: String, path: String, query: [(name: String, value: String)] = [],
            headers: [(name: String, value: String)]
        ) {
            self.method = method
            self.path = path
            self.query = query
            self.headers = headers
        }
    }

    /// What header signing produced.
    public struct HeaderSignature: Sendable {
        public var canonicalRequest: String
        public var stringToSign: String
        public var signature: String
        public var authorization: String
        /// Headers the caller must add to the request (x-amz-date, token, content hash, Authorization).
        public var headersToAdd: [(name: String, value: String)]
    }

    /// What query (presigned URL) signing produced.
    public struct QuerySignature: Sendable {
        public var canonicalRequest: String
        public var stringToSign: String
        public var signature: String
        /// The complete, encoded query string to put after `?` (includes the request's own parameters).
        public var queryString: String
    }

    /// The hash S3 accepts for bodies that are streamed without hashing them first.
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"
    /// SHA-256 of the empty body.
    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    public var credentials: AWSCredentials
    public var region: String
    public var service: String
    public var options: Options

    public init(credentials: AWSCredentials, region: String, service: String, options: Options = .standard) {
        self.credentials = credentials
        self.region = region
        self.service = service
        self.options = options
    }

    /// Signs with an `Authorization` header.
    public func signHeaders(_ request: Request, payloadHash: String, date: Date) -> HeaderSignature {
        let amzDate = Self.amzDate(date)
        var added: [(name: String, value: String)] = [("X-Amz-Date", amzDate)]
        if options.addContentSHA256Header { added.append(("X-Amz-Content-SHA256", payloadHash)) }
        let token = credentials.sessionToken
        if let token, !options.omitSessionTokenFromSignature { added.append(("X-Amz-Security-Token", token)) }

        let canonical = canonicalHeaders(request.headers + added)
        let canonicalRequest = [
            request.method.uppercased(), canonicalPath(request.path), Self.canonicalQuery(request.query),
            canonical.block, canonical.signedNames, payloadHash,
        ].joined(separator: "\n")
        let scope = credentialScope(amzDate)
        let stringToSign = Self.stringToSign(amzDate: amzDate, scope: scope, canonicalRequest: canonicalRequest)
        let signature = sign(stringToSign, dateStamp: String(amzDate.prefix(8)))
        let authorization =
            "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyId)/\(scope), "
            + "SignedHeaders=\(canonical.signedNames), Signature=\(signature)"
        if let token, options.omitSessionTokenFromSignature { added.append(("X-Amz-Security-Token", token)) }
        added.append(("Authorization", authorization))
        return HeaderSignature(
            canonicalRequest: canonicalRequest, stringToSign: stringToSign, signature: signature,
            authorization: authorization, headersToAdd: added)
    }

    /// Signs with query parameters (a presigned URL valid for `expires` seconds).
    public func signQuery(_ request: Request, payloadHash: String, date: Date, expires: Int) -> QuerySignature {
        let amzDate = Self.amzDate(date)
        let scope = credentialScope(amzDate)
        let canonical = canonicalHeaders(request.headers)
        var query = request.query
        query.append(("X-Amz-Algorithm", "AWS4-HMAC-SHA256"))
        query.append(("X-Amz-Credential", "\(credentials.accessKeyId)/\(scope)"))
        query.append(("X-Amz-Date", amzDate))
        query.append(("X-Amz-Expires", String(expires)))
        query.append(("X-Amz-SignedHeaders", canonical.signedNames))
        let token = credentials.sessionToken
        if let token, !options.omitSessionTokenFromSignature { query.append(("X-Amz-Security-Token", token)) }
        let canonicalQuery = Self.canonicalQuery(query)
        let canonicalRequest = [
            request.method.uppercased(), canonicalPath(request.path), canonicalQuery,
            canonical.block, canonical.signedNames, payloadHash,
        ].joined(separator: "\n")
        let stringToSign = Self.stringToSign(amzDate: amzDate, scope: scope, canonicalRequest: canonicalRequest)
        let signature = sign(stringToSign, dateStamp: String(amzDate.prefix(8)))
        var queryString = canonicalQuery
        if let token, options.omitSessionTokenFromSignature {
            queryString += "&X-Amz-Security-Token=" + AWSURIEncoding.encode(token)
        }
        queryString += "&X-Amz-Signature=" + signature
        return QuerySignature(
            canonicalRequest: canonicalRequest, stringToSign: stringToSign,
            signature: signature, queryString: queryString)
    }

    // MARK: canonical parts

    /// The canonical URI for this service's rules.
    public func canonicalPath(_ path: String) -> String {
        var result = path.isEmpty ? "/" : path
        if options.normalizePath { result = AWSURIEncoding.normalizePath(result) }
        if options.doubleEncodePath { result = AWSURIEncoding.encode(result, keepSlash: true) }
        return result
    }

    /// Encoded `name=value` pairs sorted by encoded name, then encoded value (byte order), joined with `&`.
    /// The same string is used as the query of the URL we send.
    public static func canonicalQuery(_ query: [(name: String, value: String)]) -> String {
        query.map { (AWSURIEncoding.encode($0.name), AWSURIEncoding.encode($0.value)) }
            .sorted { lhs, rhs in
                lhs.0 == rhs.0
                    ? Array(lhs.1.utf8).lexicographicallyPrecedes(Array(rhs.1.utf8))
                    : Array(lhs.0.utf8).lexicographicallyPrecedes(Array(rhs.0.utf8))
            }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    /// Headers that are never signed: they may be changed by proxies or by the HTTP client.
    /// (botocore's list plus `authorization`).
    static let unsignedHeaders: Set<String> = [
        "authorization", "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
        "trailer", "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id",
    ]

    private func canonicalHeaders(_ headers: [(name: String, value: String)]) -> (block: String, signedNames: String) {
        var values: [String: [String]] = [:]
        for (name, value) in headers {
            let lower = String(name.lowercased().trimmingWhitespace)
            guard !Self.unsignedHeaders.contains(lower) else { continue }
            values[lower, default: []].append(Self.trimAll(value))
        }
        let names = values.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        let block = names.map { "\($0):\(values[$0]!.joined(separator: ","))\n" }.joined()
        return (block, names.joined(separator: ";"))
    }

    /// Trims the value and collapses runs of whitespace (including folded line breaks) to one space.
    static func trimAll(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).joined(separator: " ")
    }

    private func credentialScope(_ amzDate: String) -> String {
        "\(amzDate.prefix(8))/\(region)/\(service)/aws4_request"
    }

    private static func stringToSign(amzDate: String, scope: String, canonicalRequest: String) -> String {
        let hash = SHA256.hash(data: Data(canonicalRequest.utf8)).hexString
        return "AWS4-HMAC-SHA256\n\(amzDate)\n\(scope)\n\(hash)"
    }

    private func sign(_ stringToSign: String, dateStamp: String) -> String {
        func hmac(_ key: SymmetricKey, _ message: String) -> SymmetricKey {
            SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: key)))
        }
        let kDate = hmac(SymmetricKey(data: Data("AWS4\(credentials.secretAccessKey)".utf8)), dateStamp)
        let kSigning = hmac(hmac(hmac(kDate, region), service), "aws4_request")
        return HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: kSigning).hexString
    }

    /// `YYYYMMDD'T'HHMMSS'Z'` in UTC.
    public static func amzDate(_ date: Date) -> String {
        UTCTimestamp(date).iso8601Basic
    }

    /// Lower-case hex SHA-256 of `data`: the payload hash for in-memory bodies.
    public static func payloadHash(_ data: some DataProtocol) -> String {
        SHA256.hash(data: data).hexString
    }
}

extension Sequence where Element == UInt8 {
    /// Lower-case hex.
    var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        for byte in self {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension SHA256.Digest {
    var hexString: String { Array(self).hexString }
}

extension HashedAuthenticationCode {
    var hexString: String { Array(self).hexString }
}
