import Foundation
import JSONCore
import TestSupport

/// The worker configured like a deployment (through the configuration resolver, not a hand-built
/// `Configuration`): a file secret, a Quilt stack on moto for S3, the worker's IAM user.
extension WorkerFixture {
    /// A stack whose outputs name the fixture's catalog host (what the resolver reads for S3 mode).
    func createStack() async throws -> String {
        try await MotoSeeder(environment).createStack(
            name: environment.uniqueName("wkstack"), outputs: ["QuiltWebHost": Self.catalogHost])
    }

    /// The process environment of a worker whose secret (written to a file in the fixture folder) points at
    /// `userBucket` (`file:///…` for the embedded local registry, or a bucket name, which needs `stackARN`).
    func deploymentEnvironment(
        userBucket: String, stackARN: String?, label: String, logLevel: String = "INFO"
    ) throws -> [String: String] {
        let secret: JSONValue = [
            "CLIENT_ID": .string(sandbox.clientId), "CLIENT_SECRET": .string(sandbox.clientSecret),
            "TENANT": "sandbox", "APP_DEFINITION_ID": .string(sandbox.appDefinitionId), "LOG_LEVEL": .string(logLevel),
            "PKG_PREFIX": .string(Self.pkgPrefix), "PKG_KEY": "experiment_id", "USER_BUCKET": .string(userBucket),
        ]
        let secretFile = folder.appendingPathComponent("secret-\(label).json")
        try secret.compactData().write(to: secretFile)
        var environment = workerEnvironment
        environment["BENCHLING_SECRET"] = secretFile.absoluteString
        environment["BENCHLING_BASE_URL"] = sandbox.baseURL.absoluteString
        if let stackARN { environment["QuiltStackARN"] = stackARN }
        return environment
    }
}
