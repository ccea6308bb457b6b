import AsyncHTTPClient
import BenchlingSandbox
import Crypto
import Foundation
import JSONCore
import NIOCore
import NIOFoundationCompat
import TestSupport
import Testing
import ZIPFoundation

/// The Benchling sandbox checked against itself, against Benchling's OpenAPI spec (through the Python judge), and
/// against CryptoKit-style verification of its webhook signatures. Everything goes over real HTTP on loopback.
@Suite("BenchlingSandbox", .serialized, .timeLimit(.minutes(5)))
struct SandboxSelfTests {
    @Test func tokenFlowChecksCredentialsAndExpiry() async throws {
        try await withSandbox { sandbox, http in
            await sandbox.addEntry(id: "etr_tok", displayId: "EXP1")
            let wrong = try await http.token(sandbox, id: sandbox.clientId, secret: "nope")
            #expect(wrong.status == 401)
            #expect(wrong.json?["error"]?["type"] == "invalid_client")

            let unauthenticated = try await http.send(sandbox, "GET", "/api/v2/entries/etr_tok")
            #expect(unauthenticated.status == 401)
            #expect(unauthenticated.json?["error"]?["message"]?.stringValue != nil)

            let issued = try await http.token(sandbox, id: sandbox.clientId, secret: sandbox.clientSecret)
            #expect(issued.status == 200)
            #expect(issued.json?["token_type"] == "Bearer")
            #expect(issued.json?["expires_in"]?.intValue == 3600)
            let token = try #require(issued.json?["access_token"]?.stringValue)
            #expect(try await http.send(sandbox, "GET", "/api/v2/entries/etr_tok", bearer: token).status == 200)

            await sandbox.expireAllTokens()
            #expect(try await http.send(sandbox, "GET", "/api/v2/entries/etr_tok", bearer: token).status == 401)
            let fresh = try #require(try await http.token(sandbox).json?["access_token"]?.stringValue)
            #expect(try await http.send(sandbox, "GET", "/api/v2/entries/etr_tok", bearer: fresh).status == 200)

            let counters = await sandbox.counters()
            #expect(counters.tokenFetches == 2)
            #expect(counters.tokenRejections == 1)
            #expect(counters.unauthorized == 1)
            let recorded = await sandbox.recordedRequests()
            #expect(recorded.first?.headers["authorization"] == "Basic <redacted>")
        }
    }

    @Test func exportRunsThenServesARealZip() async throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-big-\(UUID())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let bigSize = 3 * 1024 * 1024 + 5
        let big = try ExportMember.generatedFile(path: "data/big.bin", size: bigSize, in: scratch)
        try await withSandbox { sandbox, http in
            var entry = SandboxEntry(id: "etr_exp", displayId: "EXP00001234", name: "Export me")
            entry.exportFiles =
                ExportMember.defaultExport(displayId: "EXP00001234", name: "Export me")
                + [.text("../evil.txt", "zip-slip"), big]
            await sandbox.addEntry(entry)
            let token = try #require(try await http.token(sandbox).json?["access_token"]?.stringValue)

            let got = try await http.send(sandbox, "GET", "/api/v2/entries/etr_exp", bearer: token)
            #expect(got.json?["entry"]?["displayId"] == "EXP00001234")
            #expect(got.json?["entry"]?["days"]?[0]?["notes"]?[0]?["links"]?.arrayValue?.count == 3)
            let missing = try await http.send(sandbox, "GET", "/api/v2/entries/etr_none", bearer: token)
            #expect(missing.status == 404)
            #expect(missing.json?["error"]?["invalidId"] == "etr_none")

            let started = try await http.send(
                sandbox, "POST", "/api/v2/exports", bearer: token, json: ["id": "etr_exp", "format": "html"])
            #expect(started.status == 202)
            let taskId = try #require(started.json?["taskId"]?.stringValue)
            var statuses: [String] = []
            var last: JSONValue = .null
            for _ in 0..<5 {
                last = try #require(try await http.send(sandbox, "GET", "/api/v2/tasks/\(taskId)", bearer: token).json)
                statuses.append(last["status"]?.stringValue ?? "?")
                if statuses.last != "RUNNING" { break }
            }
            #expect(statuses == ["RUNNING", "RUNNING", "SUCCEEDED"])
            let download = try #require(last["response"]?["downloadURL"]?.stringValue)
            #expect(download.hasPrefix(sandbox.baseURL.absoluteString + "/downloads/"))

            let withAuth = try await http.send(url: download, "GET", bearer: token)
            #expect(withAuth.status == 400)
            let zip = try await http.send(url: download, "GET")
            #expect(zip.status == 200)
            let archive = try Archive(data: zip.body, accessMode: .read)
            let paths = Set(archive.map(\.path))
            #expect(paths == ["EXP00001234.html", "attachments/plate-reader.csv", "../evil.txt", "data/big.bin"])
            #expect(archive["data/big.bin"]?.uncompressedSize == UInt64(bigSize))

            await sandbox.updateEntry("etr_exp") {
                $0.exportOutcome = .fail(message: "Export blew up")
                $0.runningPolls = 0
            }
            let failing = try #require(
                try await http.send(sandbox, "POST", "/api/v2/exports", bearer: token, json: ["id": "etr_exp"])
                    .json?["taskId"]?.stringValue)
            let failed = try await http.send(sandbox, "GET", "/api/v2/tasks/\(failing)", bearer: token).json
            #expect(failed?["status"] == "FAILED")
            #expect(failed?["message"] == "Export blew up")

            await sandbox.updateEntry("etr_exp") {
                $0.exportOutcome = .succeed
                // Long enough that the first poll sees RUNNING even on a loaded test run.
                $0.runningFor = .seconds(3)
            }
            let slow = try #require(
                try await http.send(sandbox, "POST", "/api/v2/exports", bearer: token, json: ["id": "etr_exp"])
                    .json?["taskId"]?.stringValue)
            #expect(
                try await http.send(sandbox, "GET", "/api/v2/tasks/\(slow)", bearer: token).json?["status"]
                    == "RUNNING")
            #expect(
                try await eventually(every: .milliseconds(250)) {
                    try await http.send(sandbox, "GET", "/api/v2/tasks/\(slow)", bearer: token).json?["status"]
                        == "SUCCEEDED"
                })
        }
    }

    @Test func canvasUpdatesAreRecordedAndJudged() async throws {
        let environment = try TestEnvironment.load()
        try await withSandbox { sandbox, http in
            await sandbox.addEntry(id: "etr_cnv", displayId: "EXP2")
            await sandbox.addCanvas(id: "cnvs_1", resourceId: "etr_cnv")
            let token = try #require(try await http.token(sandbox).json?["access_token"]?.stringValue)
            let blocks: JSONValue = [
                ["type": "MARKDOWN", "id": "md", "value": "## EXP2"],
                [
                    "type": "SECTION", "id": "sec",
                    "children": [
                        ["type": "BUTTON", "id": "update-etr_cnv", "text": "Update Package", "enabled": true]
                    ],
                ],
            ]
            let press = try await sandbox.pressButton(canvasId: "cnvs_1", buttonId: "update-etr_cnv")
            #expect(press.envelope["message"]?["type"] == "v2.canvas.userInteracted")
            #expect(await sandbox.canvas("cnvs_1")?.enabled == false)

            let patched = try await http.send(
                sandbox, "PATCH", "/api/v2/app-canvases/cnvs_1", bearer: token,
                json: ["blocks": blocks, "enabled": true])
            #expect(patched.status == 200)
            #expect(patched.json?["enabled"] == true)
            #expect(await sandbox.canvas("cnvs_1")?.blockIds == ["md", "sec", "update-etr_cnv"])
            let fetched = try await http.send(sandbox, "GET", "/api/v2/app-canvases/cnvs_1", bearer: token)
            #expect(fetched.json?["blocks"] == blocks)

            let created = try await http.send(
                sandbox, "POST", "/api/v2/app-canvases", bearer: token,
                json: [
                    "appId": .string(sandbox.appId), "featureId": "quilt_entry", "resourceId": "etr_cnv",
                    "blocks": blocks,
                ])
            #expect(created.status == 201)
            #expect(created.json?["id"]?.stringValue?.hasPrefix("cnvs_") == true)

            // A body the spec forbids: the sandbox refuses it, and the judge must flag exactly this request.
            let invalid = try await http.send(
                sandbox, "PATCH", "/api/v2/app-canvases/cnvs_1", bearer: token,
                json: ["enabled": true, "status": "done"])
            #expect(invalid.status == 400)
            #expect(await sandbox.canvasHistory("cnvs_1").count == 2)

            let report = try await sandbox.validateRecordedRequests(
                python: environment.python, repoRoot: environment.repoRoot)
            #expect(report.checked == 5)
            #expect(report.failures.count == 1, "\(report)")
            #expect(report.failures.first?.operation.hasPrefix("updateAppCanvas") == true)
            #expect(report.failures.first?.errors.joined().contains("status") == true)
        }
    }

    @Test func responsesConformToTheSpec() async throws {
        let environment = try TestEnvironment.load()
        try await withSandbox { sandbox, http in
            await sandbox.addEntry(id: "etr_resp", displayId: "EXP3")
            await sandbox.addCanvas(id: "cnvs_r", resourceId: "etr_resp")
            let tokenAnswer = try await http.token(sandbox)
            let token = try #require(tokenAnswer.json?["access_token"]?.stringValue)
            var checks: [OpenAPICheck] = [
                .response(
                    method: "POST", path: "/api/v2/token", status: 200,
                    body: try #require(tokenAnswer.json))
            ]
            func check(_ method: String, _ path: String, json: JSONValue? = nil) async throws -> JSONValue {
                let answer = try await http.send(sandbox, method, path, bearer: token, json: json)
                let body = try #require(answer.json)
                checks.append(.response(method: method, path: path, status: answer.status, body: body))
                return body
            }
            let entry = try await check("GET", "/api/v2/entries/etr_resp")
            checks.append(.schema("EntryById", body: entry))
            _ = try await check("GET", "/api/v2/entries/etr_missing")
            let taskId = try #require(try await check("POST", "/api/v2/exports", json: ["id": "etr_resp"])["taskId"])
            for _ in 0..<3 {
                let task = try await check("GET", "/api/v2/tasks/\(taskId.stringValue ?? "")")
                checks.append(.schema("ExportsAsyncTask", body: task))
            }
            checks.append(.schema("AppCanvas", body: try await check("GET", "/api/v2/app-canvases/cnvs_r")))
            _ = try await check("PATCH", "/api/v2/app-canvases/cnvs_r", json: ["enabled": false])
            // The judge can fail on responses too.
            checks.append(.schema("AsyncTask", body: ["status": "DONE"]))

            let report = try await OpenAPIJudge.run(checks, python: environment.python, repoRoot: environment.repoRoot)
            #expect(report.failures.map(\.index) == [checks.count - 1], "\(report)")
        }
    }

    @Test func faultSwitchesShapeAnswers() async throws {
        try await withSandbox { sandbox, http in
            await sandbox.addEntry(id: "etr_f", displayId: "EXP4")
            let token = try #require(try await http.token(sandbox).json?["access_token"]?.stringValue)
            await sandbox.inject(.rateLimited(reset: "0"), count: 2, route: .getEntry)
            await sandbox.inject(.status(503), count: 1, route: .any)
            let first = try await http.send(sandbox, "GET", "/api/v2/entries/etr_f", bearer: token)
            #expect(first.status == 429)
            #expect(first.headers["x-rate-limit-reset"] == "0")
            #expect(try await http.send(sandbox, "GET", "/api/v2/entries/etr_f", bearer: token).status == 429)
            #expect(try await http.send(sandbox, "GET", "/api/v2/entries/etr_f", bearer: token).status == 503)
            #expect(try await http.send(sandbox, "GET", "/api/v2/entries/etr_f", bearer: token).status == 200)

            await sandbox.inject(.delay(.milliseconds(300)), route: .getEntry)
            let clock = ContinuousClock()
            let started = clock.now
            #expect(try await http.send(sandbox, "GET", "/api/v2/entries/etr_f", bearer: token).status == 200)
            #expect(clock.now - started >= .milliseconds(300))

            await sandbox.updateEntry("etr_f") { $0.access = .forbidden }
            #expect(try await http.send(sandbox, "GET", "/api/v2/entries/etr_f", bearer: token).status == 403)
        }
    }

    @Test func deliveriesVerifyAgainstThePublishedJWKS() async throws {
        try await withSandbox { sandbox, http in
            let delivery = try await sandbox.signedDelivery(
                message: .entryCreated(entryId: "etr_sig"), webhookId: "msg_1",
                timestamp: Date(timeIntervalSince1970: 1_700_000_000))
            #expect(delivery.envelope["appDefinition"]?["id"] == .string(sandbox.appDefinitionId))
            #expect(delivery.envelope["channel"] == "events")
            #expect(delivery.signature.hasPrefix("v1bder,"))
            let jwks = try #require(try await http.send(url: sandbox.jwksURL.absoluteString, "GET").json)
            #expect(try Self.verifies(delivery, jwks: jwks))

            // Default key = the vectors' test key: same public point as the fixture's JWKS.
            let vectors = try JSONValue.parse(try Fixtures.data("webhook-signatures.json"))
            #expect(jwks["keys"]?[0]?["x"] == vectors["jwks"]?["keys"]?[0]?["x"])
            #expect(jwks["keys"]?[0]?["y"] == vectors["jwks"]?["keys"]?[0]?["y"])

            var tampered = delivery.body
            tampered.append(0x20)
            #expect(try !Self.verifies(delivery, body: tampered, jwks: jwks))

            await sandbox.rotateSigningKey()
            let rotatedKeys = try #require(try await http.send(url: sandbox.jwksURL.absoluteString, "GET").json)
            #expect(try !Self.verifies(delivery, jwks: rotatedKeys))
            let next = try await sandbox.signedDelivery(message: .canvasCreated(canvasId: "cnvs_x"))
            #expect(try Self.verifies(next, jwks: rotatedKeys))
            #expect(next.envelope["channel"] == "app_signals")
            #expect(await sandbox.counters().jwksFetches == 2)
        }
    }

    // MARK: helpers

    /// ECDSA-SHA256 over "{id}.{timestamp}.{body}" with any key of the set, as Benchling's SDK checks.
    static func verifies(_ delivery: SignedDelivery, body: Data? = nil, jwks: JSONValue) throws -> Bool {
        var content = Data("\(delivery.webhookId).\(delivery.timestamp).".utf8)
        content.append(body ?? delivery.body)
        let der = try #require(Data(base64Encoded: String(delivery.signature.dropFirst("v1bder,".count))))
        let signature = try P256.Signing.ECDSASignature(derRepresentation: der)
        for key in jwks["keys"]?.arrayValue ?? [] {
            let x = try #require(base64URL(key["x"]?.stringValue ?? ""))
            let y = try #require(base64URL(key["y"]?.stringValue ?? ""))
            let publicKey = try P256.Signing.PublicKey(x963Representation: Data([4]) + x + y)
            if publicKey.isValidSignature(signature, for: content) { return true }
        }
        return false
    }

    static func base64URL(_ text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }

    func withSandbox(_ body: (SandboxTenant, SandboxHTTP) async throws -> Void) async throws {
        let sandbox = try await SandboxTenant.start()
        do {
            try await body(sandbox, SandboxHTTP())
        } catch {
            await sandbox.shutdown()
            throw error
        }
        await sandbox.shutdown()
    }
}

/// Minimal raw HTTP for the self-test (AsyncHTTPClient; the product's client is tested elsewhere).
struct SandboxHTTP: Sendable {
    struct Answer: Sendable {
        let status: Int
        let headers: [String: String]
        let body: Data
        var json: JSONValue? { try? JSONValue.parse(body) }
    }

    func token(_ sandbox: SandboxTenant, id: String? = nil, secret: String? = nil) async throws -> Answer {
        let basic = Data("\(id ?? sandbox.clientId):\(secret ?? sandbox.clientSecret)".utf8).base64EncodedString()
        return try await send(
            url: sandbox.baseURL.absoluteString + "/api/v2/token", "POST",
            headers: [("Authorization", "Basic \(basic)"), ("Content-Type", "application/x-www-form-urlencoded")],
            body: Data("grant_type=client_credentials".utf8))
    }

    func send(
        _ sandbox: SandboxTenant, _ method: String, _ path: String, bearer: String? = nil, json: JSONValue? = nil
    ) async throws -> Answer {
        var headers: [(String, String)] = []
        if json != nil { headers.append(("Content-Type", "application/json")) }
        return try await send(
            url: sandbox.baseURL.absoluteString + path, method, bearer: bearer, headers: headers,
            body: json?.compactData())
    }

    func send(
        url: String, _ method: String, bearer: String? = nil, headers: [(String, String)] = [], body: Data? = nil
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = .init(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let bearer { request.headers.add(name: "Authorization", value: "Bearer \(bearer)") }
        if let body { request.body = .bytes(ByteBuffer(data: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let buffer = try await response.body.collect(upTo: 64 * 1024 * 1024)
        var answerHeaders: [String: String] = [:]
        for header in response.headers { answerHeaders[header.name.lowercased()] = header.value }
        return Answer(status: Int(response.status.code), headers: answerHeaders, body: Data(buffer: buffer))
    }
}
