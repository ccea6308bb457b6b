import JSONCore

/// A kind of Benchling object whose name can be read: its API collection, and for collections with a bulk-get
/// endpoint the ids parameter and the answer's list key.
public struct NamedObjectKind: Sendable, Hashable {
    public let collection: String
    /// nil: no bulk-get endpoint; names are read one GET per id.
    public let bulkIdsParameter: String?
    public let bulkListKey: String?
    /// Whether bulk-get accepts `returning` (the answer then holds only ids and names).
    public let bulkReturning: Bool

    /// Note-link types (Benchling's `EntryLink.type`) whose objects have a readable endpoint. Others (batch,
    /// workflow, dashboards, protocol, stage_entry, link) have none and keep `name: null`.
    public static let byLinkType: [String: NamedObjectKind] = [
        "custom_entity": bulk("custom-entities", "customEntityIds", "customEntities"),
        "dna_sequence": bulk("dna-sequences", "dnaSequenceIds", "dnaSequences"),
        "aa_sequence": bulk("aa-sequences", "aaSequenceIds", "aaSequences"),
        "container": bulk("containers", "containerIds", "containers"),
        "box": bulk("boxes", "boxIds", "boxes", returning: false),
        "plate": bulk("plates", "plateIds", "plates"),
        "location": bulk("locations", "locationIds", "locations", returning: false),
        "entry": bulk("entries", "entryIds", "entries"),
        "request": bulk("requests", "requestIds", "requests"),
        "user": NamedObjectKind(collection: "users", bulkIdsParameter: nil, bulkListKey: nil, bulkReturning: false),
        "folder": NamedObjectKind(collection: "folders", bulkIdsParameter: nil, bulkListKey: nil, bulkReturning: false),
    ]

    private static func bulk(
        _ collection: String, _ ids: String, _ key: String, returning: Bool = true
    ) -> NamedObjectKind {
        NamedObjectKind(collection: collection, bulkIdsParameter: ids, bulkListKey: key, bulkReturning: returning)
    }
}

extension BenchlingClient {
    /// `GET /{collection}:bulk-get?{ids}=…`: names by id (objects without a non-empty name are left out). Benchling
    /// answers the whole request with an error when one id is missing or unreadable.
    public func names(of kind: NamedObjectKind, ids: [String]) async throws -> [String: String] {
        guard let parameter = kind.bulkIdsParameter, let listKey = kind.bulkListKey else {
            throw BenchlingError(kind: .invalidResponse("\(kind.collection) has no bulk-get"), operation: "bulk-get")
        }
        var path = "/\(kind.collection):bulk-get?\(parameter)=" + ids.map(Self.segment).joined(separator: ",")
        if kind.bulkReturning { path += "&returning=\(listKey).id,\(listKey).name" }
        var names: [String: String] = [:]
        for object in try await call(.get, path)[listKey]?.arrayValue ?? [] {
            if let id = object["id"]?.stringValue, let name = object["name"]?.stringValue, !name.isEmpty {
                names[id] = name
            }
        }
        return names
    }

    /// `GET /{collection}/{id}`: the object's name, nil when it has none.
    public func name(of kind: NamedObjectKind, id: String) async throws -> String? {
        let object = try await call(.get, "/\(kind.collection)/\(Self.segment(id))")
        // An entry comes wrapped: `{"entry": {…}}`.
        let name = object["name"]?.stringValue ?? object["entry"]?["name"]?.stringValue
        return name.flatMap { $0.isEmpty ? nil : $0 }
    }
}
