import Foundation
import JSONCore
import TestSupport
import Testing

@testable import Quilt

/// Workflow choice, validation and the `workflow` header, decided by quilt3 itself: every case is built with
/// quilt3 (`Package.build(..., workflow=...)`) and with our loader + writer against the same local registry.
/// Both must refuse the same cases, and for the others record the same header and reach the same top hash.
@Suite(.timeLimit(.minutes(5))) struct WorkflowVectorTests {
    struct Case: Sendable, CustomStringConvertible {
        var label: String
        var config: String?
        var schemas: [String: String] = Self.standardSchemas
        var request: WorkflowRequest = .bucketDefault
        var package = "benchling/EXP1"
        var message: String? = "Benchling v2.entry.updated.fields"
        var meta: JSONObject? = ["display_id": "EXP1", "creator": "Ann <ann@ent_1>"]
        var files: [(String, String)] = [("a.txt", "hello"), ("README.md", "# EXP1\n")]
        /// nil: must pass; else words our error must contain.
        var refusal: String?

        var description: String { label }

        static let standardSchemas = [
            "entry.schema.json": #"""
            {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object", "required": ["display_id"],
             "properties": {"display_id": {"type": "string", "pattern": "^EXP"}, "creator": {"type": "string"}}}
            """#,
            "entries.schema.json": #"""
            {"type": "array", "minItems": 1, "items": {"type": "object",
             "properties": {"logical_key": {"pattern": "\\.(txt|md)$"}, "size": {"maximum": 100}}}}
            """#,
            "ref.schema.json":
                ##"{"definitions": {"s": {"type": "string"}}, "properties": {"display_id": {"$ref": "#/definitions/s"}}}"##,
        ]
    }

    static let standardConfig = """
        version: "1.1.0"
        default_workflow: benchling
        workflows:
          benchling:
            name: Benchling entry
            handle_pattern: ^benchling/EXP
            metadata_schema: entry
            is_message_required: true
          files:
            name: Files
            metadata_schema: entry
            entries_schema: entries
          loose: {name: Loose}
          referencing: {name: Ref, metadata_schema: ref}
          missing: {name: Missing, metadata_schema: nowhere}
        schemas:
          entry: {url: "{schemas}/entry.schema.json"}
          entries: {url: '{schemas}/entries.schema.json'}
          ref:
            url: {schemas}/ref.schema.json
        """

    static let optionalConfig = """
        version: '1'
        is_workflow_required: false
        workflows:
          loose:
            name: Loose
        """

    static let cases: [Case] = [
        Case(label: "default workflow, valid package", config: standardConfig),
        Case(
            label: "metadata breaks the schema", config: standardConfig,
            meta: ["display_id": "EXP1", "creator": .int(5)],
            refusal: "metadata does not match schema 'entry' at $.creator"),
        Case(
            label: "metadata missing a required key", config: standardConfig, meta: ["creator": "x"],
            refusal: "'display_id' is a required property"),
        Case(label: "no metadata at all", config: standardConfig, meta: nil, refusal: "metadata does not match"),
        Case(label: "message required", config: standardConfig, message: "", refusal: "commit message is required"),
        Case(
            label: "handle pattern", config: standardConfig, package: "benchling/ABC1",
            meta: ["display_id": "EXP1"], refusal: "does not match handle_pattern"),
        Case(label: "named workflow with an entries schema", config: standardConfig, request: .named("files")),
        Case(
            label: "entries break the entries schema", config: standardConfig, request: .named("files"),
            files: [("a.bin", "x")], refusal: "package entries do not match schema 'entries' at $[0].logical_key"),
        Case(
            label: "named workflow without rules", config: standardConfig, request: .named("loose"), message: nil,
            meta: nil),
        Case(label: "unknown workflow", config: standardConfig, request: .named("nope"), refusal: "no workflow 'nope'"),
        Case(
            label: "no workflow where one is required", config: standardConfig, request: .none,
            refusal: "requires a workflow"),
        Case(
            label: "schema with $ref", config: standardConfig, request: .named("referencing"),
            refusal: "$ref is not supported"),
        Case(
            label: "schema id not in schemas", config: standardConfig, request: .named("missing"),
            refusal: "there is no 'nowhere' in schemas"),
        Case(label: "optional workflow, no default", config: optionalConfig),
        Case(label: "optional workflow, none asked", config: optionalConfig, request: .none),
        Case(label: "optional workflow, named", config: optionalConfig, request: .named("loose")),
        Case(label: "no config, default", config: nil),
        Case(
            label: "no config, workflow named", config: nil, request: .named("loose"),
            refusal: "no .quilt/workflows/config.yml"),
        Case(label: "no config, none asked", config: nil, request: .none, refusal: "no .quilt/workflows/config.yml"),
        Case(
            label: "unsupported version", config: "version: '1.2'\nworkflows:\n  a: {name: A}\n",
            refusal: "version '1.2.0' is not supported"),
        Case(
            label: "unknown top-level key", config: "version: '1'\ncolour: red\nworkflows:\n  a: {name: A}\n",
            refusal: "'colour' was unexpected"),
        Case(
            label: "workflow without a name", config: "version: '1'\nworkflows:\n  a: {description: A}\n",
            refusal: "'name' is a required property"),
        Case(
            label: "version as a number", config: "version: 1\nworkflows:\n  a: {name: A}\n",
            refusal: "failed validation"),
    ]

    @Test func ourDecisionsHeadersAndTopHashesAreQuilt3s() async throws {
        let environment = try TestEnvironment.load()
        var fixtures: [WorkflowFixture] = []
        defer { fixtures.forEach { $0.remove() } }
        var requests: [JSONValue] = []
        for item in Self.cases {
            let fixture = try WorkflowFixture(config: item.config, schemas: item.schemas)
            fixtures.append(fixture)
            let workflow: JSONValue
            switch item.request {
            case .bucketDefault: workflow = ["default": true]
            case .none: workflow = ["id": .null]
            case .named(let id): workflow = ["id": .string(id)]
            }
            requests.append([
                "registry": .string(fixture.registry.registryURL), "name": .string(item.package),
                "message": item.message.map(JSONValue.string) ?? .null,
                "meta": item.meta.map(JSONValue.object) ?? .null,
                "files": .object(JSONObject(item.files.map { ($0.0, JSONValue.string($0.1)) })), "workflow": workflow,
            ])
        }
        let result = try PythonJudge(environment).run(
            "quilt_workflow.py", input: JSONValue.object(["cases": .array(requests)]).compactData())
        #expect(result.status == 0, "\(result.stderr)")
        let answers = try JSONValue.parse(result.stdout)["cases"]?.arrayValue ?? []
        #expect(answers.count == Self.cases.count)

        for (index, item) in Self.cases.enumerated() where index < answers.count {
            let quilt3 = answers[index]
            let ours = try await fixtures[index].prepareAndValidate(
                item.request, package: item.package, message: item.message, userMeta: item.meta, files: item.files)
            switch ours {
            case .success(let (header, topHash)):
                #expect(item.refusal == nil, "\(item): we published what should be refused")
                #expect(quilt3["error"] == .null, "\(item): quilt3 refused what we publish: \(quilt3)")
                #expect(header.map(JSONValue.object) ?? .null == quilt3["workflow"], "\(item): header")
                #expect(quilt3["top_hash"]?.stringValue == topHash, "\(item): top hash")
            case .failure(let error):
                #expect(quilt3["error"] != .null, "\(item): quilt3 accepts what we refuse (\(error))")
                #expect(item.refusal.map { "\(error)".contains($0) } == true, "\(item): \(error)")
            }
        }
    }

    /// A header with schemas, pinned: the keys and their order as quilt3 writes them into the manifest.
    @Test func headerShapeAndManifestOrder() async throws {
        let fixture = try WorkflowFixture(config: Self.standardConfig, schemas: Case.standardSchemas)
        defer { fixture.remove() }
        let prepared = try #require(try await WorkflowLoader(registry: fixture.registry).prepare(.named("files")))
        #expect(
            prepared.header == [
                "id": "files", "config": .string(fixture.configURL),
                "schemas": [
                    "entry": .string(fixture.schemaURL("entry.schema.json")),
                    "entries": .string(fixture.schemaURL("entries.schema.json")),
                ],
            ])
        let header = ManifestHeader(message: "m", userMeta: ["a": 1], workflow: prepared.header)
        #expect(header.json.keys == ["version", "user_meta", "workflow", "message"])
    }
}
