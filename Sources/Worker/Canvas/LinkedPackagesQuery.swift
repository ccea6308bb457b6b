import Foundation

/// The Athena SQL that finds linked packages in Quilt's per-bucket view `"{database}"."{bucket}_packages-view"`
/// (one row per named revision: `pkg_name`, `timestamp` — `'latest'` on the row of the `latest` tag —,
/// `message`, and `user_meta` as JSON text).
///
/// Every value is user data (the display id comes from Benchling, `PKG_KEY` and the names from configuration), so
/// nothing is pasted in raw: string values become SQL literals with single quotes doubled, names become quoted
/// identifiers with double quotes doubled, the metadata key becomes a bracketed JSON path (one bracket per dotted segment), and control
/// characters are refused outright (no query is better than a query they could bend).
enum LinkedPackagesQuery {
    struct Refused: Error, Equatable, CustomStringConvertible {
        let description: String
    }

    /// `SELECT DISTINCT pkg_name … ORDER BY pkg_name LIMIT rowLimit` for packages whose latest revision has
    /// `user_meta[packageKey] == value`.
    static func sql(
        database: String, bucket: String, packageKey: String, value: String, rowLimit: Int
    )
        throws(Refused) -> String
    {
        let view =
            try identifier(database, what: "Athena database") + "."
            + identifier(bucket + "_packages-view", what: "bucket name")
        let path = try jsonPath(key: packageKey)
        return """
            SELECT DISTINCT "pkg_name"
            FROM \(view)
            WHERE "timestamp" = 'latest'
              AND json_extract_scalar("user_meta", \(try literal(path, what: "PKG_KEY"))) = \(try literal(value, what: "display id"))
            ORDER BY "pkg_name"
            LIMIT \(max(1, rowLimit))
            """
    }

    /// A SQL string literal: `'` doubled inside single quotes.
    static func literal(_ text: String, what: String) throws(Refused) -> String {
        try refuseControlCharacters(text, what: what)
        return "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// A quoted SQL identifier: `"` doubled inside double quotes (Athena/Trino rules).
    static func identifier(_ name: String, what: String) throws(Refused) -> String {
        guard !name.isEmpty else { throw Refused(description: "the \(what) is empty") }
        try refuseControlCharacters(name, what: what)
        return "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// `$["a"]["b"]` for `PKG_KEY` `a.b`: a dotted key is a nested path, as the Python service's `'$.a.b'`; bracket
    /// notation keeps spaces and other characters inside a segment part of its name. Quotes and backslashes are
    /// refused rather than escaped (JSON-path escapes differ between Presto and Trino versions), and so are empty
    /// segments (`a..b`, a leading or trailing dot), which no metadata key can be reached by.
    static func jsonPath(key: String) throws(Refused) -> String {
        guard !key.isEmpty else { throw Refused(description: "PKG_KEY is empty") }
        guard !key.contains("\""), !key.contains("\\") else {
            throw Refused(description: "PKG_KEY contains a quote or backslash, which an Athena JSON path cannot hold")
        }
        let segments = PackageKeyPath(key).segments
        guard !segments.contains(where: \.isEmpty) else {
            throw Refused(description: "PKG_KEY has an empty segment between dots (a dotted key is a nested path)")
        }
        return "$" + segments.map { "[\"" + $0 + "\"]" }.joined()
    }

    private static func refuseControlCharacters(_ text: String, what: String) throws(Refused) {
        if text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw Refused(description: "the \(what) contains control characters")
        }
    }
}
