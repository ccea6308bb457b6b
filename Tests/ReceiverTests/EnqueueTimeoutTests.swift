import Foundation
import JSONCore
import Receiver
import TestSupport
import Testing

/// A queue that never answers: the enqueue deadline turns it into a 503 that makes Benchling retry.
@Suite(.timeLimit(.minutes(5))) struct EnqueueTimeoutTests {
    @Test func silentQueueEndpointGives503WithinTheEnqueueTimeout() async throws {
        // Accepts connections and reads requests, never answers: the SQS endpoint of this receiver.
        let silent = try HoldingRelay(upstreamPort: nil)
        defer { silent.stop() }
        let logs = CapturedLogs()
        let timeout = Duration.milliseconds(300)
        var setup = ReceiverSetup()
        setup.backend = .embedded  // file secret; only the queue is SQS, and it is the silent endpoint
        setup.logger = logs.logger()
        setup.settingsEdit = { settings in
            settings.queueAddress = silent.endpoint + "/123456789012/bq-test-silent.fifo"
            settings.environment.merge([
                "AWS_ENDPOINT_URL": silent.endpoint, "AWS_REGION": "us-east-1",
                "AWS_ACCESS_KEY_ID": "AKIASILENTENDPOINT00", "AWS_SECRET_ACCESS_KEY": "not-checked",
            ]) { _, new in new }
            settings.enqueueTimeout = timeout
        }
        try await ReceiverHarness.run(setup) { client, fixture in
            let delivery = try await fixture.sandbox.signedDelivery(message: .entryCreated(entryId: "etr_silent"))
            let started = ContinuousClock.now
            let response = try await client.post("/event", delivery)
            let elapsed = ContinuousClock.now - started

            #expect(response.status == .serviceUnavailable)
            #expect(response.json["error"]?.stringValue == "Service Unavailable")
            #expect(response.json["reason"]?.stringValue == "enqueue_failed")
            // The answer tells the sender the event was not taken, so Benchling's retry brings it again.
            let action = try #require(response.json["action"]?.stringValue)
            #expect(action.contains("not queued") && action.contains("retry"))
            // The receiver really tried to send this delivery to the silent endpoint…
            #expect(silent.receivedText.contains("AmazonSQS.SendMessage"))
            #expect(silent.receivedText.contains(delivery.webhookId))
            // …waited the configured time, and was cut off by its own deadline (the log's "no answer within"
            // below), not by the HTTP client's request timeout, which would also have ended in a 503.
            #expect(elapsed >= timeout)
            let line = try #require(logs.all.first { $0.message == "webhook" })
            #expect(line.level == .error)
            #expect(line.metadata["outcome"] == "enqueue_failed")
            #expect(line.metadata["webhook_id"] == delivery.webhookId)
            #expect(line.metadata["detail"]?.contains("no answer within") == true)
            let metrics = String(buffer: try await client.get("/metrics").body)
            #expect(metrics.contains(#"receiver_requests_total{route="event",outcome="enqueue_failed"} 1"#))
            // Still ready: a slow queue is not a configuration problem.
            #expect(try await client.get("/health/ready").status == .ok)
        }
    }
}
