/// Links into the Quilt catalog and QuiltSync for one bucket, as shown on the Benchling canvas.
public struct CatalogLinks: Sendable, Hashable {
    /// Catalog host without scheme, e.g. `quilt.example.com`.
    public let host: String
    public let bucket: String

    /// Accepts a host with or without `https://` and trailing `/`.
    public init(host: String, bucket: String) {
        var host = Substring(host)
        for scheme in ["https://", "http://"] where host.hasPrefix(scheme) { host = host.dropFirst(scheme.count) }
        while host.hasSuffix("/") { host = host.dropLast() }
        self.host = String(host)
        self.bucket = bucket
    }

    /// `latest` or a specific revision's top hash.
    public enum Revision: Sendable, Hashable {
        case latest
        case topHash(String)

        var pathComponent: String {
            switch self {
            case .latest: "latest"
            case .topHash(let hash): hash
            }
        }
    }

    private var base: String { "https://\(host)/b/\(Self.encode(bucket))/packages/" }

    public func packagePage(_ package: PackageName) -> String { base + package.description }

    /// The page of one revision of a package.
    public func revisionPage(_ package: PackageName, revision: Revision) -> String {
        base + package.description + "/tree/" + revision.pathComponent
    }

    /// The page of one file; the logical key keeps its `/` and is percent-encoded otherwise.
    public func filePage(_ package: PackageName, logicalKey: String, revision: Revision = .latest) -> String {
        revisionPage(package, revision: revision) + "/" + PhysicalKey.quote(logicalKey)
    }

    /// The QuiltSync deep link: `https://C/redir/` + the percent-encoded `quilt+s3://` URI.
    public func quiltSyncLink(_ package: PackageName, revision: Revision = .latest, logicalKey: String? = nil) -> String
    {
        "https://\(host)/redir/" + Self.encode(quiltURI(package, revision: revision, logicalKey: logicalKey))
    }

    /// `quilt+s3://B#package=P:latest&catalog=C` (`P@tophash` for a revision, `&path=` for a file).
    public func quiltURI(_ package: PackageName, revision: Revision = .latest, logicalKey: String? = nil) -> String {
        let packagePart: String
        switch revision {
        case .latest: packagePart = package.description + ":latest"
        case .topHash(let hash): packagePart = package.description + "@" + hash
        }
        var uri = "quilt+s3://\(bucket)#package=\(packagePart)&catalog=\(host)"
        if let logicalKey { uri += "&path=" + PhysicalKey.quote(logicalKey) }
        return uri
    }

    /// Encodes everything but RFC 3986 unreserved characters (like `encodeURIComponent`, stricter).
    static func encode(_ text: String) -> String { PhysicalKey.quote(text, safe: "") }
}
