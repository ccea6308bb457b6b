import Foundation
import MessageQueue
import Testing

/// The receiver → worker message body (`.dev/queue-message-format.md`): one type, both ends.
@Suite("QueuedWebhook: the queue message body", .timeLimit(.minutes(2)))
struct QueuedWebhookTests {
    static let raw =
        #"{"version":"0","baseURL":"https://x.benchling.com/a","message":{"type":"v2.entry.created","resourceId":"etr_1","name":"é ü"}}"#

    @Test("encodedBody writes compact JSON, keys in the documented order, the raw body as a string")
    func wireFormat() {
        let queued = QueuedWebhook(
            webhookId: "msg_1", webhookTimestamp: "1700000000",
            receivedAt: Date(timeIntervalSince1970: 1_700_000_000.25),
            eventType: "v2.entry.created", groupId: "etr_1", body: Self.raw)
        #expect(queued.version == 1)
        #expect(
            queued.encodedBody()
                == #"{"version":1,"webhookId":"msg_1","webhookTimestamp":"1700000000","receivedAt":"2023-11-14T22:13:20.250Z","eventType":"v2.entry.created","groupId":"etr_1","body":"{\"version\":\"0\",\"baseURL\":\"https://x.benchling.com/a\",\"message\":{\"type\":\"v2.entry.created\",\"resourceId\":\"etr_1\",\"name\":\"é ü\"}}"}"#
        )
    }

    @Test("the queue message: the encoded body, in the given group, deduplicated by the webhook id")
    func outgoingMessage() {
        let queued = QueuedWebhook(webhookId: "msg_7", eventType: "v2.entry.created", groupId: "etr_7", body: "{}")
        let message = queued.outgoingMessage(groupId: "etr_7")
        #expect(message.body == queued.encodedBody())
        #expect(message.groupId == "etr_7")
        #expect(message.deduplicationId == "msg_7")
        #expect(message.attributes.isEmpty)
    }

    @Test("absent optionals are written as null and read back as nil")
    func nulls() throws {
        let queued = QueuedWebhook(webhookId: "rcv_1", eventType: "v2.canvas.created", groupId: nil, body: "{}")
        let text = queued.encodedBody()
        #expect(
            text
                == #"{"version":1,"webhookId":"rcv_1","webhookTimestamp":null,"receivedAt":null,"eventType":"v2.canvas.created","groupId":null,"body":"{}"}"#
        )
        #expect(try QueuedWebhook.decode(text) == queued)
    }

    @Test(
        "decoding round-trips, keeps the raw body byte for byte, ignores unknown keys and tolerates missing optionals")
    func decoding() throws {
        let queued = QueuedWebhook(
            webhookId: "msg_2", webhookTimestamp: "1700000001", receivedAt: "2024-05-01T12:34:56.789Z",
            eventType: "v2.entry.updated.fields", groupId: "etr_2", body: Self.raw)
        let decoded = try QueuedWebhook.decode(queued.encodedBody())
        #expect(decoded == queued)
        #expect(Data(decoded.body.utf8) == Data(Self.raw.utf8))

        let newer =
            #"{"version":1,"webhookId":"msg_3","eventType":"v2.entry.created","body":"{}","addedLater":{"x":1}}"#
        let minimal = try QueuedWebhook.decode(newer)
        #expect(minimal.webhookId == "msg_3")
        #expect(minimal.webhookTimestamp == nil && minimal.receivedAt == nil && minimal.groupId == nil)
    }

    @Test("a body that is not a queued webhook is refused with a one-line reason")
    func refusals() {
        #expect(throws: QueuedWebhook.DecodingFailure.self) { try QueuedWebhook.decode("not json") }
        #expect {
            try QueuedWebhook.decode(#"{"version":1,"eventType":"v2.entry.created","body":"{}"}"#)
        } throws: { error in
            let reason = (error as? QueuedWebhook.DecodingFailure)?.reason ?? ""
            return reason.contains("webhookId") && !reason.contains("\n")
        }
        #expect(throws: QueuedWebhook.DecodingFailure.self) {
            try QueuedWebhook.decode(#"{"version":"one","webhookId":"m","eventType":"t","body":"{}"}"#)
        }
    }

    @Test("receivedAt is UTC with milliseconds")
    func timestamps() {
        #expect(QueuedWebhook.timestamp(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(QueuedWebhook.timestamp(Date(timeIntervalSince1970: 1_714_566_896.789)) == "2024-05-01T12:34:56.789Z")
    }
}
