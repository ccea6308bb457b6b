/// An IP address held as 128 bits, IPv4 addresses in their IPv4-mapped IPv6 form (`::ffff:a.b.c.d`).
///
/// One representation for both families is what makes allow-list checks cheap and correct: `10.0.0.1` and
/// `::ffff:10.0.0.1` (how a dual-stack socket reports an IPv4 peer) are the same value, so a range written
/// either way matches both, and a check is two masked 64-bit comparisons.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// The upper and lower 64 bits, network byte order.
    public let high: UInt64
    public let low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The IPv4 address `a.b.c.d` as `::ffff:a.b.c.d`.
    public init(ipv4 value: UInt32) {
        self.init(high: 0, low: 0x0000_FFFF_0000_0000 | UInt64(value))
    }

    /// Whether this is an IPv4 address (stored IPv4-mapped).
    public var isIPv4: Bool { high == 0 && (low >> 32) == 0x0000_FFFF }

    /// `127.0.0.0/8` or `::1`: a caller on the same host.
    public var isLoopback: Bool {
        (isIPv4 && (low >> 24) & 0xFF == 127) || (high == 0 && low == 1)
    }

    /// Parses an IPv4 dotted quad or an IPv6 address (with `::` and an optional trailing dotted quad).
    /// Returns nil for anything else; no zone ids, brackets or surrounding blanks are accepted here.
    public init?(_ text: some StringProtocol) {
        let utf8 = Array(text.utf8)
        if let value = IPAddress.parseIPv4(utf8[...]) {
            self.init(ipv4: value)
        } else if let parsed = IPAddress.parseIPv6(utf8) {
            self = parsed
        } else {
            return nil
        }
    }

    public var description: String {
        if isIPv4 {
            let value = UInt32(truncatingIfNeeded: low)
            return "\(value >> 24).\((value >> 16) & 0xFF).\((value >> 8) & 0xFF).\(value & 0xFF)"
        }
        let groups = (0..<8).map { index -> UInt16 in
            let word = index < 4 ? high : low
            return UInt16(truncatingIfNeeded: word >> (UInt64(3 - index % 4) * 16))
        }
        return groups.map { String($0, radix: 16) }.joined(separator: ":")
    }

    // MARK: - Parsing

    /// Strict dotted quad: four decimal parts 0–255, no leading zeros (which some parsers read as octal).
    static func parseIPv4(_ bytes: ArraySlice<UInt8>) -> UInt32? {
        var value: UInt32 = 0
        var parts = 0
        var part: UInt32 = 0
        var digits = 0
        var leadingZero = false
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if leadingZero { return nil }
                if digits == 0 && byte == UInt8(ascii: "0") { leadingZero = true }
                part = part * 10 + UInt32(byte - UInt8(ascii: "0"))
                digits += 1
                if part > 255 { return nil }
            case UInt8(ascii: "."):
                guard digits > 0, parts < 3 else { return nil }
                value = value << 8 | part
                parts += 1
                part = 0
                digits = 0
                leadingZero = false
            default:
                return nil
            }
        }
        guard digits > 0, parts == 3 else { return nil }
        return value << 8 | part
    }

    /// RFC 4291 text forms: eight hex groups, one `::` standing for one or more zero groups, and optionally
    /// a dotted quad in place of the last two groups.
    static func parseIPv6(_ bytes: [UInt8]) -> IPAddress? {
        guard bytes.count >= 2, bytes.count <= 45 else { return nil }
        var head: [UInt16] = []
        var tail: [UInt16] = []
        var sawDoubleColon = false
        var index = 0
        let colon = UInt8(ascii: ":")
        if bytes[0] == colon {
            guard bytes[1] == colon else { return nil }
            sawDoubleColon = true
            index = 2
        }
        while index < bytes.count {
            // A group, or a trailing dotted quad.
            var end = index
            var hex: UInt32 = 0
            while end < bytes.count, let digit = hexDigit(bytes[end]) {
                hex = hex << 4 | UInt32(digit)
                end += 1
                if end - index > 4 { break }
            }
            if end < bytes.count, bytes[end] == UInt8(ascii: ".") {
                guard let quad = parseIPv4(bytes[index...]) else { return nil }
                let groups = [UInt16(quad >> 16), UInt16(quad & 0xFFFF)]
                if sawDoubleColon { tail += groups } else { head += groups }
                index = bytes.count
                break
            }
            guard end > index, end - index <= 4 else { return nil }
            if sawDoubleColon { tail.append(UInt16(hex)) } else { head.append(UInt16(hex)) }
            index = end
            if index == bytes.count { break }
            guard bytes[index] == colon else { return nil }
            index += 1
            if index < bytes.count, bytes[index] == colon {
                guard !sawDoubleColon else { return nil }
                sawDoubleColon = true
                index += 1
            } else if index == bytes.count {
                return nil  // a single trailing colon
            }
        }
        let count = head.count + tail.count
        if sawDoubleColon {
            guard count <= 7 else { return nil }
        } else {
            guard count == 8 else { return nil }
        }
        let groups = head + Array(repeating: 0, count: 8 - count) + tail
        var high: UInt64 = 0
        var low: UInt64 = 0
        for group in groups[0..<4] { high = high << 16 | UInt64(group) }
        for group in groups[4..<8] { low = low << 16 | UInt64(group) }
        return IPAddress(high: high, low: low)
    }

    private static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
