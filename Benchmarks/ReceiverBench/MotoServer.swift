import AWSCore
import AsyncHTTPClient
import Foundation
import JSONCore
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A moto server of the benchmark's own, on a free loopback port: the local SQS endpoint.
///
/// Never the shared test server (whose IAM users other test runs rely on): a fresh process, stopped by its PID
/// when the benchmark ends. Runs without IAM enforcement; the receiver still signs every call with SigV4.
final class MotoServer {
    let process: Process
    let endpoint: String
    let client: AWSClient
    static let region = "us-east-1"
    static let credentials = (accessKeyId: "AKIABENCHMARK0000000", secretAccessKey: "bench-secret")

    private init(process: Process, endpoint: String) {
        self.process = process
        self.endpoint = endpoint
        client = AWSClient(
            region: AWSRegion(Self.region),
            credentialProvider: StaticCredentialProvider(
                accessKeyId: Self.credentials.accessKeyId, secretAccessKey: Self.credentials.secretAccessKey),
            endpoints: AWSEndpointResolver(customEndpoint: URL(string: endpoint)),
            timeouts: AWSClient.Timeouts(connect: .seconds(5), read: .seconds(30), request: .seconds(60)))
    }

    /// Starts `python -m moto.server` and waits (up to 60 s) until it answers.
    static func start(python: String, http: HTTPClient) async throws -> MotoServer {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw BenchError(
                "no moto: \(python) is missing; run scripts/testenv up (it creates .venv) or pass --python")
        }
        let port = try FreePort.pick()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-m", "moto.server", "-H", "127.0.0.1", "-p", String(port)]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let server = MotoServer(process: process, endpoint: "http://127.0.0.1:\(port)")
        for _ in 0..<600 {
            if let response = try? await http.execute(
                HTTPClientRequest(url: server.endpoint + "/moto-api/"), timeout: .seconds(1)),
                response.status.code < 500
            {
                return server
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        await server.stop()
        throw BenchError("moto did not start on port \(port)")
    }

    /// A FIFO queue with explicit deduplication, as the deployment's.
    func createFIFOQueue(name: String) async throws -> String {
        let answer = try await client.jsonRequest(
            service: "sqs", target: "AmazonSQS.CreateQueue",
            body: [
                "QueueName": .string(name), "Attributes": ["FifoQueue": "true", "ContentBasedDeduplication": "false"],
            ])
        guard let url = answer["QueueUrl"]?.stringValue else { throw BenchError("CreateQueue: no QueueUrl") }
        return url
    }

    /// Empties the queue, so each run starts from the same state (moto's cost per message grows with its size).
    func purge(queueURL: String) async throws {
        _ = try await client.jsonRequest(
            service: "sqs", target: "AmazonSQS.PurgeQueue", body: ["QueueUrl": .string(queueURL)])
    }

    /// Messages in the queue now (ApproximateNumberOfMessages, exact in moto).
    func messageCount(queueURL: String) async throws -> Int {
        let answer = try await client.jsonRequest(
            service: "sqs", target: "AmazonSQS.GetQueueAttributes",
            body: ["QueueUrl": .string(queueURL), "AttributeNames": ["ApproximateNumberOfMessages"]])
        return answer["Attributes"]?["ApproximateNumberOfMessages"]?.stringValue.flatMap { Int($0) } ?? -1
    }

    /// Environment for the receiver: the queue's endpoint, region and (any) credentials.
    var receiverEnvironment: [String: String] {
        [
            "AWS_ENDPOINT_URL": endpoint, "AWS_REGION": Self.region, "AWS_ACCESS_KEY_ID": Self.credentials.accessKeyId,
            "AWS_SECRET_ACCESS_KEY": Self.credentials.secretAccessKey,
        ]
    }

    /// SIGTERM, then SIGKILL after 3 s: a child of this process may inherit a blocked SIGTERM (Foundation spawns
    /// from a thread that blocks signals), and moto keeps nothing worth a clean exit.
    func stop() async {
        try? await client.shutdown()
        let pid = process.processIdentifier
        guard process.isRunning else { return }
        process.terminate()
        for _ in 0..<30 where process.isRunning { try? await Task.sleep(for: .milliseconds(100)) }
        if process.isRunning { kill(pid, SIGKILL) }
        process.waitUntilExit()
    }
}
