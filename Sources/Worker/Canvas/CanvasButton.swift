import Quilt

/// A canvas button, encoded in its id so that a click carries everything needed to handle it (no server-side
/// session state). The one place button ids are built and parsed.
///
/// The entry's own buttons are `quilt:<update|metadata|back>:<entry id>` and `quilt:browse:<entry id>:<page>`;
/// the Browse buttons of linked packages `quilt:linked:<entry id>:<page>:<prefix>/<name>`, their View Metadata
/// buttons `quilt:linked-metadata:<entry id>:<prefix>/<name>`.
///
/// The linked form names the package itself rather than an index into the lookup's result, so a click needs one
/// manifest read instead of repeating the lookup, and a list that changed between render and click cannot send
/// the user to the wrong package. The handler still checks that the package is linked to the entry.
public struct CanvasButton: Sendable, Equatable, CustomStringConvertible {
    public enum Action: Sendable, Equatable {
        /// Update Package: export and package the entry again. The only press that writes anything.
        case update
        case browse(page: Int)
        case metadata
        /// Back to the main view.
        case back
        /// Browse a package linked to the entry.
        case linkedBrowse(PackageName, page: Int)
        /// View Metadata of a package linked to the entry.
        case linkedMetadata(PackageName)
    }

    public let action: Action
    public let entryId: String

    /// Ids longer than this are not rendered (a linked package then gets a link only): Benchling stores block ids
    /// as short strings.
    public static let maxLength = 200

    public init(_ action: Action, entryId: String) {
        self.action = action
        self.entryId = entryId
    }

    public var description: String {
        switch action {
        case .update: "quilt:update:\(entryId)"
        case .browse(let page): "quilt:browse:\(entryId):\(page)"
        case .metadata: "quilt:metadata:\(entryId)"
        case .back: "quilt:back:\(entryId)"
        case .linkedBrowse(let package, let page): "quilt:linked:\(entryId):\(page):\(package)"
        case .linkedMetadata(let package): "quilt:linked-metadata:\(entryId):\(package)"
        }
    }

    /// The id to render, or nil when it would be longer than `maxLength` (only a linked package's can be).
    public var renderableId: String? {
        let id = description
        return id.utf8.count <= Self.maxLength ? id : nil
    }

    /// Whether pressing it packages the entry. Every other press (and an id this worker cannot parse) only shows a
    /// view (`CanvasInteraction`), never starting an export.
    public var packages: Bool { action == .update }

    /// Strict: exactly one of the rendered forms, a canonical page number, a valid entry id and package name; nil
    /// otherwise (the caller re-renders the main view rather than failing).
    public init?(parsing id: String) {
        guard id.utf8.count <= Self.maxLength else { return nil }
        let parts = id.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 3, parts[0] == "quilt", Self.isEntryId(parts[2]) else { return nil }
        switch (parts[1], parts.count) {
        case ("update", 3): action = .update
        case ("metadata", 3): action = .metadata
        case ("back", 3): action = .back
        case ("browse", 4):
            guard let page = Self.page(parts[3]) else { return nil }
            action = .browse(page: page)
        case ("linked", 5):
            guard let page = Self.page(parts[3]), let package = try? PackageName(parts[4]) else { return nil }
            action = .linkedBrowse(package, page: page)
        case ("linked-metadata", 4):
            guard let package = try? PackageName(parts[3]) else { return nil }
            action = .linkedMetadata(package)
        default: return nil
        }
        entryId = parts[2]
    }

    static func isEntryId(_ text: String) -> Bool {
        text.hasPrefix("etr_") && text.count <= 64
            && text.utf8.allSatisfy {
                ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 95
            }
    }

    /// A canonical non-negative decimal (no sign, no leading zeros) below a million.
    static func page(_ text: String) -> Int? {
        guard let page = Int(text), page >= 0, page < 1_000_000, String(page) == text else { return nil }
        return page
    }
}
