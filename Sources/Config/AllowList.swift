/// The webhook IP allow list (`WEBHOOK_ALLOW_LIST`): addresses and CIDR blocks, IPv4 and IPv6.
/// An empty list allows everyone.
///
/// Parsed once when configuration is resolved; the receiver calls `contains(address:)` on every request,
/// which parses the peer address without Foundation and compares masked bits.
public struct AllowList: Sendable, Hashable, CustomStringConvertible {
    public let ranges: [IPRange]

    public init(_ ranges: [IPRange]) {
        self.ranges = ranges
    }

    /// Allows every address.
    public static let everyone = AllowList([])

    /// Whether the list is empty, i.e. every address is allowed.
    public var allowsEveryone: Bool { ranges.isEmpty }

    /// Parses a comma-separated list (blanks around entries ignored, empty entries skipped).
    /// Throws `AllowListError` naming every entry that is not an address or CIDR block.
    public static func parse(_ text: String) throws(AllowListError) -> AllowList {
        try parse(entries: text.split(separator: ",", omittingEmptySubsequences: false).map(String.init))
    }

    /// Parses separate entries (as when the secret holds a JSON array).
    public static func parse(entries: [String]) throws(AllowListError) -> AllowList {
        var ranges: [IPRange] = []
        var invalid: [String] = []
        for entry in entries {
            let trimmed = entry.trimmingBlanks()
            if trimmed.isEmpty { continue }
            if let range = IPRange(trimmed) {
                ranges.append(range)
            } else {
                invalid.append(String(trimmed))
            }
        }
        guard invalid.isEmpty else { throw AllowListError(invalidEntries: invalid) }
        return AllowList(ranges)
    }

    /// Whether `address` is allowed. An empty list allows everything, including text that is not an address
    /// (the check is then moot); otherwise text that is not an address is refused.
    /// Accepts `[v6]` brackets and ignores an IPv6 zone id (`fe80::1%eth0`).
    public func contains(address: String) -> Bool {
        if ranges.isEmpty { return true }
        guard let parsed = AllowList.peerAddress(address) else { return false }
        return contains(parsed)
    }

    /// Whether an already parsed address is allowed.
    public func contains(_ address: IPAddress) -> Bool {
        if ranges.isEmpty { return true }
        for range in ranges where range.contains(address) { return true }
        return false
    }

    /// The entries as the operator would write them, comma-separated; "" for everyone.
    public var description: String {
        ranges.map(\.description).joined(separator: ",")
    }

    /// Parses a peer address as reported by a socket or a proxy header.
    public static func peerAddress(_ text: String) -> IPAddress? {
        var view = text.trimmingBlanks()
        if view.hasPrefix("["), view.hasSuffix("]") {
            view = view.dropFirst().dropLast()
        }
        if let percent = view.firstIndex(of: "%") {
            view = view[..<percent]
        }
        return IPAddress(view)
    }
}

/// Entries of an allow list that are neither an address nor a CIDR block.
public struct AllowListError: Error, Sendable, Equatable, CustomStringConvertible {
    public let invalidEntries: [String]

    public var description: String {
        "not an IP address or CIDR block: " + invalidEntries.map { "\"\($0)\"" }.joined(separator: ", ")
    }
}
