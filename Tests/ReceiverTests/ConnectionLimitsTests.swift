import BenchlingSandbox
import Foundation
import HTTPTypes
import NIOCore
import Receiver
import TestSupport
import Testing

/// Slow and stalled callers: the connection is closed, bodies being read are bounded, and deliveries still get
/// through. Everything is judged by events (an answer, a closed connection) within generous deadlines.
@Suite(.timeLimit(.minutes(5))) struct ConnectionLimitsTests {
    @Test func slowHeadersStalledBodiesAndSilentConnectionsAreClosed() async throws {
        var setup = ReceiverSetup()
        setup.backend = .embedded
        // Long enough that a loaded two-core run still answers the kept-alive request within it (3 s was not).
        setup.settingsEdit = { $0.limits.requestTimeout = .seconds(8) }
        try await ReceiverHarness.runServing(setup) { receiver, _ in
            let slowHeaders = try RawConnection(port: receiver.port)
            slowHeaders.send("POST /event HTTP/1.1\r\nHost: receiver\r\nContent-Type: appl")
            let stalledBody = try RawConnection(port: receiver.port)
            stalledBody.send("POST /event HTTP/1.1\r\nHost: receiver\r\nContent-Length: 1000\r\n\r\n{\"version\":")
            let silent = try RawConnection(port: receiver.port)
            defer { [slowHeaders, stalledBody, silent].forEach { $0.close() } }
            #expect(try await slowHeaders.waitUntilClosed(timeout: .seconds(60)))
            #expect(try await stalledBody.waitUntilClosed(timeout: .seconds(60)))
            #expect(try await silent.waitUntilClosed(timeout: .seconds(60)))
            // A request that keeps its connection alive is not cut off between requests.
            let keptAlive = try RawConnection(port: receiver.port)
            defer { keptAlive.close() }
            keptAlive.send("GET /health/live HTTP/1.1\r\nHost: receiver\r\n\r\n")
            #expect(try await keptAlive.waitForAnswer(containing: "alive", timeout: .seconds(30)))
            #expect(!keptAlive.isClosed)
        }
    }

    /// Uploads that declare 1 MiB and stall hold at most half the body budget; the rest are turned away at once
    /// with 503, and a real delivery (a few KB) still finds room.
    @Test func stalledUploadsAreTurnedAwayWhileDeliveriesGetThrough() async throws {
        var setup = ReceiverSetup()
        setup.backend = .embedded
        setup.settingsEdit = {
            $0.limits.bodyBudgetBytes = 4 << 20
            $0.limits.requestTimeout = .seconds(120)
        }
        try await ReceiverHarness.runServing(setup) { receiver, fixture in
            let head = "POST /event HTTP/1.1\r\nHost: receiver\r\nContent-Length: \(1 << 20)\r\n\r\n"
            var uploads: [RawConnection] = []
            defer { uploads.forEach { $0.close() } }
            for _ in 0..<6 {
                let upload = try RawConnection(port: receiver.port)
                upload.send(head)
                upload.send(Data(repeating: UInt8(ascii: " "), count: 256 << 10))
                uploads.append(upload)
            }
            // Half of 4 MiB holds two 1 MiB uploads; the other four are answered 503 without being read.
            var busy: [RawConnection] { uploads.filter { $0.received.contains("\"reason\":\"busy\"") } }
            _ = try await eventually(timeout: .seconds(60)) { busy.count >= 4 }
            #expect(busy.count == 4)
            #expect(busy.allSatisfy { $0.received.hasPrefix("HTTP/1.1 503") })
            let stalled = uploads.filter { !$0.received.contains("busy") }
            #expect(stalled.count == 2)
            #expect(stalled.allSatisfy { !$0.isClosed })

            let delivery = try await fixture.sandbox.signedDelivery(message: .entryCreated(entryId: "etr_during"))
            var fields = HTTPFields()
            for (name, value) in delivery.headers {
                fields.append(HTTPField(name: HTTPField.Name(name)!, value: value))
            }
            let answer = try await receiver.execute(
                "/event", method: .post, headers: fields, body: ByteBuffer(bytes: delivery.body))
            #expect(answer.status == .ok)
            #expect(try await fixture.drainQueue().count == 1)
        }
    }

    @Test func connectionsBeyondTheCapWaitForOneToClose() async throws {
        var setup = ReceiverSetup()
        setup.backend = .embedded
        setup.settingsEdit = {
            $0.limits.maxConnections = 3
            $0.limits.requestTimeout = .seconds(120)
        }
        try await ReceiverHarness.runServing(setup) { receiver, _ in
            // The harness's readiness checks closed their connections; wait until the receiver counted that.
            var holders: [RawConnection] = []
            defer { holders.forEach { $0.close() } }
            for _ in 0..<3 {
                let holder = try RawConnection(port: receiver.port)
                holder.send("GET /health/live HTTP/1.1\r\nHost: receiver\r\n\r\n")
                #expect(try await holder.waitForAnswer(containing: "alive", timeout: .seconds(30)))
                holders.append(holder)
            }
            // The fourth is accepted by the kernel but not served while three are open.
            let fourth = try RawConnection(port: receiver.port)
            defer { fourth.close() }
            fourth.send("GET /health/live HTTP/1.1\r\nHost: receiver\r\n\r\n")
            #expect(try await !fourth.waitForAnswer(containing: "alive", timeout: .seconds(2)))
            holders[0].close()
            #expect(try await fourth.waitForAnswer(containing: "alive", timeout: .seconds(30)))
        }
    }
}
