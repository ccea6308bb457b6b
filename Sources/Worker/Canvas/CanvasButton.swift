import Quilt

/// Every button id the canvas renders: the entry's own buttons (`ButtonID`) plus Browse buttons of linked
/// packages, `quilt:linked:<entry id>:<page>:<prefix>/<name>`, and their View Metadata buttons,
/// `quilt:linked-metadata:<entry id>:<prefix>/<name>`.
///
/// The linked form names the package itself rather than an index into the lookup's result, so a click needs one
/// manifest read instead of repeating the lookup, and a list that changed between render and click cannot send
/// the user to the wrong package. The handler still checks that the package is linked to the entry.
public enum CanvasButton: Sendable, Equatable, CustomStringConvertible {
    case own(ButtonID)
    case linked(entryId: String, package: PackageName, page: Int)
    case linkedMetadata(entryId: String, package: PackageName)

    /// Ids longer than this are not rendered (the linked package then gets a link only): Benchling stores block
    /// ids as short strings.
    public static let maxLength = 200

    public var entryId: String {
        switch self {
        case .own(let id): return id.entryId
        case .linked(let entryId, _, _), .linkedMetadata(let entryId, _): return entryId
        }
    }

    public var description: String {
        switch self {
        case .own(let id): return id.description
        case .linked(let entryId, let package, let page): return "quilt:linked:\(entryId):\(page):\(package)"
        case .linkedMetadata(let entryId, let package): return "quilt:linked-metadata:\(entryId):\(package)"
        }
    }

    /// Strict: exactly one of the rendered forms, canonical page numbers, valid entry id and package name.
    public init?(parsing id: String) {
        guard id.utf8.count <= Self.maxLength else { return nil }
        if let own = ButtonID(parsing: id) {
            self = .own(own)
            return
        }
        let parts = id.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        if parts.count == 4, parts[0] == "quilt", parts[1] == "linked-metadata", ButtonID.isEntryId(parts[2]),
            let package = try? PackageName(parts[3])
        {
            self = .linkedMetadata(entryId: parts[2], package: package)
            return
        }
        guard parts.count == 5, parts[0] == "quilt", parts[1] == "linked", ButtonID.isEntryId(parts[2]),
            let page = Self.page(parts[3]), let package = try? PackageName(parts[4])
        else { return nil }
        self = .linked(entryId: parts[2], package: package, page: page)
    }

    /// A canonical non-negative decimal (no sign, no leading zeros) below a million.
    static func page(_ text: String) -> Int? {
        guard let page = Int(text), page >= 0, page < 1_000_000, String(page) == text else { return nil }
        return page
    }

    /// The id of a linked package's View Metadata button, or nil when it would be too long to render.
    static func linkedMetadataId(entryId: String, package: PackageName) -> String? {
        let id = CanvasButton.linkedMetadata(entryId: entryId, package: package).description
        return id.utf8.count <= maxLength ? id : nil
    }

    /// The id of a linked package's Browse button, or nil when it would be too long to render.
    static func linkedBrowse(entryId: String, package: PackageName, page: Int) -> String? {
        let id = CanvasButton.linked(entryId: entryId, package: package, page: page).description
        return id.utf8.count <= maxLength ? id : nil
    }
}
