import AsyncHTTPClient
import BenchlingSandbox
import Foundation
import NIOCore

/// Delivers signed webhooks to the receiver over real HTTP, exactly as Benchling does: the sandbox's signed
/// body and `webhook-*` headers, POSTed to `/event` (subscribed events) or `/canvas` (app signals).
public struct WebhookSender: Sendable {
    public let receiverURL: URL
    let client: HTTPClient

    /// The receiver's answer to one delivery.
    public struct Answer: Sendable {
        public let status: Int
        public let body: String
    }

    init(receiverURL: URL, client: HTTPClient) {
        self.receiverURL = receiverURL
        self.client = client
    }

    /// POSTs `delivery` to `path` ("/event" or "/canvas").
    public func post(_ delivery: SignedDelivery, to path: String) async throws -> Answer {
        var request = HTTPClientRequest(url: receiverURL.absoluteString + path)
        request.method = .POST
        for header in delivery.headers { request.headers.add(name: header.name, value: header.value) }
        request.body = .bytes(ByteBuffer(bytes: delivery.body))
        // Beyond the dev receiver's 10 s enqueue bound, so the receiver's answer (even a 503) is what is reported.
        let response = try await client.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 20)
        return Answer(status: Int(response.status.code), body: String(buffer: body))
    }

    /// GETs a path and returns the status (health checks).
    func status(of path: String) async throws -> Int {
        let request = HTTPClientRequest(url: receiverURL.absoluteString + path)
        let response = try await client.execute(request, timeout: .seconds(5))
        _ = try await response.body.collect(upTo: 1 << 20)
        return Int(response.status.code)
    }
}
