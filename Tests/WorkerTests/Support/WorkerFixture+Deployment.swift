import BenchlingSandbox
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
        try Self.deploymentEnvironment(
            environment: environment, sandbox: sandbox, folder: folder, userBucket: userBucket, stackARN: stackARN,
            label: label, logLevel: logLevel, pkgWorkflow: pkgWorkflow)
    }

    static func deploymentEnvironment(
        environment: TestEnvironment, sandbox: SandboxTenant, folder: URL, userBucket: String, stackARN: String?,
        label: String, logLevel: String, pkgWorkflow: String?
    ) throws -> [String: String] {
        var secret: JSONObject = [
            "CLIENT_ID": .string(sandbox.clientId), "CLIENT_SECRET": .string(sandbox.clientSecret),
            "TENANT": "sandbox", "APP_DEFINITION_ID": .string(sandbox.appDefinitionId), "LOG_LEVEL": .string(logLevel),
            "PKG_PREFIX": .string(pkgPrefix), "PKG_KEY": "experiment_id", "USER_BUCKET": .string(userBucket),
        ]
        if let pkgWorkflow { secret["PKG_WORKFLOW"] = .string(pkgWorkflow) }
        let secretFile = folder.appendingPathComponent("secret-\(label).json")
        try JSONValue.object(secret).compactData().write(to: secretFile)
        var variables = environment.awsProcessEnvironment(environment.worker)
        variables["BENCHLING_SECRET"] = secretFile.absoluteString
        variables["BENCHLING_BASE_URL"] = sandbox.baseURL.absoluteString
        if let stackARN { variables["QuiltStackARN"] = stackARN }
        return variables
    }
}
