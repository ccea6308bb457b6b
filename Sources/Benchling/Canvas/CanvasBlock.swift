import JSONCore

/// One UI block of an app canvas, encoded exactly as the OpenAPI `*UiBlock` schemas require: only the keys the
/// schema names, and no null-valued keys (absent optionals are omitted).
public indirect enum CanvasBlock: Sendable, Equatable {
    /// `MarkdownUiBlock` {type, id?, value}. Escape user text with `Markdown.escape`.
    case markdown(id: String? = nil, value: String)
    /// `ButtonUiBlock` {type, id, text, enabled?}. The id comes back in `v2.canvas.userInteracted`.
    case button(id: String, text: String, enabled: Bool? = nil)
    /// `SectionUiBlock` {type, id?, children}. Children must not be sections (the schema's leaf list).
    case section(id: String? = nil, children: [CanvasBlock])
    /// `TextInputUiBlock` {type, id, value, label?, placeholder?, enabled?}.
    case textInput(
        id: String, value: String = "", label: String? = nil, placeholder: String? = nil, enabled: Bool? = nil)
    /// `ChipUiBlock` {type, id?, value}.
    case chip(id: String? = nil, value: String)
    /// Any other block, passed through as given.
    case raw(JSONValue)

    public var json: JSONValue {
        var object = JSONObject()
        func put(_ key: String, _ value: String?) { if let value { object[key] = .string(value) } }
        func put(_ key: String, _ value: Bool?) { if let value { object[key] = .bool(value) } }
        switch self {
        case .markdown(let id, let value):
            put("type", "MARKDOWN"); put("id", id); put("value", value)
        case .button(let id, let text, let enabled):
            put("type", "BUTTON"); put("id", id); put("text", text); put("enabled", enabled)
        case .section(let id, let children):
            put("type", "SECTION"); put("id", id)
            object["children"] = .array(children.map(\.json))
        case .textInput(let id, let value, let label, let placeholder, let enabled):
            put("type", "TEXT_INPUT"); put("id", id); put("value", value)
            put("label", label); put("placeholder", placeholder); put("enabled", enabled)
        case .chip(let id, let value):
            put("type", "CHIP"); put("id", id); put("value", value)
        case .raw(let value):
            return value
        }
        return .object(object)
    }

    /// Reads a block from a canvas; unknown types become `.raw`.
    public init(json: JSONValue) {
        let id = json["id"]?.stringValue
        switch json["type"]?.stringValue {
        case "MARKDOWN" where json["value"]?.stringValue != nil:
            self = .markdown(id: id, value: json["value"]!.stringValue!)
        case "BUTTON" where id != nil && json["text"]?.stringValue != nil:
            self = .button(id: id!, text: json["text"]!.stringValue!, enabled: json["enabled"]?.boolValue)
        case "SECTION" where json["children"]?.arrayValue != nil:
            self = .section(id: id, children: json["children"]!.arrayValue!.map(CanvasBlock.init(json:)))
        case "CHIP" where json["value"]?.stringValue != nil:
            self = .chip(id: id, value: json["value"]!.stringValue!)
        default:
            self = .raw(json)
        }
    }
}
