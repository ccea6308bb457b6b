/// What a canvas button press asks the worker to do, parsed from the button id (`ButtonID`, which carries the
/// action and entry so a click needs no stored state).
///
/// Today every press packages the canvas's entry again; the browse and metadata views of the canvas plug in here
/// as their own cases, and `PackagingPipeline` dispatches on them.
public enum ButtonAction: Sendable, Equatable {
    /// Update Package (and, until those views exist, every other known button).
    case updatePackage(entryId: String?)
    /// An id this worker cannot parse; treated as an update so the user's click is never lost.
    case unknown(buttonId: String)

    public init(buttonId: String) {
        if let parsed = ButtonID(parsing: buttonId) {
            switch parsed.action {
            case .update, .browse, .metadata, .back: self = .updatePackage(entryId: parsed.entryId)
            }
        } else {
            self = .unknown(buttonId: buttonId)
        }
    }

    /// The entry id the button carries, when it carries one.
    public var entryId: String? {
        if case .updatePackage(let entryId) = self { return entryId }
        return nil
    }
}
