import Benchling
import Foundation
import JSONCore
import Testing

@testable import Worker

@Suite struct ContentDocumentsTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("docs-\(UUID().uuidString)")

    static let entryJSON: JSONValue = [
        "entry": [
            "id": "etr_abc123", "displayId": "EXP00001234", "name": "Growth curve *day 1*",
            "folderId": "lib_1", "createdAt": "2026-01-02T03:04:05.000Z", "modifiedAt": "2026-01-03T00:00:00.000Z",
            "webURL": "https://acme.benchling.com/acme/f/lib_1-x/etr_abc123-growth/edit",
            "creator": ["id": "ent_u1", "handle": "ada", "name": "Ada Lovelace"],
            "authors": [["id": "ent_u1", "handle": "ada", "name": "Ada Lovelace"]],
            "fields": [
                "Sample": ["type": "entity_link", "value": "bfi_sample1", "displayValue": "S1", "isMulti": false],
                "Notes": ["type": "text", "value": "hello", "isMulti": false],
            ],
            "days": [[
                "date": "2026-01-02", "title": "Day 1",
                "notes": [
                    [
                        "type": "text", "text": "see @seq and site",
                        "links": [
                            ["id": "seq_1", "type": "dna_sequence", "webURL": "https://acme.benchling.com/s/seq_1"],
                            ["type": "link", "webURL": "https://example.org/protocol"],
                        ],
                    ],
                    ["type": "results_table", "apiId": "tbl_9", "assayResultSchemaId": "assaysch_1"],
                ],
            ]],
            "reviewRecord": ["status": "IN_PROGRESS"],
        ],
    ]

    func input(createdAt: String = "2026-01-03T00:00:01.000Z", event: String = "evt_1") throws -> EntryDocumentInput {
        let entry = try Entry(json: Self.entryJSON)
        return EntryDocumentInput(
            entry: entry,
            eventMessage: ["type": "v2.entry.updated.fields", "id": .string(event), "resourceId": "etr_abc123", "createdAt": .string(createdAt)],
            eventType: "v2.entry.updated.fields", eventCreatedAt: createdAt,
            benchlingBaseURL: "https://acme.benchling.com", packageKey: "experiment_id",
            packageName: "benchling/EXP00001234", canvasId: "cnvs_1",
            exportedFiles: [ExportedFile(path: "EXP00001234.html", localURL: directory.appendingPathComponent("x"), size: 2048)]
        )
    }

    @Test func entryJSONCarriesTheDocumentedFields() throws {
        let docs = try EntryDocuments.write(try input(), into: directory)
        let written = try JSONValue.parse(Data(contentsOf: directory.appendingPathComponent("entry.json")))
        #expect(written == .object(docs.metadata))
        let m = docs.metadata
        #expect(m["package_name"] == "benchling/EXP00001234")
        #expect(m["entry_id"] == "etr_abc123")
        #expect(m["display_id"] == "EXP00001234")
        #expect(m["name"] == "Growth curve *day 1*")
        #expect(m["experiment_id"] == "EXP00001234")
        #expect(m["export_timestamp"] == "2026-01-03T00:00:01.000Z")
        #expect(m["created_at"] == "2026-01-02T03:04:05.000Z")
        #expect(m["modified_at"] == "2026-01-03T00:00:00.000Z")
        #expect(m["benchling_base_url"] == "https://acme.benchling.com")
        #expect(m["canvas_id"] == "cnvs_1")
        #expect(m["creator"]?["handle"] == "ada")
        #expect(m["authors"]?[0]?["name"] == "Ada Lovelace")
        #expect(m["webhook_data"]?["id"] == "evt_1")
        #expect(m["files"]?["EXP00001234.html"]?["size"] == 2048)
        #expect(docs.files.map(\.logicalKey) == ["entry.json", "entry_data.json", "links.json", "README.md"])
        #expect(docs.files.map(\.contentType) == ["application/json", "application/json", "application/json", "text/markdown; charset=utf-8"])
    }

    @Test func entryDataIsTheEntryUnchanged() throws {
        _ = try EntryDocuments.write(try input(), into: directory)
        let data = try JSONValue.parse(Data(contentsOf: directory.appendingPathComponent("entry_data.json")))
        #expect(data == Self.entryJSON["entry"])
    }

    @Test func linksDocumentCollectsNoteLinksFieldsAndResultsTables() throws {
        _ = try EntryDocuments.write(try input(), into: directory)
        let links = try JSONValue.parse(Data(contentsOf: directory.appendingPathComponent("links.json")))
        #expect(links["schema_version"] == 2)
        let entities = try #require(links["entities"]?.arrayValue)
        #expect(entities.count == 2)
        #expect(entities.contains(["id": "seq_1", "type": "dna_sequence", "web_url": "https://acme.benchling.com/s/seq_1", "source": "note"]))
        #expect(entities.contains(["id": "bfi_sample1", "type": "entity_link", "web_url": nil, "source": "field:Sample"]))
        #expect(links["links"] == [["id": nil, "type": "link", "web_url": "https://example.org/protocol"]])
        #expect(links["results_tables"] == [["api_id": "tbl_9", "assay_result_schema_id": "assaysch_1"]])
    }

    @Test func readmeHasTitleLinkFactsAndFiles() throws {
        _ = try EntryDocuments.write(try input(), into: directory)
        let readme = try String(contentsOf: directory.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.hasPrefix("# EXP00001234 - Growth curve *day 1*\n"))
        #expect(readme.contains("[View in Benchling](https://acme.benchling.com/acme/f/lib_1-x/etr_abc123-growth/edit)"))
        #expect(readme.contains("| Creator | Ada Lovelace |"))
        #expect(readme.contains("- `EXP00001234.html` (2.0 KiB)"))
    }

    /// Same entry, same export → byte-identical documents except the event's own keys, which is what lets an
    /// unchanged entry be recognised.
    @Test func documentsDifferOnlyInEventKeysAcrossEvents() throws {
        let first = try EntryDocuments.write(try input(), into: directory.appendingPathComponent("1"))
        let second = try EntryDocuments.write(try input(createdAt: "2026-02-01T00:00:00.000Z", event: "evt_2"), into: directory.appendingPathComponent("2"))
        for name in ["entry_data.json", "links.json", "README.md"] {
            #expect(try Data(contentsOf: directory.appendingPathComponent("1/\(name)")) == Data(contentsOf: directory.appendingPathComponent("2/\(name)")))
        }
        var a = first.metadata, b = second.metadata
        #expect(a != b)
        for key in EntryDocuments.eventKeys { a[key] = nil; b[key] = nil }
        #expect(a == b)
    }

    @Test func byteCountsReadWell() {
        #expect(ByteCount.format(0) == "0 B")
        #expect(ByteCount.format(1023) == "1023 B")
        #expect(ByteCount.format(1536) == "1.5 KiB")
        #expect(ByteCount.format(1 << 30) == "1.0 GiB")
    }
}
