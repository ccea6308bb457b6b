import Benchling
import Testing

/// Which download URLs an export answer may name, derived from the configured Benchling base URL.
@Suite(.timeLimit(.minutes(2))) struct ExportDownloadPolicyTests {
    let tenant = ExportDownloadPolicy(benchlingBaseURL: "https://acme.benchling.com")

    @Test(arguments: [
        "https://acme.benchling.com/exports/x.zip",
        "https://benchling-exports.s3.amazonaws.com/x.zip?X-Amz-Signature=abc",
        "https://bucket.s3.us-west-2.amazonaws.com/x.zip",
        "https://s3.us-west-2.amazonaws.com/bucket/x.zip",
        "https://bucket.s3-us-west-2.amazonaws.com/x.zip",
        "https://bucket.s3.dualstack.eu-west-1.amazonaws.com/x.zip",
        "https://exports.benchling.com/x.zip",
    ])
    func allowsTheTenantBenchlingAndS3OverHTTPS(url: String) throws {
        _ = try tenant.check(url, operation: "GET download")
    }

    @Test(arguments: [
        "http://acme.benchling.com/exports/x.zip",
        "http://bucket.s3.amazonaws.com/x.zip",
        "https://169.254.170.2/v2/credentials",
        "https://evil.example.com/x.zip",
        "https://acme.benchling.com.evil.example/x.zip",
        "https://s3.amazonaws.com.evil.example/x.zip",
        "https://ec2-1-2-3-4.compute-1.amazonaws.com/x.zip",
        "ftp://acme.benchling.com/x.zip",
        "file:///etc/passwd",
        "/relative/x.zip",
    ])
    func refusesEverythingElse(url: String) {
        let error = #expect(throws: BenchlingError.self) { try tenant.check(url, operation: "GET download") }
        #expect(error?.isPermanent == true)
        #expect(error?.description.contains("X-Amz-Signature") == false)
    }

    @Test func aDevelopmentBaseURLAllowsItsOwnOriginOnly() throws {
        let local = ExportDownloadPolicy(benchlingBaseURL: "http://127.0.0.1:8765")
        _ = try local.check("http://127.0.0.1:8765/downloads/abc.zip", operation: "GET download")
        for url in [
            "http://127.0.0.1:8766/downloads/abc.zip", "http://localhost:8765/downloads/abc.zip",
            "http://169.254.169.254/latest/meta-data/",
        ] {
            #expect(throws: BenchlingError.self) { try local.check(url, operation: "GET download") }
        }
    }
}
