import Foundation

/// A request body that can be produced again for every attempt (so retries resend the same bytes).
public enum AWSRequestBody: Sendable {
    case empty
    case data(Data)
    /// `length` bytes of a file starting at `offset`, streamed from disk (never loaded whole).
    case file(URL, offset: Int64, length: Int64)

    /// A whole file; its size is read now.
    public static func file(_ url: URL) throws -> AWSRequestBody {
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
        return .file(url, offset: 0, length: size)
    }

    public var length: Int64 {
        switch self {
        case .empty: return 0
        case .data(let data): return Int64(data.count)
        case .file(_, _, let length): return length
        }
    }
}

/// How the payload enters the signature.
public enum AWSPayloadSigning: Sendable, Equatable {
    /// SHA-256 of the body (in-memory bodies).
    case hashed
    /// `UNSIGNED-PAYLOAD` (S3 only): streamed file bodies are not read twice.
    case unsigned
}

/// One call to a service, before signing. `path` is the percent-encoded path as sent; `query` holds decoded pairs.
public struct AWSRequest: Sendable {
    /// Signing name, e.g. `s3`, `sqs`.
    public var service: String
    /// Operation name for errors and logs, e.g. `PutObject`.
    public var operation: String
    /// The IAM action named in AccessDenied errors; defaults to `service:operation`.
    public var iamAction: String?
    public var method: String
    /// `scheme://host[:port]` with no trailing slash.
    public var baseURL: String
    public var path: String
    public var query: [(name: String, value: String)]
    public var headers: [(name: String, value: String)]
    public var body: AWSRequestBody
    public var payloadSigning: AWSPayloadSigning
    public var signingOptions: SigV4Signer.Options
    /// Region used in the signature (IAM signs with us-east-1 whatever the client's region).
    public var signingRegion: AWSRegion?
    /// Deadline for one attempt (whole exchange, body included); nil = the client's `Timeouts.request`.
    public var timeout: Duration?

    public init(
        service: String, operation: String, iamAction: String? = nil, method: String, baseURL: String,
        path: String = "/", query: [(name: String, value: String)] = [],
        headers: [(name: String, value: String)] = [], body: AWSRequestBody = .empty,
        payloadSigning: AWSPayloadSigning = .hashed, signingOptions: SigV4Signer.Options = .standard,
        signingRegion: AWSRegion? = nil, timeout: Duration? = nil
    ) {
        self.service = service
        self.operation = operation
        self.iamAction = iamAction
        self.method = method
        self.baseURL = baseURL
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.payloadSigning = payloadSigning
        self.signingOptions = signingOptions
        self.signingRegion = signingRegion
        self.timeout = timeout
    }
}

/// A successful (2xx/3xx) answer.
public struct AWSResponse: Sendable {
    public var statusCode: Int
    public var headers: [(name: String, value: String)]
    /// The body (empty when it was written to a file).
    public var body: Data

    public init(statusCode: Int, headers: [(name: String, value: String)], body: Data) {
        self.statusCode = statusCode
        self.headers = headers
        self.body = body
    }

    /// First value of a header, case-insensitively.
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name.lowercased() == lower }?.value
    }
}
