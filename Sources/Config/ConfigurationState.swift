import Foundation

/// Where a process stands with its configuration (see `ConfigurationLoop`).
public enum ConfigurationState: Sendable {
    /// Nothing is in use yet; the first attempt is running.
    case resolving
    /// Nothing is in use yet: the last attempt failed, the next is due at `nextAttempt`.
    case unusable(ConfigurationError, failures: Int, nextAttempt: Date)
    /// `configuration` is in use and is what the secret holds now.
    case current(Configuration)
    /// `configuration` is still in use, but the secret's newer content could not be used: `problem` says why.
    case stale(Configuration, problem: ConfigurationError, since: Date)

    /// The configuration in use, if any.
    public var configuration: Configuration? {
        switch self {
        case .current(let configuration), .stale(let configuration, _, _): configuration
        case .resolving, .unusable: nil
        }
    }

    public var isStale: Bool {
        if case .stale = self { return true }
        return false
    }

    /// Why the newest secret is not in use, naming keys and fixes but no value; nil unless stale.
    public var staleReason: (reason: String, action: String)? {
        guard case .stale(_, let problem, _) = self else { return nil }
        return (
            problem.problems.map(\.messageWithoutValue).joined(separator: "; "),
            problem.problems.map(\.fix).joined(separator: "; ")
        )
    }
}
