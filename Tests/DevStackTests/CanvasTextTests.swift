import BenchlingSandbox
import DevStack
import JSONCore
import Testing

/// The terminal rendering of a canvas: what a developer reads instead of looking at Benchling.
@Suite("canvas text", .timeLimit(.minutes(10)))
struct CanvasTextTests {
    @Test("markdown verbatim, buttons as [Label], disabled buttons and canvases marked, footer found")
    func rendersBlocks() {
        let canvas = SandboxCanvas(
            id: "cnv_1", resourceId: "etr_1", featureId: "quilt_entry", appId: "app_1",
            blocks: [
                ["type": "MARKDOWN", "id": "summary", "value": "## EXP1\n\nPlate reader"],
                [
                    "type": "SECTION",
                    "children": [
                        ["type": "BUTTON", "id": "quilt:browse:etr_1:0", "text": "Browse Package", "enabled": true],
                        ["type": "BUTTON", "id": "quilt:update:etr_1", "text": "Update Package", "enabled": false],
                    ],
                ],
                ["type": "MARKDOWN", "id": "status", "value": "⏳ Updating…"],
            ])
        var disabled = canvas
        disabled.enabled = false
        #expect(
            CanvasText.render(disabled) == """
                canvas cnv_1 on etr_1 — DISABLED
                  ## EXP1
                  
                  Plate reader
                  [Browse Package] [Update Package (disabled)]
                  ⏳ Updating…
                """)
        #expect(CanvasText.statusLine(canvas) == "⏳ Updating…")
        #expect(CanvasText.render(canvas).hasPrefix("canvas cnv_1 on etr_1 — enabled"))
    }
}
