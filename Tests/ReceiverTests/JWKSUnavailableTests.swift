import BenchlingSandbox
import Foundation
import HTTPTypes
import JSONCore
import NIOCore
import Receiver
import TestSupport
import Testing

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
        // Served on a port of its own, each request on a connection of its own: a busy machine cannot strand the
        // test on one closed connection while the receiver starts.
        try await ReceiverHarness.runServing(setup) { receiver, fixture in
            #expect(try await receiver.isReady(), "ready does not wait for the keys")
            let delivery = try await fixture.sandbox.signedDelivery(message: .entryCreated(entryId: "etr_nokeys1"))
            var headers = HTTPFields()
            for (name, value) in delivery.headers {
                headers.append(HTTPField(name: HTTPField.Name(name)!, value: value))
            }
            let response = try await receiver.execute(
                "/event", method: .post, headers: headers, body: ByteBuffer(bytes: delivery.body))
            #expect(response.status == .serviceUnavailable)
            let answer = try JSONValue.parse(Array(try #require(response.body).readableBytesView))
            #expect(answer["reason"]?.stringValue == "jwks_unavailable", "\(answer)")
            #expect(try await fixture.drainQueue().isEmpty, "an unverified delivery is never enqueued")
            // The setup took: the receiver never got hold of the real keys.
            #expect(await fixture.sandbox.counters().jwksFetches == 0, "the sandbox's real JWKS was never served")
        }
    }
}
