import AWSCore
import Foundation
import JSONCore
import TestSupport
import Testing

/// AWS's own SigV4 test suite (aws-c-auth `v4/`), read at run time from `../shared/vectors/aws-sigv4/v4` next to
/// the package. It is third-party and not committed; where it is absent the test is skipped with a visible message
/// and the botocore oracle test (SigV4OracleTests) still checks the signer.
///
/// Suite rules: every case's request path is written raw (unencoded), so the canonical path is that path
/// URI-encoded once (`doubleEncodePath: true` is exactly that step); `normalize` in context.json decides path
/// normalisation (`-unnormalized` cases model S3, which signs paths as they are); `sign_body` adds
/// `x-amz-content-sha256`; `omit_session_token` adds the token after signing.
@Suite(.timeLimit(.minutes(5))) struct SigV4SuiteTests {
    static let suiteFolder: URL = TestEnvironment.packageRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/vectors/aws-sigv4/v4")

    static var suitePresent: Bool { TestEnvironment.sharedVectors("aws-sigv4/v4") != nil }

    static var caseNames: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: suiteFolder.path)) ?? []).sorted()
    }

    @Test func reportsWhetherTheSuiteIsPresent() {
        if Self.suitePresent {
            print("AWS SigV4 suite: \(Self.caseNames.count) cases at \(Self.suiteFolder.path)")
            #expect(Self.caseNames.count >= 30)
        } else {
            print("SKIPPED: AWS SigV4 suite not present (expected at ../shared/vectors/aws-sigv4/v4)")
        }
    }

    // Skipped (visibly, above) when the third-party suite is not next to the package.
    @Test(.enabled(if: suitePresent, "AWS SigV4 suite not present"), arguments: caseNames)
    func headerSigning(caseName: String) throws {
        let testCase = try SuiteCase(folder: Self.suiteFolder.appendingPathComponent(caseName))
        let result = testCase.signer.signHeaders(
            testCase.request, payloadHash: testCase.payloadHash,
            date: testCase.date)
        #expect(result.canonicalRequest == (try testCase.expected("header-canonical-request.txt")))
        #expect(result.stringToSign == (try testCase.expected("header-string-to-sign.txt")))
        #expect(result.signature == (try testCase.expected("header-signature.txt")))
        let signedRequest = try testCase.expected("header-signed-request.txt")
        #expect(signedRequest.contains("Authorization:" + result.authorization))
        // Header names compare case-insensitively (the suite writes x-amz-content-sha256 in lower case).
        let signedLines = Set(
            signedRequest.split(separator: "\n").compactMap { line -> String? in
                guard let colon = line.firstIndex(of: ":") else { return nil }
                return line[..<colon].lowercased() + line[colon...]
            })
        for (name, value) in result.headersToAdd {
            #expect(signedLines.contains("\(name.lowercased()):\(value)"), "signed request lacks \(name)")
        }
    }

    @Test(.enabled(if: suitePresent, "AWS SigV4 suite not present"), arguments: caseNames)
    func querySigning(caseName: String) throws {
        let testCase = try SuiteCase(folder: Self.suiteFolder.appendingPathComponent(caseName))
        let result = testCase.signer.signQuery(
            testCase.request, payloadHash: testCase.payloadHash,
            date: testCase.date, expires: testCase.expires)
        #expect(result.canonicalRequest == (try testCase.expected("query-canonical-request.txt")))
        #expect(result.stringToSign == (try testCase.expected("query-string-to-sign.txt")))
        #expect(result.signature == (try testCase.expected("query-signature.txt")))
    }
}

/// One folder of the suite: context.json + request.txt parsed into signer inputs.
struct SuiteCase {
    let folder: URL
    let signer: SigV4Signer
    let request: SigV4Signer.Request
    let payloadHash: String
    let date: Date
    let expires: Int

    init(folder: URL) throws {
        self.folder = folder
        let context = try JSONValue.parse(Data(contentsOf: folder.appendingPathComponent("context.json")))
        let creds = try #require(context["credentials"])
        let credentials = AWSCredentials(
            accessKeyId: try #require(creds["access_key_id"]?.stringValue),
            secretAccessKey: try #require(creds["secret_access_key"]?.stringValue),
            sessionToken: creds["token"]?.stringValue)
        let options = SigV4Signer.Options(
            normalizePath: context["normalize"]?.boolValue ?? true,
            doubleEncodePath: true,
            addContentSHA256Header: context["sign_body"]?.boolValue ?? false,
            omitSessionTokenFromSignature: context["omit_session_token"]?.boolValue ?? false)
        signer = SigV4Signer(
            credentials: credentials, region: try #require(context["region"]?.stringValue),
            service: try #require(context["service"]?.stringValue), options: options)
        let timestamp = try #require(context["timestamp"]?.stringValue)
        date = try #require(ISO8601DateFormatter().date(from: timestamp))
        expires = context["expiration_in_seconds"]?.intValue ?? 3600

        let raw = try String(contentsOf: folder.appendingPathComponent("request.txt"), encoding: .utf8)
        let (head, body) = Self.splitHeadAndBody(raw)
        var lines = head.components(separatedBy: "\n")
        let requestLine = lines.removeFirst()
        let method = String(requestLine.prefix { $0 != " " })
        let target = String(requestLine.dropFirst(method.count + 1).dropLast(" HTTP/1.1".count))
        let (path, queryString) =
            target.firstIndex(of: "?").map {
                (String(target[..<$0]), String(target[target.index(after: $0)...]))
            } ?? (target, "")
        var query: [(name: String, value: String)] = []
        for pair in queryString.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            query.append(
                (
                    AWSURIEncoding.decode(String(parts[0])),
                    AWSURIEncoding.decode(parts.count > 1 ? String(parts[1]) : "")
                ))
        }
        var headers: [(name: String, value: String)] = []
        for line in lines where !line.isEmpty {
            if line.first == " " || line.first == "\t", !headers.isEmpty {
                headers[headers.count - 1].value += "\n" + line  // folded continuation line
            } else if let colon = line.firstIndex(of: ":") {
                headers.append((String(line[..<colon]), String(line[line.index(after: colon)...])))
            }
        }
        request = SigV4Signer.Request(method: method, path: path, query: query, headers: headers)
        payloadHash = SigV4Signer.payloadHash(Data(body.utf8))
    }

    func expected(_ name: String) throws -> String {
        try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
    }

    /// request.txt separates head and body with an empty line; the body has no trailing newline.
    static func splitHeadAndBody(_ raw: String) -> (String, String) {
        if let range = raw.range(of: "\n\n") {
            return (String(raw[..<range.lowerBound]), String(raw[range.upperBound...]))
        }
        return (raw.hasSuffix("\n") ? String(raw.dropLast()) : raw, "")
    }
}
