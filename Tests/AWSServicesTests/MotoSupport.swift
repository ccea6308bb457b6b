import AWSCore
import AWSServices
import Foundation
import JSONCore
import TestSupport

/// Clients for the moto server of `scripts/testenv`, one per IAM user; seeding helpers that use the generic calls.
struct Moto {
    let environment: TestEnvironment

    init() throws { environment = try TestEnvironment.load() }

    func client(_ credentials: TestEnvironment.Credentials, secretOverride: String? = nil,
                retry: RetryPolicy = RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(50))) -> AWSClient {
        AWSClient(
            region: AWSRegion(environment.region),
            credentialProvider: StaticCredentialProvider(
                accessKeyId: credentials.accessKeyId,
                secretAccessKey: secretOverride ?? credentials.secretAccessKey),
            endpoints: AWSEndpointResolver(customEndpoint: URL(string: environment.awsEndpoint)),
            retryPolicy: retry,
            timeouts: .init(connect: .seconds(5), read: .seconds(30), request: .seconds(120)))
    }

    /// Runs `body` with a client and shuts it down afterwards.
    func with<T>(_ credentials: TestEnvironment.Credentials, secretOverride: String? = nil,
                 _ body: (AWSClient) async throws -> T) async throws -> T {
        let client = client(credentials, secretOverride: secretOverride)
        do {
            let result = try await body(client)
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    /// CreateBucket (path style, us-east-1 needs no location constraint).
    static func createBucket(_ client: AWSClient, _ bucket: String) async throws {
        _ = try await client.send(AWSRequest(
            service: "s3", operation: "CreateBucket", method: "PUT",
            baseURL: client.endpoints.s3Location(bucket: bucket, region: client.region).baseURL,
            path: "/" + bucket, signingOptions: .s3))
    }

    static func enableVersioning(_ client: AWSClient, _ bucket: String) async throws {
        let xml = #"<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>Enabled</Status></VersioningConfiguration>"#
        _ = try await client.send(AWSRequest(
            service: "s3", operation: "PutBucketVersioning", method: "PUT",
            baseURL: client.endpoints.s3Location(bucket: bucket, region: client.region).baseURL,
            path: "/" + bucket, query: [("versioning", "")], headers: [("Content-Type", "application/xml")],
            body: .data(Data(xml.utf8)), signingOptions: .s3))
    }

    /// CreateQueue; returns the queue URL.
    static func createQueue(_ client: AWSClient, name: String, attributes: [String: String]) async throws -> String {
        var attrs = JSONObject()
        for (key, value) in attributes.sorted(by: { $0.key < $1.key }) { attrs[key] = .string(value) }
        let answer = try await client.jsonRequest(service: "sqs", target: "AmazonSQS.CreateQueue",
                                                  body: ["QueueName": .string(name), "Attributes": .object(attrs)])
        return answer["QueueUrl"]?.stringValue ?? ""
    }
}
