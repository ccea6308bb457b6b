import Foundation

/// An access key pair, with the session token and expiry that temporary (role) credentials carry.
public struct AWSCredentials: Sendable, Equatable, CustomStringConvertible {
    public var accessKeyId: String
    public var secretAccessKey: String
    public var sessionToken: String?
    /// When temporary credentials stop working; nil for long-lived keys.
    public var expiration: Date?

    public init(accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Date? = nil) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
    }

    /// Never prints the secret or the token.
    public var description: String {
        "AWSCredentials(accessKeyId: \(accessKeyId), secret: <redacted>\(sessionToken == nil ? "" : ", token: <redacted>"))"
    }
}
