/// What differs between the configuration in use and a newly resolved one, by setting, with credentials masked:
/// the content of the log line written when a refreshed configuration is applied.
public struct ConfigurationChanges: Sendable, Equatable, CustomStringConvertible {
    public struct Change: Sendable, Equatable {
        /// The secret key or summary line (`WEBHOOK_ALLOW_LIST`, `  catalog host` trimmed to `catalog host`).
        public let name: String
        public let from: String
        public let to: String
    }

    public let changes: [Change]

    /// Compares every setting of the masked summary; the credentials by value, as two different secrets of the
    /// same length mask alike. The secret's version and read time are not settings.
    public init(from old: Configuration, to new: Configuration) {
        var changes: [Change] = []
        let before = ConfigurationSummary(old).settings
        let after = ConfigurationSummary(new).settings
        for (index, setting) in after.enumerated() where index < before.count {
            let name = setting.name.trimmingBlanks()
            guard name != "secret version" else { continue }
            if before[index].value != setting.value {
                changes.append(Change(name: String(name), from: before[index].value, to: setting.value))
            }
        }
        for key in [SecretKey.clientId, .clientSecret] {
            let (was, now) =
                key == .clientId
                ? (old.clientId, new.clientId) : (old.clientSecret, new.clientSecret)
            if was != now, !changes.contains(where: { $0.name == key.rawValue }) {
                changes.append(
                    Change(
                        name: key.rawValue, from: ConfigurationSummary.mask(was), to: ConfigurationSummary.mask(now)))
            }
        }
        if changes.isEmpty, old.stackOutputs != new.stackOutputs {
            changes.append(
                Change(
                    name: "stack outputs", from: "\(old.stackOutputs.count) outputs",
                    to: "\(new.stackOutputs.count) outputs"))
        }
        self.changes = changes
    }

    public var isEmpty: Bool { changes.isEmpty }

    /// The names of what changed, in summary order.
    public var names: [String] { changes.map(\.name) }

    /// `NAME: old → new` per change, values masked like the summary's.
    public var description: String {
        changes.map { "\($0.name): \($0.from) → \($0.to)" }.joined(separator: "; ")
    }
}
