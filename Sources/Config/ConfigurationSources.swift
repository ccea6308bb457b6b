/// Where the secret's JSON text comes from. Production reads Secrets Manager; the embedded default a file.
public protocol SecretSource: Sendable {
    /// The secret's text and version. `reference` is a name, an ARN or a `file://` URL, as given in
    /// `BenchlingSecret`.
    func secretString(reference: String) async throws(SourceFailure) -> SecretText

    /// The id of the version `secretString` would return now, read without fetching the value where the
    /// source allows (a refresh skips all other work while it is unchanged).
    func currentVersion(reference: String) async throws(SourceFailure) -> String?
}

/// A secret's text and the id of the version it came from (nil when the source has no versions).
public struct SecretText: Sendable, Hashable {
    public let text: String
    public let versionId: String?

    public init(text: String, versionId: String?) {
        self.text = text
        self.versionId = versionId
    }
}

/// Where the stack's outputs come from (CloudFormation `DescribeStacks`).
public protocol StackSource: Sendable {
    func describe(stack: StackARN) async throws(SourceFailure) -> StackDescription
}

/// What configuration needs from a stack.
public struct StackDescription: Sendable, Hashable {
    public let status: String?
    public let outputs: [String: String]
    public let parameters: [String: String]

    public init(status: String? = nil, outputs: [String: String], parameters: [String: String] = [:]) {
        self.status = status
        self.outputs = outputs
        self.parameters = parameters
    }
}

/// Why a source could not deliver; the resolver turns it into a `ConfigurationProblem`.
public enum SourceFailure: Error, Sendable, Hashable {
    /// The secret or stack does not exist (or is not visible to these credentials in this region).
    case notFound(detail: String)
    /// The credentials may not call `action` (e.g. `secretsmanager:GetSecretValue`).
    case accessDenied(action: String, detail: String)
    /// The credentials themselves were refused (bad signature, unknown or expired key).
    case credentialsRejected(detail: String)
    /// The thing exists but cannot be used as it is (a binary secret, a secret pending deletion).
    case unusable(detail: String)
    /// Anything else: network, throttling, an unexpected answer; retrying may help.
    /// `detail` must not contain secret values.
    case unavailable(detail: String)
}
