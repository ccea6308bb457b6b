import Benchling
import Foundation
import JSONCore
import Testing

@testable import Worker

@Suite(.timeLimit(.minutes(1))) struct ContentDocumentsTests {
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
            "days": [
                [
                    "date": "2026-01-02", "title": "Day 1",
                    "notes": [
                        [
                            "type": "text", "text": "see @seq and site",
                            "links": [
                                [
                                    "id": "seq_1", "type": "dna_sequence",
                                    "webURL": "https://acme.benchling.com/s/seq_1",
                                ],
                                ["type": "link", "webURL": "https://example.org/protocol"],
                            ],
                        ],
                        ["type": "results_table", "apiId": "tbl_9", "assayResultSchemaId": "assaysch_1"],
                    ],
                ]
            ],
            "reviewRecord": ["status": "IN_PROGRESS"],
        ]
    ]

    func input(
        event: String = "evt_1", canvasId: String? = "cnvs_1", linkNames: [String: String] = [:]
    ) throws -> EntryDocumentInput {
        let entry = try Entry(json: Self.entryJSON)
        return EntryDocumentInput(
            entry: entry,
            eventMessage: [
                "type": "v2.entry.updated.fields", "id": .string(event), "resourceId": "etr_abc123",
                "createdAt": "2026-01-03T00:00:01.000Z",
            ],
            eventType: "v2.entry.updated.fields", benchlingBaseURL: "https://acme.benchling.com",
            packageName: "benchling/EXP00001234", registry: "acme-bucket", canvasId: canvasId,
            exportedFiles: [
                ExportedFile(path: "EXP00001234.html", localURL: directory.appendingPathComponent("x"), size: 2048),
                ExportedFile(path: "entry.json", localURL: directory.appendingPathComponent("y"), size: 5),
            ],
            linkNames: linkNames
        )
    }

    @Test func entryJSONHasThePythonServiceKeysAndShapes() throws {
        let docs = try EntryDocuments.write(try input(linkNames: ["seq_1": "pUC19"]), into: directory)
        let written = try JSONValue.parse(Data(contentsOf: directory.appendingPathComponent("entry.json")))
        #expect(written == .object(docs.metadata))
        let m = docs.metadata
        #expect(
            m.keys == [
                "package_name", "entry_id", "display_id", "name", "web_url", "creator", "authors", "created_at",
                "modified_at", "export_timestamp", "benchling_base_url", "webhook_data", "files", "canvas_id", "links",
            ])
        #expect(m["name"] == "Growth curve *day 1*")
        #expect(m["export_timestamp"] == "", "Benchling sends no message.timestamp")
        #expect(m["created_at"] == "2026-01-02T03:04:05+00:00", "isoformat of the parsed date-time")
        #expect(m["modified_at"] == "2026-01-03T00:00:00.000Z", "as sent")
        #expect(m["creator"] == "Ada Lovelace <ada@ent_u1>")
        #expect(m["authors"] == ["Ada Lovelace <ada@ent_u1>"])
        #expect(m["webhook_data"]?["id"] == "evt_1")
        #expect(m["files"] == ["EXP00001234.html": ["s3_key": "benchling/EXP00001234/EXP00001234.html", "size": 2048]])
        #expect(
            m["links"] == [
                ["type": "dna_sequence", "id": "seq_1", "name": "pUC19", "slug": nil],
                ["type": "link", "id": nil, "name": nil, "slug": nil],
            ])
        #expect(
            docs.files.map(\.logicalKey) == ["entry.json", "entry_data.json", "links.json", "input.json", "README.md"])
    }

    @Test func canvasIdOnlyWhenKnown() throws {
        let docs = try EntryDocuments.write(try input(canvasId: nil), into: directory)
        #expect(docs.metadata["canvas_id"] == nil)
    }

    @Test func entryDataIsTheEntryWithTheFourAddedKeys() throws {
        _ = try EntryDocuments.write(try input(), into: directory)
        let data = try JSONValue.parse(Data(contentsOf: directory.appendingPathComponent("entry_data.json")))
        var expected = try #require(Self.entryJSON["entry"]?.objectValue)
        expected["createdAt"] = "2026-01-02T03:04:05+00:00"
        expected["display_id"] = "EXP00001234"
        expected["web_url"] = expected["webURL"]
        expected["created_at"] = "2026-01-02T03:04:05+00:00"
        expected["modified_at"] = "2026-01-03T00:00:00.000Z"
        #expect(data == .object(expected))
    }

    @Test func linksDocumentFollowsThePythonServiceRules() throws {
        _ = try EntryDocuments.write(try input(), into: directory)
        let links = try JSONValue.parse(Data(contentsOf: directory.appendingPathComponent("links.json")))
        #expect(links["schema_version"] == 2)
        #expect(
            links["entities"] == [
                [
                    "id": "seq_1", "type": "dna_sequence", "web_url": "https://acme.benchling.com/s/seq_1",
                    "source": "note_link",
                ],
                ["id": "bfi_sample1", "type": "entity_link", "web_url": nil, "source": "entity_field"],
            ])
        #expect(
            links["links"] == [
                ["id": "seq_1", "type": "dna_sequence", "web_url": "https://acme.benchling.com/s/seq_1"],
                ["id": nil, "type": "link", "web_url": "https://example.org/protocol"],
            ])
        #expect(links["results_tables"] == [["assay_result_schema_id": "assaysch_1", "api_id": "tbl_9", "name": nil]])
    }

    @Test func inputJSONHoldsNoPresignedURL() throws {
        _ = try EntryDocuments.write(try input(), into: directory)
        let document = try JSONValue.parse(Data(contentsOf: directory.appendingPathComponent("input.json")))
        #expect(
            document == [
                "source": "benchling_webhook", "export_url": "", "processing_timestamp": "",
                "package_metadata": ["name": "benchling/EXP00001234", "registry": "acme-bucket", "total_files": 1],
            ])
    }

    @Test func slugIsTheRestOfTheIdSegment() {
        #expect(EntryLinks.slug(webURL: "https://t.benchling.com/x/f/bfi-1-qb-2743-1/edit", id: "bfi_1") == "qb-2743-1")
        #expect(EntryLinks.slug(webURL: "https://t.benchling.com/x/bfi_1/edit?x=1", id: "bfi_1") == nil)
        #expect(EntryLinks.slug(webURL: "https://t.benchling.com/x/other/edit", id: "bfi_1") == nil)
        #expect(EntryLinks.slug(webURL: nil, id: "bfi_1") == nil)
    }

    @Test func isoformatMatchesPython() {
        #expect(PythonServiceFormat.isoformat("2025-03-24T21:34:16.262367Z") == "2025-03-24T21:34:16.262367+00:00")
        #expect(PythonServiceFormat.isoformat("2025-03-24T21:34:16.000Z") == "2025-03-24T21:34:16+00:00")
        #expect(PythonServiceFormat.isoformat("2025-03-24T21:34:16.5+05:30") == "2025-03-24T21:34:16.500000+05:30")
        #expect(PythonServiceFormat.isoformat("2025-03-24T21:34:16.1234567Z") == "2025-03-24T21:34:16.123456+00:00")
        #expect(PythonServiceFormat.isoformat("2025-03-24T21:34:16") == "2025-03-24T21:34:16")
        #expect(PythonServiceFormat.isoformat("yesterday") == "yesterday")
    }

    @Test func commitMessageAsThePythonService() {
        #expect(
            PythonServiceFormat.commitMessage(eventType: "v2.entry.created", message: ["createdAt": "x"])
                == "Benchling v2.entry.created")
        #expect(
            PythonServiceFormat.commitMessage(eventType: "v2.entry.created", message: ["timestamp": "t1"])
                == "Benchling v2.entry.created at t1")
        #expect(PythonServiceFormat.commitMessage(eventType: "", message: [:]) == "Benchling webhook payload")
    }

    @Test func readmeHasTheSectionsAndEscapesValues() throws {
        _ = try EntryDocuments.write(try input(), into: directory)
        let readme = try String(contentsOf: directory.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.hasPrefix("# EXP00001234 - Growth curve \\*day 1\\*\n\n## Overview\n"))
        #expect(readme.contains("**View in Benchling**: [https"))
        #expect(readme.contains("- **Creator**: Ada Lovelace \\<ada@ent\\_u1\\>"))
        #expect(readme.contains("- `EXP00001234.html` (2048 bytes)\n"))
        #expect(readme.contains("- **Total Files**: 1\n"))
        #expect(!readme.contains("`entry.json` ("), "reserved names are not export files")
    }

    @Test func codeSpansCannotBeClosedByTheirContent() {
        #expect(ReadmeDocument.code("a`b") == "``a`b``")
        #expect(ReadmeDocument.code("`x") == "`` `x ``")
        #expect(ReadmeDocument.code("<b>") == "`<b>`")
    }

    /// Same entry, same export → byte-identical documents except the event's own keys, which is what lets an
    /// unchanged entry be recognised.
    @Test func documentsDifferOnlyInEventKeysAcrossEvents() throws {
        let first = try EntryDocuments.write(try input(), into: directory.appendingPathComponent("1"))
        let second = try EntryDocuments.write(try input(event: "evt_2"), into: directory.appendingPathComponent("2"))
        for name in ["entry_data.json", "links.json", "input.json", "README.md"] {
            #expect(
                try Data(contentsOf: directory.appendingPathComponent("1/\(name)"))
                    == Data(contentsOf: directory.appendingPathComponent("2/\(name)")))
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
