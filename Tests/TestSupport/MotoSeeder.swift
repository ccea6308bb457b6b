import AWSCore
import AWSServices
import AsyncHTTPClient
import Foundation
import JSONCore

// AWS clients for the test users, and the resources the ops template would create, on the moto server of
// `scripts/testenv`. One implementation for every test target.

extension TestEnvironment {
    /// A client on the moto server signing as `credentials` (`secretOverride` replaces the secret key, to provoke
    /// signature failures). With `httpClient` nil the client owns one: call `shutdown()` when done.
    public func awsClient(
        _ credentials: Credentials, secretOverride: String? = nil, retry: RetryPolicy = .default,
        timeouts: AWSClient.Timeouts = .init(), httpClient: HTTPClient? = nil
    ) -> AWSClient {
        AWSClient(
            region: AWSRegion(region),
            credentialProvider: StaticCredentialProvider(
                accessKeyId: credentials.accessKeyId,
                secretAccessKey: secretOverride ?? credentials.secretAccessKey),
            endpoints: AWSEndpointResolver(customEndpoint: URL(string: awsEndpoint)),
            retryPolicy: retry, timeouts: timeouts, httpClient: httpClient)
    }

    /// Runs `body` with a fresh client and shuts it down afterwards.
    public func withAWSClient<T>(
        _ credentials: Credentials, secretOverride: String? = nil, retry: RetryPolicy = .default,
        timeouts: AWSClient.Timeouts = .init(), _ body: (AWSClient) async throws -> T
    ) async throws -> T {
        let client = awsClient(credentials, secretOverride: secretOverride, retry: retry, timeouts: timeouts)
        do {
            let result = try await body(client)
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// The AWS part of a component's process environment when it runs as `credentials`: moto's endpoint, the
    /// keys, no profile files (so the credential chain must use exactly these keys) and, when
    /// `includeRegion`, the region.
    public func awsProcessEnvironment(_ credentials: Credentials, includeRegion: Bool = true) -> [String: String] {
        var env = [
            "AWS_ENDPOINT_URL": awsEndpoint,
            "AWS_ACCESS_KEY_ID": credentials.accessKeyId,
            "AWS_SECRET_ACCESS_KEY": credentials.secretAccessKey,
            "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        ]
        if includeRegion { env["AWS_REGION"] = region }
        return env
    }
}

/// Creates test resources with the admin key. Names passed in should be `bq-test-…` (see
/// `TestEnvironment.uniqueName`) unless a test wants them outside the component policies.
public struct MotoSeeder: Sendable {
    public let environment: TestEnvironment
    /// The admin client; it borrows `HTTPClient.shared`, so it needs no shutdown.
    public let admin: AWSClient

    public init(_ environment: TestEnvironment) {
        self.environment = environment
        admin = environment.awsClient(environment.admin, httpClient: HTTPClient.shared)
    }

    public init() throws { self.init(try TestEnvironment.load()) }

    public struct SeedError: Error, CustomStringConvertible {
        public let description: String
        public init(_ description: String) { self.description = description }
    }

    // MARK: S3

    /// CreateBucket (path style; us-east-1 needs no location constraint), then optionally enables versioning.
    public func createBucket(name: String, versioned: Bool = false) async throws {
        let baseURL = admin.endpoints.s3Location(bucket: name, region: admin.region).baseURL
        _ = try await admin.send(
            AWSRequest(
                service: "s3", operation: "CreateBucket", method: "PUT", baseURL: baseURL, path: "/" + name,
                signingOptions: .s3))
        guard versioned else { return }
        let xml =
            #"<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>Enabled</Status></VersioningConfiguration>"#
        _ = try await admin.send(
            AWSRequest(
                service: "s3", operation: "PutBucketVersioning", method: "PUT", baseURL: baseURL, path: "/" + name,
                query: [("versioning", "")], headers: [("Content-Type", "application/xml")],
                body: .data(Data(xml.utf8)), signingOptions: .s3))
    }

    // MARK: SQS

    /// CreateQueue with exactly `attributes`; returns the queue URL.
    public func createQueue(name: String, attributes: [String: String]) async throws -> String {
        var attrs = JSONObject()
        for (key, value) in attributes.sorted(by: { $0.key < $1.key }) { attrs[key] = .string(value) }
        let answer = try await admin.jsonRequest(
            service: "sqs", target: "AmazonSQS.CreateQueue",
            body: ["QueueName": .string(name), "Attributes": .object(attrs)])
        guard let url = answer["QueueUrl"]?.stringValue else { throw SeedError("CreateQueue: no QueueUrl") }
        return url
    }

    /// `<name>.fifo` (explicit deduplication) with its dead-letter queue `<name>-dlq.fifo` wired by a
    /// RedrivePolicy; returns both URLs.
    public func createFIFOQueue(
        name: String, maxReceiveCount: Int, visibilityTimeout: Int? = nil, extraAttributes: [String: String] = [:]
    ) async throws -> (queue: String, deadLetter: String) {
        let fifo = ["FifoQueue": "true", "ContentBasedDeduplication": "false"]
        let deadLetter = try await createQueue(name: name + "-dlq.fifo", attributes: fifo)
        let arn =
            try await SQS(client: admin).getQueueAttributes(queueURL: deadLetter, names: ["QueueArn"])["QueueArn"]
            ?? ""
        var attributes = fifo.merging(extraAttributes) { _, extra in extra }
        if let visibilityTimeout { attributes["VisibilityTimeout"] = String(visibilityTimeout) }
        attributes["RedrivePolicy"] = #"{"deadLetterTargetArn":"\#(arn)","maxReceiveCount":\#(maxReceiveCount)}"#
        let queue = try await createQueue(name: name + ".fifo", attributes: attributes)
        return (queue, deadLetter)
    }

    // MARK: Secrets Manager

    /// Creates a secret holding `text`; returns its name and ARN.
    @discardableResult
    public func createSecret(_ text: String, name: String) async throws -> (name: String, arn: String) {
        let answer = try await admin.jsonRequest(
            service: "secretsmanager", target: "secretsmanager.CreateSecret",
            body: ["Name": .string(name), "SecretString": .string(text)])
        return (name, answer["ARN"]?.stringValue ?? "")
    }

    /// Stores a new current version of an existing secret.
    public func putSecretValue(_ text: String, secretId: String) async throws {
        _ = try await admin.jsonRequest(
            service: "secretsmanager", target: "secretsmanager.PutSecretValue",
            body: ["SecretId": .string(secretId), "SecretString": .string(text)])
    }

    // MARK: CloudFormation

    /// Creates a stack whose template outputs are the constants `outputs`, with a placeholder resource plus
    /// `extraResources`; returns its ARN (the StackId).
    public func createStack(
        name: String? = nil, outputs: [String: String], extraResources: JSONObject = [:]
    ) async throws -> String {
        var outputSection = JSONObject()
        for (key, value) in outputs.sorted(by: { $0.key < $1.key }) { outputSection[key] = ["Value": .string(value)] }
        var resources: JSONObject = ["Handle": ["Type": "AWS::CloudFormation::WaitConditionHandle"]]
        for (key, value) in extraResources { resources[key] = value }
        let template: JSONValue = [
            "AWSTemplateFormatVersion": "2010-09-09",
            "Resources": .object(resources),
            "Outputs": .object(outputSection),
        ]
        let root = try await admin.queryRequest(
            service: "cloudformation", action: "CreateStack", version: CloudFormation.apiVersion,
            params: ["StackName": name ?? environment.uniqueName("stack"), "TemplateBody": template.compactString()])
        guard let arn = root.first(named: "StackId")?.text, !arn.isEmpty else {
            throw SeedError("CreateStack answered without StackId")
        }
        return arn
    }
}
