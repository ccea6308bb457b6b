import JSONCore

/// One message of the package-event queue: the EventBridge envelope of Quilt's `package-revision` event, which the
/// stack's rule delivers as the SQS body unchanged.
///
/// Quilt's `pkgevents` lambda puts `{"source": "com.quiltdata", "detail-type": "package-revision", "detail":
/// {"version", "type", "bucket", "handle", "topHash"}}` when a revision pointer is written. Only `detail.bucket`,
/// `detail.handle` and the optional `detail.topHash` are acted on (as the Python service does); `id`, `source` and
/// `detail-type` are checked when present. The body is outside input (anyone who may send to the queue writes it),
/// so the parse is strict: a body that is not such an envelope is refused with the reason, and the message ends in
/// the dead-letter queue rather than being guessed at. Depends on JSONCore only, so `scripts/fuzz package-event`
/// compiles it alone.
public struct PackageRevisionEvent: Sendable, Equatable {
    /// EventBridge's event id (a UUID), when the envelope has one: the idempotency key of the refresh.
    public var id: String?
    public var bucket: String
    /// The package name, `prefix/name`, as Quilt wrote it (not yet checked against Quilt's naming rules).
    public var handle: String
    /// The revision the event announces; nil when the event names none (then the latest is refreshed).
    public var topHash: String?

    public static let source = "com.quiltdata"
    public static let detailType = "package-revision"
    /// Longest value of a field this parser accepts: S3 keys are at most 1024 bytes, and an id or hash is far
    /// shorter; anything longer is not a Quilt event.
    static let maxFieldLength = 1_024

    public init(id: String?, bucket: String, handle: String, topHash: String?) {
        self.id = id
        self.bucket = bucket
        self.handle = handle
        self.topHash = topHash
    }

    /// Why a body is not a package-revision envelope.
    public struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        public let reason: String
        public var description: String { "not a Quilt package-revision event: \(reason)" }
    }

    public static func parse(_ body: String) throws(Invalid) -> PackageRevisionEvent {
        try parse(Array(body.utf8))
    }

    public static func parse(_ bytes: some Collection<UInt8>) throws(Invalid) -> PackageRevisionEvent {
        let value: JSONValue
        do {
            value = try JSONValue.parse(bytes)
        } catch {
            throw Invalid(reason: "body is not JSON (\(error))")
        }
        guard case .object(let envelope) = value else { throw Invalid(reason: "body is not a JSON object") }
        if let source = try optionalString(envelope, "source"), source != Self.source {
            throw Invalid(reason: "source is \(quoted(source)), expected \(Self.source)")
        }
        if let type = try optionalString(envelope, "detail-type"), type != Self.detailType {
            throw Invalid(reason: "detail-type is \(quoted(type)), expected \(Self.detailType)")
        }
        let id = try optionalString(envelope, "id")
        guard let detailValue = envelope["detail"] else { throw Invalid(reason: "no detail") }
        guard case .object(let detail) = detailValue else { throw Invalid(reason: "detail is not an object") }
        guard let bucket = try optionalString(detail, "bucket"), !bucket.isEmpty else {
            throw Invalid(reason: "detail.bucket is missing or empty")
        }
        guard let handle = try optionalString(detail, "handle"), !handle.isEmpty else {
            throw Invalid(reason: "detail.handle is missing or empty")
        }
        let topHash = try optionalString(detail, "topHash")
        if let topHash, !isTopHash(topHash) {
            throw Invalid(reason: "detail.topHash is not 64 lower-case hex digits")
        }
        return PackageRevisionEvent(
            id: id.flatMap { $0.isEmpty ? nil : $0 }, bucket: bucket, handle: handle, topHash: topHash)
    }

    /// The string at `key`; nil when absent or null; refused when another type or longer than `maxFieldLength`.
    private static func optionalString(_ object: JSONObject, _ key: String) throws(Invalid) -> String? {
        switch object[key] {
        case nil, .null?: return nil
        case .string(let text)?:
            guard text.utf8.count <= maxFieldLength else { throw Invalid(reason: "\(key) is too long") }
            guard !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw Invalid(reason: "\(key) contains control characters")
            }
            return text
        default: throw Invalid(reason: "\(key) is not a string")
        }
    }

    static func isTopHash(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// A value from the body, shortened and quoted for an error message (it is logged and shown by operator tools).
    private static func quoted(_ text: String) -> String {
        "\"" + String(text.prefix(60)) + (text.count > 60 ? "…" : "") + "\""
    }
}
