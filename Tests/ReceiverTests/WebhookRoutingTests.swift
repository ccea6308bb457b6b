import BenchlingSandbox
import Foundation
import JSONCore
import MessageQueue
import Receiver
import Testing

/// The HTTP surface: message-type routing, enqueue format, duplicates, limits and errors.
@Suite(.timeLimit(.minutes(5))) struct WebhookRoutingTests {
    @Test func entryEventIsEnqueuedOnceWithTheDocumentedWrapper() async throws {
        var setup = ReceiverSetup()
        setup.backend = ReceiverTestBackend.default
        try await ReceiverHarness.run(setup) { client, fixture in
            let delivery = try await fixture.sandbox.signedDelivery(message: .entryCreated(entryId: "etr_route1"))
            let first = try await client.post("/event", delivery)
            #expect(first.status == .ok)
            #expect(first.json["status"]?.stringValue == "ACCEPTED")
            #expect(first.json["webhookId"]?.stringValue == delivery.webhookId)
            // Benchling's retry of the same delivery (same webhook-id): answered, but not queued twice.
            let again = try await client.post("/prod/event", delivery)
            #expect(again.status == .ok)

            let messages = try await fixture.drainQueue()
            #expect(messages.count == 1)
            let message = try #require(messages.first)
            #expect(message.groupId == "etr_route1")
            let queued = try QueuedWebhook.decode(message.body)
            #expect(queued.webhookId == delivery.webhookId)
            #expect(queued.webhookTimestamp == String(delivery.timestamp))
            #expect(queued.eventType == "v2.entry.created")
            #expect(queued.groupId == "etr_route1")
            // The raw body, byte for byte.
            #expect(Data(queued.body.utf8) == delivery.body)
            let wrapper = try JSONValue.parse(message.body)
            #expect(
                wrapper.objectValue?.keys == [
                    "version", "webhookId", "webhookTimestamp", "receivedAt", "eventType", "groupId", "body",
                ])
        }
    }

    @Test func canvasIsAcceptedWith202GroupedByCanvasId() async throws {
        var setup = ReceiverSetup()
        setup.backend = ReceiverTestBackend.default
        try await ReceiverHarness.run(setup) { client, fixture in
            let created = try await fixture.sandbox.signedDelivery(
                message: .canvasCreated(canvasId: "cnvs_r1", featureId: "quilt_entry"))
            let response = try await client.post("/canvas", created)
            #expect(response.status == .accepted)
            #expect(response.json["status"]?.stringValue == "ACCEPTED")
            #expect(response.json["canvasId"]?.stringValue == "cnvs_r1")
            let click = try await fixture.sandbox.signedDelivery(
                message: .canvasUserInteracted(canvasId: "cnvs_r2", buttonId: "update-etr_1", featureId: "quilt_entry"))
            #expect(try await client.post("/prod/canvas", click).status == .accepted)
            // canvas.initialized names its entry: grouped with that entry's other work.
            let initialized = try await fixture.sandbox.signedDelivery(
                message: .canvasInitialized(resourceId: "etr_r3", featureId: "quilt_entry"))
            #expect(try await client.post("/canvas", initialized).status == .accepted)

            let messages = try await fixture.drainQueue()
            #expect(Set(messages.compactMap(\.groupId)) == ["cnvs_r1", "cnvs_r2", "etr_r3"])
            let types = try Set(messages.map { try QueuedWebhook.decode($0.body).eventType })
            #expect(types == ["v2.canvas.created", "v2.canvas.userInteracted", "v2.canvas.initialized"])
        }
    }

    @Test func lifecycleAndUnknownAreAnsweredHereAndNotQueued() async throws {
        var setup = ReceiverSetup()
        setup.backend = ReceiverTestBackend.default
        try await ReceiverHarness.run(setup) { client, fixture in
            let installed = try await fixture.sandbox.signedDelivery(message: .lifecycle("v2.app.installed"))
            let response = try await client.post("/lifecycle", installed)
            #expect(response.status == .ok)
            #expect(response.json["status"]?.stringValue == "ok")
            // Path is only a label: a lifecycle message on /event is still handled as lifecycle.
            let activate = try await fixture.sandbox.signedDelivery(message: .lifecycle("v2.app.activateRequested"))
            #expect(try await client.post("/event", activate).json["status"]?.stringValue == "ok")

            let unknown = try await fixture.sandbox.signedDelivery(message: .custom(type: "v2.request.created"))
            let ignored = try await client.post("/event", unknown)
            #expect(ignored.status == .ok)
            #expect(ignored.json["status"]?.stringValue == "ignored")
            #expect(try await fixture.drainQueue().isEmpty)
        }
    }

    @Test func badBodiesLimitsAndUnknownPaths() async throws {
        var setup = ReceiverSetup()
        setup.backend = ReceiverTestBackend.default
        try await ReceiverHarness.run(setup) { client, fixture in
            let now = Int(Date().timeIntervalSince1970)
            func signed(_ text: String, id: String) async throws -> [(name: String, value: String)] {
                let signature = try await fixture.sandbox.sign(body: Data(text.utf8), webhookId: id, timestamp: now)
                return [("webhook-id", id), ("webhook-timestamp", String(now)), ("webhook-signature", signature)]
            }
            let notJSON = "this is not json"
            let r1 = try await client.post(
                "/event", body: Data(notJSON.utf8), headers: try await signed(notJSON, id: "msg_nj"))
            #expect(r1.status == .badRequest)
            let array = "[1,2,3]"
            let r2 = try await client.post(
                "/event", body: Data(array.utf8), headers: try await signed(array, id: "msg_arr"))
            #expect(r2.status == .badRequest)
            let noMessage = #"{"version":"0","channel":"events"}"#
            let r3 = try await client.post(
                "/event", body: Data(noMessage.utf8), headers: try await signed(noMessage, id: "msg_nomsg"))
            #expect(r3.status == .badRequest)

            let big = Data(repeating: UInt8(ascii: "a"), count: (1 << 20) + 1)
            let r4 = try await client.post("/event", body: big, headers: [])
            #expect(r4.status == .contentTooLarge)
            // Exactly at the limit is read (and then rejected for its signature, not its size).
            let atLimit = try await client.post("/event", body: Data(repeating: 0x20, count: 1 << 20), headers: [])
            #expect(atLimit.status == .forbidden)

            #expect(try await client.get("/nope").status == .notFound)
            #expect(try await client.get("/event").status == .notFound)
            #expect(try await client.post("/a/b/event", body: Data(), headers: []).status == .notFound)
            #expect(try await client.get("/health/live").json["status"]?.stringValue == "alive")
            let health = try await client.get("/health")
            #expect(health.json["status"]?.stringValue == "healthy")
            #expect(health.json["mode"]?.stringValue == "normal")
            #expect(try await fixture.drainQueue().isEmpty)
        }
    }

    @Test func keyRotationIsPickedUpByRefetch() async throws {
        var setup = ReceiverSetup()
        setup.backend = ReceiverTestBackend.default
        // Production rate-limits refetches to one per 30 s; the test lets the first mismatch refetch at once.
        setup.settingsEdit = { $0.jwks.minRefetchInterval = 0 }
        try await ReceiverHarness.run(setup) { client, fixture in
            let before = try await fixture.sandbox.signedDelivery(message: .entryCreated(entryId: "etr_rot"))
            #expect(try await client.post("/event", before).status == .ok)
            let fetchesBefore = await fixture.sandbox.counters().jwksFetches
            await fixture.sandbox.rotateSigningKey(keepPrevious: false)
            let after = try await fixture.sandbox.signedDelivery(message: .entryCreated(entryId: "etr_rot"))
            let response = try await client.post("/event", after)
            #expect(response.status == .ok, "\(String(buffer: response.body))")
            #expect(await fixture.sandbox.counters().jwksFetches == fetchesBefore + 1)
            #expect(try await fixture.drainQueue().count == 2)
        }
    }

    @Test func verificationCanBeTurnedOffInTheSecret() async throws {
        var setup = ReceiverSetup()
        setup.backend = ReceiverTestBackend.default
        setup.verification = false
        // Verification off needs an allowlist (without one the receiver stays not ready: HostileInputTests).
        setup.allowList = "127.0.0.1"
        try await ReceiverHarness.run(setup) { client, fixture in
            let delivery = try await fixture.sandbox.signedDelivery(message: .entryCreated(entryId: "etr_nover"))
            // No signature headers at all: accepted because the operator switched verification off.
            let response = try await client.post("/event", body: delivery.body, headers: [])
            #expect(response.status == .ok)
            let messages = try await fixture.drainQueue()
            #expect(messages.count == 1)
            #expect(try QueuedWebhook.decode(messages[0].body).webhookId.hasPrefix("rcv_"))
        }
    }

    @Test func queueRefusalAnswers503SoBenchlingRetries() async throws {
        var setup = ReceiverSetup()
        // The receiver's own credentials, but a queue its IAM policy does not cover: SendMessage is denied.
        setup.backend = .moto(credentials: .receiver, queueOutsidePolicy: true)
        try await ReceiverHarness.run(setup) { client, fixture in
            let delivery = try await fixture.sandbox.signedDelivery(message: .entryCreated(entryId: "etr_denied"))
            let response = try await client.post("/event", delivery)
            #expect(response.status == .serviceUnavailable)
            #expect(response.json["reason"]?.stringValue == "enqueue_failed")
            // No exception text leaks into the answer.
            #expect(!String(buffer: response.body).contains("AccessDenied"))
            // Lifecycle needs no queue: still answered.
            let installed = try await fixture.sandbox.signedDelivery(message: .lifecycle())
            #expect(try await client.post("/lifecycle", installed).status == .ok)
            #expect(try await fixture.drainQueue().isEmpty)
            let metrics = String(buffer: try await client.get("/metrics").body)
            #expect(metrics.contains(#"receiver_requests_total{route="event",outcome="enqueue_failed"} 1"#))
            #expect(metrics.contains("receiver_enqueue_duration_seconds_count 1"))
        }
    }
}
