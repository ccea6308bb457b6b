import Foundation
import Testing

@testable import Config

/// The embedded default: secret from a file, packages to a local directory, no stack, no AWS.
@Suite("Resolver with a file:// secret", .timeLimit(.minutes(2)))
struct FileSecretResolverTests {
    static func writeSecret(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("bq-config-\(UUID().uuidString).json")
        try Data(text.utf8).write(to: url)
        return url
    }

    static let embeddedSecret = """
        {"CLIENT_ID": "client-abc", "CLIENT_SECRET": "0123456789abcdef0123456789abcdef", "TENANT": "acme",
         "APP_DEFINITION_ID": "appdef_local", "USER_BUCKET": "file:///var/tmp/bq-registry",
         "WEBHOOK_ALLOW_LIST": "127.0.0.1, ::1"}
        """

    @Test func aFileSecretsVersionIsItsContentFingerprint() async throws {
        let file = try Self.writeSecret(Self.embeddedSecret)
        defer { try? FileManager.default.removeItem(at: file) }
        let resolver = ConfigurationResolver(environment: ["BENCHLING_SECRET": file.absoluteString])
        let config = try await resolver.resolve()
        let version = try #require(config.secretVersion)
        #expect(version.id.hasPrefix("file-") && version.id.count == 21)
        #expect(try await resolver.currentSecretVersion() == version.id)
        #expect(renderCheck(.success(config)).text.contains("secret version: \(version.id) (read "))
        try Data(Self.embeddedSecret.replacingOccurrences(of: "acme", with: "acme2").utf8).write(to: file)
        #expect(try await resolver.currentSecretVersion() != version.id)
        try Data(Self.embeddedSecret.utf8).write(to: file)
        #expect(try await resolver.currentSecretVersion() == version.id)
    }

    @Test func embeddedModeNeedsNoStack() async throws {
        let file = try Self.writeSecret(Self.embeddedSecret)
        defer { try? FileManager.default.removeItem(at: file) }
        let environment = [
            "BENCHLING_SECRET": file.absoluteString,
            "BENCHLING_BASE_URL": "http://127.0.0.1:9999/",
            "BENCHLING_JWKS_URL": "http://127.0.0.1:9999/jwks",
        ]
        let config = try await ConfigurationResolver(environment: environment).resolve()
        #expect(config.stackARN == nil)
        #expect(config.isEmbedded)
        #expect(config.userBucket == .localDirectory(path: "/var/tmp/bq-registry"))
        #expect(config.userBucket.registryURL == "file:///var/tmp/bq-registry")
        #expect(config.benchlingBaseURL.absoluteString == "http://127.0.0.1:9999")
        #expect(config.jwksURL.absoluteString == "http://127.0.0.1:9999/jwks")
        #expect(config.webhookAllowList.contains(address: "::ffff:127.0.0.1"))
        #expect(!config.webhookAllowList.contains(address: "10.0.0.1"))

        let check = renderCheck(.success(config))
        #expect(check.ok)
        #expect(check.text.contains("CLIENT_SECRET: ****(set, 32 chars)\n"))
        #expect(check.text.contains("CLIENT_ID: ****(set, 10 chars)\n"))
        #expect(check.text.contains("QuiltStackARN: (not set: embedded mode)\n"))
        #expect(check.text.contains("WEBHOOK_ALLOW_LIST: 127.0.0.1/32,0:0:0:0:0:0:0:1/128\n"))
        #expect(check.text.contains("Benchling API: http://127.0.0.1:9999 (BENCHLING_BASE_URL)\n"))
        #expect(!check.text.contains("client-abc"))
        #expect(!check.text.contains("0123456789abcdef"))

        // Interpolating the configuration or its parameters masks the credentials too.
        for printed in [
            "\(config)", String(reflecting: config), "\(config.parameters)", String(reflecting: config.parameters),
        ] {
            #expect(printed.contains("****(set, 32 chars)"))
            #expect(!printed.contains("0123456789abcdef"))
            #expect(!printed.contains("client-abc"))
        }
    }

    @Test func defaultURLsComeFromTenantAndApp() async throws {
        let file = try Self.writeSecret(Self.embeddedSecret)
        defer { try? FileManager.default.removeItem(at: file) }
        let config = try await ConfigurationResolver(environment: ["BenchlingSecret": file.absoluteString]).resolve()
        #expect(config.benchlingBaseURL.absoluteString == "https://acme.benchling.com")
        #expect(config.jwksURL.absoluteString == "https://apps.benchling.com/api/v1/apps/appdef_local/jwks")
    }

    @Test func s3BucketWithoutStackIsAnError() async throws {
        let file = try Self.writeSecret(
            Self.embeddedSecret.replacingOccurrences(
                of: "file:///var/tmp/bq-registry", with: "my-bucket"))
        defer { try? FileManager.default.removeItem(at: file) }
        let error = try await #require(throws: ConfigurationError.self) {
            try await ConfigurationResolver(environment: ["BenchlingSecret": file.absoluteString]).resolve()
        }
        #expect(
            error.messages == [
                "QuiltStackARN: not set (neither QuiltStackARN nor QUILT_STACK_ARN is in the environment)"
            ])
        #expect(error.problems[0].kind == .missingInput)
        #expect(error.problems[0].fix.contains("arn:aws:cloudformation:REGION:ACCOUNT:stack/NAME/ID"))
    }

    @Test func missingInputsAreNamed() async throws {
        let error = try await #require(throws: ConfigurationError.self) {
            try await ConfigurationResolver(environment: ["QuiltStackARN": "  "]).resolve()
        }
        #expect(
            error.messages == [
                "BenchlingSecret: not set (neither BenchlingSecret nor BENCHLING_SECRET is in the environment)",
                "QuiltStackARN: not set (neither QuiltStackARN nor QUILT_STACK_ARN is in the environment)",
            ])
    }

    @Test func athenaLookupIsOnUnlessTheDeploymentSaysOff() async throws {
        let file = try Self.writeSecret(Self.embeddedSecret)
        defer { try? FileManager.default.removeItem(at: file) }
        let base = ["BENCHLING_SECRET": file.absoluteString]
        #expect(try await ConfigurationResolver(environment: base).resolve().athenaPermitted)
        let off = base.merging(["ATHENA_LOOKUP": "OFF"]) { _, new in new }
        #expect(try await ConfigurationResolver(environment: off).resolve().athenaPermitted == false)
        let error = try await #require(throws: ConfigurationError.self) {
            try await ConfigurationResolver(environment: base.merging(["ATHENA_LOOKUP": "maybe"]) { _, new in new })
                .resolve()
        }
        #expect(error.messages == [#"ATHENA_LOOKUP: expected on or off, got "maybe""#])
    }

    @Test func missingFileAndBadOverride() async throws {
        let error = try await #require(throws: ConfigurationError.self) {
            try await ConfigurationResolver(environment: [
                "BenchlingSecret": "file:///nonexistent/bq/secret.json", "BENCHLING_BASE_URL": "acme.benchling.com",
            ]).resolve()
        }
        #expect(
            error.messages == [
                "BENCHLING_BASE_URL: expected an http(s) URL, got \"acme.benchling.com\"",
                "BenchlingSecret: secret file file:///nonexistent/bq/secret.json not found (no file at /nonexistent/bq/secret.json)",
            ])
        #expect(error.problems.map(\.kind) == [.malformedInput, .notFound])
    }

    @Test func fileThatIsNotJSON() async throws {
        let file = try Self.writeSecret("CLIENT_SECRET=hunter2")
        defer { try? FileManager.default.removeItem(at: file) }
        let error = try await #require(throws: ConfigurationError.self) {
            try await ConfigurationResolver(environment: ["BenchlingSecret": file.absoluteString]).resolve()
        }
        #expect(
            error.messages == ["BenchlingSecret: secret \(file.absoluteString) is not valid JSON (error at byte 0)"])
        #expect(!error.description.contains("hunter2"))
        let check = renderCheck(.failure(error))
        #expect(!check.ok)
        #expect(check.text.hasPrefix("configuration NOT usable: 1 problem\n\n✗ BenchlingSecret: secret "))
    }

    /// Verification off with nobody allowlisted is an open door: `worker config check` says so and fails.
    @Test func openDoorIsReportedByConfigCheck() async throws {
        let file = try Self.writeSecret(
            """
            {"CLIENT_ID": "id", "CLIENT_SECRET": "secret", "TENANT": "acme", "APP_DEFINITION_ID": "appdef_1",
             "USER_BUCKET": "file:///tmp/bq-open-door", "ENABLE_WEBHOOK_VERIFICATION": false}
            """)
        defer { try? FileManager.default.removeItem(at: file) }
        let error = try await #require(throws: ConfigurationError.self) {
            try await ConfigurationResolver(environment: ["BenchlingSecret": file.absoluteString]).resolve()
        }
        let check = renderCheck(.failure(error))
        #expect(!check.ok)
        #expect(
            check.text.contains(
                "ENABLE_WEBHOOK_VERIFICATION: is false while WEBHOOK_ALLOW_LIST is empty: anyone could enqueue work"))
    }

    /// Nothing listens on loopback port 1: the failure is transient (the receiver stays degraded and retries).
    @Test func unreachableAWSIsTransient() async throws {
        let environment = [
            "AWS_ENDPOINT_URL": "http://127.0.0.1:1", "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE",
            "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            "BenchlingSecret": "bq-test-unreachable",
            "QuiltStackARN": "arn:aws:cloudformation:eu-west-1:123456789012:stack/quilt/abc-1",
        ]
        let error = try await #require(throws: ConfigurationError.self) {
            try await ConfigurationResolver(environment: environment).resolve()
        }
        #expect(error.problems.map(\.kind) == [.unavailable, .unavailable])
        #expect(error.isTransient)
        #expect(
            error.messages[0].hasPrefix(
                "BenchlingSecret: could not read secret bq-test-unreachable in region eu-west-1: "))
        #expect(
            error.messages[1].hasPrefix(
                "QuiltStackARN: could not describe stack quilt (account 123456789012, region eu-west-1): "))
        #expect(error.summary.hasSuffix(" (and 1 more)"))
    }
}
