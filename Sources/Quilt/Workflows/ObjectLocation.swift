/// An object named by a quilt3 physical-key URL (`s3://bucket/key?versionId=…` or `file:///path`), parsed and
/// printed as quilt3's `PhysicalKey.from_url` / `str()` do, so recorded URLs match quilt3's byte for byte.
public enum ObjectLocation: Sendable, Hashable, CustomStringConvertible {
    case s3(bucket: String, key: String, versionId: String?)
    case file(path: String)

    public init(url: String) throws(WorkflowError) {
        // urlparse drops a fragment.
        let text =
            url.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        if text.hasPrefix("s3://") {
            let rest = text.dropFirst("s3://".count)
            let (beforeQuery, query) = Self.splitQuery(rest)
            let slash = beforeQuery.firstIndex(of: "/") ?? beforeQuery.endIndex
            let bucket = String(beforeQuery[..<slash])
            guard !bucket.isEmpty else { throw .invalidConfig("schema URL '\(url)' has no bucket") }
            let key = PhysicalKey.unquote(String(beforeQuery[slash...].dropFirst()))
            var versionId: String?
            for pair in query.split(separator: "&") where !pair.isEmpty {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2, parts[0] == "versionId" else {
                    throw .invalidConfig("unexpected query in the S3 URL '\(url)'")
                }
                let value = PhysicalKey.unquote(parts[1].replacingOccurrences(of: "+", with: " "))
                if versionId == nil { versionId = value }
            }
            self = .s3(bucket: bucket, key: key, versionId: versionId)
        } else if text.hasPrefix("file://") {
            let rest = text.dropFirst("file://".count)
            let slash = rest.firstIndex(of: "/") ?? rest.endIndex
            let host = rest[..<slash]
            guard host.isEmpty || host == "localhost" else { throw .invalidConfig("unexpected host in '\(url)'") }
            let (path, query) = Self.splitQuery(rest[slash...])
            guard !path.isEmpty, query.isEmpty else {
                throw .invalidConfig("'\(url)' is not a file URL quilt3 accepts")
            }
            self = .file(path: PhysicalKey.unquote(String(path)))
        } else {
            throw .invalidConfig("schema URL '\(url)' is neither s3:// nor file://")
        }
    }

    public var isLocal: Bool {
        if case .file = self { return true }
        return false
    }

    /// The same object at the version a read answered (S3 without versioning answers none).
    public func at(versionId: String?) -> ObjectLocation {
        guard case .s3(let bucket, let key, _) = self else { return self }
        return .s3(bucket: bucket, key: key, versionId: versionId)
    }

    /// As quilt3 prints it.
    public var description: String {
        switch self {
        case .s3(let bucket, let key, let versionId): PhysicalKey.s3(bucket: bucket, key: key, versionId: versionId)
        case .file(let path): PhysicalKey.file(path: path)
        }
    }

    private static func splitQuery(_ text: Substring) -> (Substring, Substring) {
        guard let mark = text.firstIndex(of: "?") else { return (text, "") }
        return (text[..<mark], text[text.index(after: mark)...])
    }
}
