import AWSCore
import Foundation
import JSONCore
import TestSupport
import Testing

/// botocore (SigV4Auth, and S3SigV4Auth for s3) as an independent oracle, in every environment: the same requests,
/// described in decoded form, are encoded and signed by both sides and must give identical canonical requests,
/// strings to sign and Authorization headers. The cases cover what AWS's suite covers, plus what S3 adds.
@Suite(.timeLimit(.minutes(5))) struct SigV4OracleTests {
    struct Case {
        var name: String
        var service = "service"
        var method = "GET"
        var path = "/"
        var query: [(name: String, value: String)] = []
        var headers: [(name: String, value: String)] = []
        var body = ""
        var token: String?
        var s3 = false
        var unsignedPayload = false
        /// Also presign (query signing) with this lifetime.
        var presignExpires: Int?
    }

    static let host = "example.amazonaws.com"
    static let accessKey = "AKIDEXAMPLE"
    static let secretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    static let timestamp = "20150830T123600Z"

    static let cases: [Case] = [
        Case(name: "vanilla"),
        Case(
            name: "json protocol with session token", service: "sqs", method: "POST",
            headers: [("Content-Type", "application/x-amz-json-1.0"), ("X-Amz-Target", "AmazonSQS.SendMessage")],
            body: #"{"QueueUrl":"https://sqs.us-east-1.amazonaws.com/1/q.fifo","MessageBody":"ü"}"#,
            token: "FQoGZXIvYXdzE//////////wEaDG+token/with=chars"),
        Case(name: "space in path", path: "/example space/dir"),
        Case(name: "unicode path and query", path: "/ሴ/über", query: [("ሴ", "bär"), ("q", "日本")]),
        Case(
            name: "repeated keys, empty values, key case",
            query: [
                ("x", "1"), ("x", "0"), ("a", ""), ("B", "upper"), ("b", "lower"), ("x", ""),
            ]),
        Case(
            name: "reserved characters in query",
            query: [
                ("prefix", "a/b c+d=e&f%g"), ("continuation-token", "1/ab+c=="), ("list-type", "2"),
            ]),
        Case(
            name: "header case, repeats and whitespace", method: "POST",
            headers: [
                ("My-Header1", "  value1  "), ("my-header1", "value2"), ("MY-HEADER2", "\"a   b   c\""),
                ("X-Custom", "tab\there"),
            ]),
        Case(name: "path normalisation", path: "/a/./b/../c//d/"),
        Case(
            name: "form body", service: "cloudformation", method: "POST",
            headers: [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")],
            body: "Action=DescribeStacks&StackName=arn%3Aaws%3Acloudformation&Version=2010-05-15"),
        Case(
            name: "s3 key with special characters", service: "s3", method: "PUT",
            path: "/bucket/dir/a b+c=d&e!'()*~@,;:$%.txt", headers: [("Content-Type", "text/plain")],
            body: "hello", s3: true),
        Case(
            name: "s3 unsigned payload with token", service: "s3", method: "PUT",
            path: "/bucket/benchling/entry ü/export.zip",
            query: [("partNumber", "3"), ("uploadId", "2~abc/def+ghi==")],
            headers: [("Content-Type", "application/octet-stream"), ("If-None-Match", "*")],
            body: "streamed", token: "session/token+value=", s3: true, unsignedPayload: true),
        Case(name: "s3 unnormalised path", service: "s3", path: "/bucket//a/./b/../c", s3: true),
        Case(
            name: "s3 presigned GET with token", service: "s3", path: "/bucket/benchling/a b/ü+x.zip",
            query: [("versionId", "3/L4kqtJl+cM=")], token: "session/token+value=", s3: true, presignExpires: 900),
        Case(
            name: "presigned non-S3 GET", query: [("Action", "ListUsers"), ("Version", "2010-05-08")],
            presignExpires: 3600),
        Case(
            name: "s3 empty-value subresource", service: "s3", method: "POST", path: "/bucket/key",
            query: [("uploads", "")], s3: true),
    ]

    @Test func signerMatchesBotocore() throws {
        let environment = try TestEnvironment.load()
        var descriptions: [JSONValue] = []
        for testCase in Self.cases {
            var object: JSONObject = [
                "service": .string(testCase.service), "region": "us-east-1", "method": .string(testCase.method),
                "host": .string(Self.host), "path": .string(testCase.path),
                "query": .array(testCase.query.map { [.string($0.name), .string($0.value)] }),
                "headers": .array(
                    ([("Host", Self.host)] + testCase.headers).map { [.string($0.name), .string($0.value)] }),
                "body": .string(testCase.body), "access_key": .string(Self.accessKey),
                "secret_key": .string(Self.secretKey), "timestamp": .string(Self.timestamp),
                "s3": .bool(testCase.s3), "unsigned_payload": .bool(testCase.unsignedPayload),
            ]
            object["token"] = testCase.token.map { .string($0) } ?? .null
            object["presign_expires"] = testCase.presignExpires.map { .int($0) } ?? .null
            descriptions.append(.object(object))
        }
        let result = try PythonJudge(environment).run(
            "sigv4_oracle.py", input: Data(JSONValue.array(descriptions).compactString().utf8))
        #expect(result.status == 0, "oracle failed: \(result.stderr)")
        let answers = try #require(try JSONValue.parse(result.stdout).arrayValue)
        #expect(answers.count == Self.cases.count)

        let date = try #require(ISO8601DateFormatter().date(from: "2015-08-30T12:36:00Z"))
        for (testCase, answer) in zip(Self.cases, answers) {
            let signer = SigV4Signer(
                credentials: AWSCredentials(
                    accessKeyId: Self.accessKey, secretAccessKey: Self.secretKey,
                    sessionToken: testCase.token),
                region: "us-east-1", service: testCase.service, options: testCase.s3 ? .s3 : .standard)
            let request = SigV4Signer.Request(
                method: testCase.method, path: AWSURIEncoding.encode(testCase.path, keepSlash: true),
                query: testCase.query, headers: [("Host", Self.host)] + testCase.headers)
            let payloadHash =
                testCase.unsignedPayload
                ? SigV4Signer.unsignedPayload : SigV4Signer.payloadHash(Data(testCase.body.utf8))
            let ours = signer.signHeaders(request, payloadHash: payloadHash, date: date)
            #expect(ours.canonicalRequest == answer["canonical_request"]?.stringValue, "\(testCase.name)")
            #expect(ours.stringToSign == answer["string_to_sign"]?.stringValue, "\(testCase.name)")
            #expect(ours.authorization == answer["authorization"]?.stringValue, "\(testCase.name)")
            if let expires = testCase.presignExpires {
                let presigned = signer.signQuery(
                    request,
                    payloadHash: testCase.s3
                        ? SigV4Signer.unsignedPayload
                        : SigV4Signer.payloadHash(Data(testCase.body.utf8)),
                    date: date, expires: expires)
                let botoURL = try #require(answer["presigned_url"]?.stringValue)
                let botoPresignQuery = botoURL.split(separator: "?", maxSplits: 1).last.map(String.init) ?? ""
                #expect(
                    Set(presigned.queryString.split(separator: "&")) == Set(botoPresignQuery.split(separator: "&")),
                    "\(testCase.name): \(presigned.queryString) vs \(botoPresignQuery)")
            }
            // The URL we would send carries the same query string botocore signed (order aside).
            let sentQuery = SigV4Signer.canonicalQuery(testCase.query)
            let botoQuery =
                answer["url"]?.stringValue?.split(separator: "?", maxSplits: 1).dropFirst().first
                .map(String.init) ?? ""
            #expect(Set(sentQuery.split(separator: "&")) == Set(botoQuery.split(separator: "&")), "\(testCase.name)")
        }
    }
}
