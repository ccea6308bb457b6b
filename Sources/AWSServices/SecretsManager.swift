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
            throw AWSClientError(
                .invalidResponse, service: "secretsmanager", operation: "GetSecretValue",
                detail: "response lacks ARN/Name")
        }
        return SecretValue(
            arn: arn, name: name, secretString: response["SecretString"]?.stringValue,
            versionId: response["VersionId"]?.stringValue)
    }
}

extension SecretsManager {
    /// What `DescribeSecret` says about a secret; no value is transferred or decrypted.
    public struct SecretDescription: Sendable, Equatable {
        public var arn: String
        public var name: String
        /// The version labelled `AWSCURRENT`: what `GetSecretValue` would return now.
        public var currentVersionId: String?
    }

    /// `DescribeSecret` for a name or ARN: a cheap way to learn whether the current version changed.
    public func describeSecret(secretId: String) async throws -> SecretDescription {
        let response = try await client.jsonRequest(
            service: "secretsmanager", target: "secretsmanager.DescribeSecret",
            body: ["SecretId": .string(secretId)])
        guard let arn = response["ARN"]?.stringValue, let name = response["Name"]?.stringValue else {
            throw AWSClientError(
                .invalidResponse, service: "secretsmanager", operation: "DescribeSecret",
                detail: "response lacks ARN/Name")
        }
        var current: String?
        if case .object(let stages)? = response["VersionIdsToStages"] {
            for (versionId, labels) in stages where labels.arrayValue?.contains(.string("AWSCURRENT")) == true {
                current = versionId
            }
        }
        return SecretDescription(arn: arn, name: name, currentVersionId: current)
    }
}
