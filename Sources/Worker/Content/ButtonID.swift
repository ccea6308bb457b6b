/// What a canvas button does, encoded in its id so that a click carries everything needed to handle it
/// (no server-side session state). Format: `quilt:<action>:<entry id>[:<page>]`.
public struct ButtonID: Sendable, Equatable, CustomStringConvertible {
    public enum Action: Sendable, Equatable {
        case update
        case browse(page: Int)
        case metadata
        case back
    }

    public let action: Action
    public let entryId: String

    public init(_ action: Action, entryId: String) {
        self.action = action
        self.entryId = entryId
    }

    public var description: String {
        switch action {
        case .update: return "quilt:update:\(entryId)"
        case .browse(let page): return "quilt:browse:\(entryId):\(page)"
        case .metadata: return "quilt:metadata:\(entryId)"
        case .back: return "quilt:back:\(entryId)"
        }
    }

    /// Strict parse: anything that is not exactly one of the encoded forms is nil (the caller re-renders the main
    /// view rather than failing).
    public init?(parsing id: String) {
        let parts = id.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 3, parts[0] == "quilt", Self.isEntryId(parts[2]) else { return nil }
        switch (parts[1], parts.count) {
        case ("update", 3): action = .update
        case ("metadata", 3): action = .metadata
        case ("back", 3): action = .back
        case ("browse", 4):
            guard let page = Int(parts[3]), page >= 0, page < 1_000_000, String(page) == parts[3] else { return nil }
            action = .browse(page: page)
        default: return nil
        }
        entryId = parts[2]
    }

    static func isEntryId(_ text: String) -> Bool {
        text.hasPrefix("etr_") && text.count <= 64
            && text.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 95 }
    }
}
