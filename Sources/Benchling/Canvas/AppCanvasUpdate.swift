import JSONCore

/// Body of `PATCH /app-canvases/{id}` (schema `AppCanvasUpdate`, `additionalProperties: false`):
/// only these six keys, and nil fields are omitted rather than sent as null.
public struct AppCanvasUpdate: Sendable, Equatable {
    public var blocks: [CanvasBlock]?
    /// Benchling disables a canvas after a button press until the app sends `enabled: true`.
    public var enabled: Bool?
    /// Opaque app data, a JSON string under 5 kB.
    public var data: String?
    public var sessionId: String?
    public var featureId: String?
    public var resourceId: String?

    public init(
        blocks: [CanvasBlock]? = nil, enabled: Bool? = nil, data: String? = nil, sessionId: String? = nil,
        featureId: String? = nil, resourceId: String? = nil
    ) {
        self.blocks = blocks
        self.enabled = enabled
        self.data = data
        self.sessionId = sessionId
        self.featureId = featureId
        self.resourceId = resourceId
    }

    public var json: JSONValue {
        var object = JSONObject()
        if let blocks { object["blocks"] = .array(blocks.map(\.json)) }
        if let enabled { object["enabled"] = .bool(enabled) }
        if let data { object["data"] = .string(data) }
        if let sessionId { object["sessionId"] = .string(sessionId) }
        if let featureId { object["featureId"] = .string(featureId) }
        if let resourceId { object["resourceId"] = .string(resourceId) }
        return .object(object)
    }
}

/// Body of `POST /app-canvases` (schema `AppCanvasCreate`, `additionalProperties: false`).
public struct AppCanvasCreate: Sendable, Equatable {
    public var appId: String
    public var featureId: String
    public var resourceId: String
    public var blocks: [CanvasBlock]
    public var enabled: Bool?
    public var data: String?
    public var sessionId: String?

    public init(
        appId: String, featureId: String, resourceId: String, blocks: [CanvasBlock], enabled: Bool? = nil,
        data: String? = nil, sessionId: String? = nil
    ) {
        self.appId = appId
        self.featureId = featureId
        self.resourceId = resourceId
        self.blocks = blocks
        self.enabled = enabled
        self.data = data
        self.sessionId = sessionId
    }

    public var json: JSONValue {
        var object: JSONObject = [
            "appId": .string(appId), "featureId": .string(featureId), "resourceId": .string(resourceId),
            "blocks": .array(blocks.map(\.json)),
        ]
        if let enabled { object["enabled"] = .bool(enabled) }
        if let data { object["data"] = .string(data) }
        if let sessionId { object["sessionId"] = .string(sessionId) }
        return .object(object)
    }
}
