import Benchling
import BenchlingSandbox
import Foundation
import JSONCore
import Quilt
import TestSupport
import Testing

@testable import Worker

/// Back, malformed ids, missing / empty / unreadable packages and hostile user data, through the sandbox.
@Suite("Interaction: states and hostile input", .timeLimit(.minutes(10)))
struct InteractionStatesTests {
    @Test("Back and every malformed or foreign id re-render the main view, enabled")
    func malformedIdsGiveMainView() async throws {
        try await withInteractionWorld { (world) async throws in
            let canvas = try world.canvas()
            let topHash = try await world.publish(
                "benchling/EXP00000042", count: 3,
                userMeta: ["experiment_id": "EXP00000042", "export_timestamp": "2026-01-02T03:04:05.678Z"])
            let e = world.entryId
            let ids = [
                "quilt:back:\(e)", "quilt:browse:\(e):01", "quilt:browse:\(e):-1", "quilt:browse:\(e)",
                "quilt:browse:\(e):0:1",
                "quilt:nope:\(e)", "quilt:BROWSE:\(e):0", "garbage", "quilt:browse:etr_someoneelse:0",
                "quilt:linked:\(e):0:not a package", "quilt:linked:\(e):0:a/b/c", "quilt:browse:\(e):0 ",
                "quilt:browse:\(e):" + String(repeating: "9", count: 400),
            ]
            for id in ids {
                let view = try await world.press(id, canvas: canvas)
                #expect(view.blockIds == ["quilt-summary", "quilt-actions", "quilt-linked", "quilt-status"], "\(id)")
                #expect(view.enabled == true)
                #expect(
                    view.markdown("quilt-status")
                        == "✅ Updated at 2026-01-02 03:04 UTC · revision `\(topHash.prefix(12))`", "\(id)")
                #expect(
                    view.buttons(in: "quilt-actions") == [
                        ButtonRow(id: "quilt:browse:\(e):0", text: "Browse Package", enabled: true),
                        ButtonRow(id: "quilt:update:\(e)", text: "Update Package", enabled: true),
                    ], "\(id)")
            }
            #expect(await world.sandbox.canvas(world.canvasId)?.enabled == true)
            let report = try await world.judgeCanvasHistory()
            #expect(report.isClean, "\(report)")
            #expect(report.checked == ids.count)
        }
    }

    @Test("no package yet: Browse and Metadata answer with the main view offering Update only")
    func noPackageYet() async throws {
        try await withInteractionWorld { (world) async throws in
            let canvas = try world.canvas()
            for id in ["quilt:browse:\(world.entryId):0", "quilt:metadata:\(world.entryId)"] {
                let view = try await world.press(id, canvas: canvas)
                #expect(
                    view.markdown("quilt-status")
                        == "No package yet. Press **Update Package** to export this entry to Quilt.")
                #expect(view.buttons(in: "quilt-actions").map(\.enabled) == [false, true])
            }
            let report = try await world.judgeCanvasHistory()
            #expect(report.isClean, "\(report)")
        }
    }

    @Test("an empty package says so and keeps Back / View Metadata")
    func emptyPackage() async throws {
        try await withInteractionWorld { (world) async throws in
            let canvas = try world.canvas()
            try await world.publish("benchling/EXP00000042", count: 0, userMeta: ["experiment_id": "EXP00000042"])
            let view = try await world.press("quilt:browse:\(world.entryId):0", canvas: canvas)
            let paragraphs = try #require(view.markdown("quilt-browse")).components(separatedBy: "\n\n")
            #expect(paragraphs.last == "This package has no files.")
            #expect(
                view.buttons(in: "quilt-browse-actions").map(\.text) == [
                    "Previous", "Next", "Back to Package", "View Metadata",
                ])
            #expect(view.buttons(in: "quilt-browse-actions").map(\.enabled) == [false, false, true, true])
            let report = try await world.judgeCanvasHistory()
            #expect(report.isClean, "\(report)")
        }
    }

    @Test("an unreadable manifest gives an error view with Try Again and Back, not a stuck canvas")
    func unreadableManifest() async throws {
        try await withInteractionWorld { (world) async throws in
            let canvas = try world.canvas()
            let topHash = try await world.publish("benchling/EXP00000042", count: 2)
            let manifest = world.folder.appendingPathComponent("registry/.quilt/packages/\(topHash)")
            try Data("{\"version\": \"v0\"}\nnot json\n".utf8).write(to: manifest)
            let id = "quilt:browse:\(world.entryId):0"
            let view = try await world.press(id, canvas: canvas)
            #expect(view.blockIds == ["quilt-problem", "quilt-problem-actions"])
            #expect(
                view.markdown("quilt-problem")?.hasPrefix(
                    "## EXP00000042\n\n❌ The files of benchling/EXP00000042 could not be read") == true)
            #expect(
                view.buttons(in: "quilt-problem-actions") == [
                    ButtonRow(id: id, text: "Try Again", enabled: true),
                    ButtonRow(id: "quilt:back:\(world.entryId)", text: "Back to Package", enabled: true),
                ])
            #expect(await world.sandbox.canvas(world.canvasId)?.enabled == true)
            let report = try await world.judgeCanvasHistory()
            #expect(report.isClean, "\(report)")
        }
    }

    @Test("hostile entry and file names (markdown, very long, unicode, newlines) render escaped")
    func hostileNames() async throws {
        try await withInteractionWorld { (world) async throws in
            let hostileName =
                "**Bold** [click](javascript:alert(1)) <img src=x> # Title\n- item "
                + String(repeating: "Ω", count: 600)
            let canvas = try world.canvas(entryName: hostileName, catalog: false)
            let fileNames = [
                "a/[evil](https:evil.example)\n# heading.txt",
                "日本語/データ ü.csv",
                "deep/" + String(repeating: "long_", count: 47) + ".bin",
                "`code`|table|<b>html</b>.txt",
            ]
            try await world.publish("benchling/EXP00000042", names: fileNames, userMeta: ["name": .string(hostileName)])
            let browse = try await world.press("quilt:browse:\(world.entryId):0", canvas: canvas)
            let text = try #require(browse.markdown("quilt-browse"))
            #expect(!text.contains("[evil](https"))
            #expect(!text.contains("\n# heading"))
            #expect(!text.contains("<b>"))
            #expect(text.contains("\\[evil\\]\\(https:evil\\.example\\) \\# heading\\.txt"))
            #expect(text.contains("日本語/データ ü\\.csv"))
            #expect(text.contains("…"), "the 240-character file name is truncated")
            let rows = text.components(separatedBy: "\n\n")[3].components(separatedBy: "\n")
            #expect(rows.count == 4, "one line per file even with a newline in a name")

            let main = try await world.press("quilt:back:\(world.entryId)", canvas: canvas)
            let summary = try #require(main.markdown("quilt-summary"))
            #expect(
                summary.contains(
                    "\\*\\*Bold\\*\\* \\[click\\]\\(javascript:alert\\(1\\)\\) \\<img src\\=x\\> \\# Title \\- item ΩΩ")
            )
            #expect(!summary.contains("\n- item"))
            #expect(summary.count < 600)

            let meta = try await world.press("quilt:metadata:\(world.entryId)", canvas: canvas)
            let metaText = try #require(meta.markdown("quilt-metadata"))
            #expect(!metaText.contains("[click](javascript"))
            #expect(metaText.contains("- **name**: \\*\\*Bold\\*\\*"))

            let report = try await world.judgeCanvasHistory()
            #expect(report.isClean, "\(report)")
            #expect(report.checked == 3)
        }
    }
}
