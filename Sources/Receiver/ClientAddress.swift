import Config
import Foundation
import Hummingbird
import NIOCore

/// Who is calling, for the allowlist.
///
/// Behind an ALB the client is the LAST `X-Forwarded-For` entry: the ALB appends the address it saw, and
/// everything before it was written by the client and can be spoofed. The header itself is believed only when
/// the socket peer is a trusted proxy (`TRUSTED_PROXIES`): anyone reaching the port directly could write it.
/// Otherwise, and without the header, the client is the socket peer.
public struct ClientAddress: Sendable, Equatable {
    /// The address text to check (`10.0.0.5`, `2001:db8::1`, `::ffff:10.0.0.5`), nil when unknown.
    public let address: String?
    /// True when the request came through a trusted proxy (its `X-Forwarded-For` was believed).
    public let viaProxy: Bool

    public init(address: String?, viaProxy: Bool) {
        self.address = address
        self.viaProxy = viaProxy
    }

    /// Combines every `X-Forwarded-For` field (in order, as one comma-separated list) and takes the last
    /// non-empty entry when the peer is a trusted proxy; falls back to the socket peer.
    public init(headers: HTTPFields, peer: SocketAddress?, trustedProxies: TrustedProxies) {
        let values = headers.filter { $0.name.canonicalName == "x-forwarded-for" }.map(\.value)
        if !values.isEmpty, trustedProxies.contains(peer: peer) {
            let entries = values.flatMap { $0.split(separator: ",") }
                .map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
            self.init(address: entries.last.map(Self.stripPort), viaProxy: true)
        } else {
            self.init(address: peer?.ipAddress, viaProxy: false)
        }
    }

    /// A caller on the receiver's own host (the container's health check, an operator, `dev`): the only one
    /// told why configuration is unusable. Everyone else gets a generic reason, as the detail names the stack,
    /// the secret and the account.
    public var isLocal: Bool {
        guard !viaProxy, let address, let parsed = AllowList.peerAddress(address) else { return false }
        return parsed.isLoopback
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

/// The proxies whose `X-Forwarded-For` is believed (`TRUSTED_PROXIES`: comma-separated addresses and CIDR
/// blocks, the VPC's CIDR behind an ALB). Empty trusts nobody: the header is then ignored.
public struct TrustedProxies: Sendable, Equatable, CustomStringConvertible {
    /// Same syntax as the webhook allowlist, but an empty list means nobody rather than everyone.
    public let ranges: [IPRange]

    public init(_ ranges: [IPRange]) { self.ranges = ranges }

    public static let none = TrustedProxies([])

    public static func parse(_ text: String) throws(AllowListError) -> TrustedProxies {
        TrustedProxies(try AllowList.parse(text).ranges)
    }

    /// Whether the socket peer is one of the trusted proxies.
    public func contains(peer: SocketAddress?) -> Bool {
        guard !ranges.isEmpty, let text = peer?.ipAddress, let address = AllowList.peerAddress(text) else {
            return false
        }
        return ranges.contains { $0.contains(address) }
    }

    public var description: String { ranges.map(\.description).joined(separator: ",") }
}
