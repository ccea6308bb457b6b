/// The three signature headers of a delivery, looked up case-insensitively.
public struct WebhookHeaders: Sendable, Equatable {
    public static let idName = "webhook-id"
    public static let timestampName = "webhook-timestamp"
    public static let signatureName = "webhook-signature"

    public var id: String?
    public var timestamp: String?
    public var signature: String?

    public init(id: String?, timestamp: String?, signature: String?) {
        self.id = id
        self.timestamp = timestamp
        self.signature = signature
    }

    /// From name/value pairs in any letter case (the first occurrence of a name wins).
    public init(_ pairs: some Sequence<(String, String)>) {
        var found: [String: String] = [:]
        for (name, value) in pairs {
            let key = name.lowercased()
            if found[key] == nil { found[key] = value }
        }
        self.init(
            id: found[Self.idName], timestamp: found[Self.timestampName], signature: found[Self.signatureName])
    }

    /// From a dictionary whose keys may be in any letter case.
    public init(_ dictionary: [String: String]) {
        self.init(dictionary.map { ($0.key, $0.value) })
    }

    /// From a lookup function (e.g. over Hummingbird's `HTTPFields`, which is already case-insensitive).
    public init(lookup: (String) -> String?) {
        self.init(id: lookup(Self.idName), timestamp: lookup(Self.timestampName), signature: lookup(Self.signatureName))
    }
}
