import Benchling
import JSONCore

/// What an entry points at: Benchling resources mentioned in its notes or held in entity fields, hyperlinks,
/// and the results tables in its notes. Written to `links.json` (schema_version 2).
struct EntryLinks {
    private(set) var entities: [JSONValue] = []
    private(set) var hyperlinks: [JSONValue] = []
    private(set) var resultsTables: [JSONValue] = []
    private var seenEntities = Set<String>()

    init(entry: Entry) {
        for day in entry.days {
            for note in day.notes { collect(note: note) }
        }
        for (name, field) in entry.fields {
            guard let type = field["type"]?.stringValue, type.hasSuffix("_link") || type == "entity_link" else { continue }
            let values = field["value"]?.arrayValue ?? [field["value"] ?? .null]
            for value in values {
                guard let id = value.stringValue else { continue }
                addEntity(id: id, type: type, webURL: nil, source: "field:\(name)")
            }
        }
    }

    var document: JSONValue {
        [
            "schema_version": 2, "entities": .array(entities), "links": .array(hyperlinks),
            "results_tables": .array(resultsTables),
        ]
    }

    /// The short form kept in entry.json.
    var summary: JSONValue {
        ["entities": .int(entities.count), "links": .int(hyperlinks.count), "results_tables": .int(resultsTables.count)]
    }

    private mutating func collect(note: JSONValue) {
        if note["type"]?.stringValue == "results_table" {
            var table = JSONObject()
            table["api_id"] = note["apiId"] ?? .null
            table["assay_result_schema_id"] = note["assayResultSchemaId"] ?? .null
            resultsTables.append(.object(table))
        }
        for link in note["links"]?.arrayValue ?? [] {
            let type = link["type"]?.stringValue ?? "link"
            let webURL = link["webURL"]?.stringValue
            if type == "link" {
                var object = JSONObject()
                object["id"] = link["id"] ?? .null
                object["type"] = .string(type)
                object["web_url"] = webURL.map(JSONValue.string) ?? .null
                if !hyperlinks.contains(.object(object)) { hyperlinks.append(.object(object)) }
            } else if let id = link["id"]?.stringValue {
                addEntity(id: id, type: type, webURL: webURL, source: "note")
            }
        }
        // Lists and tables nest further parts.
        for child in note["children"]?.arrayValue ?? [] { collect(note: child) }
    }

    private mutating func addEntity(id: String, type: String, webURL: String?, source: String) {
        guard seenEntities.insert(id).inserted else { return }
        entities.append([
            "id": .string(id), "type": .string(type), "web_url": webURL.map(JSONValue.string) ?? .null,
            "source": .string(source),
        ])
    }
}
