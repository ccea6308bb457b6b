import AWSCore
import Foundation
import TestSupport

/// The shared moto helpers (TestSupport) with this target's defaults: few, quick retries and a short connect
/// timeout, so failure cases fail fast.
struct Moto {
    let environment: TestEnvironment
    /// Creates resources with the admin key.
    let seeder: MotoSeeder

    init() throws {
        environment = try TestEnvironment.load()
        seeder = MotoSeeder(environment)
    }

    static let retry = RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(50))
    static let timeouts = AWSClient.Timeouts(connect: .seconds(5), read: .seconds(30), request: .seconds(120))

    /// Runs `body` with a client and shuts it down afterwards.
    func with<T>(
        _ credentials: TestEnvironment.Credentials, secretOverride: String? = nil,
        _ body: (AWSClient) async throws -> T
    ) async throws -> T {
        try await environment.withAWSClient(
            credentials, secretOverride: secretOverride, retry: Self.retry, timeouts: Self.timeouts, body)
    }

    func createBucket(_ bucket: String, versioned: Bool = false) async throws {
        try await seeder.createBucket(name: bucket, versioned: versioned)
    }

    /// CreateQueue; returns the queue URL.
    func createQueue(name: String, attributes: [String: String]) async throws -> String {
        try await seeder.createQueue(name: name, attributes: attributes)
    }
}
