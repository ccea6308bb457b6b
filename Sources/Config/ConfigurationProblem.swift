/// One reason configuration cannot be used: which input or secret key, what is wrong, and how to fix it.
///
/// Messages never contain the values of `CLIENT_ID` or `CLIENT_SECRET` (only their type or length). Other
/// values are not secrets, and echoing a bad one (`got "LOUD"`) is what makes a message actionable, so they
/// are quoted, shortened to 80 characters.
public struct ConfigurationProblem: Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is; the receiver uses it to tell retryable from fix-required states.
    public enum Kind: String, Sendable, Hashable {
        /// An input environment variable is not set.
        case missingInput
        /// An input is set but not of the accepted form.
        case malformedInput
        /// The secret or stack does not exist.
        case notFound
        /// The credentials in use may not perform the call.
        case accessDenied
        /// AWS could not be reached or answered with an unexpected error; retrying may help.
        case unavailable
        /// The secret's text is not a usable JSON object.
        case invalidSecret
        /// A secret key is missing or has a value that fails validation.
        case invalidValue
    }

    /// The environment variable (`QuiltStackARN`, `BenchlingSecret`) or secret key (`LOG_LEVEL`) concerned.
    public let key: String
    public let kind: Kind
    /// What is wrong, e.g. `expected one of DEBUG, INFO, WARNING, ERROR, CRITICAL, got "LOUD"`.
    public let what: String
    /// What the operator should do about it.
    public let fix: String
    /// Whether `what` quotes the value found (`got "LOUD"`).
    public let quotesValue: Bool

    public init(key: String, kind: Kind, what: String, fix: String, quotesValue: Bool = false) {
        self.key = key
        self.kind = kind
        self.what = what
        self.fix = fix
        self.quotesValue = quotesValue
    }

    /// `KEY: what` — one line, the form tests and logs use.
    public var message: String { "\(key): \(what)" }

    /// `message` without the value found: what a running service logs about a refreshed secret, which names
    /// keys and fixes but never what an operator typed.
    public var messageWithoutValue: String { quotesValue ? "\(key): not a valid value" : message }

    /// `KEY: what (fix: …)`.
    public var description: String { "\(message) (fix: \(fix))" }

    /// A value quoted for a message, shortened so a pasted blob does not flood the log.
    static func quoted(_ value: String) -> String {
        var text = value
        if text.count > 80 { text = String(text.prefix(77)) + "..." }
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            default:
                escaped += scalar.value < 0x20 ? "\\u{\(String(scalar.value, radix: 16))}" : String(scalar)
            }
        }
        return "\"\(escaped)\""
    }
}

/// Configuration could not be resolved; `problems` lists every reason at once.
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    public let problems: [ConfigurationProblem]
    /// The secret version that was read, when the secret itself could be read.
    public var secretVersion: String?

    public init(problems: [ConfigurationProblem], secretVersion: String? = nil) {
        self.problems = problems
        self.secretVersion = secretVersion
    }

    /// One line per problem, `KEY: what`.
    public var messages: [String] { problems.map(\.message) }

    /// Whether every problem may go away without an operator (AWS unreachable), so retrying makes sense.
    public var isTransient: Bool { !problems.isEmpty && problems.allSatisfy { $0.kind == .unavailable } }

    /// One line for health answers: the first problem, and how many more there are.
    public var summary: String {
        guard let first = problems.first else { return "configuration is not usable" }
        let more = problems.count > 1 ? " (and \(problems.count - 1) more)" : ""
        return first.message + more
    }

    public var description: String {
        let header = "configuration is not usable (\(problems.count) problem\(problems.count == 1 ? "" : "s")):"
        return ([header] + problems.map { "  \($0.description)" }).joined(separator: "\n")
    }
}
