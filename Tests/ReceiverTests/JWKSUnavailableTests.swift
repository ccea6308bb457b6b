import BenchlingSandbox
import Foundation
import Receiver
import Testing
import TestSupport

/// When Benchling's keys cannot be had at all, a delivery is not judged: the route answers 503 `jwks_unavailable`
/// (Benchling retries it later) rather than 403, and nothing is enqueued.
@Suite(.timeLimit(.minutes(5))) struct JWKSUnavailableTests {
    @Test func deliveryWhileTheJWKSCannotBeFetchedGets503AndIsNotQueued() async throws {
        var setup = ReceiverSetup()
        setup.backend = .embedded
        // The harness otherwise waits for the keys, which never come here.
        setup.skipReadyWait = true
        // A path on the sandbox that is not its JWKS: every fetch of the keys fails (404), the pre-warm included.
        setup.settingsEdit = { settings in
            settings.environment["BENCHLING_JWKS_URL"] = (settings.environment["BENCHLING_JWKS_URL"] ?? "") + "-gone"
        }
        try await ReceiverHarness.run(setup) { client, fixture in
            #expect(try await client.waitUntilReady(), "ready does not wait for the keys")
            let delivery = try await fixture.sandbox.signedDelivery(message: .entryCreated(entryId: "etr_nokeys1"))
            let response = try await client.post("/event", delivery)
            #expect(response.status == .serviceUnavailable)
            #expect(response.json["reason"]?.stringValue == "jwks_unavailable", "\(response.json)")
            #expect(try await fixture.drainQueue().isEmpty, "an unverified delivery is never enqueued")
            // The setup took: the receiver never got hold of the real keys.
            #expect(await fixture.sandbox.counters().jwksFetches == 0, "the sandbox's real JWKS was never served")
        }
    }
}
