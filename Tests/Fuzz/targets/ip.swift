import Config

/// Addresses and CIDR blocks (allowlist, trusted proxies, peers): whatever parses prints in a form that parses
/// back to the same value.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIP(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    if let address = IPAddress(text) {
        precondition(IPAddress(address.description) == address, "\(address) does not parse back")
    }
    if let range = IPRange(text) {
        precondition(IPRange(range.description) == range, "\(range) does not parse back")
    }
    if let list = try? AllowList.parse(text) {
        precondition((try? AllowList.parse(list.description)) == list, "\(list) does not parse back")
        if let peer = AllowList.peerAddress(text) { _ = list.contains(peer) }
    }
    return 0
}
