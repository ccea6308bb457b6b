/// The two configuration inputs as read from the process environment.
///
/// Both spellings are accepted: the CloudFormation-style `QuiltStackARN`/`BenchlingSecret` the ops template
/// sets, and the conventional upper-case `QUILT_STACK_ARN`/`BENCHLING_SECRET`. Blank values count as unset.
public struct ConfigurationInputs: Sendable, Hashable {
    public static let stackVariable = "QuiltStackARN"
    public static let stackVariableAlias = "QUILT_STACK_ARN"
    public static let secretVariable = "BenchlingSecret"
    public static let secretVariableAlias = "BENCHLING_SECRET"

    /// The stack ARN text, unparsed; nil when neither variable is set.
    public let stackARN: String?
    /// The secret's name, ARN or `file:///…` URL; nil when neither variable is set.
    public let secret: String?

    public init(stackARN: String?, secret: String?) {
        self.stackARN = stackARN
        self.secret = secret
    }

    /// Reads both inputs from `environment`, preferring the CloudFormation-style names.
    public init(environment: [String: String]) {
        func read(_ names: String...) -> String? {
            for name in names {
                if let value = environment[name]?.trimmingBlanks(), !value.isEmpty { return String(value) }
            }
            return nil
        }
        self.init(
            stackARN: read(Self.stackVariable, Self.stackVariableAlias),
            secret: read(Self.secretVariable, Self.secretVariableAlias))
    }
}
