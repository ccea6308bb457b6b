import JSONCore

/// A notebook entry as returned by `GET /entries/{id}` (schema `Entry`), read leniently: only `id` is required,
/// every other field is optional, and `raw` keeps the full object for `entry_data.json`.
public struct Entry: Sendable, Equatable {
    public let id: String
    public let displayId: String?
    public let name: String?
    public let folderId: String?
    public let createdAt: String?
    public let modifiedAt: String?
    public let webURL: String?
    public let apiURL: String?
    public let creator: BenchlingUser?
    public let authors: [BenchlingUser]
    /// `fields` (name → {value, type, displayValue, textValue, isMulti}) as sent.
    public let fields: JSONObject
    public let customFields: JSONObject
    public let schemaId: String?
    public let days: [EntryDay]
    /// `reviewRecord.status` when present.
    public let reviewStatus: String?
    /// The entry object (the value of the `entry` wrapper), unchanged.
    public let raw: JSONValue

    /// From the entry object itself or from the `{"entry": …}` wrapper.
    public init(json: JSONValue) throws(BenchlingError) {
        let object = json["entry"]?.objectValue != nil ? json["entry"]! : json
        guard let id = object["id"]?.stringValue else {
            throw BenchlingError(kind: .invalidResponse("entry has no id"), operation: "decode entry")
        }
        self.id = id
        displayId = object["displayId"]?.stringValue
        name = object["name"]?.stringValue
        folderId = object["folderId"]?.stringValue
        createdAt = object["createdAt"]?.stringValue
        modifiedAt = object["modifiedAt"]?.stringValue
        webURL = object["webURL"]?.stringValue
        apiURL = object["apiURL"]?.stringValue
        creator = object["creator"].flatMap(BenchlingUser.init(json:))
        authors = object["authors"]?.arrayValue?.compactMap(BenchlingUser.init(json:)) ?? []
        fields = object["fields"]?.objectValue ?? JSONObject()
        customFields = object["customFields"]?.objectValue ?? JSONObject()
        schemaId = object["schema"]?["id"]?.stringValue
        days = object["days"]?.arrayValue?.map(EntryDay.init(json:)) ?? []
        reviewStatus = object["reviewRecord"]?["status"]?.stringValue
        raw = object
    }
}

/// `UserSummary`: who created or authored an entry.
public struct BenchlingUser: Sendable, Equatable {
    public let id: String
    public let handle: String?
    public let name: String?

    public init(id: String, handle: String?, name: String?) {
        self.id = id
        self.handle = handle
        self.name = name
    }

    public init?(json: JSONValue) {
        guard let id = json["id"]?.stringValue else { return nil }
        self.init(id: id, handle: json["handle"]?.stringValue, name: json["name"]?.stringValue)
    }

    /// As written into package metadata: `{id, handle, name}` with absent values omitted.
    public var json: JSONValue {
        var object: JSONObject = ["id": .string(id)]
        if let handle { object["handle"] = .string(handle) }
        if let name { object["name"] = .string(name) }
        return .object(object)
    }
}

/// One day of an entry's notes. `notes` stay raw: their parts (text, links, tables) are many and varied;
/// the link extraction reads them directly.
public struct EntryDay: Sendable, Equatable {
    public let date: String?
    public let title: String?
    public let notes: [JSONValue]

    public init(json: JSONValue) {
        date = json["date"]?.stringValue
        title = json["title"]?.stringValue
        notes = json["notes"]?.arrayValue ?? []
    }
}
