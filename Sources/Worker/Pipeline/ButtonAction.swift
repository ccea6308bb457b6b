/// What a canvas button press asks the worker to do, parsed from the button id (`CanvasButton`, which carries
/// the action, entry, page and — for linked packages — the package, so a click needs no stored state).
///
/// Only Update Package packages; every other press (Browse, View Metadata, Back, linked Browse) and every id this
/// worker cannot parse only renders a view (`CanvasInteraction`), never starting an export.
public enum ButtonAction: Sendable, Equatable {
    /// Update Package: export and package the entry again.
    case updatePackage(entryId: String?)
    /// A view of the canvas (Browse, Metadata, Back, linked Browse): rendered from the registry, nothing written.
    case showView(CanvasButton)
    /// An id this worker cannot parse (malformed, or from another app version): the main view is re-rendered,
    /// so the press still re-enables the canvas.
    case unknown(buttonId: String)

    public init(buttonId: String) {
        switch CanvasButton(parsing: buttonId) {
        case .own(let id)? where id.action == .update: self = .updatePackage(entryId: id.entryId)
        case let button?: self = .showView(button)
        case nil: self = .unknown(buttonId: buttonId)
        }
    }

    /// The entry id the button carries, when it carries one.
    public var entryId: String? {
        switch self {
        case .updatePackage(let entryId): return entryId
        case .showView(let button): return button.entryId
        case .unknown: return nil
        }
    }

    /// Whether the press packages the entry (as opposed to only showing a view).
    public var packages: Bool {
        if case .updatePackage = self { return true }
        return false
    }
}
