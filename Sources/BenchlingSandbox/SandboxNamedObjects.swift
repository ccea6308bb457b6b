import Foundation
import Hummingbird
import JSONCore

/// Objects an entry links to (entities, inventory, requests, users, folders), served by their by-id and bulk-get
/// endpoints with just the fields a name lookup reads.
public struct SandboxNamedObject: Sendable, Hashable {
    /// The API collection, e.g. `custom-entities`, `dna-sequences`, `boxes`, `users`.
    public var collection: String
    public var id: String
    public var name: String
    public var access: EntryAccess

    public init(collection: String, id: String, name: String, access: EntryAccess = .ok) {
        self.collection = collection
        self.id = id
        self.name = name
        self.access = access
    }
}

/// Collections the sandbox serves for name lookups, and the key of each bulk-get answer's list.
enum NamedCollections {
    static let listKeys: [String: String] = [
        "custom-entities": "customEntities", "dna-sequences": "dnaSequences", "aa-sequences": "aaSequences",
        "containers": "containers", "boxes": "boxes", "plates": "plates", "locations": "locations",
        "entries": "entries", "requests": "requests", "users": "users", "folders": "folders",
    ]
}

extension SandboxResponder {
    /// `GET /api/v2/{collection}/{id}` of a named object (entries have their own route).
    func getNamedObject(_ call: Call) async -> Response {
        let parts = call.path.split(separator: "/").map(String.init)
        let collection = parts.count >= 2 ? parts[parts.count - 2] : ""
        let id = call.lastSegment
        await state.countNameLookup()
        guard let object = await state.namedObject(collection: collection, id: id), object.access != .notFound else {
            return Reply.error(404, message: "Not found: \(id)", invalidId: id)
        }
        if object.access == .forbidden {
            return Reply.error(403, message: "Not authorized to read \(id).", invalidId: id)
        }
        return Reply.json(["id": .string(object.id), "name": .string(object.name)])
    }

    /// `GET /api/v2/{collection}:bulk-get?{xIds}=a,b`: every id or none, as Benchling answers (a missing id is a
    /// 400 naming it, an unreadable one a 403).
    func bulkGetNamedObjects(_ call: Call, query: String?) async -> Response {
        let collection = String(call.lastSegment.dropLast(":bulk-get".count))
        guard let listKey = NamedCollections.listKeys[collection] else {
            return Reply.error(404, message: "The sandbox does not implement \(collection):bulk-get.")
        }
        await state.countNameLookup()
        let parameters = FormDecoder.decode(query ?? "")
        guard let idList = parameters.first(where: { $0.key.hasSuffix("Ids") })?.value, !idList.isEmpty else {
            return Reply.error(400, message: "An ids parameter is required.")
        }
        var objects: [JSONValue] = []
        for id in idList.split(separator: ",").map(String.init) {
            let object: SandboxNamedObject?
            if collection == "entries", let entry = await state.entry(id) {
                object = SandboxNamedObject(collection: collection, id: id, name: entry.name, access: entry.access)
            } else {
                object = await state.namedObject(collection: collection, id: id)
            }
            guard let object, object.access != .notFound else {
                return Reply.error(400, message: "Invalid id: \(id)", invalidId: id)
            }
            if object.access == .forbidden {
                return Reply.error(403, message: "Not authorized to read \(id).", invalidId: id)
            }
            objects.append(["id": .string(object.id), "name": .string(object.name)])
        }
        return Reply.json([listKey: .array(objects)])
    }
}
