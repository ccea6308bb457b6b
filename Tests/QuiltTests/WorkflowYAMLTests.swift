import Foundation
import JSONCore
import TestSupport
import Testing

@testable import Quilt

/// The YAML subset reader: what real workflow configs use reads as PyYAML's `safe_load` reads it (PyYAML is the
/// oracle), and everything outside the subset is refused with its line.
@Suite(.timeLimit(.minutes(2))) struct WorkflowYAMLTests {
    /// Documents inside the subset, from the shapes in Quilt's workflow docs and real bucket configs.
    static let accepted: [String] = [
        """
        version: "1"
        default_workflow: benchling
        workflows:
          benchling: {name: Benchling entry, handle_pattern: "^benchling/", metadata_schema: entry}
        schemas:
          entry: {url: s3://quilt-benchling/.quilt/workflows/entry.schema.json}
        """,
        """
        # Quilt workflows
        version:
          base: "1.1"
          catalog: '1'
        is_workflow_required: False
        workflows:
          alpha:
            name: Alpha  # trailing comment
            description: >
              Packages of the
              alpha team.

              Second paragraph.
            is_message_required: yes
            entries_schema: files
          beta:
            name: 'Beta ''quoted'''
            description: |-
              line one
                indented
              line three
        schemas:
          files:
            url: "s3://bucket/schemas/files.json?versionId=abc"
        successors:
          s3://other-bucket:
            title: Other
            copy_data: off
        catalog:
          package_description:
            .*:
              message: true
              user_meta: [ "$.Author", "$.Date" ]
        """,
        """
        ---
        list:
        - a
        - - nested
          - 2
        - key: value
          other: ~
        -
          deep: [1, -2, +3, 0, 1.5, -0.25, .5, 1.0e+3]
        mixed: {a: [x, {y: z}], b: "tab\\tand \\u00e9", c: null, 'd e': true}
        empty:
        multi: [
          one, two,   # comment inside a flow
          three
        ]
        url: http://example.com/a#b
        colon: a:b
        ...
        """,
        "",
        "# only a comment\n",
        "plain scalar document",
        "- 1\n- 2\n",
        "keep: |+\n  text\n\nnext: 1\n",
        "folded: >-\n  a\n  b\n\n  c\n    d\n  e\n",
    ]

    static let refused: [(String, Int, String)] = [
        ("a: &anchor 1\nb: *anchor\n", 1, "anchors"),
        ("a: !!str 1\n", 1, "tags"),
        ("a:\n\tb: 1\n", 2, "tabs"),
        ("a: one\n  two\n", 2, "multi-line plain"),
        ("a: 1\na: 2\n", 2, "duplicate key"),
        ("a: 2001-12-14\n", 1, "number or date"),
        ("a: 0x1F\n", 1, "number or date"),
        ("a: 1_000\n", 1, "number or date"),
        ("a: [1, 2\n", 1, "not closed"),
        ("a: 1\n---\nb: 2\n", 2, "one YAML document"),
        ("? complex\n: key\n", 1, "complex keys"),
        ("a: 'unclosed\n  rest'\n", 1, "quoted scalar"),
        ("a: - b\n", 1, "sequence cannot start"),
        ("a: b: c\n", 1, "mapping cannot start"),
        ("a:\n  - x\n   - y\n", 3, "indentation"),
        ("<<: {a: 1}\n", 1, "merge keys"),
        ("a: \"bad \\q escape\"\n", 1, "unknown escape"),
        ("a: |2\n  x\n", 1, "block scalar header"),
        ("a: 1\n b: 2\n", 2, "indent"),
        ("a: \u{01}\n", 1, "control character"),
    ]

    @Test func acceptedDocumentsReadAsPyYAMLReadsThem() throws {
        let oracle = try Self.oracle(yaml: Self.accepted)
        for (index, text) in Self.accepted.enumerated() {
            let expected = try #require(oracle[index]["value"], "\(oracle[index])")
            #expect(oracle[index]["error"] == .null, "PyYAML refused document \(index): \(oracle[index])")
            let ours = try YAMLSubsetParser.parse(text)
            #expect(ours.canonicalString() == expected.canonicalString(), "document \(index):\n\(text)")
        }
    }

    @Test func exampleConfigReadsAsExpected() throws {
        let value = try YAMLSubsetParser.parse(Self.accepted[0])
        #expect(value["version"] == "1")
        #expect(value["workflows"]?["benchling"]?["handle_pattern"] == "^benchling/")
        #expect(value["schemas"]?["entry"]?["url"] == "s3://quilt-benchling/.quilt/workflows/entry.schema.json")
        let second = try YAMLSubsetParser.parse(Self.accepted[1])
        #expect(second["is_workflow_required"] == .bool(false))
        #expect(second["workflows"]?["alpha"]?["description"] == "Packages of the alpha team.\nSecond paragraph.\n")
        #expect(second["workflows"]?["beta"]?["description"] == "line one\n  indented\nline three")
        #expect(second["successors"]?["s3://other-bucket"]?["copy_data"] == .bool(false))
    }

    @Test(arguments: refused) func refusedWithLine(_ text: String, _ line: Int, _ words: String) {
        do {
            let value = try YAMLSubsetParser.parse(text)
            Issue.record("accepted \(text.debugDescription) as \(value)")
        } catch {
            #expect(error.line == line, "\(error)")
            #expect(error.message.lowercased().contains(words.lowercased()), "\(error)")
        }
    }

    /// Whatever the subset refuses, PyYAML either refuses too or reads differently from a string-only guess:
    /// here only the cases PyYAML reads, to show the refusals are about what we do not model, not about errors.
    @Test func deepNestingIsRefusedNotCrashing() {
        let deep = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        #expect(throws: YAMLSubsetError.self) { try YAMLSubsetParser.parse("a: " + deep) }
        var block = ""
        for level in 0..<100 { block += String(repeating: " ", count: level) + "k:\n" }
        #expect(throws: YAMLSubsetError.self) { try YAMLSubsetParser.parse(block) }
    }

    static func oracle(yaml: [String] = [], schema: [(JSONValue, JSONValue)] = []) throws -> [JSONValue] {
        let environment = try TestEnvironment.load()
        let request: JSONValue = [
            "yaml": .array(yaml.map(JSONValue.string)),
            "schema": .array(schema.map { .array([$0.0, $0.1]) }),
        ]
        let result = try PythonJudge(environment).run("yaml_schema_oracle.py", input: request.compactData())
        guard result.status == 0 else { throw JudgeFailure(message: "yaml_schema_oracle.py: \(result.stderr)") }
        let answer = try JSONValue.parse(result.stdout)
        return (yaml.isEmpty ? answer["schema"] : answer["yaml"])?.arrayValue ?? []
    }
}
