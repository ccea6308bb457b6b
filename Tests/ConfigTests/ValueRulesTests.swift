import Testing

@testable import Config

@Suite("Input and value rules", .timeLimit(.minutes(2)))
struct ValueRulesTests {
    @Test func stackARNParts() throws {
        let arn = try #require(
            StackARN(
                "arn:aws:cloudformation:eu-central-1:123456789012:stack/quilt-prod/0f1e2d3c-aaaa-bbbb-cccc-1234567890ab"
            ))
        #expect(arn.partition == "aws")
        #expect(arn.region == "eu-central-1")
        #expect(arn.account == "123456789012")
        #expect(arn.stackName == "quilt-prod")
        #expect(arn.stackId == "0f1e2d3c-aaaa-bbbb-cccc-1234567890ab")
        #expect(
            arn.description
                == "arn:aws:cloudformation:eu-central-1:123456789012:stack/quilt-prod/0f1e2d3c-aaaa-bbbb-cccc-1234567890ab"
        )
        #expect(
            StackARN("arn:aws-us-gov:cloudformation:us-gov-west-1:123456789012:stack/q/id-1")?.partition == "aws-us-gov"
        )
    }

    @Test(arguments: [
        "quilt-prod", "arn:aws:cloudformation:us-east-1:123456789012:stack/quilt-prod",
        "arn:aws:s3:us-east-1:123456789012:stack/q/id", "arn:aws:cloudformation::123456789012:stack/q/id",
        "arn:aws:cloudformation:us-east-1:12345:stack/q/id", "arn:aws:cloudformation:us-east-1:123456789012:q/id/x",
        "arn:aws:cloudformation:us-east-1:123456789012:stack/1q/id",
        "arn:aws:cloudformation:us-east-1:123456789012:stack/q/id/x",
    ])
    func malformedStackARNs(text: String) {
        #expect(StackARN(text) == nil)
    }

    @Test func tenantForms() {
        for form in [
            "acme", "ACME", "acme.benchling.com", "https://acme.benchling.com/", "http://acme.benchling.com",
            " https://Acme.Benchling.com// ",
        ] {
            #expect(ValueRules.tenant(form) == "acme", "\(form)")
        }
        for form in [
            "", "acme.example.com", "https://acme.benchling.com/api", "ac me", "-acme", "acme.eu.benchling.com",
        ] {
            #expect(ValueRules.tenant(form) == nil, "\(form)")
        }
    }

    @Test func bucketNames() {
        #expect(ValueRules.bucketNameViolation("my-bucket.data-1") == nil)
        #expect(ValueRules.bucketNameViolation("ab") == "3 to 63 characters")
        #expect(ValueRules.bucketNameViolation(String(repeating: "a", count: 64)) == "3 to 63 characters")
        #expect(ValueRules.bucketNameViolation("My_Bucket") == "only lower-case letters, digits, '.' and '-'")
        #expect(ValueRules.bucketNameViolation("-bucket") == "to begin and end with a letter or digit")
        #expect(ValueRules.bucketNameViolation("a..b") == "no two adjacent periods")
        #expect(ValueRules.bucketNameViolation("192.168.5.4") == "not an IP address")
        #expect(ValueRules.bucketNameViolation("xn--bucket") == "not to begin with \"xn--\"")
        #expect(ValueRules.bucketNameViolation("bucket-s3alias") == "not to end with \"-s3alias\"")
    }

    @Test func localRegistryPaths() {
        #expect(ValueRules.localRegistryPath("file:///var/lib/registry/") == "/var/lib/registry")
        #expect(ValueRules.localRegistryPath("file:///tmp/with%20space") == "/tmp/with space")
        #expect(ValueRules.localRegistryPath("file://localhost/srv/r") == "/srv/r")
        #expect(ValueRules.localRegistryPath("file://host/srv/r") == nil)
        #expect(ValueRules.localRegistryPath("file:relative") == nil)
        #expect(ValueRules.localRegistryPath("/abs/path") == nil)
    }

    @Test func namesAndLevels() {
        #expect(ValueRules.isPackageNamePart("benchling-exp_1"))
        #expect(!ValueRules.isPackageNamePart("a/b"))
        #expect(!ValueRules.isPackageNamePart("é"))
        #expect(ValueRules.isECRRepositoryName("quiltdata/benchling-webhook"))
        #expect(!ValueRules.isECRRepositoryName("Quilt"))
        #expect(LogLevel(name: "warning") == .warning)
        #expect(LogLevel.critical.loggerLevel == .critical)
        #expect(LogLevel(name: "WARN") == nil)
    }
}
