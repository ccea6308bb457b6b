import Foundation
import JSONCore

/// An app canvas as the sandbox stores it.
public struct SandboxCanvas: Sendable, Hashable {
    public var id: String
    public var resourceId: String
    public var featureId: String
    public var appId: String
    /// Whether the canvas is interactable; the sandbox sets false after a button press, like Benchling.
    public var enabled: Bool = true
    public var blocks: [JSONValue] = []
    public var data: JSONValue = .null
    public var sessionId: JSONValue = .null
    public var archiveRecord: JSONValue = .null

    public init(id: String, resourceId: String, featureId: String, appId: String, blocks: [JSONValue] = []) {
        self.id = id
        self.resourceId = resourceId
        self.featureId = featureId
        self.appId = appId
        self.blocks = blocks
    }

    /// The `AppCanvas` response object.
    public var json: JSONValue {
        [
            "id": .string(id),
            "app": ["id": .string(appId)],
            "featureId": .string(featureId),
            "resourceId": .string(resourceId),
            "enabled": .bool(enabled),
            "blocks": .array(blocks),
            "data": data,
            "sessionId": sessionId,
            "archiveRecord": archiveRecord,
        ]
    }

    /// Applies an `AppCanvasUpdate` body: only the keys present change (PATCH semantics).
    mutating func apply(update: JSONObject) {
        if let blocks = update["blocks"]?.arrayValue { self.blocks = blocks }
        if let enabled = update["enabled"]?.boolValue { self.enabled = enabled }
        if let data = update["data"] { self.data = data }
        if let sessionId = update["sessionId"] { self.sessionId = sessionId }
        if let featureId = update["featureId"]?.stringValue { self.featureId = featureId }
        if let resourceId = update["resourceId"]?.stringValue { self.resourceId = resourceId }
    }

    /// Every block id in the canvas, sections included (used to check button presses name a real button).
    public var blockIds: [String] {
        func ids(_ blocks: [JSONValue]) -> [String] {
            blocks.flatMap { block -> [String] in
                (block["id"]?.stringValue.map { [$0] } ?? []) + ids(block["children"]?.arrayValue ?? [])
            }
        }
        return ids(blocks)
    }
}
