import AWSCore
import Foundation
import JSONCore

/// AWS Secrets Manager (JSON 1.1). A missing secret throws `AWSError` with code `ResourceNotFoundException`
/// (moto answers it with HTTP 404, AWS with 400: match on the code).
public struct SecretsManager: Sendable {
    public let client: AWSClient

    public init(client: AWSClient) { self.client = client }

    /// A secret's current value.
    public struct SecretValue: Sendable, Equatable {
        public var arn: String
        public var name: String
        public var secretString: String?
        public var versionId: String?
    }

    /// `GetSecretValue` for a name or ARN (current version).
    public func getSecretValue(secretId: String) async throws -> SecretValue {
        let response = try await client.jsonRequest(
            service: "secretsmanager", target: "secretsmanager.GetSecretValue",
            body: ["SecretId": .string(secretId)])
        guard let arn = response["ARN"]?.stringValue, let name = response["Name"]?.stringValue else {
            throw AWSClientError(.invalidResponse, service: "secretsmanager", operation: "GetSecretValue",
                                 detail: "response lacks ARN/Name")
        }
        return SecretValue(arn: arn, name: name, secretString: response["SecretString"]?.stringValue,
                           versionId: response["VersionId"]?.stringValue)
    }
}
