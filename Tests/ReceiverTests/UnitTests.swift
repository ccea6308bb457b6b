import Foundation
import HTTPTypes
import MessageQueue
import NIOCore
import Receiver
import Testing

/// Pure pieces: settings and the queue wrapper's JSON.
@Suite(.timeLimit(.minutes(2))) struct ReceiverUnitTests {
    @Test func queuedWebhookRoundTripsAndKeepsTheRawBody() throws {
        let raw = #"{"b": 1,  "a":"é\u00e9"}"#
        let queued = QueuedWebhook(
            webhookId: "msg_1", webhookTimestamp: "1700000000",
            receivedAt: Date(timeIntervalSince1970: 1_700_000_000.25),
            eventType: "v2.entry.created", groupId: "etr_1", body: raw)
        let text = queued.encodedBody()
        #expect(
            text.hasPrefix(
                #"{"version":1,"webhookId":"msg_1","webhookTimestamp":"1700000000","receivedAt":"2023-11-14T22:13:20.250Z""#
            ))
        let decoded = try QueuedWebhook.decode(text)
        #expect(decoded == queued)
        #expect(decoded.body == raw)
    }

    @Test func settingsFromEnvironment() throws {
        let settings = try ReceiverSettings.fromEnvironment(["PORT": "9001", "QUEUE_URL": "sqlite:///tmp/q.db"])
        #expect(settings.port == 9001)
        #expect(settings.queueAddress == "sqlite:///tmp/q.db")
        #expect(settings.host == "0.0.0.0")
        #expect(try ReceiverSettings.fromEnvironment([:]).port == 8080)
        #expect(throws: ReceiverSettingsError.self) { try ReceiverSettings.fromEnvironment(["PORT": "http"]) }
        #expect(settings.refreshInterval == .seconds(300))
        #expect(try ReceiverSettings.fromEnvironment(["CONFIG_REFRESH_SECONDS": "7"]).refreshInterval == .seconds(7))
        #expect(throws: ReceiverSettingsError.self) {
            try ReceiverSettings.fromEnvironment(["CONFIG_REFRESH_SECONDS": "0"])
        }
        #expect(throws: ReceiverSettingsError.self) {
            try ReceiverSettings.fromEnvironment(["CONFIG_REFRESH_SECONDS": "5m"])
        }
    }
}

/// Client address extraction for the allowlist.
@Suite(.timeLimit(.minutes(2))) struct ClientAddressTests {
    @Test func lastForwardedEntryWinsAndPortsAreDropped() throws {
        let peer = try SocketAddress(ipAddress: "127.0.0.1", port: 5000)
        func address(_ values: [String]) -> ClientAddress {
            var headers = HTTPFields()
            for value in values { headers.append(HTTPField(name: HTTPField.Name("X-Forwarded-For")!, value: value)) }
            return ClientAddress(headers: headers, peer: peer, trustedProxies: try! .parse("127.0.0.0/8"))
        }
        #expect(address([]) == ClientAddress(address: "127.0.0.1", viaProxy: false))
        #expect(address(["1.2.3.4, 10.0.0.5"]) == ClientAddress(address: "10.0.0.5", viaProxy: true))
        // Two header fields are one list, in order.
        #expect(address(["10.0.0.5", "1.2.3.4"]).address == "1.2.3.4")
        #expect(address(["1.2.3.4:8443"]).address == "1.2.3.4")
        #expect(address(["[2001:db8::1]:443"]).address == "2001:db8::1")
        #expect(address(["2001:db8::1"]).address == "2001:db8::1")
        #expect(address([" , "]) == ClientAddress(address: nil, viaProxy: true))
    }

    /// Anyone reaching the port directly could write X-Forwarded-For: it counts only from a trusted proxy.
    @Test func forwardedForIsBelievedOnlyFromTrustedProxies() throws {
        var headers = HTTPFields()
        headers.append(HTTPField(name: HTTPField.Name("X-Forwarded-For")!, value: "10.0.0.5"))
        let proxies = try TrustedProxies.parse("10.1.0.0/16, 2001:db8::/32")
        func client(_ peer: String, _ trusted: TrustedProxies = proxies) throws -> ClientAddress {
            ClientAddress(
                headers: headers, peer: try SocketAddress(ipAddress: peer, port: 5000), trustedProxies: trusted)
        }
        #expect(try client("10.1.2.3") == ClientAddress(address: "10.0.0.5", viaProxy: true))
        #expect(try client("2001:db8::9") == ClientAddress(address: "10.0.0.5", viaProxy: true))
        #expect(try client("10.2.0.1") == ClientAddress(address: "10.2.0.1", viaProxy: false))
        #expect(try client("::ffff:10.1.2.3").viaProxy)
        // None configured: nobody is trusted (not everybody, as with an empty allowlist).
        #expect(try client("10.1.2.3", .none) == ClientAddress(address: "10.1.2.3", viaProxy: false))
        #expect(TrustedProxies.none.contains(peer: nil) == false)
        #expect(throws: (any Error).self) { try TrustedProxies.parse("10.0.0.0/8, vpc") }
        // Only a direct caller on this host is told configuration details.
        #expect(try client("127.0.0.1", .none).isLocal)
        #expect(try client("::1", .none).isLocal)
        #expect(try !client("10.2.0.1").isLocal)
        #expect(try !client("127.0.0.1", try .parse("127.0.0.1")).isLocal)
    }

    @Test func trustedProxiesComeFromTheEnvironment() throws {
        let settings = try ReceiverSettings.fromEnvironment(["TRUSTED_PROXIES": "10.0.0.0/16"])
        #expect(settings.trustedProxies.description == "10.0.0.0/16")
        #expect(try ReceiverSettings.fromEnvironment([:]).trustedProxies == .none)
        #expect(throws: ReceiverSettingsError.self) {
            try ReceiverSettings.fromEnvironment(["TRUSTED_PROXIES": "10.0.0.0/99"])
        }
    }
}
