import Foundation
import JSONCore
import TestSupport
import Testing

@testable import AWSCore

/// The real client against a loopback endpoint that misbehaves on purpose.
@Suite(.timeLimit(.minutes(3))) struct AWSClientRetryTests {
    static func client(_ server: LoopbackHTTPServer, attempts: Int = 4) -> AWSClient {
        AWSClient(
            region: "us-east-1", credentialProvider: StaticCredentialProvider(accessKeyId: "AK", secretAccessKey: "SK"),
            endpoints: AWSEndpointResolver(customEndpoint: URL(string: server.baseURL)),
            retryPolicy: RetryPolicy(maxAttempts: attempts, baseDelay: .milliseconds(5), maxDelay: .milliseconds(20)),
            timeouts: .init(connect: .seconds(2), read: .seconds(5), request: .seconds(10)))
    }

    @Test func retriesThrottlingAndServerErrorsThenSucceeds() async throws {
        let server = try LoopbackHTTPServer { _, index in
            switch index {
            case 1:
                return .init(
                    status: 400,
                    body: Data(#"{"__type":"com.amazonaws.sqs#ThrottlingException","message":"slow down"}"#.utf8))
            case 2: return .init(status: 503, body: Data("<Error><Code>SlowDown</Code></Error>".utf8))
            default: return .init(status: 200, body: Data(#"{"QueueUrl":"u"}"#.utf8))
            }
        }
        defer { server.stop() }
        try await withShutdown(of: Self.client(server), by: { try? await $0.shutdown() }) { (client) async throws in
            let answer = try await client.jsonRequest(
                service: "sqs", target: "AmazonSQS.GetQueueUrl", body: ["QueueName": "q"])
            #expect(answer["QueueUrl"]?.stringValue == "u")
            #expect(server.requests.count == 3)
            // Every attempt is signed afresh and carries the same body.
            #expect(Set(server.requests.map { String(decoding: $0.body, as: UTF8.self) }).count == 1)
            #expect(
                server.requests.allSatisfy {
                    $0.headers["authorization"]?.hasPrefix("AWS4-HMAC-SHA256 Credential=AK/") == true
                })
            #expect(server.requests.first?.headers["x-amz-target"] == "AmazonSQS.GetQueueUrl")
            #expect(server.requests.first?.headers["content-type"] == "application/x-amz-json-1.0")
        }
    }

    /// A file body is re-read from disk for every attempt, so a retried upload sends the same bytes.
    @Test func retriedFileBodyIsSentAgainWhole() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("retry-body-\(UUID().uuidString)")
        let content = Data((0..<700_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try content.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let server = try LoopbackHTTPServer { _, index in
            index == 1
                ? .init(status: 500, body: Data("<Error><Code>InternalError</Code></Error>".utf8))
                : .init(status: 200, headers: [("ETag", "\"abc\"")])
        }
        defer { server.stop() }
        try await withShutdown(of: Self.client(server), by: { try? await $0.shutdown() }) { (client) async throws in
            let request = AWSRequest(
                service: "s3", operation: "UploadPart", method: "PUT", baseURL: server.baseURL, path: "/b/k",
                query: [("partNumber", "2"), ("uploadId", "u")],
                headers: [("Content-Type", "application/octet-stream")],
                body: .file(file, offset: 100_000, length: 500_000), payloadSigning: .unsigned, signingOptions: .s3)
            let response = try await client.send(request)
            #expect(response.header("etag") == "\"abc\"")
            #expect(server.requests.count == 2)
            #expect(server.requests.allSatisfy { $0.body == content[100_000..<600_000] })
            #expect(server.requests.allSatisfy { $0.headers["x-amz-content-sha256"] == "UNSIGNED-PAYLOAD" })
            #expect(server.requests.first?.target == "/b/k?partNumber=2&uploadId=u")
        }
    }

    @Test func neverRetriesOtherClientErrors() async throws {
        let server = try LoopbackHTTPServer { _, _ in
            .init(
                status: 400, headers: [("x-amzn-RequestId", "req-1")],
                body: Data(#"{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"no such queue"}"#.utf8))
        }
        defer { server.stop() }
        try await withShutdown(of: Self.client(server), by: { try? await $0.shutdown() }) { (client) async throws in
            let error = await #expect(throws: AWSError.self) {
                try await client.jsonRequest(service: "sqs", target: "AmazonSQS.GetQueueUrl", body: ["QueueName": "q"])
            }
            #expect(error?.code == "QueueDoesNotExist")
            #expect(error?.requestId == "req-1")
            #expect(error?.operation == "GetQueueUrl")
            #expect(server.requests.count == 1)
        }
    }

    @Test func givesUpAfterMaxAttempts() async throws {
        let server = try LoopbackHTTPServer { _, _ in .init(status: 500, body: Data()) }
        defer { server.stop() }
        try await withShutdown(of: Self.client(server, attempts: 3), by: { try? await $0.shutdown() }) {
            (client) async throws in
            let error = await #expect(throws: AWSError.self) {
                try await client.queryRequest(
                    service: "cloudformation", action: "DescribeStacks", version: "2010-05-15")
            }
            #expect(error?.statusCode == 500)
            #expect(server.requests.count == 3)
        }
    }

    /// A caller that gave up (the receiver answering 503 at its deadline, a stopping worker) must not keep
    /// retrying into a service that is already struggling.
    @Test func stopsRetryingOnceTheCallerIsCancelled() async throws {
        let server = try LoopbackHTTPServer { _, _ in
            .init(status: 503, body: Data("<Error><Code>SlowDown</Code></Error>".utf8))
        }
        defer { server.stop() }
        let client = AWSClient(
            region: "us-east-1", credentialProvider: StaticCredentialProvider(accessKeyId: "AK", secretAccessKey: "SK"),
            endpoints: AWSEndpointResolver(customEndpoint: URL(string: server.baseURL)),
            retryPolicy: RetryPolicy(maxAttempts: 8, baseDelay: .milliseconds(400), maxDelay: .milliseconds(400)),
            timeouts: .init(connect: .seconds(2), read: .seconds(5), request: .seconds(10)))
        try await withShutdown(of: client, by: { try? await $0.shutdown() }) { (client) async throws in
            let call = Task {
                try await client.jsonRequest(service: "sqs", target: "AmazonSQS.SendMessage", body: ["QueueUrl": "q"])
            }
            // Cancel only once the first attempt has reached the server; the wait ends at that event, and its bound is
            // generous because under the whole suite on two cores the first request has taken over 5 s to arrive.
            _ = try await eventually(timeout: .seconds(60), every: .milliseconds(5)) { !server.requests.isEmpty }
            let sentBeforeCancel = server.requests.count
            #expect(sentBeforeCancel >= 1)
            call.cancel()
            await #expect(throws: (any Error).self) { try await call.value }
            // The call has ended (its task returned), so no attempt can follow: one that ignored the cancel would have
            // made all eight before returning; a cancelled one sent at most the attempt already on the wire.
            #expect(server.requests.count <= sentBeforeCancel + 1)
        }
    }

    @Test func retriesConnectionFailures() async throws {
        // A port nobody listens on: connection refused on every attempt, surfaced as a transport error.
        let server = try LoopbackHTTPServer { _, _ in .init(status: 200) }
        let url = server.baseURL
        server.stop()
        let client = AWSClient(
            region: "us-east-1", credentialProvider: StaticCredentialProvider(accessKeyId: "AK", secretAccessKey: "SK"),
            endpoints: AWSEndpointResolver(customEndpoint: URL(string: url)),
            retryPolicy: RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(5), maxDelay: .milliseconds(10)),
            timeouts: .init(connect: .seconds(1), read: .seconds(2), request: .seconds(5)))
        try await withShutdown(of: client, by: { try? await $0.shutdown() }) { (client) async throws in
            let error = await #expect(throws: AWSClientError.self) {
                try await client.jsonRequest(service: "sqs", target: "AmazonSQS.GetQueueUrl", body: ["QueueName": "q"])
            }
            #expect(error?.kind == .transport || error?.kind == .timeout)
        }
    }

    @Test func backoffIsCappedExponentialWithFullJitter() {
        let policy = RetryPolicy(maxAttempts: 10, baseDelay: .milliseconds(100), maxDelay: .seconds(1))
        for retry in 0..<10 {
            let ceiling = min(Duration.seconds(1), .milliseconds(100) * (1 << retry))
            for _ in 0..<50 {
                let delay = policy.delay(beforeRetry: retry)
                #expect(delay >= .zero && delay <= ceiling)
            }
        }
        let err = { (code: String, status: Int) in
            AWSError(code: code, message: "", statusCode: status, service: "s3", operation: "PutObject")
        }
        #expect(policy.isRetryable(err("SlowDown", 503)))
        #expect(policy.isRetryable(err("RequestThrottled", 400)))
        #expect(policy.isRetryable(err("Whatever", 429)))
        #expect(policy.isRetryable(err("InternalError", 500)))
        #expect(!policy.isRetryable(err("AccessDenied", 403)))
        #expect(!policy.isRetryable(err("NoSuchKey", 404)))
        #expect(!policy.isRetryable(err("PreconditionFailed", 412)))
    }
}

@Suite(.timeLimit(.minutes(5))) struct AWSErrorParsingTests {
    func parse(_ status: Int, _ body: String, headers: [(String, String)] = []) -> AWSError {
        AWSErrorParser.parse(
            status: status, headers: headers, body: Data(body.utf8), service: "secretsmanager",
            operation: "GetSecretValue", iamAction: nil)
    }

    @Test func readsJSONErrors() {
        let error = parse(
            400, #"{"__type":"ResourceNotFoundException","Message":"Secrets Manager can't find the specified secret."}"#
        )
        #expect(error.code == "ResourceNotFoundException")
        #expect(error.message.hasPrefix("Secrets Manager can't find"))
        #expect(
            parse(400, #"{"code":"com.amazon.coral#AccessDeniedException","message":"m"}"#).code
                == "AccessDeniedException")
        #expect(
            parse(400, "", headers: [("x-amzn-ErrorType", "ThrottlingException:http://internal")]).code
                == "ThrottlingException")
    }

    @Test func readsQueryAndS3XMLErrors() {
        let iam = parse(
            403,
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <ErrorResponse><Errors><Error><Code>AccessDenied</Code><Message>User: arn:aws:iam::123456789012:user/r is not authorized to perform: secretsmanager:GetSecretValue</Message></Error></Errors><RequestId>abc</RequestId></ErrorResponse>
            """)
        #expect(iam.code == "AccessDenied")
        #expect(iam.requestId == "abc")
        #expect(iam.isAccessDenied)
        let s3 = parse(
            403,
            "<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match</Message><RequestId>r2</RequestId></Error>"
        )
        #expect(s3.code == "SignatureDoesNotMatch" && s3.isAuthenticationFailure && s3.requestId == "r2")
        let query = parse(
            400,
            "<ErrorResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\"><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id x does not exist</Message></Error></ErrorResponse>"
        )
        #expect(query.code == "ValidationError")
        #expect(parse(404, "").code == "NotFound")
    }

    @Test func accessDeniedNamesTheAction() {
        let error = AWSError(
            code: "AccessDenied", message: "Access Denied", statusCode: 403, service: "secretsmanager",
            operation: "GetSecretValue")
        #expect(error.description.contains("(needs secretsmanager:GetSecretValue)"))
        let s3 = AWSError(
            code: "AccessDenied", message: "Access Denied", statusCode: 403, service: "s3",
            operation: "HeadObject", iamAction: "s3:GetObject")
        #expect(s3.description.contains("needs s3:GetObject"))
    }
}

@Suite(.timeLimit(.minutes(5))) struct EndpointAndRegionTests {
    @Test func resolvesRegionAndEndpoints() {
        #expect(
            AWSRegion.fromEnvironment(["AWS_REGION": "eu-west-1", "AWS_DEFAULT_REGION": "us-east-2"]) == "eu-west-1")
        #expect(AWSRegion.fromEnvironment(["AWS_DEFAULT_REGION": "us-east-2"]) == "us-east-2")
        #expect(AWSRegion.fromEnvironment([:]) == nil)
        #expect(AWSRegion.fromARN("arn:aws:cloudformation:ap-south-1:123456789012:stack/quilt/abc") == "ap-south-1")
        #expect(AWSRegion.fromARN("arn:aws:s3:::bucket") == nil)

        let aws = AWSEndpointResolver.fromEnvironment([:])
        #expect(aws.baseURL(service: "sqs", region: "us-west-2") == "https://sqs.us-west-2.amazonaws.com")
        #expect(
            aws.s3Location(bucket: "my-bucket", region: "us-west-2") == (
                "https://my-bucket.s3.us-west-2.amazonaws.com", ""
            ))
        #expect(
            aws.s3Location(bucket: "my.bucket", region: "us-west-2") == (
                "https://s3.us-west-2.amazonaws.com", "/my.bucket"
            ))
        let moto = AWSEndpointResolver.fromEnvironment(["AWS_ENDPOINT_URL": "http://127.0.0.1:5000/"])
        #expect(moto.baseURL(service: "secretsmanager", region: "us-east-1") == "http://127.0.0.1:5000")
        #expect(moto.s3Location(bucket: "b", region: "us-east-1") == ("http://127.0.0.1:5000", "/b"))
    }

    @Test func encodesAndNormalisesLikeSigV4() {
        #expect(AWSURIEncoding.encode("a b/ü~-_.", keepSlash: true) == "a%20b/%C3%BC~-_.")
        #expect(AWSURIEncoding.encode("a/b+c=") == "a%2Fb%2Bc%3D")
        #expect(AWSURIEncoding.decode("%E1%88%B4x%2") == "ሴx%2")
        #expect(AWSURIEncoding.normalizePath("//a/./b/../c//") == "/a/c/")
        #expect(AWSURIEncoding.normalizePath("/example/..") == "/")
    }
}
