import Foundation
import MessageQueue
import Receiver
import Testing

/// The embedded default: a `file://` secret and a `sqlite:///` queue, no AWS at all.
@Suite(.timeLimit(.minutes(5))) struct EmbeddedBackendTests {
    @Test func entryIsQueuedInSQLiteWithTheSameFormat() async throws {
        var setup = ReceiverSetup()
        setup.backend = .embedded
        try await ReceiverHarness.run(setup) { client, fixture in
            let delivery = try await fixture.sandbox.signedDelivery(message: .entryCreated(entryId: "etr_embedded"))
            #expect(try await client.post("/event", delivery).status == .ok)
            #expect(try await client.post("/event", delivery).status == .ok)
            let messages = try await fixture.drainQueue()
            #expect(messages.count == 1)
            #expect(messages.first?.groupId == "etr_embedded")
            #expect(
                try QueuedWebhook.decode(try #require(messages.first).body).body
                    == String(decoding: delivery.body, as: UTF8.self))
        }
    }
}
