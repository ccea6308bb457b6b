import AWSCore
import AWSServices
import AsyncHTTPClient
import Config
import Foundation
import Logging
import Quilt
import Testing

@testable import Worker

/// Which linked-package lookup the worker builds from the Quilt stack's outputs (no AWS call is made: the
/// clients are only handed to the lookup).
@Suite("Linked package lookup selection", .timeLimit(.minutes(2)))
struct LinkedPackageLookupSelectionTests {
    static func configuration(
        database: String? = "userathenadatabase_abc", workgroup: String? = nil,
        resultsBucket: String? = nil
    ) -> Configuration {
        Configuration(
            stackARN: StackARN("arn:aws:cloudformation:us-east-1:123456789012:stack/quilt/abc"),
            athenaDatabase: database, athenaWorkgroup: workgroup, athenaResultsBucket: resultsBucket,
            parameters: SecretParameters(
                clientId: "id", clientSecret: "secret", tenant: "acme", appDefinitionId: "appdef_1",
                userBucket: .s3(bucket: "lab-bucket")),
            secretSource: "test")
    }

    static let client = AWSClient(
        region: AWSRegion("us-east-1"),
        credentialProvider: StaticCredentialProvider(accessKeyId: "a", secretAccessKey: "b"),
        httpClient: HTTPClient.shared)
    static let athena = Athena(client: client)
    static let registry = S3Registry(s3: S3(client: client), bucket: "lab-bucket")

    static func make(_ configuration: Configuration, athena: Athena? = athena) -> any LinkedPackageLookup {
        LinkedPackageLookups.make(configuration: configuration, registry: registry, athena: athena)
    }

    @Test("database + workgroup: Athena in that workgroup, with the workgroup's own result location")
    func workgroup() throws {
        let finder = try #require(
            Self.make(Self.configuration(workgroup: "QuiltUserAthena-abc", resultsBucket: "results"))
                as? AthenaLinkedPackageFinder)
        #expect(finder.database == "userathenadatabase_abc")
        #expect(finder.workGroup == "QuiltUserAthena-abc")
        #expect(finder.outputLocation == nil)
        #expect(finder.bucket == "lab-bucket")
        #expect(finder.packageKey == "experiment_id")
    }

    @Test("database + results bucket, no workgroup: Athena in primary, results under benchling-quilt/")
    func resultsBucket() throws {
        let finder = try #require(
            Self.make(Self.configuration(resultsBucket: "quilt-athena-results")) as? AthenaLinkedPackageFinder)
        #expect(finder.workGroup == "primary")
        #expect(finder.outputLocation == "s3://quilt-athena-results/benchling-quilt/")
        #expect(finder.database == "userathenadatabase_abc")
    }

    @Test("otherwise the manifest scan, with the reason the worker logs")
    func manifestScan() {
        let cases: [(Configuration, Athena?, String)] = [
            (Self.configuration(), Self.athena, "neither UserAthenaWorkgroupName nor AthenaResultsBucketName"),
            (
                Self.configuration(database: nil, workgroup: "wg", resultsBucket: "r"), Self.athena,
                "no UserAthenaDatabaseName"
            ),
            (Self.configuration(workgroup: "wg"), nil, "no Athena client"),
        ]
        for (configuration, athena, expected) in cases {
            #expect(Self.make(configuration, athena: athena) is LinkedPackageFinder)
            let source = LinkedPackageLookups.source(configuration: configuration, athena: athena)
            guard case .manifests(let reason) = source else {
                Issue.record("expected the manifest scan, got \(source)")
                continue
            }
            #expect(reason.contains(expected), "\(reason)")
        }
    }
}
