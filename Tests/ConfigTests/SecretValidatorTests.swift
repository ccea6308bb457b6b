import JSONCore
import Testing

@testable import Config

@Suite("Secret validation", .timeLimit(.minutes(2)))
struct SecretValidatorTests {
    let validator = SecretValidator(secretName: "bq-secret")

    static let upper: JSONObject = [
        "CLIENT_ID": "client-123", "CLIENT_SECRET": "s3cr3t-value-that-is-32-chars-xx", "TENANT": "acme",
        "APP_DEFINITION_ID": "appdef_abc123", "ECR_REPOSITORY_NAME": "quiltdata/benchling",
        "ENABLE_WEBHOOK_VERIFICATION": "false", "LOG_LEVEL": "debug", "PKG_PREFIX": "lab", "PKG_KEY": "entry-id",
        "USER_BUCKET": "my-bucket", "WEBHOOK_ALLOW_LIST": "10.0.0.0/8,2001:db8::/32",
    ]

    func problems(_ object: JSONObject) -> [String] {
        do {
            _ = try validator.validate(object: object)
            return []
        } catch {
            return error.messages
        }
    }

    @Test func readsEveryKey() throws {
        let result = try validator.validate(object: Self.upper)
        let p = result.parameters
        #expect(p.clientId == "client-123")
        #expect(p.tenant == "acme")
        #expect(p.appDefinitionId == "appdef_abc123")
        #expect(p.ecrRepositoryName == "quiltdata/benchling")
        #expect(p.enableWebhookVerification == false)
        #expect(p.logLevel == .debug)
        #expect(p.pkgPrefix == "lab")
        #expect(p.pkgKey == "entry-id")
        #expect(p.userBucket == .s3(bucket: "my-bucket"))
        #expect(p.webhookAllowList.description == "10.0.0.0/8,2001:db8:0:0:0:0:0:0/32")
        #expect(result.unknownKeys.isEmpty)
    }

    @Test func lowerCaseSpellingAndDefaults() throws {
        let object: JSONObject = [
            "client_id": "id", "client_secret": "secret", "tenant": "https://acme.benchling.com/",
            "app_definition_id": "appdef_1", "user_bucket": "s3://my-bucket/", "extra": "x", "log_level": "",
        ]
        let result = try validator.validate(object: object)
        let p = result.parameters
        #expect(p.tenant == "acme")
        #expect(p.userBucket == .s3(bucket: "my-bucket"))
        #expect(p.pkgPrefix == "benchling")
        #expect(p.pkgKey == "experiment_id")
        #expect(p.logLevel == .info)
        #expect(p.enableWebhookVerification == true)
        #expect(p.ecrRepositoryName == nil)
        #expect(p.webhookAllowList.allowsEveryone)
        #expect(result.unknownKeys == ["extra"])
    }

    @Test(arguments: [
        (JSONValue.bool(true), true), (.bool(false), false), (.string("1"), true), (.string("0"), false),
        (.string("TRUE"), true), (.string("False"), false), (.integer("1"), true), (.null, true), (.string(""), true),
    ])
    func booleans(value: JSONValue, expected: Bool) throws {
        var object = Self.upper
        object["ENABLE_WEBHOOK_VERIFICATION"] = value
        #expect(try validator.validate(object: object).parameters.enableWebhookVerification == expected)
    }

    @Test func reportsEveryProblemAtOnceWithoutCredentials() {
        let object: JSONObject = [
            "CLIENT_SECRET": 12345, "TENANT": "acme.example.com", "APP_DEFINITION_ID": "app def",
            "ENABLE_WEBHOOK_VERIFICATION": "yes", "LOG_LEVEL": "LOUD", "PKG_PREFIX": "a/b", "PKG_KEY": 7,
            "USER_BUCKET": "My_Bucket", "WEBHOOK_ALLOW_LIST": "10.0.0.0/8, 10.0.0.300,office",
            "ECR_REPOSITORY_NAME": "Bad Repo",
        ]
        #expect(
            problems(object) == [
                "CLIENT_ID: missing; expected a non-empty string",
                "CLIENT_SECRET: expected a non-empty string, got a number",
                "TENANT: expected a Benchling tenant such as \"acme\", \"acme.benchling.com\" or \"https://acme.benchling.com/\", got \"acme.example.com\"",
                "APP_DEFINITION_ID: expected letters, digits, \"_\" and \"-\" (e.g. \"appdef_abc123\"), got \"app def\"",
                "ECR_REPOSITORY_NAME: expected an ECR repository name (lower-case letters, digits, \".\", \"_\", \"-\", \"/\"), got \"Bad Repo\"",
                "ENABLE_WEBHOOK_VERIFICATION: expected true or false (a JSON boolean, or \"true\", \"false\", \"1\", \"0\"), got \"yes\"",
                "LOG_LEVEL: expected one of DEBUG, INFO, WARNING, ERROR, CRITICAL, got \"LOUD\"",
                "PKG_PREFIX: expected ASCII letters, digits, \"_\" and \"-\", got \"a/b\"",
                "PKG_KEY: expected ASCII letters, digits, \"_\" and \"-\", got a number",
                "USER_BUCKET: expected an S3 bucket name or file:///absolute/path, got \"My_Bucket\" (an S3 bucket name must have only lower-case letters, digits, '.' and '-')",
                "WEBHOOK_ALLOW_LIST: expected comma-separated IP addresses or CIDR blocks, got invalid entries \"10.0.0.300\", \"office\"",
            ])
    }

    /// Verification off with an empty allowlist lets anyone enqueue work that runs with the app's credentials.
    @Test(arguments: [JSONValue.string(""), .array([]), .null])
    func verificationOffNeedsAnAllowList(allowList: JSONValue) throws {
        var object = Self.upper
        object["WEBHOOK_ALLOW_LIST"] = allowList
        let error = try #require(throws: ConfigurationError.self) { try validator.validate(object: object) }
        #expect(
            error.messages == [
                "ENABLE_WEBHOOK_VERIFICATION: is false while WEBHOOK_ALLOW_LIST is empty: anyone could enqueue work"
            ])
        #expect(error.problems[0].fix.contains("WEBHOOK_ALLOW_LIST"))
        // Either safeguard alone is accepted.
        object["ENABLE_WEBHOOK_VERIFICATION"] = true
        #expect(try validator.validate(object: object).parameters.webhookAllowList.allowsEveryone)
        object["ENABLE_WEBHOOK_VERIFICATION"] = false
        object["WEBHOOK_ALLOW_LIST"] = "192.0.2.1"
        #expect(try validator.validate(object: object).parameters.enableWebhookVerification == false)
    }

    @Test func credentialValuesNeverAppear() throws {
        var object = Self.upper
        object["CLIENT_SECRET"] = ""
        object["client_id"] = "other-client"
        object["LOG_LEVEL"] = "LOUD"
        let error = try #require(throws: ConfigurationError.self) { try validator.validate(object: object) }
        #expect(
            error.messages == [
                "CLIENT_ID: set as both \"CLIENT_ID\" and \"client_id\" with different values",
                "CLIENT_SECRET: expected a non-empty string, got an empty string",
                "LOG_LEVEL: expected one of DEBUG, INFO, WARNING, ERROR, CRITICAL, got \"LOUD\"",
            ])
        let all = error.description + error.problems.map(\.fix).joined()
        #expect(!all.contains("client-123"))
        #expect(!all.contains("other-client"))
        #expect(error.problems.first?.fix == "keep one spelling of CLIENT_ID in the secret")
    }

    @Test func missingRequiredKeysSayWhatTheyAreFor() throws {
        let error = try #require(throws: ConfigurationError.self) {
            try validator.validate(object: ["LOG_LEVEL": "INFO"])
        }
        #expect(
            error.messages == [
                "CLIENT_ID: missing; expected a non-empty string",
                "CLIENT_SECRET: missing; expected a non-empty string",
                "TENANT: missing; expected a Benchling tenant such as \"acme\", \"acme.benchling.com\" or \"https://acme.benchling.com/\"",
                "APP_DEFINITION_ID: missing; expected letters, digits, \"_\" and \"-\" (e.g. \"appdef_abc123\")",
                "USER_BUCKET: missing; expected an S3 bucket name or file:///absolute/path",
            ])
        #expect(
            error.problems[4].fix
                == "add \"USER_BUCKET\" to the secret: the S3 bucket packages are written to, or file:///absolute/path for a local registry"
        )
        #expect(error.problems.allSatisfy { $0.kind == .invalidValue })
    }

    @Test func allowListForms() throws {
        var object = Self.upper
        object["WEBHOOK_ALLOW_LIST"] = ["192.0.2.0/24", "::ffff:198.51.100.7", "2001:db8::1"]
        let list = try validator.validate(object: object).parameters.webhookAllowList
        #expect(list.contains(address: "192.0.2.200"))
        #expect(list.contains(address: "198.51.100.7"))
        #expect(list.contains(address: "2001:db8::1"))
        #expect(!list.contains(address: "2001:db8::2"))
        object["WEBHOOK_ALLOW_LIST"] = "not-an-ip"
        #expect(
            problems(object) == [
                "WEBHOOK_ALLOW_LIST: expected comma-separated IP addresses or CIDR blocks, got invalid entry \"not-an-ip\""
            ])
        object["WEBHOOK_ALLOW_LIST"] = [1, "10.0.0.1"]
        #expect(
            problems(object) == [
                "WEBHOOK_ALLOW_LIST: expected comma-separated IP addresses or CIDR blocks, got an array with entries that are not strings"
            ])
    }

    @Test func userBucketForms() throws {
        var object = Self.upper
        object["USER_BUCKET"] = "file:///var/lib/quilt-registry/"
        #expect(
            try validator.validate(object: object).parameters.userBucket
                == .localDirectory(path: "/var/lib/quilt-registry"))
        object["USER_BUCKET"] = "file://relative/dir"
        #expect(
            problems(object) == [
                "USER_BUCKET: expected an S3 bucket name or file:///absolute/path, got \"file://relative/dir\" (a local registry is file:///absolute/path)"
            ])
    }

    @Test(arguments: [
        ("", "BenchlingSecret: secret bq-secret is empty"),
        ("{\"CLIENT_ID\": ", "BenchlingSecret: secret bq-secret is not valid JSON (error at byte 14)"),
        ("client_id=abc", "BenchlingSecret: secret bq-secret is not valid JSON (error at byte 0)"),
        ("[1, 2]", "BenchlingSecret: secret bq-secret holds an array, expected a JSON object"),
        ("\"text\"", "BenchlingSecret: secret bq-secret holds a string, expected a JSON object"),
        ("{}", "BenchlingSecret: secret bq-secret holds an empty JSON object"),
    ])
    func secretTextThatIsNotAnObject(text: String, message: String) throws {
        let error = try #require(throws: ConfigurationError.self) { try validator.validate(text: text) }
        #expect(error.messages == [message])
        #expect(error.problems.first?.kind == .invalidSecret)
    }
}
