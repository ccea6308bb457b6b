import Benchling
import Foundation
import JSONCore
import Quilt
import TestSupport
import Testing

@testable import Worker

@Suite(.timeLimit(.minutes(5))) struct CanvasRendererTests {
    let location = PackageLocation(
        packageName: "benchling/EXP00001234",
        catalogURL: "https://catalog.example.com/b/bucket/packages/benchling/EXP00001234",
        quiltSyncURL:
            "https://catalog.example.com/redir/quilt%2Bs3%3A%2F%2Fbucket%23package%3Dbenchling%2FEXP00001234%3Alatest")

    func render(_ status: CanvasStatus, name: String? = "Growth curve", warnings: [String] = []) -> AppCanvasUpdate {
        CanvasRenderer.main(
            entryId: "etr_abc123", displayId: "EXP00001234", entryName: name, location: location, status: status,
            warnings: warnings)
    }

    func buttons(_ update: AppCanvasUpdate) -> [String: Bool?] {
        guard case .section(_, let children)? = update.blocks?[1] else { return [:] }
        var result: [String: Bool?] = [:]
        for case .button(let id, _, let enabled) in children { result[id] = enabled }
        return result
    }

    @Test func updatingDisablesUpdateAndBrowse() throws {
        let update = render(.updating)
        #expect(update.enabled == true)
        let blocks = try #require(update.blocks)
        #expect(blocks.count == 3)
        guard case .markdown(let id, let summary) = blocks[0] else {
            Issue.record("first block is not markdown"); return
        }
        #expect(id == "quilt-summary")
        #expect(
            summary.hasPrefix(
                "## EXP00001234\n\nGrowth curve\n\nPackage: [benchling/EXP00001234](https://catalog.example.com/b/bucket/packages/benchling/EXP00001234)"
            ))
        #expect(summary.contains("[Open in QuiltSync](https://catalog.example.com/redir/quilt%2Bs3"))
        #expect(buttons(update) == ["quilt:browse:etr_abc123:0": false, "quilt:update:etr_abc123": false])
        #expect(blocks[2] == .markdown(id: "quilt-status", value: "⏳ Updating…"))
    }

    @Test func updatedShowsRevisionAndTime() throws {
        let at = Date(timeIntervalSince1970: 1_767_225_600 + 3_723)  // 2026-01-01 01:02:03 UTC
        let update = render(.updated(topHash: String(repeating: "ab", count: 32), at: at, unchanged: false))
        #expect(buttons(update) == ["quilt:browse:etr_abc123:0": true, "quilt:update:etr_abc123": true])
        #expect(
            update.blocks?[2]
                == .markdown(id: "quilt-status", value: "✅ Updated at 2026-01-01 01:02 UTC · revision `abababababab`"))
        let unchanged = render(.updated(topHash: String(repeating: "ab", count: 32), at: at, unchanged: true))
        #expect(
            unchanged.blocks?[2]
                == .markdown(
                    id: "quilt-status",
                    value:
                        "✅ Updated at 2026-01-01 01:02 UTC · revision `abababababab` (no changes since the last revision)"
                ))
    }

    @Test func footerEndsWithTheDeploymentLineAsThePythonService() throws {
        let at = Date(timeIntervalSince1970: 1_767_225_600 + 3_723)
        let update = CanvasRenderer.main(
            entryId: "etr_abc123", displayId: "EXP00001234", entryName: nil, location: location,
            status: .updated(topHash: String(repeating: "ab", count: 32), at: at, unchanged: false),
            deployment: "quilt-bucket@catalog.example.com Rev 1.2.0")
        #expect(
            update.blocks?.last
                == .markdown(
                    id: "quilt-status",
                    value:
                        "✅ Updated at 2026-01-01 01:02 UTC · revision `abababababab`\n\nquilt\\-bucket@catalog\\.example\\.com Rev 1\\.2\\.0"
                ))
        let canvas = EntryCanvas(
            entryId: "etr_abc123", displayId: "EXP1", entryName: nil, package: try PackageName("benchling/EXP1"),
            links: CatalogLinks(host: "catalog.example.com", bucket: "quilt-bucket"), registryURL: "s3://quilt-bucket",
            packageKey: "experiment_id", buildVersion: "1.2.0")
        #expect(canvas.deployment == "quilt-bucket@catalog.example.com Rev 1.2.0")
    }

    @Test func failureSaysWhatToDoAndStaysEnabled() throws {
        let update = render(
            .failed(
                problem: "Export failed: entry is archived", nextStep: "Unarchive the entry, then press Update Package."
            ))
        #expect(update.enabled == true)
        #expect(buttons(update)["quilt:update:etr_abc123"] == true)
        #expect(
            update.blocks?[2]
                == .markdown(
                    id: "quilt-status",
                    value: "❌ Export failed: entry is archived\n\nUnarchive the entry, then press Update Package\\."))
    }

    @Test func noPackageYetOffersUpdateOnly() {
        let update = CanvasRenderer.main(
            entryId: "etr_abc123", displayId: "EXP00001234", entryName: nil,
            location: PackageLocation(packageName: "benchling/EXP00001234"), status: .noPackage)
        #expect(buttons(update) == ["quilt:browse:etr_abc123:0": false, "quilt:update:etr_abc123": true])
        #expect(update.blocks?[0] == .markdown(id: "quilt-summary", value: "## EXP00001234"))
    }

    @Test func localRegistryShownWhenThereIsNoCatalog() {
        let update = CanvasRenderer.main(
            entryId: "etr_abc123", displayId: "EXP1", entryName: nil,
            location: PackageLocation(packageName: "benchling/EXP1", localRegistry: "file:///tmp/registry"),
            status: .updated(topHash: "00", at: Date(timeIntervalSince1970: 0), unchanged: false))
        guard case .markdown(_, let summary)? = update.blocks?[0] else { Issue.record("no summary"); return }
        #expect(summary.contains("`benchling/EXP1` in the local registry `file:///tmp/registry`"))
    }

    @Test func hostileEntryNamesCannotBreakLayout() throws {
        let hostile =
            "# Heading\n\n[click](javascript:alert(1)) **bold** <script>x</script> ｔｅｓｔ 😀 "
            + String(repeating: "long ", count: 200)
        let update = render(
            .updated(topHash: "ff", at: Date(timeIntervalSince1970: 0), unchanged: false), name: hostile)
        guard case .markdown(_, let summary)? = update.blocks?[0] else { Issue.record("no summary"); return }
        let nameLine = summary.components(separatedBy: "\n\n")[1]
        #expect(!nameLine.contains("\n"))
        #expect(
            nameLine.hasPrefix("\\# Heading  \\[click\\]\\(javascript:alert\\(1\\)\\) \\*\\*bold\\*\\* \\<script\\>"))
        #expect(nameLine.contains("ｔｅｓｔ 😀"))
        #expect(nameLine.count < 420)
        #expect(nameLine.hasSuffix("…"))
    }

    @Test func buttonIdsRoundTripAndRejectAnythingElse() {
        for action in [CanvasButton.Action.update, .metadata, .back, .browse(page: 0), .browse(page: 12)] {
            let id = CanvasButton(action, entryId: "etr_Ab9_x")
            #expect(CanvasButton(parsing: id.description) == id)
        }
        for bad in [
            "", "quilt", "quilt:update", "quilt:update:etr_1:extra", "quilt:browse:etr_1", "quilt:browse:etr_1:-1",
            "quilt:browse:etr_1:01", "quilt:browse:etr_1:x", "quilt:delete:etr_1", "other:update:etr_1",
            "quilt:update:cnvs_1", "quilt:update:etr_1/../x",
        ] {
            #expect(CanvasButton(parsing: bad) == nil, "\(bad) should not parse")
        }
    }

    /// Every state's PATCH body is judged against Benchling's OpenAPI `AppCanvasUpdate` schema.
    @Test func everyStateIsAValidAppCanvasUpdate() throws {
        let env = try TestEnvironment.load()
        let states: [CanvasStatus] = [
            .noPackage, .updating, .updated(topHash: "ab", at: Date(), unchanged: true),
            .failed(problem: "x", nextStep: "y"),
        ]
        var items = states.map { state -> JSONValue in
            ["kind": "schema", "schema": "AppCanvasUpdate", "body": render(state, warnings: ["careful"]).json]
        }
        // The judge must be able to fail: an extra key is forbidden by the schema.
        var invalid = render(.updating).json.objectValue!
        invalid["title"] = "not allowed"
        items.append(["kind": "schema", "schema": "AppCanvasUpdate", "body": .object(invalid)])
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("canvas-\(UUID().uuidString).json")
        try JSONValue.array(items).compactData().write(to: file)
        let result = try PythonJudge(env).run("benchling_openapi_check.py", arguments: [file.path])
        let report = try JSONValue.parse(result.stdout)
        #expect(report["checked"] == .int(items.count), "\(result.stderr)")
        let failures = report["failures"]?.arrayValue ?? []
        #expect(failures.count == 1, "\(report.compactString())")
        #expect(failures.first?["index"] == .int(items.count - 1))
    }
}
