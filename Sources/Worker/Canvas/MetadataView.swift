import Benchling
import JSONCore

/// The View Metadata view of the entry's package or a linked one: its `entry.json`, else the manifest header's
/// `user_meta` (see `PackageSnapshot.metadataDocument`), as a nested markdown list. Values are user data, so every key and value is escaped; URLs become links; long values, deep nesting
/// and very long documents are cut with a visible marker rather than breaking the canvas.
enum MetadataView {
    static let maxValueLength = 200
    static let maxDepth = 5
    static let maxRows = 150

    static func render(
        _ canvas: EntryCanvas, subject: BrowseView.Subject, snapshot: PackageSnapshot, document: MetadataDocument
    ) -> AppCanvasUpdate {
        let metadata = document.metadata
        var text = ["## \(Markdown.escape(canvas.displayId)) · metadata"]
        if case .linked = subject {
            text.append("Linked package (metadata `\(Markdown.escape(canvas.packageKey))` names this entry)")
        }
        text.append(canvas.packageLine(snapshot.package, topHash: snapshot.topHash))
        if metadata.count == 0 {
            text.append("This revision has no metadata.")
        } else {
            var list = MetadataList()
            list.add(metadata, depth: 0)
            text.append(document.source == .entryJSON ? "`entry.json`:" : "Package metadata:")
            text.append(list.rows.joined(separator: "\n"))
            if list.truncated { text.append("… (\(list.omitted) more values not shown)") }
        }
        return AppCanvasUpdate(
            blocks: [
                .markdown(id: "quilt-metadata", value: text.joined(separator: "\n\n")),
                .section(
                    id: "quilt-metadata-actions",
                    children: [
                        .button(
                            id: CanvasButton(.back, entryId: canvas.entryId).description, text: "Back to Package",
                            enabled: true),
                        .button(id: BrowseView.browseId(canvas, subject, page: 0), text: "Browse Files", enabled: true),
                    ]),
            ],
            enabled: true)
    }
}

/// Builds the rows of a nested list, counting what the row budget leaves out.
struct MetadataList {
    private(set) var rows: [String] = []
    private(set) var omitted = 0
    var truncated: Bool { omitted > 0 }

    mutating func add(_ object: JSONObject, depth: Int) {
        for (key, value) in object { add(label: Markdown.escape(key, maxLength: 80), value: value, depth: depth) }
    }

    private mutating func add(label: String?, value: JSONValue, depth: Int) {
        guard rows.count < MetadataView.maxRows else {
            omitted += 1
            return
        }
        let indent = String(repeating: "  ", count: depth)
        let prefix = indent + "- " + (label.map { "**\($0)**: " } ?? "")
        switch value {
        case .object(let object):
            if object.count == 0 { rows.append(prefix + "(empty)"); return }
            guard depth + 1 < MetadataView.maxDepth else { rows.append(prefix + "{…}"); return }
            rows.append(prefix.hasSuffix(": ") ? String(prefix.dropLast()) : prefix)
            add(object, depth: depth + 1)
        case .array(let items):
            if items.isEmpty { rows.append(prefix + "(none)"); return }
            guard depth + 1 < MetadataView.maxDepth else { rows.append(prefix + "[…]"); return }
            rows.append(prefix.hasSuffix(": ") ? String(prefix.dropLast()) : prefix)
            for item in items { add(label: nil, value: item, depth: depth + 1) }
        default:
            rows.append(prefix + Self.scalar(value))
        }
    }

    /// A scalar as markdown: web URLs clickable, everything else escaped and cut at `maxValueLength`.
    static func scalar(_ value: JSONValue) -> String {
        switch value {
        case .null: return "—"
        case .bool(let flag): return flag ? "true" : "false"
        case .integer(let digits): return Markdown.escape(digits, maxLength: MetadataView.maxValueLength)
        case .float(let number): return Markdown.escape(String(number), maxLength: MetadataView.maxValueLength)
        case .string(let text):
            if isWebURL(text) {
                return Markdown.link(text, url: text)
            }
            return Markdown.escape(text, maxLength: MetadataView.maxValueLength)
        case .object, .array: return ""
        }
    }

    /// Only plain http(s) URLs without characters that could end the markdown link early become links.
    static func isWebURL(_ text: String) -> Bool {
        (text.hasPrefix("https://") || text.hasPrefix("http://")) && text.utf8.count <= 2000
            && !text.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "[" || $0 == "]" })
    }
}
