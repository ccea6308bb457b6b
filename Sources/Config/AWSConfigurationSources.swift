import AWSCore
import AWSServices

/// Reads the secret with Secrets Manager `GetSecretValue`.
public struct SecretsManagerSecretSource: SecretSource {
    public let client: AWSClient

    public init(client: AWSClient) {
        self.client = client
    }

    public func secretString(reference: String) async throws(SourceFailure) -> SecretText {
        let value: SecretsManager.SecretValue
        do {
            value = try await SecretsManager(client: client).getSecretValue(secretId: reference)
        } catch {
            throw AWSFailureMapping.map(error, notFoundCodes: ["ResourceNotFoundException"])
        }
        guard let text = value.secretString else {
            throw .unusable(detail: "it holds binary data (SecretBinary), not a JSON SecretString")
        }
        return SecretText(text: text, versionId: value.versionId)
    }

    /// `DescribeSecret`'s `AWSCURRENT` version: no value leaves Secrets Manager and nothing is decrypted.
    public func currentVersion(reference: String) async throws(SourceFailure) -> String? {
        do {
            return try await SecretsManager(client: client).describeSecret(secretId: reference).currentVersionId
        } catch {
            throw AWSFailureMapping.map(error, notFoundCodes: ["ResourceNotFoundException"])
        }
    }
}

/// Reads the stack's outputs with CloudFormation `DescribeStacks`.
public struct CloudFormationStackSource: StackSource {
    public let client: AWSClient

    public init(client: AWSClient) {
        self.client = client
    }

    public func describe(stack: StackARN) async throws(SourceFailure) -> StackDescription {
        let stacks: [CloudFormation.Stack]
        do {
            stacks = try await CloudFormation(client: client).describeStacks(stackName: stack.description)
        } catch let error as AWSError where error.code == "ValidationError" && error.message.contains("does not exist")
        {
            throw .notFound(detail: "")
        } catch {
            throw AWSFailureMapping.map(error, notFoundCodes: [])
        }
        guard let found = stacks.first else { throw .notFound(detail: "") }
        return StackDescription(status: found.status, outputs: found.outputs, parameters: found.parameters)
    }
}

/// AWS errors → `SourceFailure`. AWS messages name resources and actions, never secret values.
enum AWSFailureMapping {
    static func map(_ error: any Error, notFoundCodes: Set<String>) -> SourceFailure {
        switch error {
        case let error as AWSError:
            if notFoundCodes.contains(error.code) { return .notFound(detail: error.message) }
            if error.isAccessDenied { return .accessDenied(action: error.iamAction, detail: "") }
            if error.isAuthenticationFailure {
                return .credentialsRejected(detail: "\(error.code) calling \(error.iamAction)")
            }
            if ["InvalidRequestException", "DecryptionFailure", "InvalidParameterException"].contains(error.code) {
                return .unusable(detail: "\(error.code): \(error.message)")
            }
            return .unavailable(detail: "\(error.code) (HTTP \(error.statusCode)): \(error.message)")
        case let error as AWSClientError:
            return .unavailable(detail: error.description)
        case let error as CredentialProviderError:
            return .unavailable(detail: "no AWS credentials: \(error.description)")
        default:
            return .unavailable(detail: String(describing: error))
        }
    }
}
