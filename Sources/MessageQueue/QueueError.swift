/// A queue operation failed. `isTransient` tells the caller whether retrying later can help.
public struct QueueError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The queue address has a form no adapter understands.
        case invalidAddress
        /// The credentials may not do this (IAM). Retrying will not help.
        case accessDenied
        case queueNotFound
        /// The receipt handle no longer names an in-flight delivery (it expired or the message was re-received).
        case messageNotInFlight
        /// The request itself is wrong (bad parameter, missing dead-letter queue, …).
        case invalidRequest
        /// The service asked us to slow down.
        case throttled
        /// Timeout, connection failure, 5xx, or a busy database: try again.
        case unavailable
        /// The local queue file could not be read or written.
        case storage
        /// The service answered something we could not understand.
        case unexpectedResponse
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var isTransient: Bool { kind == .throttled || kind == .unavailable }

    public var description: String { "queue \(kind.rawValue): \(message)" }
}
