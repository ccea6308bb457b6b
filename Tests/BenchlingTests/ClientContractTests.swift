import Benchling
import BenchlingSandbox
import Foundation
import TestSupport
import Testing

/// Every request the client sends, judged against Benchling's OpenAPI spec by the Python judge (jsonschema).
@Suite(.timeLimit(.minutes(5))) struct ClientContractTests {
    @Test func everyRequestConformsToTheSpec() async throws {
        let environment = try TestEnvironment.load()
        try await withSandbox { sandbox in
            await sandbox.addEntry(SandboxEntry(id: "etr_1", displayId: "EXP0001", name: "n"))
            await sandbox.addCanvas(id: "cnvs_1", resourceId: "etr_1")
            let client = sandbox.client()
            _ = try await client.getEntry("etr_1")
            let taskId = try await client.startExport(entryId: "etr_1")
            _ = try await client.waitForExport(taskId: taskId, pollInterval: .milliseconds(5), maxWait: .seconds(60))
            _ = try await client.getCanvas("cnvs_1")
            let blocks: [CanvasBlock] = [
                .markdown(value: "## EXP0001 \(Markdown.escape("a_b*c"))"),
                .section(
                    id: "s",
                    children: [
                        .button(id: "update-etr_1", text: "Update Package", enabled: false),
                        .chip(value: "v1"), .textInput(id: "t", label: "Note"),
                    ]),
            ]
            try await client.updateCanvas("cnvs_1", AppCanvasUpdate(blocks: blocks, enabled: true))
            try await client.updateCanvas("cnvs_1", AppCanvasUpdate(enabled: true, data: #"{"page":1}"#))
            try await client.createCanvas(
                AppCanvasCreate(
                    appId: sandbox.appId, featureId: "quilt_entry", resourceId: "etr_1", blocks: blocks, enabled: true))
            let report = try await sandbox.validateRecordedRequests(
                python: environment.python, repoRoot: environment.repoRoot)
            #expect(report.checked >= 8, "\(report)")
            #expect(report.failures.isEmpty, "\(report)")
        }
    }
}
