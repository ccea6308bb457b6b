import AWSCore
import AWSServices
import Foundation
import JSONCore
import TestSupport
import Testing

/// `ops/deploy`: the secret is checked by the product's own validator before anything is sent, `--dry-run`
/// prints every AWS call and makes none, and the secret step creates and then updates the secret (on moto,
/// through the AWS CLI, as an operator's machine would).
@Suite("ops/deploy", .serialized, .timeLimit(.minutes(5)))
struct OpsDeployTests {
    @Test("--dry-run: the secret is checked, every AWS call is printed, none is made")
    func dryRunPrintsEveryCall() async throws {
        let world = try await DeployWorld.make()
        defer { world.remove() }
        let result = try world.deploy([world.stackName, world.params.path, world.secret.path, "--dry-run"])
        #expect(result.status == 0, "\(result.stderr)")
        let calls = result.stderr.split(separator: "\n").filter { $0.hasPrefix("aws ") }.map(String.init)
        let secretId = "\(world.stackName)/benchling"
        #expect(calls.count == 5, "\(calls)")
        #expect(calls.contains { $0.hasPrefix("aws secretsmanager describe-secret --secret-id \(secretId) ") })
        #expect(
            calls.contains {
                $0.hasPrefix("aws secretsmanager put-secret-value --secret-id \(secretId) --secret-string file://")
            })
        #expect(
            calls.contains {
                $0.hasPrefix("aws secretsmanager create-secret --name \(secretId) --secret-string file://")
            })
        let deploy = try #require(calls.first { $0.hasPrefix("aws cloudformation deploy ") })
        #expect(deploy.contains("--stack-name \(world.stackName) "))
        #expect(deploy.contains("/ops/template.yaml --capabilities CAPABILITY_IAM"))
        #expect(deploy.contains("DomainName=hook.example.com"))
        #expect(deploy.contains("QuiltStackARN=\(world.quiltStack)"))
        #expect(deploy.hasSuffix("BenchlingSecretARN=ARN-OF-\(secretId)"))
        #expect(calls.contains { $0.hasPrefix("aws cloudformation describe-stacks --stack-name \(world.stackName) ") })
        #expect(result.stdout.contains("WebhookURL         https://hook.example.com"), "\(result.stdout)")
        #expect(result.stdout.contains("https://hook.example.com"), "the app manifest names the URL: \(result.stdout)")
        // Nothing was sent: there is no such secret.
        #expect(try await world.storedSecret(secretId) == nil)
    }

    @Test("an unusable secret stops before any AWS call, listing every problem")
    func badSecretStopsEarly() async throws {
        let world = try await DeployWorld.make(secret: ["TENANT": "not a tenant!", "USER_BUCKET": "bq-test-bucket"])
        defer { world.remove() }
        let result = try world.deploy([world.stackName, world.params.path, world.secret.path])
        #expect(result.status == 1)
        let output = result.stdout + result.stderr
        for key in ["CLIENT_ID", "CLIENT_SECRET", "APP_DEFINITION_ID", "TENANT"] {
            #expect(output.contains(key), "\(key) is reported: \(output)")
        }
        #expect(!result.stderr.contains("aws secretsmanager"), "\(result.stderr)")
        #expect(try await world.storedSecret("\(world.stackName)/benchling") == nil)
    }

    @Test("the secret step creates the secret, then stores a new version")
    func secretStepCreatesThenUpdates() async throws {
        let world = try await DeployWorld.make()
        defer { world.remove() }
        let secretId = "\(world.stackName)/benchling"
        let created = try world.deploy([world.stackName, world.params.path, world.secret.path, "--secret-only"])
        #expect(created.status == 0, "\(created.stderr)")
        let first = try #require(try await world.storedSecret(secretId))
        #expect(created.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == first.arn)
        #expect(try JSONValue.parse(first.secretString ?? "") == world.secretJSON)

        var changed = world.secretJSON
        changed = .object((changed.objectValue ?? [:]).merging(["PKG_PREFIX": "lab"]))
        try changed.compactData().write(to: world.secret)
        let updated = try world.deploy([world.stackName, world.params.path, world.secret.path, "--secret-only"])
        #expect(updated.status == 0, "\(updated.stderr)")
        let second = try #require(try await world.storedSecret(secretId))
        #expect(second.arn == first.arn)
        #expect(second.versionId != first.versionId)
        #expect(try JSONValue.parse(second.secretString ?? "")["PKG_PREFIX"] == "lab")
    }
}

/// `ops/worker-exec` finds the stack's cluster and a running task of its worker service (ECS on moto) and
/// prints the ECS Exec call (`--dry-run`: moto has no Session Manager to connect to).
@Suite("ops/worker-exec", .serialized, .timeLimit(.minutes(3)))
struct OpsWorkerExecTests {
    @Test("finds the running worker task and passes the subcommand on")
    func findsRunningTask() async throws {
        let world = try await DeployWorld.make()
        defer { world.remove() }
        let cluster = world.environment.uniqueName("cluster"), service = world.environment.uniqueName("workers")
        let stack = world.environment.uniqueName("exec-stack")
        _ = try await MotoSeeder(world.environment).createStack(
            name: stack, outputs: ["ClusterName": cluster, "WorkerServiceName": service])
        let exec = world.environment.repoRoot.appendingPathComponent("ops/worker-exec").path

        let setUp = try world.bash([
            "-c",
            """
            set -e
            aws ecs create-cluster --cluster-name \(cluster) >/dev/null
            aws ecs register-task-definition --family \(service) \
              --container-definitions '[{"name":"worker","image":"worker","memory":512}]' >/dev/null
            aws ecs create-service --cluster \(cluster) --service-name \(service) --task-definition \(service) \
              --desired-count 1 --launch-type FARGATE >/dev/null
            """,
        ])
        #expect(setUp.status == 0, "\(setUp.stderr)")
        let idle = try world.bash([exec, "--stack", stack, "--dry-run", "jobs", "list"])
        #expect(idle.status == 1)
        #expect(idle.stderr.contains("no running worker task in service \(service)"), "\(idle.stderr)")

        let started = try world.bash([
            "-c",
            """
            aws ecs run-task --cluster \(cluster) --task-definition \(service) --group service:\(service) \
              --launch-type FARGATE --started-by ecs-svc/1 --query 'tasks[0].taskArn' --output text
            """,
        ])
        #expect(started.status == 0, "\(started.stderr)")
        let task = started.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let call = try world.bash([exec, "--stack", stack, "--dry-run", "jobs", "list", "--status", "failed"])
        #expect(call.status == 0, "\(call.stderr)")
        #expect(
            call.stdout.hasPrefix(
                "aws ecs execute-command --cluster \(cluster) --task \(task) --container worker --interactive --command "
            ),
            "\(call.stdout)")
        #expect(call.stdout.contains(#"worker\ jobs\ list\ --status\ failed"#), "\(call.stdout)")

        let quoted = try world.bash([exec, "--stack", stack, "jobs", "show", "a b"])
        #expect(quoted.status == 2)
        #expect(quoted.stderr.contains("holds a blank or a quote"), "\(quoted.stderr)")
    }
}

private extension JSONObject {
    func merging(_ other: JSONObject) -> JSONObject {
        var result = self
        for (key, value) in other { result[key] = value }
        return result
    }
}

/// A parameters file and a secret file for `ops/deploy`, a Quilt stack and a bucket on moto, and the script run
/// with the admin's keys (an operator's), the venv's AWS CLI and this build's `worker`.
struct DeployWorld {
    let environment: TestEnvironment
    let folder: URL
    let params: URL
    let secret: URL
    let secretJSON: JSONValue
    let stackName: String
    let quiltStack: String

    static func make(secret: JSONObject? = nil) async throws -> DeployWorld {
        let environment = try TestEnvironment.load()
        let seeder = MotoSeeder(environment)
        let bucket = environment.uniqueName("deploy")
        try await seeder.createBucket(name: bucket)
        let quiltStack = try await seeder.createStack(outputs: ["QuiltWebHost": "catalog.example.com"])
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(environment.uniqueName("deploy"))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let secretJSON = JSONValue.object(
            secret ?? [
                "CLIENT_ID": "client", "CLIENT_SECRET": "s3cret", "TENANT": "acme", "APP_DEFINITION_ID": "appdef_1",
                "USER_BUCKET": .string(bucket),
            ])
        let secretFile = folder.appendingPathComponent("secret.json")
        try secretJSON.compactData().write(to: secretFile)
        let parameters: [(String, String)] = [
            ("DomainName", "hook.example.com"), ("QuiltStackARN", quiltStack), ("UserBucket", bucket),
            ("VpcId", "vpc-1"), ("VpcCidr", "10.0.0.0/16"), ("PublicSubnetIds", "subnet-a,subnet-b"),
        ]
        let params = folder.appendingPathComponent("params.json")
        try JSONValue.array(parameters.map { ["ParameterKey": .string($0.0), "ParameterValue": .string($0.1)] })
            .compactData().write(to: params)
        return DeployWorld(
            environment: environment, folder: folder, params: params, secret: secretFile, secretJSON: secretJSON,
            stackName: environment.uniqueName("stack"), quiltStack: quiltStack)
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    func deploy(_ arguments: [String]) throws -> Result {
        try bash([environment.repoRoot.appendingPathComponent("ops/deploy").path] + arguments)
    }

    /// `bash ARGUMENTS…` as an operator's shell: the admin's keys, the venv's AWS CLI first on PATH, moto.
    func bash(_ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = arguments
        var variables = environment.pythonEnvironment(credentials: environment.admin)
        variables["AWS_CONFIG_FILE"] = "/dev/null"
        variables["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null"
        let venv = URL(fileURLWithPath: environment.python).deletingLastPathComponent().path
        variables["PATH"] = venv + ":" + (variables["PATH"] ?? "/usr/bin:/bin")
        variables["WORKER"] = try ExecutableProducts.directory().appendingPathComponent("worker").path
        process.environment = variables
        let stdout = folder.appendingPathComponent("stdout-\(UUID().uuidString)")
        let stderr = folder.appendingPathComponent("stderr-\(UUID().uuidString)")
        for file in [stdout, stderr] { _ = FileManager.default.createFile(atPath: file.path, contents: nil) }
        process.standardOutput = try FileHandle(forWritingTo: stdout)
        process.standardError = try FileHandle(forWritingTo: stderr)
        try process.run()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: try String(contentsOf: stdout, encoding: .utf8),
            stderr: try String(contentsOf: stderr, encoding: .utf8))
    }

    /// The secret as Secrets Manager has it now; nil when there is none.
    func storedSecret(_ id: String) async throws -> SecretsManager.SecretValue? {
        try await environment.withAWSClient(environment.admin) { client in
            do {
                return try await SecretsManager(client: client).getSecretValue(secretId: id)
            } catch let error as AWSError where error.code == "ResourceNotFoundException" {
                return nil
            }
        }
    }
}
