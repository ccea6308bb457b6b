import Benchling

/// A click that could not be answered as asked: what went wrong, plus the buttons that help (the same button
/// again when retrying can work, Back to the main view always).
enum ProblemView {
    static func render(_ canvas: EntryCanvas, problem: String, retryId: String?) -> AppCanvasUpdate {
        var buttons: [CanvasBlock] = []
        if let retryId { buttons.append(.button(id: retryId, text: "Try Again", enabled: true)) }
        buttons.append(
            .button(
                id: CanvasButton(.back, entryId: canvas.entryId).description, text: "Back to Package", enabled: true))
        let text = "## \(Markdown.escape(canvas.displayId))\n\n❌ " + Markdown.escape(problem, maxLength: 400)
        return AppCanvasUpdate(
            blocks: [
                .markdown(id: "quilt-problem", value: text),
                .section(id: "quilt-problem-actions", children: buttons),
            ],
            enabled: true)
    }
}
