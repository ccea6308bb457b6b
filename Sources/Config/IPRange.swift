/// One allow-list entry: a single address or a CIDR block, IPv4 or IPv6.
///
/// IPv4 ranges are stored over the IPv4-mapped space (`10.0.0.0/8` is `::ffff:10.0.0.0/104`), so they match
/// IPv4 peers whichever way the socket reports them, and a check is two masked 64-bit comparisons.
public struct IPRange: Sendable, Hashable, CustomStringConvertible {
    /// The network address with host bits cleared.
    public let network: IPAddress
    /// The prefix length over the 128-bit space (an IPv4 `/n` is `96 + n`).
    public let prefixLength: Int
    private let maskHigh: UInt64
    private let maskLow: UInt64

    /// A range of `prefixLength` leading bits (0…128) of `address`; host bits are cleared.
    public init(address: IPAddress, prefixLength: Int) {
        precondition((0...128).contains(prefixLength), "prefix length out of range")
        self.prefixLength = prefixLength
        maskHigh = prefixLength >= 64 ? .max : (prefixLength == 0 ? 0 : .max << UInt64(64 - prefixLength))
        let lowBits = prefixLength - 64
        maskLow = lowBits <= 0 ? 0 : (lowBits >= 64 ? .max : .max << UInt64(64 - lowBits))
        network = IPAddress(high: address.high & maskHigh, low: address.low & maskLow)
    }

    /// Parses `a.b.c.d`, `a.b.c.d/n` (n ≤ 32), an IPv6 address, or `ipv6/n` (n ≤ 128). Blanks around the
    /// entry are ignored. Host bits set below the prefix (`10.1.2.3/8`) are accepted and cleared, as the
    /// meaning is unambiguous. Returns nil for anything else.
    public init?(_ text: some StringProtocol) {
        let trimmed = text.trimmingBlanks()
        let parts = trimmed.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(parts[0]) else { return nil }
        let width = address.isIPv4 && !parts[0].contains(":") ? 32 : 128
        var length = width
        if parts.count == 2 {
            let digits = parts[1]
            guard !digits.isEmpty, digits.count <= 3, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
                let value = Int(digits), value <= width
            else { return nil }
            length = value
        }
        self.init(address: address, prefixLength: width == 32 ? 96 + length : length)
    }

    /// Whether `address` lies in this range.
    @inline(__always)
    public func contains(_ address: IPAddress) -> Bool {
        (address.high & maskHigh) == network.high && (address.low & maskLow) == network.low
    }

    /// IPv4 ranges print in IPv4 form (`10.0.0.0/8`), others in IPv6 form.
    public var description: String {
        if network.isIPv4 && prefixLength >= 96 {
            return "\(network)/\(prefixLength - 96)"
        }
        return "\(network)/\(prefixLength)"
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and newlines.
    func trimmingBlanks() -> Substring {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        let text = Substring(self)
        guard let first = text.firstIndex(where: { !blank($0) }),
            let last = text.lastIndex(where: { !blank($0) })
        else { return "" }
        return text[first...last]
    }
}
