import Foundation
import JSONCore

/// A notebook entry the sandbox serves from `GET /entries/{id}` and exports from `POST /exports`.
///
/// Every property has a realistic default, so `SandboxEntry(id:displayId:name:)` is enough for most tests; the
/// default `days` hold a note linking a DNA sequence, a custom entity and an external link, so `links.json` has
/// content, and the default fields include an entity link field.
public struct SandboxEntry: Sendable {
    public var id: String
    public var displayId: String
    public var name: String
    public var folderId: String = "lib_sandbox01"
    public var createdAt: Date = Date(timeIntervalSince1970: 1_700_000_000)
    public var modifiedAt: Date = Date(timeIntervalSince1970: 1_700_000_600)
    public var creator: SandboxUser = .alice
    public var authors: [SandboxUser] = [.alice, .bob]
    /// `fields` as Benchling returns them: name → {value, type, displayValue, textValue, isMulti}.
    public var fields: JSONObject = SandboxEntry.defaultFields
    public var customFields: JSONObject = [:]
    /// `schema` ({id, name}); `.null` for an entry without schema.
    public var schema: JSONValue = ["id": "ts_sandbox", "name": "Sandbox Experiment"]
    /// `days`; nil → a default day with linked notes.
    public var days: [JSONValue]? = nil
    public var reviewRecord: JSONValue = .null
    public var archiveRecord: JSONValue = .null
    /// Extra keys merged into the entry object (real payloads carry more than the product reads).
    public var extra: JSONObject = [:]

    /// Members of the export ZIP; nil → `ExportMember.defaultExport`.
    public var exportFiles: [ExportMember]? = nil
    /// Serve this ZIP file as-is instead of building one from `exportFiles`.
    public var exportZip: URL? = nil
    public var exportOutcome: ExportOutcome = .succeed
    /// A hostile task answer: the `downloadURL` names this host (same scheme, port and path) instead of the
    /// sandbox's own, e.g. `localhost` — the same server, under a name the worker was not configured with.
    public var downloadURLHost: String? = nil
    /// The `downloadURL` answers 302 to the real download on this host (same scheme and port): `127.0.0.1` for
    /// a redirect within the sandbox's origin, another name for one away from it.
    public var downloadRedirectHost: String? = nil
    /// RUNNING answers before the task finishes; nil → `SandboxOptions.exportRunningPolls`.
    public var runningPolls: Int? = nil
    /// Also keep answering RUNNING until this long after the export started (for visibility-timeout tests).
    public var runningFor: Duration? = nil
    public var access: EntryAccess = .ok

    public init(id: String, displayId: String, name: String) {
        self.id = id
        self.displayId = displayId
        self.name = name
    }

    public static let defaultFields: JSONObject = [
        "Status": [
            "value": "In progress", "type": "text", "displayValue": "In progress", "textValue": "In progress",
            "isMulti": false,
        ],
        "Sample": [
            "value": "bfi_sample01", "type": "entity_link", "displayValue": "SAMPLE-1", "textValue": "SAMPLE-1",
            "isMulti": false,
        ],
        "Replicates": [
            "value": 3, "type": "integer", "displayValue": "3", "textValue": "3", "isMulti": false,
        ],
    ]

    var exportMembers: [ExportMember] { exportFiles ?? ExportMember.defaultExport(displayId: displayId, name: name) }

    /// The `Entry` object, shaped by the spec's `Entry` schema.
    func json(baseURL: String) -> JSONValue {
        var entry: JSONObject = [
            "id": .string(id),
            "displayId": .string(displayId),
            "name": .string(name),
            "folderId": .string(folderId),
            "createdAt": .string(BenchlingTime.string(createdAt)),
            "modifiedAt": .string(BenchlingTime.string(modifiedAt)),
            "webURL": .string("\(baseURL)/sandbox/f/\(folderId)/\(id)/edit"),
            "apiURL": .string("\(baseURL)/api/v2/entries/\(id)"),
            "creator": creator.json,
            "authors": .array(authors.map(\.json)),
            "assignedReviewers": [],
            "entryTemplateId": .null,
            "fields": .object(fields),
            "customFields": .object(customFields),
            "schema": schema,
            "days": .array(days ?? defaultDays(baseURL: baseURL)),
            "reviewRecord": reviewRecord,
            "archiveRecord": archiveRecord,
        ]
        for (key, value) in extra { entry[key] = value }
        return .object(entry)
    }

    private func defaultDays(baseURL: String) -> [JSONValue] {
        let links: JSONValue = [
            ["id": "seq_sandbox01", "type": "dna_sequence", "webURL": .string("\(baseURL)/sandbox/f/seq_sandbox01")],
            ["id": "bfi_sample01", "type": "custom_entity", "webURL": .string("\(baseURL)/sandbox/f/bfi_sample01")],
            ["type": "link", "webURL": "https://example.com/protocol"],
        ]
        return [
            [
                "date": "2023-11-14",
                "title": "Day 1",
                "notes": [
                    [
                        "type": "text", "indentation": 0, "text": "Transformed the plasmid into the sample.",
                        "links": links,
                    ],
                    ["type": "list_bullet", "indentation": 0, "text": "Measured OD600", "links": []],
                ],
            ]
        ]
    }
}
