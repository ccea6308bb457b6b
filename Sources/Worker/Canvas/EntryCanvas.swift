import Benchling
import Foundation
import Quilt

/// Who the canvas belongs to and where its packages open: everything a view needs besides the data it shows.
public struct EntryCanvas: Sendable {
    public var entryId: String
    public var displayId: String
    public var entryName: String?
    public var package: PackageName
    /// Catalog links when the deployment has a catalog; nil in embedded mode (local paths are shown instead).
    public var links: CatalogLinks?
    /// `registryURL` of the registry, shown in embedded mode.
    public var registryURL: String
    /// The metadata key that links other packages to the entry (`PKG_KEY`).
    public var packageKey: String
    /// The build shown in the footer (`BUILD_VERSION`); nil: no deployment line.
    public var buildVersion: String?

    public init(
        entryId: String, displayId: String, entryName: String?, package: PackageName, links: CatalogLinks?,
        registryURL: String, packageKey: String, buildVersion: String? = nil
    ) {
        self.entryId = entryId
        self.displayId = displayId
        self.entryName = entryName
        self.package = package
        self.links = links
        self.registryURL = registryURL
        self.packageKey = packageKey
        self.buildVersion = buildVersion
    }

    /// The footer's deployment line: `{bucket}@{catalog host} Rev {version}`, or `{registry} Rev {version}` without
    /// a catalog.
    public var deployment: String? {
        guard let buildVersion else { return nil }
        let place = links.map { "\($0.bucket)@\($0.host)" } ?? registryURL
        return "\(place) Rev \(buildVersion)"
    }

    /// The main view's idea of where the entry's own package opens.
    public var location: PackageLocation { location(of: package) }

    func location(of package: PackageName) -> PackageLocation {
        if let links {
            return PackageLocation(
                packageName: package.description, catalogURL: links.packagePage(package),
                quiltSyncURL: links.quiltSyncLink(package))
        }
        return PackageLocation(packageName: package.description, localRegistry: registryURL)
    }

    /// The package as a markdown link (catalog) or code-free text naming the local registry (embedded mode).
    func packageLine(_ package: PackageName, topHash: String?) -> String {
        let revision = topHash.map { " · revision `\($0.prefix(12))`" } ?? ""
        if let links {
            return "Package: " + Markdown.link(package.description, url: links.packagePage(package)) + revision
        }
        return "Package: \(Markdown.escape(package.description)) in \(Markdown.escape(registryURL, maxLength: 300))"
            + revision
    }

    /// A file row: catalog link pinned to the revision shown, or the local path in embedded mode.
    func fileLine(_ file: ListedFile, in package: PackageName, topHash: String) -> String {
        let size = ByteCount.format(file.size)
        if let links {
            let url = links.filePage(package, logicalKey: file.logicalKey, revision: .topHash(topHash))
            return "- " + Markdown.link(file.logicalKey, url: url) + " · " + size
        }
        let name = Markdown.escape(file.logicalKey)
        if let physical = file.physicalKey, physical.hasPrefix("file://") {
            let path = PhysicalKey.unquote(String(physical.dropFirst("file://".count)))
            return "- \(name) · \(size) · \(Markdown.escape(path, maxLength: 300))"
        }
        return "- \(name) · \(size)"
    }
}
