import Foundation

/// An error answered by an AWS service (or by IAM/signature checks in front of it).
public struct AWSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The service's error code without namespace, e.g. `ResourceNotFoundException`, `AccessDenied`,
    /// `SignatureDoesNotMatch`, `NoSuchKey`, `AWS.SimpleQueueService.NonExistentQueue`.
    public var code: String
    public var message: String
    public var requestId: String?
    public var statusCode: Int
    /// Signing name of the service (`sqs`, `s3`, ...).
    public var service: String
    /// Operation name (`SendMessage`, `GetObject`, ...).
    public var operation: String
    /// The IAM action the operation needs (`sqs:SendMessage`, `s3:GetObject`).
    public var iamAction: String

    public init(
        code: String, message: String, requestId: String? = nil, statusCode: Int, service: String,
        operation: String, iamAction: String? = nil
    ) {
        self.code = code
        self.message = message
        self.requestId = requestId
        self.statusCode = statusCode
        self.service = service
        self.operation = operation
        self.iamAction = iamAction ?? "\(service):\(operation)"
    }

    /// Access was refused by IAM.
    public var isAccessDenied: Bool {
        ["AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthorizationError"].contains(code)
    }

    /// The request's signature or key was rejected (wrong secret, unknown key, clock skew).
    public var isAuthenticationFailure: Bool {
        [
            "SignatureDoesNotMatch", "InvalidClientTokenId", "InvalidAccessKeyId", "UnrecognizedClientException",
            "IncompleteSignature", "ExpiredToken", "InvalidToken", "RequestExpired", "RequestTimeTooSkewed",
        ]
        .contains(code)
    }

    public var description: String {
        var text = "\(code): \(message.isEmpty ? "(no message)" : message)"
        if isAccessDenied && !message.contains(iamAction) { text += " (needs \(iamAction))" }
        if isAuthenticationFailure { text += " (check the access key and secret used for \(service))" }
        text += " [\(service) \(operation), HTTP \(statusCode)"
        if let requestId { text += ", request \(requestId)" }
        return text + "]"
    }
}

/// A failure that is not a service answer: transport, timeouts, unreadable responses.
public struct AWSClientError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Connecting, sending or receiving failed (retried by the client before surfacing).
        case transport
        /// No response within the configured time.
        case timeout
        /// The response could not be understood.
        case invalidResponse
        /// A request could not be built (bad argument, unreadable file).
        case invalidRequest
    }

    public var kind: Kind
    public var service: String
    public var operation: String
    public var detail: String

    public init(_ kind: Kind, service: String, operation: String, detail: String) {
        self.kind = kind
        self.service = service
        self.operation = operation
        self.detail = detail
    }

    public var description: String { "\(service) \(operation): \(kind): \(detail)" }
}
