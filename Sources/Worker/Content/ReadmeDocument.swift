import Benchling

/// The package's README.md: what a person opening the package in the catalog reads first.
enum ReadmeDocument {
    static func render(entry: Entry, files: [ExportedFile]) -> String {
        let displayId = entry.displayId ?? entry.id
        var lines = ["# \(displayId) - \(entry.name ?? "(untitled)")", ""]
        if let url = entry.webURL { lines += ["[View in Benchling](\(url))", ""] }
        lines += ["## Entry", "", "| | |", "|---|---|", "| Entry ID | `\(entry.id)` |", "| Display ID | \(displayId) |"]
        if let creator = entry.creator { lines.append("| Creator | \(creator.name ?? creator.handle ?? creator.id) |") }
        let authors = entry.authors.map { $0.name ?? $0.handle ?? $0.id }
        if !authors.isEmpty { lines.append("| Authors | \(authors.joined(separator: ", ")) |") }
        if let created = entry.createdAt { lines.append("| Created | \(created) |") }
        if let modified = entry.modifiedAt { lines.append("| Modified | \(modified) |") }
        if let review = entry.reviewStatus { lines.append("| Review | \(review) |") }
        lines += ["", "## Files", ""]
        for file in files.sorted(by: { $0.path < $1.path }) {
            lines.append("- `\(file.path)` (\(ByteCount.format(file.size)))")
        }
        lines += [
            "- `entry.json`: package metadata", "- `entry_data.json`: the entry as Benchling returned it",
            "- `links.json`: entities and links referenced by the entry", "",
        ]
        return lines.joined(separator: "\n")
    }
}

/// Human-readable sizes (1,024-based, one decimal).
public enum ByteCount {
    public static func format(_ bytes: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        if unit == 0 { return "\(bytes) B" }
        return "\((value * 10).rounded() / 10) \(units[unit])"
    }
}
