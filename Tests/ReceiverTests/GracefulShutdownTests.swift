import Foundation
import HTTPTypes
import JSONCore
import MessageQueue
import NIOCore
import Receiver
import TestSupport
import Testing

/// SIGTERM with a webhook in flight: stop accepting, finish what was taken, then stop.
@Suite(.timeLimit(.minutes(5))) struct GracefulShutdownTests {
    @Test func inFlightWebhookIsAnsweredAndNewConnectionsAreRefused() async throws {
        let environment = try TestEnvironment.load()
        let motoPort = try #require(URL(string: environment.awsEndpoint)?.port)
        // The receiver reaches moto through this relay, which can hold its SendMessage call.
        let relay = try HoldingRelay(upstreamPort: motoPort)
        defer { relay.stop() }
        var setup = ReceiverSetup()
        setup.backend = .moto()
        setup.settingsEdit = { settings in
            settings.environment["AWS_ENDPOINT_URL"] = relay.endpoint
            settings.enqueueTimeout = .seconds(30)  // longer than the hold: the answer must be the real one
        }
        try await ReceiverHarness.runServing(setup) { receiver, fixture in
            let delivery = try await fixture.sandbox.signedDelivery(message: .entryCreated(entryId: "etr_drain"))
            relay.hold()
            let inFlight = Task {
                var headers = HTTPFields()
                for (name, value) in delivery.headers {
                    headers.append(HTTPField(name: HTTPField.Name(name)!, value: value))
                }
                return try await receiver.execute(
                    "/event", method: .post, headers: headers, body: ByteBuffer(bytes: delivery.body))
            }
            // The request is inside the receiver, waiting on its queue call.
            #expect(try await relay.waitForRequest(containing: delivery.webhookId, timeout: .seconds(20)))

            await receiver.triggerGracefulShutdown()
            // The listener closes while the webhook is still in flight…
            var refused = false
            for _ in 0..<200 where !refused {
                refused = !HoldingRelay.accepts(port: receiver.port)
                if !refused { try await Task.sleep(for: .milliseconds(25)) }
            }
            #expect(refused, "the receiver still accepted connections after graceful shutdown began")

            // …and once the queue answers, the in-flight webhook gets its real answer.
            relay.release()
            let response = try await inFlight.value
            #expect(response.status == .ok)
            let body = try JSONValue.parse(Array((response.body ?? ByteBuffer()).readableBytesView))
            #expect(body["status"]?.stringValue == "ACCEPTED")
            #expect(body["webhookId"]?.stringValue == delivery.webhookId)
            #expect(!HoldingRelay.accepts(port: receiver.port))
            // The message really is in the queue.
            let messages = try await fixture.drainQueue()
            #expect(try messages.map { try QueuedWebhook.decode($0.body).webhookId } == [delivery.webhookId])
        }
    }
}
