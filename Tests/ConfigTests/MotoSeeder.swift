import AWSCore
import Foundation
import JSONCore
import TestSupport

/// Creates the real secrets and stacks the resolver tests read, with the admin key (the resolver itself
/// runs with the worker's or the restricted key).
struct MotoSeeder {
    let environment: TestEnvironment

    init() throws {
        environment = try TestEnvironment.load()
    }

    /// The process environment the resolver sees when running as `credentials` (worker by default).
    func resolverEnvironment(
        credentials: TestEnvironment.Credentials? = nil, stack: String? = nil, secret: String? = nil,
        region: String? = nil
    ) -> [String: String] {
        let credentials = credentials ?? environment.worker
        var env = [
            "AWS_ENDPOINT_URL": environment.awsEndpoint,
            "AWS_ACCESS_KEY_ID": credentials.accessKeyId,
            "AWS_SECRET_ACCESS_KEY": credentials.secretAccessKey,
            // No ECS endpoint and no profile: the chain must use exactly these keys.
            "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        ]
        if let region { env["AWS_REGION"] = region }
        if let stack { env["QuiltStackARN"] = stack }
        if let secret { env["BenchlingSecret"] = secret }
        return env
    }

    private func withAdmin<T>(_ body: (AWSClient) async throws -> T) async throws -> T {
        let client = AWSClient(
            region: AWSRegion(environment.region),
            credentialProvider: StaticCredentialProvider(
                accessKeyId: environment.admin.accessKeyId, secretAccessKey: environment.admin.secretAccessKey),
            endpoints: AWSEndpointResolver(customEndpoint: URL(string: environment.awsEndpoint)))
        do {
            let result = try await body(client)
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// Creates a secret holding `text`; returns (name, ARN).
    func createSecret(_ text: String, prefix: String = "secret") async throws -> (name: String, arn: String) {
        let name = environment.uniqueName(prefix)
        let answer = try await withAdmin { client in
            try await client.jsonRequest(
                service: "secretsmanager", target: "secretsmanager.CreateSecret",
                body: ["Name": .string(name), "SecretString": .string(text)])
        }
        return (name, answer["ARN"]?.stringValue ?? "")
    }

    /// Creates a stack whose template outputs are `outputs` (constants); returns its ARN (the StackId).
    func createStack(outputs: [String: String]) async throws -> String {
        var outputSection = JSONObject()
        for (key, value) in outputs.sorted(by: { $0.key < $1.key }) {
            outputSection[key] = ["Value": .string(value)]
        }
        let template: JSONValue = [
            "AWSTemplateFormatVersion": "2010-09-09",
            "Resources": ["Handle": ["Type": "AWS::CloudFormation::WaitConditionHandle"]],
            "Outputs": .object(outputSection),
        ]
        let name = environment.uniqueName("stack")
        let root = try await withAdmin { client in
            try await client.queryRequest(
                service: "cloudformation", action: "CreateStack", version: "2010-05-15",
                params: ["StackName": name, "TemplateBody": template.compactString()])
        }
        guard let arn = root.first(named: "StackId")?.text, !arn.isEmpty else {
            throw SeedError(what: "CreateStack answered without StackId")
        }
        return arn
    }

    struct SeedError: Error, CustomStringConvertible {
        let what: String
        var description: String { what }
    }
}
