import Foundation
import Testing

/// The allowlist on webhook and health routes: last X-Forwarded-For entry, else the socket peer.
@Suite(.timeLimit(.minutes(5))) struct AllowListRouteTests {
    @Test func onlyTheLastForwardedEntryCounts() async throws {
        var setup = ReceiverSetup()
        setup.backend = ReceiverTestBackend.default
        setup.allowList = "10.0.0.0/8, 2001:db8::/32, 192.0.2.7"
        try await ReceiverHarness.run(setup) { client, fixture in
            func status(_ forwarded: String?) async throws -> Int {
                let delivery = try await fixture.sandbox.signedDelivery(message: .entryCreated(entryId: "etr_allow"))
                let extra = forwarded.map { [("X-Forwarded-For", $0)] } ?? []
                let response = try await client.post("/event", delivery, extra: extra)
                if response.status == .forbidden {
                    #expect(response.json["reason"]?.stringValue == "ip_not_allowed")
                }
                return Int(response.status.code)
            }
            // The socket peer (127.0.0.1) is not on the list.
            #expect(try await status(nil) == 403)
            #expect(try await status("10.0.0.5") == 200)
            // A client-written first entry cannot buy its way in, nor lock a real client out.
            #expect(try await status("10.0.0.5, 1.2.3.4") == 403)
            #expect(try await status("1.2.3.4, 10.0.0.5") == 200)
            #expect(try await status("1.2.3.4,10.0.0.5") == 200)
            #expect(try await status("192.0.2.7") == 200)
            #expect(try await status("192.0.2.8") == 403)
            #expect(try await status("2001:db8::7") == 200)
            #expect(try await status("2001:db9::7") == 403)
            #expect(try await status("::ffff:10.1.2.3") == 200)
            #expect(try await status("::ffff:1.2.3.4") == 403)
            #expect(try await status("not-an-address") == 403)
            // The 403 comes before the body is even looked at: no signature needed to be refused.
            let unsigned = try await client.post("/event", body: Data("{}".utf8), headers: [])
            #expect(unsigned.status == .forbidden)
            #expect(unsigned.json["reason"]?.stringValue == "ip_not_allowed")
            // Six deliveries (distinct webhook ids) were let through and queued.
            #expect(try await fixture.drainQueue().count == 6)
        }
    }

    @Test func healthObeysTheListOnlyThroughTheLoadBalancer() async throws {
        var setup = ReceiverSetup()
        setup.backend = ReceiverTestBackend.default
        setup.allowList = "10.0.0.0/8"
        try await ReceiverHarness.run(setup) { client, _ in
            // The ALB's probe and the container check: no X-Forwarded-For, always answered.
            #expect(try await client.get("/health").status == .ok)
            #expect(try await client.get("/health/ready").status == .ok)
            #expect(try await client.get("/health/live").status == .ok)
            // Through the load balancer from outside the list: refused.
            let outside = try await client.get("/health", extra: [("X-Forwarded-For", "198.51.100.1")])
            #expect(outside.status == .forbidden)
            #expect(outside.json["reason"]?.stringValue == "ip_not_allowed")
            #expect(try await client.get("/health/ready", extra: [("X-Forwarded-For", "10.9.9.9")]).status == .ok)
            #expect(
                try await client.get("/metrics", extra: [("X-Forwarded-For", "198.51.100.1")]).status == .forbidden)
        }
    }
}
