import Benchling
import Quilt

/// The Browse view: one page of a package's files with paging buttons. Button ids carry the page, so Previous /
/// Next need no stored state; they stay distinct on every page (Next always names page + 1, disabled at the end).
enum BrowseView {
    /// Which package is browsed: the entry's own (with View Metadata) or a linked one.
    enum Subject: Sendable, Equatable {
        case own
        case linked(PackageName)
    }

    static func render(
        _ canvas: EntryCanvas, subject: Subject, snapshot: PackageSnapshot, page: FilePage
    ) -> AppCanvasUpdate {
        var text = ["## \(Markdown.escape(canvas.displayId)) · files"]
        if case .linked = subject {
            text.append("Linked package (metadata `\(Markdown.escape(canvas.packageKey))` names this entry)")
        }
        text.append(canvas.packageLine(snapshot.package, topHash: snapshot.topHash))
        if page.totalFiles == 0 {
            text.append("This package has no files.")
        } else {
            let last = page.firstNumber + page.files.count - 1
            text.append(
                "Files \(page.firstNumber)–\(max(last, page.firstNumber)) of \(page.totalFiles) · page \(page.index + 1) of \(page.pageCount)"
            )
            text.append(
                page.files.map { canvas.fileLine($0, in: snapshot.package, topHash: snapshot.topHash) }
                    .joined(separator: "\n"))
        }

        var buttons: [CanvasBlock] = [
            .button(
                id: browseId(canvas, subject, page: max(0, page.index - 1)), text: "Previous", enabled: page.hasPrevious
            ),
            .button(id: browseId(canvas, subject, page: page.index + 1), text: "Next", enabled: page.hasNext),
            .button(
                id: CanvasButton(.back, entryId: canvas.entryId).description, text: "Back to Package", enabled: true),
        ]
        switch subject {
        case .own:
            buttons.append(
                .button(
                    id: CanvasButton(.metadata, entryId: canvas.entryId).description, text: "View Metadata",
                    enabled: true))
        case .linked(let package):
            if let id = CanvasButton(.linkedMetadata(package), entryId: canvas.entryId).renderableId {
                buttons.append(.button(id: id, text: "View Metadata", enabled: true))
            }
        }
        return AppCanvasUpdate(
            blocks: [
                .markdown(id: "quilt-browse", value: text.joined(separator: "\n\n")),
                .section(id: "quilt-browse-actions", children: buttons),
            ],
            enabled: true)
    }

    static func browseId(_ canvas: EntryCanvas, _ subject: Subject, page: Int) -> String {
        switch subject {
        case .own:
            return CanvasButton(.browse(page: page), entryId: canvas.entryId).description
        case .linked(let package):
            // Rendered only for packages whose ids fit (see `LinkedPackagesView`); the fallback keeps ids valid.
            return CanvasButton(.linkedBrowse(package, page: page), entryId: canvas.entryId).renderableId
                ?? CanvasButton(.back, entryId: canvas.entryId).description
        }
    }
}
