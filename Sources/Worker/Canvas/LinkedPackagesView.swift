import Benchling
import Quilt

/// The linked-packages part of the main view: a markdown list plus one Browse button per package (up to
/// `maxButtons`; the rest are listed with links only, as are packages whose button id would be too long).
enum LinkedPackagesView {
    static let maxButtons = 10
    static let maxListed = 50

    static func blocks(_ canvas: EntryCanvas, linked: LinkedPackages) -> [CanvasBlock] {
        let key = "`\(Markdown.escape(canvas.packageKey))`"
        switch linked {
        case .failed(let reason):
            return [
                .markdown(
                    id: "quilt-linked",
                    value: "**Linked packages**\n\n⚠️ Linked packages could not be looked up: "
                        + Markdown.escape(reason, maxLength: 300))
            ]
        case .found(let packages, let examined, let truncated):
            return listed(
                canvas, packages: packages,
                note: truncated
                    ? "Only the first \(examined) packages of the bucket were searched." : nil)
        case .queried(let packages, let truncated):
            return listed(
                canvas, packages: packages,
                note: truncated
                    ? "More packages link here than are listed; search the catalog for \(key) = \(Markdown.escape(canvas.displayId))."
                    : nil)
        }
    }

    private static func listed(_ canvas: EntryCanvas, packages: [PackageName], note: String?) -> [CanvasBlock] {
        let key = "`\(Markdown.escape(canvas.packageKey))`"
        var text = ["**Linked packages** (metadata \(key) = \(Markdown.escape(canvas.displayId)))"]
        if packages.isEmpty {
            text.append(
                "None yet. Set \(key) to \(Markdown.escape(canvas.displayId)) in a package's metadata to link it here.")
        } else {
            text.append(packages.prefix(maxListed).map { "- " + name(canvas, $0) }.joined(separator: "\n"))
            if packages.count > maxListed { text.append("… and \(packages.count - maxListed) more.") }
        }
        if let note { text.append(note) }
        var blocks: [CanvasBlock] = [.markdown(id: "quilt-linked", value: text.joined(separator: "\n\n"))]
        let buttons: [CanvasBlock] = packages.compactMap { package in
            // Checked with the largest page so that no later page's id can exceed the limit.
            guard CanvasButton(.linkedBrowse(package, page: 999_999), entryId: canvas.entryId).renderableId != nil,
                let id = CanvasButton(.linkedBrowse(package, page: 0), entryId: canvas.entryId).renderableId
            else { return nil }
            return .button(id: id, text: "Browse " + String(package.description.prefix(60)), enabled: true)
        }
        if !buttons.isEmpty {
            blocks.append(.section(id: "quilt-linked-actions", children: Array(buttons.prefix(maxButtons))))
        }
        return blocks
    }

    private static func name(_ canvas: EntryCanvas, _ package: PackageName) -> String {
        if let links = canvas.links { return Markdown.link(package.description, url: links.packagePage(package)) }
        return Markdown.escape(package.description)
    }
}
