import Benchling
import Foundation

/// The package's README.md, laid out as the Python service wrote it (Overview, Entry Information, Export
/// Information, Files Included, Metadata Files, Usage). Unlike it, every value from Benchling is escaped so that
/// names holding Markdown, HTML or backticks show as typed in the catalog instead of rendering.
struct ReadmeDocument {
    var displayId: String
    var entryId: String
    var name: String?
    var webURL: String?
    var creator: String?
    var authors: [String]
    var createdAt: String?
    var modifiedAt: String?
    var exportTimestamp: String
    var benchlingBaseURL: String
    /// The export's files (name, size), in the order entry.json lists them.
    var files: [(path: String, size: Int64)]

    func render() -> String {
        let id = text(displayId)
        var out = name.map { $0.isEmpty ? "# \(id)" : "# \(id) - \(text($0))" } ?? "# \(id)"
        out += "\n\n## Overview\nThis package contains data exported from Benchling entry \(Self.code(displayId)).\n"
        if let webURL, !webURL.isEmpty { out += "\n**View in Benchling**: \(url(webURL))\n" }
        out += "\n## Entry Information\n- **Display ID**: \(id)\n- **Entry ID**: \(text(entryId))"
        if let name, !name.isEmpty { out += "\n- **Name**: \(text(name))" }
        if let creator, !creator.isEmpty { out += "\n- **Creator**: \(text(creator))" }
        if !authors.isEmpty { out += "\n- **Authors**: \(authors.map(text).joined(separator: ", "))" }
        if let createdAt, !createdAt.isEmpty { out += "\n- **Created**: \(text(createdAt))" }
        if let modifiedAt, !modifiedAt.isEmpty { out += "\n- **Modified**: \(text(modifiedAt))" }
        out += """


            ## Export Information
            - **Export Timestamp**: \(text(exportTimestamp))
            - **Benchling Base URL**: \(url(benchlingBaseURL))
            - **Total Files**: \(files.count)

            ## Files Included

            """
        for file in files { out += "- \(Self.code(file.path)) (\(file.size) bytes)\n" }
        out += """

            ## Metadata Files
            - `entry.json`: Key entry metadata (display_id, name, creator, authors, timestamps)
            - `entry_data.json`: Complete entry data from Benchling API
            - `links.json`: Raw Benchling objects this entry links to (entities, inventory, tables); the searchable, name-enriched summary is the `links` field of `entry.json`
            - `input.json`: Export processing metadata
            - `README.md`: This documentation file

            ## Usage
            This package was created automatically by the Benchling-Quilt integration webhook system.
            For questions about the data, refer to the original Benchling entry.

            """
        return out
    }

    /// Plain text: Markdown and HTML syntax escaped, line breaks flattened, never shortened (a README is not
    /// size-limited like a canvas).
    private func text(_ value: String) -> String { Markdown.escape(value, maxLength: .max) }

    /// A code span that no backtick inside `value` can end: the fence is one backtick longer than the longest run
    /// inside, and padded when the value starts or ends with a backtick (CommonMark). Nothing renders inside it.
    static func code(_ value: String) -> String {
        let flat = String(value.map { $0.isNewline || $0 == "\t" ? " " : $0 })
        var longest = 0
        var run = 0
        for character in flat {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: longest + 1)
        let pad = flat.hasPrefix("`") || flat.hasSuffix("`") ? " " : ""
        return fence + pad + flat + pad + fence
    }

    /// An http(s) URL as a link that shows the URL, with the characters that could end the link or open HTML
    /// percent-encoded; anything else (e.g. `javascript:`) as plain text.
    func url(_ value: String) -> String {
        let lower = value.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://") else { return text(value) }
        var target = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case " ", "(", ")", "<", ">", "\"", "\\", "`", "[", "]": target += String(format: "%%%02X", scalar.value)
            case _ where scalar.properties.generalCategory == .control: continue
            default: target.unicodeScalars.append(scalar)
            }
        }
        return "[\(text(value))](\(target))"
    }
}
