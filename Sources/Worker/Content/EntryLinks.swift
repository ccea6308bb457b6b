import Benchling
import Foundation
import JSONCore

/// What an entry points at, by the Python service's rules (so `links.json` and `entry.json`'s `links` read the same
/// for packages written by either): note links of the entry's top-level notes, entity fields, and results tables.
struct EntryLinks {
    /// One deduplicated note link.
    struct Link: Equatable {
        /// `""` when the link has no type.
        var type: String
        var id: String?
        var webURL: String?
    }

    /// Note-link types that are registry entities (they go into `entities` too).
    static let entityTypes: Set<String> = ["custom_entity", "dna_sequence", "aa_sequence", "batch"]

    /// Every note link, deduplicated by id, else by web URL, in first-seen order.
    private(set) var links: [Link] = []
    private(set) var entities: [JSONValue] = []
    private(set) var resultsTables: [JSONValue] = []

    init(entry: Entry) {
        let notes = entry.days.flatMap(\.notes)
        let noteLinks = notes.flatMap { note in
            (note["links"]?.arrayValue ?? []).filter { $0.objectValue != nil }.map { link in
                Link(
                    type: link["type"]?.stringValue ?? "", id: link["id"]?.stringValue,
                    webURL: link["webURL"]?.stringValue ?? link["web_url"]?.stringValue)
            }
        }
        var seenLinks = Set<String>()
        var seenEntities = Set<String>()
        var seenTables = Set<[String?]>()
        for link in noteLinks {
            let key = [link.id, link.webURL].lazy.compactMap { $0 }.first { !$0.isEmpty }
            if let key, !seenLinks.insert(key).inserted { continue }
            links.append(link)
        }
        for link in noteLinks {
            guard let id = link.id, !id.isEmpty, Self.entityTypes.contains(link.type),
                seenEntities.insert(id).inserted
            else { continue }
            entities.append(Self.entity(id: id, type: link.type, webURL: link.webURL, source: "note_link"))
        }
        for (_, field) in entry.fields {
            guard let type = field["type"]?.stringValue, type.lowercased().contains("entity") else { continue }
            let values: [JSONValue] = field["value"]?.arrayValue ?? [field["value"] ?? .null]
            for case .string(let id) in values where !id.isEmpty && seenEntities.insert(id).inserted {
                entities.append(Self.entity(id: id, type: type, webURL: nil, source: "entity_field"))
            }
        }
        for note in notes where note["type"]?.stringValue == "results_table" {
            guard let schemaId = note["assayResultSchemaId"]?.stringValue, !schemaId.isEmpty else { continue }
            let apiId = note["apiId"]?.stringValue
            guard seenTables.insert([apiId, schemaId]).inserted else { continue }
            resultsTables.append([
                "assay_result_schema_id": .string(schemaId), "api_id": apiId.map(JSONValue.string) ?? .null,
                "name": note["name"]?.stringValue.map(JSONValue.string) ?? .null,
            ])
        }
    }

    /// `links.json`.
    var document: JSONValue {
        [
            "schema_version": 2, "entities": .array(entities),
            "links": .array(
                links.map {
                    ["id": Self.optional($0.id), "type": .string($0.type), "web_url": Self.optional($0.webURL)]
                }),
            "results_tables": .array(resultsTables),
        ]
    }

    /// `entry.json`'s `links`: `{type, id, name, slug}` per link; `names` holds the names resolved by id.
    func summary(names: [String: String]) -> JSONValue {
        .array(
            links.map { link in
                [
                    "type": .string(link.type), "id": Self.optional(link.id),
                    "name": Self.optional(link.id.flatMap { names[$0] }),
                    "slug": Self.optional(Self.slug(webURL: link.webURL, id: link.id)),
                ]
            })
    }

    /// The part of the `{id}-{slug}` path segment of a Benchling web URL after `{id}-` (`_` and `-` alike), e.g.
    /// `qb-2743-1`: only for eyeballing, never a name.
    static func slug(webURL: String?, id: String?) -> String? {
        guard let webURL, !webURL.isEmpty, let id, !id.isEmpty else { return nil }
        var path = Substring(webURL)
        if let query = path.firstIndex(of: "?") { path = path[..<query] }
        if let fragment = path.firstIndex(of: "#") { path = path[..<fragment] }
        while path.hasSuffix("/") { path = path.dropLast() }
        let prefix = (id + "-").replacingOccurrences(of: "_", with: "-")
        for segment in path.split(separator: "/") where segment != "edit" {
            let normalized = segment.replacingOccurrences(of: "_", with: "-")
            // `_` → `-` keeps the character count, so the prefix is as long in the segment as in its normal form.
            if normalized.hasPrefix(prefix) {
                let rest = segment.dropFirst(prefix.count)
                return rest.isEmpty ? nil : String(rest)
            }
        }
        return nil
    }

    private static func entity(id: String, type: String, webURL: String?, source: String) -> JSONValue {
        ["id": .string(id), "type": .string(type), "web_url": optional(webURL), "source": .string(source)]
    }

    private static func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
}
