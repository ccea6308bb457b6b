import Foundation
import Testing

@testable import AWSCore

@Suite(.timeLimit(.minutes(2))) struct CredentialProviderTests {
    @Test func environmentProviderReadsTheSDKVariables() async throws {
        let provider = EnvironmentCredentialProvider(environment: [
            "AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "SECRET", "AWS_SESSION_TOKEN": "TOKEN",
        ])
        let credentials = try await provider.credentials()
        #expect(credentials == AWSCredentials(accessKeyId: "AKID", secretAccessKey: "SECRET", sessionToken: "TOKEN"))
        await #expect(throws: CredentialProviderError.self) {
            try await EnvironmentCredentialProvider(environment: ["AWS_ACCESS_KEY_ID": "AKID"]).credentials()
        }
        #expect(!credentials.description.contains("SECRET"))
    }

    @Test func containerProviderNeedsTheECSVariables() {
        #expect(ContainerCredentialProvider(environment: [:]) == nil)
        let relative = ContainerCredentialProvider(environment: [
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/creds/x"
        ])
        #expect(relative?.endpoint.absoluteString == "http://169.254.170.2/v2/creds/x")
    }

    /// The ECS endpoint stand-in serves what ECS serves; the provider must send the authorization token from the
    /// token file, cache, refresh before expiry and make one call for many concurrent callers.
    @Test func containerProviderFetchesCachesAndRefreshesOnce() async throws {
        let counter = Counter()
        let server = try LoopbackHTTPServer { request, index in
            usleep(100_000)  // slow enough that concurrent callers overlap
            guard request.headers["authorization"] == "Bearer file-token" else {
                return .init(status: 401, body: Data(#"{"message":"bad token"}"#.utf8))
            }
            let expiry = ISO8601DateFormatter().string(from: counter.expiry(for: index))
            let json =
                #"{"AccessKeyId":"ASIA\#(index)","SecretAccessKey":"secret\#(index)","Token":"token\#(index)","#
                + #""Expiration":"\#(expiry)","RoleArn":"arn:aws:iam::123456789012:role/task"}"#
            return .init(status: 200, headers: [("Content-Type", "application/json")], body: Data(json.utf8))
        }
        defer { server.stop() }
        let tokenFile = FileManager.default.temporaryDirectory.appendingPathComponent("ecs-token-\(UUID().uuidString)")
        try "Bearer file-token\n".write(to: tokenFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: tokenFile) }

        let provider = try #require(
            ContainerCredentialProvider(environment: [
                "AWS_CONTAINER_CREDENTIALS_FULL_URI": server.baseURL + "/creds",
                "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile.path,
                "AWS_CONTAINER_AUTHORIZATION_TOKEN": "Bearer ignored-when-file-set",
            ]))
        // First fetch: expiry only 2 minutes ahead, inside the 5-minute refresh margin.
        counter.set(firstExpiry: Date().addingTimeInterval(120))
        let concurrent = try await withThrowingTaskGroup(of: AWSCredentials.self) { group in
            for _ in 0..<8 { group.addTask { try await provider.credentials() } }
            return try await group.reduce(into: [AWSCredentials]()) { $0.append($1) }
        }
        #expect(Set(concurrent.map(\.accessKeyId)) == ["ASIA1"])
        #expect(await provider.fetchCount == 1)
        #expect(concurrent.first?.sessionToken == "token1")

        // Near expiry: the next call refreshes; the new credentials last an hour and are then served from cache.
        let refreshed = try await provider.credentials()
        #expect(refreshed.accessKeyId == "ASIA2")
        let cached = try await provider.credentials()
        #expect(cached.accessKeyId == "ASIA2")
        #expect(await provider.fetchCount == 2)
        #expect(server.requests.allSatisfy { $0.target == "/creds" && $0.method == "GET" })
    }

    @Test func containerProviderRefusesPlainHTTPToOtherHosts() async throws {
        let provider = try #require(
            ContainerCredentialProvider(environment: [
                "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://example.com/creds"
            ]))
        await #expect(throws: CredentialProviderError.self) { try await provider.credentials() }
    }

    @Test func chainPrefersEnvironmentThenContainer() async throws {
        let server = try LoopbackHTTPServer { _, _ in
            .init(
                status: 200,
                body: Data(
                    #"{"AccessKeyId":"ASIAC","SecretAccessKey":"s","Token":"t","Expiration":"2099-01-01T00:00:00Z"}"#
                        .utf8))
        }
        defer { server.stop() }
        let containerOnly = CredentialProviderChain(environment: [
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": server.baseURL + "/c"
        ])
        #expect(try await containerOnly.credentials().accessKeyId == "ASIAC")
        let both = CredentialProviderChain(environment: [
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": server.baseURL + "/c",
            "AWS_ACCESS_KEY_ID": "AKENV", "AWS_SECRET_ACCESS_KEY": "s",
        ])
        #expect(try await both.credentials().accessKeyId == "AKENV")
        await #expect(throws: CredentialProviderError.self) {
            try await CredentialProviderChain(environment: [:]).credentials()
        }
    }
}

/// Hands out the expiry for each fetch: the first as configured, later ones an hour ahead.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var first = Date().addingTimeInterval(3600)
    func set(firstExpiry: Date) { lock.withLock { first = firstExpiry } }
    func expiry(for index: Int) -> Date { lock.withLock { index == 1 ? first : Date().addingTimeInterval(3600) } }
}
