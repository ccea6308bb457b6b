/// A real `Content-Type` for every object we write, so the catalog and browsers preview it correctly.
public enum ContentTypes {
    static let byExtension: [String: String] = [
        "html": "text/html; charset=utf-8", "htm": "text/html; charset=utf-8",
        "pdf": "application/pdf", "json": "application/json", "md": "text/markdown; charset=utf-8",
        "txt": "text/plain; charset=utf-8", "csv": "text/csv; charset=utf-8", "tsv": "text/tab-separated-values",
        "xml": "application/xml", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg",
        "gif": "image/gif", "svg": "image/svg+xml", "tif": "image/tiff", "tiff": "image/tiff",
        "zip": "application/zip", "gz": "application/gzip",
        "xlsx":
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "fasta": "text/plain; charset=utf-8", "fa": "text/plain; charset=utf-8", "gb": "text/plain; charset=utf-8",
        "parquet": "application/vnd.apache.parquet", "ab1": "application/octet-stream",
    ]

    public static func forPath(_ path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "application/octet-stream" }
        return byExtension[name[name.index(after: dot)...].lowercased()] ?? "application/octet-stream"
    }
}
