import Foundation
import JSONCore
import Testing

/// Starting with an unusable secret: degraded but answering, and healing once the secret is fixed.
@Suite(.timeLimit(.minutes(5))) struct DegradedStartTests {
    @Test func missingSecretDegradesThenHealsWithoutRestart() async throws {
        var setup = ReceiverSetup()
        setup.backend = ReceiverTestBackend.default
        setup.startWithoutSecret = true
        try await ReceiverHarness.run(setup) { client, fixture in
            let health = try await client.get("/health")
            #expect(health.status == .ok)
            #expect(try await client.waitForMode("degraded"))
            let ready = try await client.get("/health/ready")
            #expect(ready.status == .serviceUnavailable)
            #expect(ready.json["status"]?.stringValue == "not ready")
            #expect(ready.json["reason"]?.stringValue?.contains("BenchlingSecret") == true)
            #expect(ready.json["action"]?.stringValue?.isEmpty == false)
            let delivery = try await fixture.sandbox.signedDelivery(message: .entryCreated(entryId: "etr_deg"))
            let refused = try await client.post("/event", delivery)
            #expect(refused.status == .serviceUnavailable)
            #expect(refused.json["reason"]?.stringValue?.isEmpty == false)
            #expect(refused.json["action"]?.stringValue?.isEmpty == false)

            try await fixture.writeSecret(fixture.goodSecret)
            #expect(try await client.waitUntilReady())
            #expect(try await client.get("/health").json["mode"]?.stringValue == "normal")
            #expect(try await client.post("/event", delivery).status == .ok)
            #expect(try await fixture.drainQueue().count == 1)
        }
    }

    @Test func badLogLevelDegradesWithTheKeyNamedThenHeals() async throws {
        var setup = ReceiverSetup()
        setup.backend = ReceiverTestBackend.default
        setup.secretEdit = { $0["LOG_LEVEL"] = "LOUD" }
        // Ready never comes with this secret, so don't let the harness wait for it.
        setup.skipReadyWait = true
        try await ReceiverHarness.run(setup) { client, fixture in
            #expect(try await client.waitForMode("degraded"))
            let ready = try await client.get("/health/ready")
            #expect(ready.status == .serviceUnavailable)
            #expect(ready.json["reason"]?.stringValue?.contains("LOG_LEVEL") == true)
            #expect(ready.json["reason"]?.stringValue?.contains("LOUD") == true)
            try await fixture.writeSecret(fixture.goodSecret)
            #expect(try await client.waitUntilReady())
        }
    }
}
