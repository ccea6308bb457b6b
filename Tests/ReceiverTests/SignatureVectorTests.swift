import Foundation
import JSONCore
import TestSupport
import Testing

/// Every case of webhook-signatures.json, through the HTTP route, with the clock pinned to the case's `now`.
@Suite(.timeLimit(.minutes(5))) struct SignatureVectorTests {
    /// The stable reason each rejected vector must produce.
    static let expectedReasons: [String: String] = [
        "timestamp-too-old": "timestamp_out_of_range", "timestamp-too-new": "timestamp_out_of_range",
        "body-tampered": "invalid_signature", "body-reserialized": "invalid_signature",
        "id-changed": "invalid_signature", "signed-by-unknown-key": "invalid_signature",
        "no-der-signature": "no_supported_signature", "missing-signature-header": "missing_headers",
        "garbage-timestamp": "invalid_timestamp", "malformed-signature-item": "malformed_signature",
        "not-base64": "malformed_signature",
    ]

    @Test func everyVectorGetsItsVerdictThroughTheRoute() async throws {
        let vectors = try JSONValue.parse(Fixtures.data("webhook-signatures.json"))
        let cases = try #require(vectors["cases"]?.arrayValue)
        #expect(cases.count == 14)
        var setup = ReceiverSetup()
        setup.backend = ReceiverTestBackend.default
        // The vectors are deliveries of appdef_test on example.benchling.com.
        setup.secretEdit = {
            $0["APP_DEFINITION_ID"] = "appdef_test"
            $0["TENANT"] = "example"
        }
        setup.settingsEdit = { $0.environment["BENCHLING_BASE_URL"] = nil }
        try await ReceiverHarness.run(setup) { client, fixture in
            var accepted = 0
            for vector in cases {
                let name = try #require(vector["name"]?.stringValue)
                let now = try #require(vector["now"]?.intValue)
                fixture.clock.now = Date(timeIntervalSince1970: TimeInterval(now))
                let headers =
                    (vector["headers"]?.objectValue).map { object in
                        object.map { (name: $0.key, value: $0.value.stringValue ?? "") }
                    } ?? []
                let body = Data(try #require(vector["body"]?.stringValue).utf8)
                let response = try await client.post("/event", body: body, headers: headers)
                if vector["valid"]?.boolValue == true {
                    #expect(response.status == .ok, "\(name): \(String(buffer: response.body))")
                    #expect(response.json["status"]?.stringValue == "ACCEPTED", "\(name)")
                    accepted += 1
                } else {
                    #expect(response.status == .forbidden, "\(name): \(String(buffer: response.body))")
                    #expect(response.json["error"]?.stringValue == "Forbidden", "\(name)")
                    #expect(response.json["reason"]?.stringValue == Self.expectedReasons[name], "\(name)")
                }
            }
            #expect(accepted == 3)
            // The three valid vectors share one webhook id: a single message reaches the queue.
            let messages = try await fixture.drainQueue()
            #expect(messages.count == 1)
            let metrics = String(buffer: try await client.get("/metrics").body)
            #expect(metrics.contains(#"receiver_verification_failures_total{reason="invalid_signature"} 4"#))
        }
    }
}
