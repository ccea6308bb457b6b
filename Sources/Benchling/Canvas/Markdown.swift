/// Markdown helpers for canvas text.
public enum Markdown {
    /// Characters that start or end Markdown syntax; each is backslash-escaped in user text.
    static let special: Set<Character> = [
        "\\", "`", "*", "_", "{", "}", "[", "]", "(", ")", "#", "+", "-", ".", "!", "|", "<", ">", "~", "=", "$", "&",
    ]

    /// Makes user text (entry names, file names) render literally inside a canvas MARKDOWN block: escapes
    /// Markdown/HTML syntax, turns line breaks and tabs into spaces (a name must not start new blocks), and
    /// truncates to `maxLength` characters with an ellipsis so one huge name cannot blow the canvas size.
    public static func escape(_ text: String, maxLength: Int = 200) -> String {
        var flattened = ""
        for character in text {
            if character.isNewline || character == "\t" { flattened.append(" ") } else { flattened.append(character) }
        }
        if flattened.count > maxLength {
            flattened = String(flattened.prefix(max(0, maxLength - 1))) + "…"
        }
        var escaped = ""
        escaped.reserveCapacity(flattened.utf8.count + 8)
        for character in flattened {
            if special.contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }

    /// A link whose text is escaped; the URL's parentheses and spaces are percent-encoded so it cannot end early.
    public static func link(_ text: String, url: String) -> String {
        let safeURL = url.replacingOccurrences(of: " ", with: "%20")
            .replacingOccurrences(of: "(", with: "%28").replacingOccurrences(of: ")", with: "%29")
        return "[\(escape(text))](\(safeURL))"
    }
}
