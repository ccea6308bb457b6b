import BenchlingSandbox
import Foundation
import Receiver
import TestSupport
import Testing

/// A body without Content-Length (chunked) is only known to be too large while it is being read: the receiver
/// stops at the limit and answers 413, and a chunked delivery within the limit is read and accepted as usual.
@Suite(.timeLimit(.minutes(5))) struct StreamedBodyLimitTests {
    static let limit = 64 << 10

    /// `body` as chunks of 8 KiB, with the final empty chunk.
    static func chunked(_ body: Data) -> Data {
        var out = Data()
        var offset = 0
        while offset < body.count {
            let piece = body[offset..<min(offset + (8 << 10), body.count)]
            out += Data("\(String(piece.count, radix: 16))\r\n".utf8) + piece + Data("\r\n".utf8)
            offset += piece.count
        }
        return out + Data("0\r\n\r\n".utf8)
    }

    static func head(extra: [(name: String, value: String)] = []) -> String {
        var head = "POST /event HTTP/1.1\r\nHost: receiver\r\nTransfer-Encoding: chunked\r\n"
        for header in extra where header.name.lowercased() != "content-length" {
            head += "\(header.name): \(header.value)\r\n"
        }
        return head + "\r\n"
    }

    @Test func chunkedBodyOverTheLimitGets413AndAChunkedDeliveryWithinItIsAccepted() async throws {
        var setup = ReceiverSetup()
        setup.backend = .embedded
        setup.settingsEdit = { $0.maxBodyBytes = Self.limit }
        try await ReceiverHarness.runServing(setup) { receiver, fixture in
            let delivery = try await fixture.sandbox.signedDelivery(message: .entryCreated(entryId: "etr_chunked1"))
            #expect(delivery.body.count < Self.limit)
            let within = try RawConnection(port: receiver.port)
            defer { within.close() }
            within.send(Data(Self.head(extra: delivery.headers).utf8) + Self.chunked(delivery.body))
            #expect(try await within.waitForAnswer(containing: "ACCEPTED", timeout: .seconds(60)), "\(within.received)")
            #expect(within.received.hasPrefix("HTTP/1.1 200"), "\(within.received)")

            let over = try RawConnection(port: receiver.port)
            defer { over.close() }
            let big = Data(repeating: UInt8(ascii: " "), count: Self.limit + (16 << 10))
            over.send(Data(Self.head().utf8) + Self.chunked(big))
            #expect(try await over.waitForAnswer(containing: "HTTP/1.1", timeout: .seconds(60)))
            #expect(over.received.hasPrefix("HTTP/1.1 413"), "\(over.received)")
            #expect(over.received.contains("\"limit\":\(Self.limit)"), "\(over.received)")

            let queued = try await fixture.drainQueue()
            #expect(queued.map(\.groupId) == ["etr_chunked1"], "only the delivery within the limit was queued")
        }
    }
}
