import Foundation
import Hummingbird
import NIOCore

/// Who is calling, for the allowlist.
///
/// Behind an ALB the client is the LAST `X-Forwarded-For` entry: the ALB appends the address it saw, and
/// everything before it was written by the client and can be spoofed. Without the header, the socket peer.
public struct ClientAddress: Sendable, Equatable {
    /// The address text to check (`10.0.0.5`, `2001:db8::1`, `::ffff:10.0.0.5`), nil when unknown.
    public let address: String?
    /// True when the request came through a proxy (it carried `X-Forwarded-For`).
    public let viaProxy: Bool

    public init(address: String?, viaProxy: Bool) {
        self.address = address
        self.viaProxy = viaProxy
    }

    /// Combines every `X-Forwarded-For` field (in order, as one comma-separated list) and takes the last
    /// non-empty entry; falls back to the socket peer.
    public init(headers: HTTPFields, peer: SocketAddress?) {
        let values = headers.filter { $0.name.canonicalName == "x-forwarded-for" }.map(\.value)
        if !values.isEmpty {
            let entries = values.flatMap { $0.split(separator: ",") }
                .map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
            self.init(address: entries.last.map(Self.stripPort), viaProxy: true)
        } else {
            self.init(address: peer?.ipAddress, viaProxy: false)
        }
    }

    /// Some proxies write `1.2.3.4:5678` or `[2001:db8::1]:443`; the port is not part of the address.
    static func stripPort(_ entry: String) -> String {
        if entry.hasPrefix("["), let close = entry.firstIndex(of: "]") {
            return String(entry[entry.index(after: entry.startIndex)..<close])
        }
        let colons = entry.filter { $0 == ":" }.count
        if colons == 1, let colon = entry.firstIndex(of: ":") { return String(entry[..<colon]) }
        return entry
    }
}
