import AWSServices
import BenchlingSandbox
import Foundation
import JSONCore
import TestSupport
import Testing
import Worker

/// A package the worker writes against what the Python service (benchling-webhook 0.18) writes for the same entry:
/// the expected documents come from `scripts/judges/upstream_documents.py`, built from the compatibility reference
/// and not from our code; quilt3 reads and verifies ours.
@Suite("Worker: packages as the Python service wrote them", .serialized, .timeLimit(.minutes(5)))
struct UpstreamCompatibilityTests {
    static let hostileName = "Growth `curve` <b>bold</b> *day* [x](javascript:alert(1)) | # _1_"

    static func days(baseURL: String) -> [JSONValue] {
        [
            [
                "date": "2023-11-14", "title": "Day 1",
                "notes": [
                    [
                        "type": "text", "indentation": 0, "text": "Transformed.",
                        "links": [
                            [
                                "id": "seq_sandbox01", "type": "dna_sequence",
                                "webURL": .string("\(baseURL)/s/f/seq_sandbox01-pUC19/edit"),
                            ],
                            [
                                "id": "bfi_sample01", "type": "custom_entity",
                                "webURL": .string("\(baseURL)/s/f/bfi-sample01-qb-2743-1/edit"),
                            ],
                            [
                                "id": "bfi_readable", "type": "custom_entity",
                                "webURL": .string("\(baseURL)/s/f/bfi_readable-qb-2743-1/edit"),
                            ],
                            [
                                "id": "etr_other1", "type": "entry",
                                "webURL": .string("\(baseURL)/s/f/etr_other1-other/edit"),
                            ],
                            ["id": "ent_nobody", "type": "user"],
                            ["id": "axdash_1", "type": "sql_dashboard", "webURL": "u2"],
                            ["type": "link", "webURL": "https://example.com/protocol"],
                            ["id": "seq_sandbox01", "type": "dna_sequence", "webURL": "duplicate"],
                        ],
                    ],
                    ["type": "results_table", "apiId": "tbl_1", "assayResultSchemaId": "assaysch_1", "name": "OD"],
                    ["type": "results_table", "apiId": "tbl_2", "links": []],
                ],
            ]
        ]
    }

    @Test("same files, keys and value types as upstream; README escapes every value; quilt3 verifies")
    func packageMatchesUpstream() async throws {
        try await withWorkerFixture { (fixture) async throws in
            let sandbox = fixture.sandbox
            var entry = SandboxEntry(id: "etr_compat1", displayId: "EXP00007777", name: Self.hostileName)
            entry.days = Self.days(baseURL: sandbox.baseURL.absoluteString)
            entry.authors = [.alice, SandboxUser(id: "ent_noname", handle: "ghost", name: ""), .bob]
            await sandbox.addEntry(entry)
            // Names: one readable sequence, a custom entity the app may not read next to a readable one (one bulk-get
            // refused as a whole, then id by id), another entry, and a user that does not exist.
            await sandbox.addEntry(id: "etr_other1", displayId: "EXP00007778", name: "The other entry")
            await sandbox.addNamedObject(
                SandboxNamedObject(collection: "dna-sequences", id: "seq_sandbox01", name: "pUC19"))
            await sandbox.addNamedObject(
                SandboxNamedObject(
                    collection: "custom-entities", id: "bfi_sample01", name: "secret", access: .forbidden))
            await sandbox.addNamedObject(
                SandboxNamedObject(collection: "custom-entities", id: "bfi_readable", name: "QB-2743.1"))

            let worker = try await fixture.startWorker()
            let queued = try await fixture.enqueue(SandboxMessage.entryUpdatedFields(entryId: "etr_compat1"))
            let detail = try await fixture.waitForJob(worker.app.jobLog, webhookId: queued.webhookId)
            await worker.stop()
            #expect(detail.job.status == .succeeded, "\(detail.job)")
            let package = try #require(detail.job.package)
            let topHash = try #require(detail.job.topHash)

            let report = try fixture.judgePackage(package, topHash: topHash)
            #expect(report["error"] == .null, "\(report)")
            #expect(report["top_hash"]?.stringValue == topHash)
            let entries = report["entries"]?.arrayValue ?? []
            #expect(entries.allSatisfy { $0["hash_ok"] == .bool(true) }, "\(entries)")

            // What upstream writes for this entry and event.
            let members = ExportMember.defaultExport(displayId: entry.displayId, name: entry.name)
            let request: JSONValue = [
                "entry": try #require(await sandbox.entryJSON("etr_compat1")?["entry"]),
                "message": try #require(try JSONValue.parse(queued.body)["message"]),
                "package_name": .string(package), "registry": .string(fixture.bucket),
                "base_url": .string(fixture.configuration.benchlingBaseURL.absoluteString), "canvas_id": nil,
                "members": .array(
                    members.map { member -> JSONValue in
                        guard case .data(let path, let data) = member else { return nil }
                        return ["path": .string(path), "size": .int(data.count)]
                    }),
            ]
            let judged = try PythonJudge(fixture.environment).run("upstream_documents.py", input: request.compactData())
            #expect(judged.status == 0, "\(judged.stderr)")
            let expected = try JSONValue.parse(judged.stdout)

            let keys = Set(entries.compactMap { $0["logical_key"]?.stringValue })
            let expectedKeys = Set(members.map(\.path)).union([
                "entry.json", "entry_data.json", "links.json", "input.json", "README.md",
            ])
            #expect(keys == expectedKeys)
            #expect(report["message"] == expected["commit_message"])

            let s3 = S3(client: fixture.adminAWS)
            func document(_ name: String) async throws -> Data {
                try await s3.getObject(bucket: fixture.bucket, key: "\(package)/\(name)").data
            }
            for name in ["entry.json", "entry_data.json", "links.json", "input.json"] {
                let bytes = try await document(name)
                // Link names are strings where we resolved them (upstream resolves fewer): compared as null here, by value below.
                let ours =
                    name == "entry.json"
                    ? Self.withLinkNamesNull(try JSONValue.parse(bytes)) : try JSONValue.parse(bytes)
                let theirs = try #require(expected[name])
                #expect(
                    Shape(ours) == Shape(theirs),
                    "\(name): ours \(ours.compactString())\nupstream \(theirs.compactString())")
                // json.dumps(indent=2): two-space indentation, ASCII only, no trailing newline.
                let text = String(decoding: bytes, as: UTF8.self)
                #expect(
                    text.hasPrefix("{\n  \"") && !text.hasSuffix("\n") && text.utf8.allSatisfy { $0 < 0x80 }, "\(name)")
            }
            // Values, not only shapes: everything but the link names, which we resolve and upstream mostly cannot.
            let ourEntry = try JSONValue.parse(try await document("entry.json"))
            let upstreamEntry = try #require(expected["entry.json"])
            #expect(
                ourEntry["links"]?.arrayValue?.map(Self.withoutName)
                    == upstreamEntry["links"]?.arrayValue?.map(Self.withoutName))
            #expect(ourEntry.removing("links").canonicalString() == upstreamEntry.removing("links").canonicalString())
            #expect(ourEntry["canvas_id"] == nil, "canvas_id only when known")
            #expect(ourEntry["experiment_id"] == nil, "no PKG_KEY key in our own metadata")
            let names = (ourEntry["links"]?.arrayValue ?? []).map {
                "\($0["id"]?.stringValue ?? "-")=\($0["name"]?.stringValue ?? "null")"
            }
            #expect(
                names == [
                    "seq_sandbox01=pUC19", "bfi_sample01=null", "bfi_readable=QB-2743.1", "etr_other1=The other entry",
                    "ent_nobody=null", "axdash_1=null", "-=null",
                ])
            let lookups = await sandbox.recordedRequests().filter { $0.route == .namedObjects }.map(\.path)
            #expect(
                lookups.contains("/api/v2/dna-sequences:bulk-get") && lookups.contains("/api/v2/entries:bulk-get"),
                "\(lookups)")
            #expect(
                lookups.contains("/api/v2/custom-entities/bfi_readable"),
                "a refused bulk-get is retried id by id: \(lookups)")
            let openAPI = try await sandbox.validateRecordedRequests(
                python: fixture.environment.python, repoRoot: fixture.environment.repoRoot)
            #expect(openAPI.isClean, "\(openAPI.failures)")
            #expect(ourEntry["creator"] == "Alice Sandbox <alice@ent_alice01>")
            for name in ["entry_data.json", "links.json", "input.json"] {
                let ours = try JSONValue.parse(try await document(name))
                #expect(ours.canonicalString() == expected[name]?.canonicalString(), "\(name)")
            }
            #expect(report["user_meta"]?.canonicalString() == ourEntry.canonicalString(), "user_meta is entry.json")

            let readme = String(decoding: try await document("README.md"), as: UTF8.self)
            var cursor = readme.startIndex
            for heading in [
                "## Overview", "## Entry Information", "## Export Information", "## Files Included",
                "## Metadata Files", "## Usage",
            ] {
                let found = try #require(
                    readme.range(of: "\n\(heading)\n", range: cursor..<readme.endIndex), "\(heading)")
                cursor = found.upperBound
            }
            #expect(
                readme.hasPrefix(
                    "# EXP00007777 - Growth \\`curve\\` \\<b\\>bold\\</b\\> \\*day\\* \\[x\\]\\(javascript:alert\\(1\\)\\) \\| \\# \\_1\\_\n"
                ))
            #expect(!readme.contains("<b>") && !readme.contains("`curve`") && !readme.contains("](javascript"))
            #expect(readme.contains("- **Creator**: Alice Sandbox \\<alice@ent\\_alice01\\>"))
            #expect(readme.contains("- `EXP00007777.html` ("))
            #expect(readme.contains("- **Total Files**: 2\n"))
        }
    }

    static func withoutName(_ value: JSONValue) -> JSONValue { value.removing("name") }

    static func withLinkNamesNull(_ entryJSON: JSONValue) -> JSONValue {
        guard var object = entryJSON.objectValue, let links = object["links"]?.arrayValue else { return entryJSON }
        object["links"] = .array(
            links.map { link in
                guard var fields = link.objectValue else { return link }
                fields["name"] = .null
                return .object(fields)
            })
        return .object(object)
    }
}

extension JSONValue {
    fileprivate func removing(_ key: String) -> JSONValue {
        guard var object = objectValue else { return self }
        object[key] = nil
        return .object(object)
    }
}

/// A JSON value's keys and value types, recursively (arrays element by element); strings, numbers, booleans and
/// null are told apart, their values are not.
struct Shape: Equatable, CustomStringConvertible {
    let description: String

    init(_ value: JSONValue) {
        switch value {
        case .null: description = "null"
        case .bool: description = "bool"
        case .integer, .float: description = "number"
        case .string: description = "string"
        case .array(let items): description = "[" + items.map { Shape($0).description }.joined(separator: ",") + "]"
        case .object(let object):
            description =
                "{" + object.keys.sorted().map { "\($0):\(Shape(object[$0]!).description)" }.joined(separator: ",")
                + "}"
        }
    }
}
