import Foundation
import Testing

@testable import Config

/// The rule that picks how linked packages are found, from the Quilt stack's outputs (no AWS involved).
@Suite("Linked package source", .timeLimit(.minutes(2)))
struct LinkedPackageSourceTests {
    static let stack = StackARN("arn:aws:cloudformation:us-east-1:123456789012:stack/quilt/abc")

    static func configuration(
        database: String? = "userathenadatabase_abc", workgroup: String? = nil, resultsBucket: String? = nil,
        userBucket: UserBucket = .s3(bucket: "lab-bucket"), stack: StackARN? = stack
    ) -> Configuration {
        Configuration(
            stackARN: stack, athenaDatabase: database, athenaWorkgroup: workgroup, athenaResultsBucket: resultsBucket,
            parameters: SecretParameters(
                clientId: "id", clientSecret: "secret", tenant: "acme", appDefinitionId: "appdef_1",
                userBucket: userBucket),
            secretSource: "test")
    }

    @Test func databaseAndWorkgroupUseTheWorkgroupsOwnResultLocation() {
        // A results bucket as well changes nothing: the workgroup's location is the one the stack set up.
        for results in [nil, "quilt-results"] {
            let source = Self.configuration(workgroup: "QuiltUserAthena-abc", resultsBucket: results)
                .linkedPackageSource
            #expect(
                source
                    == .athena(
                        .init(
                            database: "userathenadatabase_abc", bucket: "lab-bucket", workGroup: "QuiltUserAthena-abc",
                            outputLocation: nil)))
        }
    }

    @Test func athenaLookupOffReadsManifestsWhateverTheStackSays() {
        var configuration = Self.configuration(workgroup: "QuiltUserAthena-abc", resultsBucket: "quilt-results")
        configuration.athenaPermitted = false
        guard case .manifests(let reason) = configuration.linkedPackageSource else {
            Issue.record("expected the manifest scan, got \(configuration.linkedPackageSource)")
            return
        }
        #expect(reason.hasPrefix("ATHENA_LOOKUP=off"))
    }

    @Test func databaseAndResultsBucketUsePrimaryWithAnOutputLocation() {
        let source = Self.configuration(resultsBucket: "quilt-results").linkedPackageSource
        #expect(
            source
                == .athena(
                    .init(
                        database: "userathenadatabase_abc", bucket: "lab-bucket", workGroup: "primary",
                        outputLocation: "s3://quilt-results/benchling-quilt/")))
        #expect(
            source.summary
                == "Athena (database userathenadatabase_abc, workgroup primary, results in s3://quilt-results/benchling-quilt/)"
        )
    }

    @Test func otherwiseTheManifestScanWithTheReason() {
        let cases: [(Configuration, String)] = [
            (Self.configuration(), "neither UserAthenaWorkgroupName nor AthenaResultsBucketName"),
            (
                Self.configuration(database: nil, workgroup: "wg", resultsBucket: "r"),
                "no UserAthenaDatabaseName output"
            ),
            (Self.configuration(database: nil, stack: nil), "there is no Quilt stack"),
            (
                Self.configuration(workgroup: "wg", userBucket: .localDirectory(path: "/tmp/registry")),
                "the registry is a local directory"
            ),
        ]
        for (configuration, expected) in cases {
            guard case .manifests(let reason) = configuration.linkedPackageSource else {
                Issue.record("expected the manifest scan for \(configuration.athenaDatabase ?? "no database")")
                continue
            }
            #expect(reason.contains(expected), "\(reason)")
            #expect(configuration.linkedPackageSource.summary == "reading manifests (\(reason))")
        }
    }

    @Test func emptyOrBlankStackOutputsCountAsAbsent() {
        let outputs = [
            "AthenaResultsBucketName": "", "UserAthenaWorkgroupName": "  ", "UserAthenaDatabaseName": " db ",
        ]
        #expect(ConfigurationResolver.output("AthenaResultsBucketName", in: outputs) == nil)
        #expect(ConfigurationResolver.output("UserAthenaWorkgroupName", in: outputs) == nil)
        #expect(ConfigurationResolver.output("Missing", in: outputs) == nil)
        #expect(ConfigurationResolver.output("UserAthenaDatabaseName", in: outputs) == "db")
        // A results bucket written as a URL is used by its name.
        #expect(ConfigurationResolver.bucketName("athena-results") == "athena-results")
        #expect(ConfigurationResolver.bucketName("s3://athena-results/") == "athena-results")
        #expect(ConfigurationResolver.bucketName("S3://athena-results/some/prefix") == "athena-results")
        #expect(ConfigurationResolver.bucketName("s3://") == nil)
        #expect(ConfigurationResolver.bucketName(nil) == nil)
    }
}
