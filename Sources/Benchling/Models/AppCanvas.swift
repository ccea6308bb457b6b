import JSONCore

/// An app canvas as returned by `GET /app-canvases/{id}` (schema `AppCanvas`), read leniently.
public struct AppCanvas: Sendable, Equatable {
    public let id: String
    /// The entry (or other resource) the canvas is attached to.
    public let resourceId: String?
    public let featureId: String?
    public let enabled: Bool?
    public let appId: String?
    public let sessionId: String?
    public let data: String?
    /// The blocks as sent (the product re-renders the whole canvas; it never edits blocks in place).
    public let blocks: [JSONValue]
    public let raw: JSONValue

    public init(json: JSONValue) throws(BenchlingError) {
        guard let id = json["id"]?.stringValue else {
            throw BenchlingError(kind: .invalidResponse("canvas has no id"), operation: "decode canvas")
        }
        self.id = id
        resourceId = json["resourceId"]?.stringValue
        featureId = json["featureId"]?.stringValue
        enabled = json["enabled"]?.boolValue
        appId = json["app"]?["id"]?.stringValue
        sessionId = json["sessionId"]?.stringValue
        data = json["data"]?.stringValue
        blocks = json["blocks"]?.arrayValue ?? []
        raw = json
    }
}
