import Benchling
import BenchlingSandbox
import Foundation
import JSONCore
import Quilt
import TestSupport
import Testing

@testable import Worker

/// Browse, View Metadata and Back against the Benchling sandbox and a local registry; every PATCH body is judged
/// against Benchling's OpenAPI `AppCanvasUpdate` schema.
@Suite("Interaction: browse and metadata", .timeLimit(.minutes(10)))
struct InteractionBrowseTests {
    @Test("a 40-file package pages 15/15/10 with Previous/Next enabled only where they lead somewhere")
    func pagingAcrossThreePages() async throws {
        try await withInteractionWorld { (world) async throws in
            let canvas = try world.canvas()
            let topHash = try await world.publish(
                "benchling/EXP00000042", count: 40, userMeta: ["experiment_id": "EXP00000042"])
            let links = try #require(canvas.links)
            let package = canvas.package
            let e = world.entryId

            let expected: [(page: Int, first: Int, count: Int, previous: Bool, next: Bool)] = [
                (0, 0, 15, false, true), (1, 15, 15, true, true), (2, 30, 10, true, false),
            ]
            for step in expected {
                let view = try await world.press("quilt:browse:\(e):\(step.page)", canvas: canvas)
                #expect(view.enabled == true)
                #expect(view.blockIds == ["quilt-browse", "quilt-browse-actions"])
                let text = try #require(view.markdown("quilt-browse"))
                let paragraphs = text.components(separatedBy: "\n\n")
                #expect(paragraphs[0] == "## EXP00000042 · files")
                #expect(
                    paragraphs[1]
                        == "Package: [benchling/EXP00000042](\(links.packagePage(package))) · revision `\(topHash.prefix(12))`"
                )
                let last = step.first + step.count
                #expect(paragraphs[2] == "Files \(step.first + 1)–\(last) of 40 · page \(step.page + 1) of 3")
                let rows = paragraphs[3].components(separatedBy: "\n")
                #expect(rows.count == step.count)
                for (offset, row) in rows.enumerated() {
                    let number = step.first + offset
                    let key = String(format: "data/file-%02d.csv", number)
                    let url = links.filePage(package, logicalKey: key, revision: .topHash(topHash))
                    #expect(row == "- [\(Markdown.escape(key))](\(url)) · \(100 + number) B")
                }
                #expect(
                    view.buttons(in: "quilt-browse-actions") == [
                        ButtonRow(
                            id: "quilt:browse:\(e):\(max(0, step.page - 1))", text: "Previous", enabled: step.previous),
                        ButtonRow(id: "quilt:browse:\(e):\(step.page + 1)", text: "Next", enabled: step.next),
                        ButtonRow(id: "quilt:back:\(e)", text: "Back to Package", enabled: true),
                        ButtonRow(id: "quilt:metadata:\(e)", text: "View Metadata", enabled: true),
                    ])
                #expect(
                    await world.sandbox.canvas(world.canvasId)?.enabled == true,
                    "the press disabled it; the PATCH re-enables")
            }
            // A stale Next beyond the end lands on the last page instead of an empty one.
            let beyond = try await world.press("quilt:browse:\(e):7", canvas: canvas)
            #expect(beyond.markdown("quilt-browse")?.contains("Files 31–40 of 40 · page 3 of 3") == true)

            let report = try await world.judgeCanvasHistory()
            #expect(report.isClean, "\(report)")
            #expect(report.checked == 4)
        }
    }

    @Test("embedded mode lists local paths instead of catalog links")
    func embeddedModeShowsLocalPaths() async throws {
        try await withInteractionWorld { (world) async throws in
            let canvas = try world.canvas(catalog: false)
            try await world.publish("benchling/EXP00000042", count: 2)
            let view = try await world.press("quilt:browse:\(world.entryId):0", canvas: canvas)
            let paragraphs = try #require(view.markdown("quilt-browse")).components(separatedBy: "\n\n")
            #expect(
                paragraphs[1].hasPrefix(
                    "Package: benchling/EXP00000042 in \(Markdown.escape(world.registry.registryURL, maxLength: 300))"))
            let rows = paragraphs[3].components(separatedBy: "\n")
            #expect(rows.count == 2)
            let dataPath = world.folder.appendingPathComponent("registry/benchling/EXP00000042/data/file-00.csv").path
            #expect(
                rows[0]
                    == "- \(Markdown.escape("data/file-00.csv")) · 100 B · \(Markdown.escape(dataPath, maxLength: 300))"
            )
            #expect(!rows[0].contains("](http"))
            let report = try await world.judgeCanvasHistory()
            #expect(report.isClean, "\(report)")
        }
    }

    @Test("View Metadata renders entry.json as a nested, escaped list with clickable links and Back")
    func metadataView() async throws {
        try await withInteractionWorld { (world) async throws in
            let canvas = try world.canvas()
            let long = String(repeating: "x", count: 500)
            let meta: JSONObject = [
                "display_id": "EXP00000042",
                "web_url": "https://tenant.benchling.com/s/etr_browse1",
                "name": "A *bold* [trap](javascript:alert(1))",
                "authors": ["Alice", "Bob"],
                "fields": ["Concentration": ["value": 12.5, "unit": "mg/mL"]],
                "notes": .string(long),
                "empty": [:],
                "archived": false,
                "reviewed": nil,
            ]
            try await world.publish("benchling/EXP00000042", count: 1, userMeta: meta)
            let view = try await world.press("quilt:metadata:\(world.entryId)", canvas: canvas)
            #expect(view.blockIds == ["quilt-metadata", "quilt-metadata-actions"])
            let paragraphs = try #require(view.markdown("quilt-metadata")).components(separatedBy: "\n\n")
            #expect(paragraphs[0] == "## EXP00000042 · metadata")
            #expect(paragraphs[2] == "Package metadata:", "this package has no entry.json file: its user_meta is shown")
            let rows = paragraphs[3].components(separatedBy: "\n")
            #expect(
                rows == [
                    "- **display\\_id**: EXP00000042",
                    "- **web\\_url**: [https://tenant\\.benchling\\.com/s/etr\\_browse1](https://tenant.benchling.com/s/etr_browse1)",
                    "- **name**: A \\*bold\\* \\[trap\\]\\(javascript:alert\\(1\\)\\)",
                    "- **authors**:",
                    "  - Alice",
                    "  - Bob",
                    "- **fields**:",
                    "  - **Concentration**:",
                    "    - **value**: 12\\.5",
                    "    - **unit**: mg/mL",
                    "- **notes**: " + String(repeating: "x", count: 199) + "…",
                    "- **empty**: (empty)",
                    "- **archived**: false",
                    "- **reviewed**: —",
                ])
            #expect(
                view.buttons(in: "quilt-metadata-actions") == [
                    ButtonRow(id: "quilt:back:\(world.entryId)", text: "Back to Package", enabled: true),
                    ButtonRow(id: "quilt:browse:\(world.entryId):0", text: "Browse Files", enabled: true),
                ])
            let report = try await world.judgeCanvasHistory()
            #expect(report.isClean, "\(report)")
        }
    }

    @Test("a very large metadata document is cut with a visible note")
    func metadataRowBudget() {
        var big = JSONObject()
        for index in 0..<400 { big["key\(index)"] = .string("v") }
        var list = MetadataList()
        list.add(big, depth: 0)
        #expect(list.rows.count == MetadataView.maxRows)
        #expect(list.omitted == 400 - MetadataView.maxRows)
    }
}
