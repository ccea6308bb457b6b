import Foundation
import Logging

/// Builds every `AWSClient` of the project from the process environment: credentials from the standard chain,
/// `AWS_ENDPOINT_URL` (an emulator) as the SDKs read it, the timeouts and retries of a named `AWSClientProfile`,
/// and the region by one rule (`region(resource:stack:)`).
public struct AWSClientFactory: Sendable {
    public let environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// The region a client talks to, first found of:
    /// 1. `resource`: the region the address of the resource the client is for names (a secret's or stack's ARN,
    ///    an SQS queue URL's host). A resource can only be reached in its own region, whatever else is set.
    /// 2. `AWS_REGION`, then `AWS_DEFAULT_REGION` (the AWS SDKs' order).
    /// 3. `stack`: the Quilt stack's region (from its ARN).
    ///
    /// Nil when none is known; `regionOrDefault` adds us-east-1 for clients built before anything is known to
    /// need AWS.
    public func region(resource: AWSRegion? = nil, stack: AWSRegion? = nil) -> AWSRegion? {
        resource ?? AWSRegion.fromEnvironment(environment) ?? stack
    }

    /// `region(resource:stack:)`, else `us-east-1`. For clients that must exist even when nothing may call AWS
    /// (the worker on an embedded queue and a local registry, operator commands): a missing region then shows as
    /// the first call failing, not as a process that cannot start.
    public func regionOrDefault(resource: AWSRegion? = nil, stack: AWSRegion? = nil) -> AWSRegion {
        region(resource: resource, stack: stack) ?? Self.defaultRegion
    }

    public static let defaultRegion: AWSRegion = "us-east-1"

    /// A client with its own connection pool; the caller shuts it down.
    public func client(
        _ profile: AWSClientProfile, region: AWSRegion, logger: Logger = Logger(label: "aws")
    )
        -> AWSClient
    {
        AWSClient(
            region: region, credentialProvider: CredentialProviderChain(environment: environment),
            endpoints: .fromEnvironment(environment), retryPolicy: profile.retryPolicy, timeouts: profile.timeouts,
            connectionsPerHost: profile.connectionsPerHost, logger: logger)
    }
}
