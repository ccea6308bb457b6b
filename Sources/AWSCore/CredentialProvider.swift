import Foundation

/// Supplies credentials for signing. Implementations cache and refresh as they need; callers ask before every
/// request (cheap for cached providers), so rotated credentials are picked up without restarting.
public protocol CredentialProvider: Sendable {
    func credentials() async throws -> AWSCredentials
}

/// Why no credentials could be obtained.
public struct CredentialProviderError: Error, Sendable, CustomStringConvertible {
    public var provider: String
    public var reason: String

    public init(provider: String, reason: String) {
        self.provider = provider
        self.reason = reason
    }

    public var description: String { "\(provider): \(reason)" }
}

/// Fixed credentials (tests, or keys passed explicitly).
public struct StaticCredentialProvider: CredentialProvider {
    public let value: AWSCredentials

    public init(_ credentials: AWSCredentials) { value = credentials }

    public init(accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil) {
        value = AWSCredentials(accessKeyId: accessKeyId, secretAccessKey: secretAccessKey, sessionToken: sessionToken)
    }

    public func credentials() async throws -> AWSCredentials { value }
}

/// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and optional `AWS_SESSION_TOKEN`, as the AWS SDKs read them.
/// Printing it never shows the environment (it holds the secret key).
public struct EnvironmentCredentialProvider: CredentialProvider, CustomStringConvertible, CustomDebugStringConvertible {
    public let environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    public var description: String { "EnvironmentCredentialProvider(configured: \(isConfigured))" }
    public var debugDescription: String { description }

    /// True when the variables are set, so a chain can choose this provider without calling it.
    public var isConfigured: Bool {
        !(environment["AWS_ACCESS_KEY_ID"] ?? "").isEmpty && !(environment["AWS_SECRET_ACCESS_KEY"] ?? "").isEmpty
    }

    public func credentials() async throws -> AWSCredentials {
        guard let key = environment["AWS_ACCESS_KEY_ID"], !key.isEmpty,
            let secret = environment["AWS_SECRET_ACCESS_KEY"], !secret.isEmpty
        else {
            throw CredentialProviderError(
                provider: "environment",
                reason: "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set")
        }
        let token = environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        return AWSCredentials(accessKeyId: key, secretAccessKey: secret, sessionToken: token)
    }
}

/// The SDKs' default order for a container: environment variables, then the ECS task-role endpoint.
/// The provider is chosen once, at the first call, from which variables are set, so an error from the chosen
/// provider (e.g. the endpoint being down) is reported as such instead of being masked by a fallback.
public actor CredentialProviderChain: CredentialProvider {
    private let environment: [String: String]
    private let makeContainerProvider: @Sendable () -> ContainerCredentialProvider?
    private var chosen: (any CredentialProvider)?

    /// - Parameter containerProvider: builds the container provider from the environment (injectable so that
    ///   the HTTP client and timeouts can be shared).
    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        containerProvider: (@Sendable () -> ContainerCredentialProvider?)? = nil
    ) {
        self.environment = environment
        self.makeContainerProvider = containerProvider ?? { ContainerCredentialProvider(environment: environment) }
    }

    public func credentials() async throws -> AWSCredentials {
        if let chosen { return try await chosen.credentials() }
        let env = EnvironmentCredentialProvider(environment: environment)
        let provider: any CredentialProvider
        if env.isConfigured {
            provider = env
        } else if let container = makeContainerProvider() {
            provider = container
        } else {
            throw CredentialProviderError(
                provider: "chain",
                reason: "no credentials: set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run with an ECS task role "
                    + "(AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or AWS_CONTAINER_CREDENTIALS_FULL_URI)")
        }
        chosen = provider
        return try await provider.credentials()
    }
}
