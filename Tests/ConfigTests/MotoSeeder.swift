import TestSupport

/// The resolver tests seed real secrets and stacks with the admin key (TestSupport's `MotoSeeder`); the resolver
/// itself runs with the worker's or the restricted key.
extension MotoSeeder {
    /// The process environment the resolver sees when running as `credentials` (worker by default). No
    /// `AWS_REGION` unless given.
    func resolverEnvironment(
        credentials: TestEnvironment.Credentials? = nil, stack: String? = nil, secret: String? = nil,
        region: String? = nil
    ) -> [String: String] {
        var env = environment.awsProcessEnvironment(credentials ?? environment.worker, includeRegion: false)
        if let region { env["AWS_REGION"] = region }
        if let stack { env["QuiltStackARN"] = stack }
        if let secret { env["BenchlingSecret"] = secret }
        return env
    }

    /// Creates a `bq-test-<prefix>-…` secret holding `text`; returns (name, ARN).
    func createSecret(_ text: String, prefix: String = "secret") async throws -> (name: String, arn: String) {
        try await createSecret(text, name: environment.uniqueName(prefix))
    }
}
