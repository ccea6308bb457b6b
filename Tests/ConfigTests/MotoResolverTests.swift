import Foundation
import JSONCore
import TestSupport
import Testing

@testable import Config

/// The resolver, unchanged, against moto with signatures and IAM enforced: real secrets, real stacks,
/// the worker's task-role policy (or none at all).
@Suite("Resolver against moto", .timeLimit(.minutes(5)))
struct MotoResolverTests {
    static let goodSecret: JSONObject = [
        "CLIENT_ID": "client-abc", "CLIENT_SECRET": "0123456789abcdef0123456789abcdef",
        "TENANT": "https://acme.benchling.com/", "APP_DEFINITION_ID": "appdef_moto1",
        "ECR_REPOSITORY_NAME": "quiltdata/benchling", "ENABLE_WEBHOOK_VERIFICATION": "1", "LOG_LEVEL": "WARNING",
        "PKG_PREFIX": "lab", "PKG_KEY": "experiment_id", "USER_BUCKET": "bq-test-config-bucket",
        "WEBHOOK_ALLOW_LIST": "10.0.0.0/8, 2001:db8::/32, ::ffff:192.0.2.1",
    ]

    static let quiltOutputs = [
        "QuiltWebHost": "https://catalog.example.com/", "UserAthenaDatabaseName": "userathenadatabase_abc",
        "UserAthenaWorkgroupName": "QuiltUserAthena-abc", "Other": "x",
    ]

    func resolve(_ environment: [String: String]) async throws(ConfigurationError) -> Configuration {
        try await ConfigurationResolver(environment: environment).resolve()
    }

    @Test func goodSecretAndStack() async throws {
        let seeder = try MotoSeeder()
        let stack = try await seeder.createStack(outputs: Self.quiltOutputs)
        let secret = try await seeder.createSecret(Self.goodSecret.compactString())
        // No AWS_REGION: the region comes from the stack ARN.
        let config = try await resolve(seeder.resolverEnvironment(stack: stack, secret: secret.name))
        #expect(config.stackARN?.description == stack)
        #expect(config.stackARN?.region == "us-east-1")
        #expect(config.stackARN?.account == seeder.environment.accountId)
        #expect(config.catalogHost == "catalog.example.com")
        #expect(config.athenaDatabase == "userathenadatabase_abc")
        #expect(config.athenaWorkgroup == "QuiltUserAthena-abc")
        #expect(config.athenaResultsBucket == nil)
        #expect(
            config.linkedPackageSource
                == .athena(
                    .init(
                        database: "userathenadatabase_abc", bucket: "bq-test-config-bucket",
                        workGroup: "QuiltUserAthena-abc",
                        outputLocation: nil)))
        #expect(config.stackOutputs["Other"] == "x")
        #expect(config.clientId == "client-abc")
        #expect(config.clientSecret == "0123456789abcdef0123456789abcdef")
        #expect(config.tenant == "acme")
        #expect(config.appDefinitionId == "appdef_moto1")
        #expect(config.ecrRepositoryName == "quiltdata/benchling")
        #expect(config.enableWebhookVerification)
        #expect(config.logLevel == .warning)
        #expect(config.logLevel.loggerLevel == .warning)
        #expect(config.pkgPrefix == "lab")
        #expect(config.userBucket == .s3(bucket: "bq-test-config-bucket"))
        #expect(config.webhookAllowList.contains(address: "10.1.2.3"))
        #expect(config.webhookAllowList.contains(address: "::ffff:10.1.2.3"))
        #expect(config.webhookAllowList.contains(address: "192.0.2.1"))
        #expect(config.webhookAllowList.contains(address: "2001:db8:1::1"))
        #expect(!config.webhookAllowList.contains(address: "192.0.2.2"))
        #expect(config.benchlingBaseURL.absoluteString == "https://acme.benchling.com")
        #expect(config.jwksURL.absoluteString == "https://apps.benchling.com/api/v1/apps/appdef_moto1/jwks")

        // By ARN, through the alias variable names, gives the same configuration.
        var environment = seeder.resolverEnvironment()
        environment["QUILT_STACK_ARN"] = stack
        environment["BENCHLING_SECRET"] = secret.arn
        let byARN = try await resolve(environment)
        #expect(byARN.parameters == config.parameters)

        let check = renderCheck(.success(config))
        #expect(check.ok)
        #expect(check.text.contains("CLIENT_SECRET: ****(set, 32 chars)\n"))
        #expect(check.text.contains("  catalog host: catalog.example.com\n"))
        #expect(check.text.contains("  Athena database: userathenadatabase_abc\n"))
        #expect(check.text.contains("  Athena workgroup: QuiltUserAthena-abc\n"))
        #expect(check.text.contains("  Athena results bucket: (none)\n"))
        #expect(
            check.text.contains(
                "  linked packages: Athena (database userathenadatabase_abc, workgroup QuiltUserAthena-abc, its own result location)\n"
            ))
        #expect(!check.text.contains("warning: linked packages"))
        #expect(!check.text.contains("0123456789abcdef"))
        #expect(!check.text.contains("client-abc"))
    }

    @Test func lowerCaseKeysAndCatalogFallback() async throws {
        let seeder = try MotoSeeder()
        let stack = try await seeder.createStack(outputs: ["Catalog": "quilt.example.org"])
        let secret = try await seeder.createSecret(
            """
            {"client_id": "id-1", "client_secret": "sec", "tenant": "acme.benchling.com",
             "app_definition_id": "appdef_2", "user_bucket": "bq-test-lower", "enable_webhook_verification": false,
             "webhook_allow_list": "192.0.2.0/24"}
            """)
        let config = try await resolve(seeder.resolverEnvironment(stack: stack, secret: secret.name))
        #expect(config.catalogHost == "quilt.example.org")
        #expect(config.athenaDatabase == nil)
        #expect(config.athenaWorkgroup == nil)
        #expect(config.tenant == "acme")
        #expect(config.enableWebhookVerification == false)
        #expect(config.pkgPrefix == "benchling")
        #expect(config.pkgKey == "experiment_id")
        #expect(config.logLevel == .info)
        #expect(config.webhookAllowList.description == "192.0.2.0/24")
        let check = renderCheck(.success(config))
        #expect(check.text.contains("  Athena database: (none: linked packages are found by reading manifests)\n"))
        #expect(check.text.contains("  Athena workgroup: (none)\n"))
        #expect(
            check.text.contains(
                "  linked packages: reading manifests (the Quilt stack has no UserAthenaDatabaseName output)\n"))
        #expect(
            check.text.contains("warning: ENABLE_WEBHOOK_VERIFICATION is false: webhook signatures are not checked"))
    }

    /// A stack without `UserAthenaWorkgroupName` but with `AthenaResultsBucketName`: Athena in `primary`, results
    /// under `benchling-quilt/` of that bucket.
    @Test func athenaResultsBucketWithoutWorkgroup() async throws {
        let seeder = try MotoSeeder()
        let stack = try await seeder.createStack(outputs: [
            "QuiltWebHost": "catalog.example.com", "UserAthenaDatabaseName": "userathenadatabase_abc",
            "AthenaResultsBucketName": "quilt-athena-results-abc",
        ])
        let secret = try await seeder.createSecret(Self.goodSecret.compactString())
        let config = try await resolve(seeder.resolverEnvironment(stack: stack, secret: secret.name))
        #expect(config.athenaWorkgroup == nil)
        #expect(config.athenaResultsBucket == "quilt-athena-results-abc")
        #expect(
            config.linkedPackageSource
                == .athena(
                    .init(
                        database: "userathenadatabase_abc", bucket: "bq-test-config-bucket", workGroup: "primary",
                        outputLocation: "s3://quilt-athena-results-abc/benchling-quilt/")))
        let check = renderCheck(.success(config))
        #expect(check.ok)
        #expect(check.text.contains("  Athena workgroup: (none)\n"))
        #expect(check.text.contains("  Athena results bucket: quilt-athena-results-abc\n"))
        #expect(
            check.text.contains(
                "  linked packages: Athena (database userathenadatabase_abc, workgroup primary, "
                    + "results in s3://quilt-athena-results-abc/benchling-quilt/)\n"), "\(check.text)")
        #expect(!check.text.contains("warning: linked packages"))
    }

    /// A database but neither a workgroup nor a results bucket: the manifest scan, and `config check` warns why.
    @Test func athenaDatabaseAloneFallsBackWithAWarning() async throws {
        let seeder = try MotoSeeder()
        let stack = try await seeder.createStack(outputs: [
            "QuiltWebHost": "catalog.example.com", "UserAthenaDatabaseName": "userathenadatabase_abc",
        ])
        let secret = try await seeder.createSecret(Self.goodSecret.compactString())
        let config = try await resolve(seeder.resolverEnvironment(stack: stack, secret: secret.name))
        #expect(config.athenaDatabase == "userathenadatabase_abc")
        #expect(config.athenaWorkgroup == nil && config.athenaResultsBucket == nil)
        guard case .manifests(let reason) = config.linkedPackageSource else {
            Issue.record("expected the manifest scan, got \(config.linkedPackageSource)")
            return
        }
        #expect(reason.contains("neither UserAthenaWorkgroupName nor AthenaResultsBucketName"), "\(reason)")
        let check = renderCheck(.success(config))
        #expect(check.ok)
        #expect(
            check.text.contains(
                "warning: linked packages are found by reading manifests, not with Athena: \(reason)\n"),
            "\(check.text)")
    }

    @Test func catalogDomainFallback() async throws {
        let seeder = try MotoSeeder()
        let stack = try await seeder.createStack(outputs: ["CatalogDomain": "http://data.example.net/"])
        let secret = try await seeder.createSecret(Self.goodSecret.compactString())
        let config = try await resolve(seeder.resolverEnvironment(stack: stack, secret: secret.name))
        #expect(config.catalogHost == "data.example.net")
    }

    @Test func everyValidationProblemAtOnce() async throws {
        let seeder = try MotoSeeder()
        let stack = try await seeder.createStack(outputs: Self.quiltOutputs)
        var bad = Self.goodSecret
        bad["CLIENT_SECRET"] = nil
        bad["TENANT"] = "https://acme.benchling.com/extra"
        bad["LOG_LEVEL"] = "LOUD"
        bad["ENABLE_WEBHOOK_VERIFICATION"] = "maybe"
        bad["USER_BUCKET"] = "Bad_Bucket"
        bad["PKG_KEY"] = "experiment id"
        bad["WEBHOOK_ALLOW_LIST"] = "10.0.0.0/8,300.1.1.1,fe80::/129"
        let secret = try await seeder.createSecret(bad.compactString())
        let error = try await #require(throws: ConfigurationError.self) {
            try await resolve(seeder.resolverEnvironment(stack: stack, secret: secret.name))
        }
        #expect(
            error.messages == [
                "CLIENT_SECRET: missing; expected a non-empty string",
                "TENANT: expected a Benchling tenant such as \"acme\", \"acme.benchling.com\" or \"https://acme.benchling.com/\", got \"https://acme.benchling.com/extra\"",
                "ENABLE_WEBHOOK_VERIFICATION: expected true or false (a JSON boolean, or \"true\", \"false\", \"1\", \"0\"), got \"maybe\"",
                "LOG_LEVEL: expected one of DEBUG, INFO, WARNING, ERROR, CRITICAL, got \"LOUD\"",
                "PKG_KEY: expected ASCII letters, digits, \"_\" and \"-\", got \"experiment id\"",
                "USER_BUCKET: expected an S3 bucket name or file:///absolute/path, got \"Bad_Bucket\" (an S3 bucket name must have only lower-case letters, digits, '.' and '-')",
                "WEBHOOK_ALLOW_LIST: expected comma-separated IP addresses or CIDR blocks, got invalid entries \"300.1.1.1\", \"fe80::/129\"",
            ])
        #expect(!error.description.contains("client-abc"))
        let check = renderCheck(.failure(error))
        #expect(!check.ok)
        #expect(check.text.hasPrefix("configuration NOT usable: 7 problems\n"))
        #expect(
            check.text.contains(
                "✗ LOG_LEVEL: expected one of DEBUG, INFO, WARNING, ERROR, CRITICAL, got \"LOUD\"\n  fix: set \"LOG_LEVEL\" in the secret to one of DEBUG, INFO, WARNING, ERROR, CRITICAL\n"
            ))
    }

    @Test func missingSecretAndMissingStack() async throws {
        let seeder = try MotoSeeder()
        let missingStack =
            "arn:aws:cloudformation:us-east-1:\(seeder.environment.accountId):stack/bq-test-nostack/11111111-2222-3333-4444-555555555555"
        let missingSecret = seeder.environment.uniqueName("nosecret")
        let error = try await #require(throws: ConfigurationError.self) {
            try await resolve(seeder.resolverEnvironment(stack: missingStack, secret: missingSecret))
        }
        #expect(
            error.messages == [
                "BenchlingSecret: secret \(missingSecret) not found in region us-east-1",
                "QuiltStackARN: stack bq-test-nostack (account \(seeder.environment.accountId), region us-east-1) not found",
            ])
        #expect(error.problems.map(\.kind) == [.notFound, .notFound])
        #expect(!error.isTransient)
    }

    @Test func accessDeniedNamesTheAction() async throws {
        let seeder = try MotoSeeder()
        let stack = try await seeder.createStack(outputs: Self.quiltOutputs)
        let secret = try await seeder.createSecret(Self.goodSecret.compactString())
        let environment = seeder.resolverEnvironment(
            credentials: seeder.environment.restricted, stack: stack, secret: secret.name)
        let error = try await #require(throws: ConfigurationError.self) { try await resolve(environment) }
        #expect(
            error.messages == [
                "BenchlingSecret: access denied: secretsmanager:GetSecretValue on secret \(secret.name) in region us-east-1",
                "QuiltStackARN: access denied: cloudformation:DescribeStacks on stack \(stack.split(separator: "/")[1]) (account \(seeder.environment.accountId), region us-east-1)",
            ])
        #expect(error.problems.map(\.kind) == [.accessDenied, .accessDenied])
        #expect(error.problems[0].fix.hasPrefix("allow secretsmanager:GetSecretValue on the secret"))
        #expect(error.problems[1].fix == "allow cloudformation:DescribeStacks on the stack in the task role's policy")
    }

    @Test func wrongSecretKeyIsRejectedCredentials() async throws {
        let seeder = try MotoSeeder()
        let secret = try await seeder.createSecret(Self.goodSecret.compactString())
        var environment = seeder.resolverEnvironment(secret: secret.name, region: "us-east-1")
        environment["AWS_SECRET_ACCESS_KEY"] = "not-the-right-secret-key"
        environment["QuiltStackARN"] = "arn:aws:cloudformation:us-east-1:\(seeder.environment.accountId):stack/q/id-1"
        let error = try await #require(throws: ConfigurationError.self) { try await resolve(environment) }
        #expect(error.problems.map(\.kind) == [.accessDenied, .accessDenied])
        #expect(
            error.messages[0].hasPrefix(
                "BenchlingSecret: AWS credentials rejected (SignatureDoesNotMatch calling secretsmanager:GetSecretValue)"
            ))
    }

    @Test func malformedStackARN() async throws {
        let seeder = try MotoSeeder()
        let secret = try await seeder.createSecret(Self.goodSecret.compactString())
        let error = try await #require(throws: ConfigurationError.self) {
            try await resolve(seeder.resolverEnvironment(stack: "quilt-prod", secret: secret.name, region: "us-east-1"))
        }
        #expect(
            error.messages == [
                "QuiltStackARN: expected arn:aws:cloudformation:REGION:ACCOUNT:stack/NAME/ID, got \"quilt-prod\""
            ])
        #expect(error.problems[0].kind == .malformedInput)
    }

    @Test(arguments: [
        ("CLIENT_ID=abc", "is not valid JSON (error at byte 0)"),
        ("[\"CLIENT_ID\"]", "holds an array, expected a JSON object"),
        ("{}", "holds an empty JSON object"),
        ("   ", "is empty"),
    ])
    func secretThatIsNotAnObject(text: String, what: String) async throws {
        let seeder = try MotoSeeder()
        let stack = try await seeder.createStack(outputs: Self.quiltOutputs)
        let secret = try await seeder.createSecret(text)
        let error = try await #require(throws: ConfigurationError.self) {
            try await resolve(seeder.resolverEnvironment(stack: stack, secret: secret.name))
        }
        #expect(error.messages == ["BenchlingSecret: secret \(secret.name) \(what)"])
        #expect(error.problems[0].kind == .invalidSecret)
    }

    @Test(arguments: [
        (JSONValue.string("1"), true), (.string("false"), false), (.bool(true), true), (.string("0"), false),
        (.string("TRUE"), true),
    ])
    func booleanForms(value: JSONValue, expected: Bool) async throws {
        let seeder = try MotoSeeder()
        let stack = try await seeder.createStack(outputs: Self.quiltOutputs)
        var object = Self.goodSecret
        object["ENABLE_WEBHOOK_VERIFICATION"] = value
        let secret = try await seeder.createSecret(object.compactString())
        let config = try await resolve(seeder.resolverEnvironment(stack: stack, secret: secret.name))
        #expect(config.enableWebhookVerification == expected)
    }

    @Test(arguments: ["acme", "acme.benchling.com", "https://acme.benchling.com/", "HTTPS://ACME.benchling.com"])
    func tenantForms(tenant: String) async throws {
        let seeder = try MotoSeeder()
        let stack = try await seeder.createStack(outputs: Self.quiltOutputs)
        var object = Self.goodSecret
        object["TENANT"] = .string(tenant)
        let secret = try await seeder.createSecret(object.compactString())
        let config = try await resolve(seeder.resolverEnvironment(stack: stack, secret: secret.name))
        #expect(config.tenant == "acme")
        #expect(config.benchlingBaseURL.absoluteString == "https://acme.benchling.com")
    }

    @Test func fileSecretWithRealStack() async throws {
        let seeder = try MotoSeeder()
        let stack = try await seeder.createStack(outputs: Self.quiltOutputs)
        let file = try FileSecretResolverTests.writeSecret(Self.goodSecret.compactString())
        defer { try? FileManager.default.removeItem(at: file) }
        let config = try await resolve(seeder.resolverEnvironment(stack: stack, secret: file.absoluteString))
        #expect(config.catalogHost == "catalog.example.com")
        #expect(config.secretSource == file.absoluteString)
        #expect(config.userBucket.bucketName == "bq-test-config-bucket")
    }
}
