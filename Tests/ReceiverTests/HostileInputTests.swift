import BenchlingSandbox
import Foundation
import JSONCore
import Receiver
import Testing

/// What an attacker reaching the receiver can and cannot do: forged proxies, foreign deliveries, oversized
/// signature headers, open doors, and configuration details in degraded answers.
@Suite(.timeLimit(.minutes(5))) struct HostileInputTests {
    /// A delivery of this tenant's app whose envelope was edited, then correctly signed by the sandbox's key.
    static func signed(
        _ sandbox: SandboxTenant, edit: (inout JSONObject) -> Void
    ) async throws -> (body: Data, headers: [(name: String, value: String)]) {
        let delivery = try await sandbox.signedDelivery(
            message: .entryCreated(entryId: "etr_" + UUID().uuidString.prefix(8)))
        guard case .object(var envelope) = delivery.envelope else { throw HarnessError("envelope is not an object") }
        edit(&envelope)
        let body = envelope.compactData()
        let signature = try await sandbox.sign(body: body, webhookId: delivery.webhookId, timestamp: delivery.timestamp)
        return (
            body,
            [
                ("webhook-id", delivery.webhookId), ("webhook-timestamp", String(delivery.timestamp)),
                ("webhook-signature", signature),
            ]
        )
    }

    @Test func deliveriesForAnotherAppOrTenantAreRefusedBeforeEnqueueing() async throws {
        var setup = ReceiverSetup()
        setup.backend = ReceiverTestBackend.default
        try await ReceiverHarness.run(setup) { client, fixture in
            /// "STATUS REASON" of the answer to a signed delivery whose envelope was edited.
            func answer(_ edit: (inout JSONObject) -> Void) async throws -> String {
                let delivery = try await Self.signed(fixture.sandbox, edit: edit)
                let response = try await client.post("/event", body: delivery.body, headers: delivery.headers)
                return "\(response.status.code) \(response.json["reason"]?.stringValue ?? "-")"
            }
            let otherApp = try await answer {
                $0["appDefinition"] = ["id": "appdef_someoneelse", "versionNumber": "1"]
            }
            #expect(otherApp == "403 wrong_app")
            let noApp = try await answer { $0["appDefinition"] = nil }
            #expect(noApp == "403 wrong_app")
            let otherTenant = try await answer { $0["baseURL"] = "https://other.benchling.com" }
            #expect(otherTenant == "403 wrong_tenant")
            let noTenant = try await answer { $0["baseURL"] = nil }
            #expect(noTenant == "403 wrong_tenant")
            // Ours, written with a trailing slash and in another letter case: accepted.
            let ours = fixture.sandbox.baseURL.absoluteString.uppercased() + "/"
            let accepted = try await answer { $0["baseURL"] = .string(ours) }
            #expect(accepted == "200 -")
            #expect(try await fixture.drainQueue().count == 1)
        }
    }

    @Test func oversizedSignatureHeaderIsRefusedWithoutTouchingKeys() async throws {
        var setup = ReceiverSetup()
        setup.backend = ReceiverTestBackend.default
        try await ReceiverHarness.run(setup) { client, fixture in
            let delivery = try await fixture.sandbox.signedDelivery(message: .entryCreated(entryId: "etr_bigsig"))
            let fetches = await fixture.sandbox.counters().jwksFetches
            func repeated(_ count: Int) -> [(name: String, value: String)] {
                delivery.headers.map { header in
                    header.name.lowercased() == "webhook-signature"
                        ? (
                            name: header.name,
                            value: Array(repeating: header.value, count: count).joined(separator: " ")
                        )
                        : header
                }
            }
            // 60 copies of the valid signature (6 KB): refused unread, even though one of them would verify.
            let response = try await client.post("/event", body: delivery.body, headers: repeated(60))
            #expect(response.status == .forbidden)
            #expect(response.json["reason"]?.stringValue == "signature_header_too_large")
            #expect(await fixture.sandbox.counters().jwksFetches == fetches)
            #expect(try await client.post("/event", delivery).status == .ok)
            #expect(try await fixture.drainQueue().count == 1)
            // 700 copies (73 KB) do not even pass the HTTP parser's header cap: 400, and the connection is closed.
            let huge = try await client.post("/event", body: delivery.body, headers: repeated(700))
            #expect(huge.status == .badRequest)
        }
    }

    /// Without a trusted proxy in front, X-Forwarded-For is whatever the caller wrote: the peer counts.
    @Test func forwardedForFromAnUntrustedPeerIsIgnored() async throws {
        var setup = ReceiverSetup()
        setup.backend = .embedded
        setup.allowList = "10.0.0.0/8"
        setup.settingsEdit = { $0.trustedProxies = .none }
        try await ReceiverHarness.run(setup) { client, fixture in
            let delivery = try await fixture.sandbox.signedDelivery(message: .entryCreated(entryId: "etr_xff"))
            let forged = try await client.post("/event", delivery, extra: [("X-Forwarded-For", "10.0.0.5")])
            #expect(forged.status == .forbidden)
            #expect(forged.json["reason"]?.stringValue == "ip_not_allowed")
            // Health: a direct caller (as the container check is), whatever header it wrote.
            #expect(try await client.get("/health/ready", extra: [("X-Forwarded-For", "198.51.100.1")]).status == .ok)
            #expect(try await fixture.drainQueue().isEmpty)
        }
    }

    @Test func verificationOffWithoutAnAllowListIsNotReady() async throws {
        var setup = ReceiverSetup()
        setup.backend = .embedded
        setup.verification = false
        setup.allowList = ""
        setup.skipReadyWait = true
        try await ReceiverHarness.run(setup) { client, fixture in
            #expect(try await client.waitForMode("degraded"))
            let ready = try await client.get("/health/ready")
            #expect(ready.status == .serviceUnavailable)
            #expect(ready.json["reason"]?.stringValue?.contains("ENABLE_WEBHOOK_VERIFICATION") == true)
            let unsigned = try await client.post("/event", body: Data("{}".utf8), headers: [])
            #expect(unsigned.status == .serviceUnavailable)
            #expect(try await fixture.drainQueue().isEmpty)
        }
    }

    /// The reason names the stack, the secret and the account: only a caller on the receiver's host hears it.
    @Test func degradedAnswersWithholdTheReasonFromCallersThroughTheProxy() async throws {
        var setup = ReceiverSetup()
        setup.backend = ReceiverTestBackend.default
        setup.startWithoutSecret = true
        try await ReceiverHarness.run(setup) { client, fixture in
            #expect(try await client.waitForMode("degraded"))
            let proxied = [("X-Forwarded-For", "198.51.100.1")]
            let ready = try await client.get("/health/ready", extra: proxied)
            #expect(ready.status == .serviceUnavailable)
            #expect(ready.json["reason"]?.stringValue == StartupProblem.withheld.reason)
            #expect(ready.json["action"]?.stringValue == StartupProblem.withheld.action)
            let health = try await client.get("/health", extra: proxied)
            #expect(health.json["reason"]?.stringValue == StartupProblem.withheld.reason)
            let delivery = try await fixture.sandbox.signedDelivery(message: .entryCreated(entryId: "etr_leak"))
            let refused = try await client.post("/event", delivery, extra: proxied)
            #expect(refused.status == .serviceUnavailable)
            #expect(refused.json["reason"]?.stringValue == StartupProblem.withheld.reason)
            for body in [ready.body, health.body, refused.body] {
                #expect(!String(buffer: body).contains("BenchlingSecret"))
            }
            // The container's own check (on this host, no proxy) is told the reason.
            let local = try await client.get("/health/ready")
            #expect(local.json["reason"]?.stringValue?.contains("BenchlingSecret") == true)
        }
    }
}
