import Benchling
import JSONCore
import Testing

@Suite(.timeLimit(.minutes(2))) struct CanvasBlockTests {
    @Test func blocksEncodeExactlyPerSchema() {
        #expect(CanvasBlock.markdown(value: "## A").json.compactString() == ###"{"type":"MARKDOWN","value":"## A"}"###)
        #expect(
            CanvasBlock.markdown(id: "m", value: "x").json.compactString()
                == ##"{"type":"MARKDOWN","id":"m","value":"x"}"##)
        #expect(
            CanvasBlock.button(id: "b", text: "Go").json.compactString() == ##"{"type":"BUTTON","id":"b","text":"Go"}"##
        )
        #expect(
            CanvasBlock.button(id: "b", text: "Go", enabled: false).json.compactString()
                == ##"{"type":"BUTTON","id":"b","text":"Go","enabled":false}"##)
        #expect(
            CanvasBlock.section(children: [.button(id: "b", text: "Go")]).json.compactString()
                == ##"{"type":"SECTION","children":[{"type":"BUTTON","id":"b","text":"Go"}]}"##)
        #expect(CanvasBlock.chip(value: "c").json.compactString() == ##"{"type":"CHIP","value":"c"}"##)
        #expect(
            CanvasBlock.textInput(id: "t", label: "L").json.compactString()
                == ##"{"type":"TEXT_INPUT","id":"t","value":"","label":"L"}"##)
    }

    @Test func blocksRoundTripFromCanvasJSON() {
        let blocks: [CanvasBlock] = [
            .markdown(id: "m", value: "x"), .button(id: "b", text: "Go", enabled: true),
            .section(id: "s", children: [.chip(value: "c")]),
        ]
        for block in blocks { #expect(CanvasBlock(json: block.json) == block) }
        let unknown: JSONValue = ["type": "TABLE", "id": "t"]
        #expect(CanvasBlock(json: unknown) == .raw(unknown))
    }

    @Test func updateHasOnlyAllowedNonNullKeys() {
        #expect(AppCanvasUpdate(enabled: true).json.compactString() == ##"{"enabled":true}"##)
        let full = AppCanvasUpdate(
            blocks: [.markdown(value: "v")], enabled: false, data: "{}", sessionId: "sesn_1", featureId: "f",
            resourceId: "etr_1")
        #expect(full.json.objectValue?.keys == ["blocks", "enabled", "data", "sessionId", "featureId", "resourceId"])
        #expect(AppCanvasUpdate().json.compactString() == "{}")
        let create = AppCanvasCreate(appId: "app_1", featureId: "f", resourceId: "etr_1", blocks: [])
        #expect(create.json.compactString() == ##"{"appId":"app_1","featureId":"f","resourceId":"etr_1","blocks":[]}"##)
    }

    @Test func markdownEscapesUserText() {
        #expect(Markdown.escape("a*b_c[d](e)#f") == ##"a\*b\_c\[d\]\(e\)\#f"##)
        #expect(Markdown.escape("x\\y`z`<b>|~!") == ##"x\\y\`z\`\<b\>\|\~\!"##)
        #expect(Markdown.escape("line1\nline2\r\n# heading") == ##"line1 line2 \# heading"##)
        #expect(Markdown.escape("plain text 123") == "plain text 123")
        let long = Markdown.escape(String(repeating: "a", count: 500), maxLength: 10)
        #expect(long == String(repeating: "a", count: 9) + "…")
        #expect(Markdown.link("f (1).csv", url: "https://h/a b(1)") == ##"[f \(1\)\.csv](https://h/a%20b%281%29)"##)
    }
}
