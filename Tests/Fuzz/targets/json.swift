import JSONCore

/// The strict JSON parser: any bytes either fail with an error or parse to a value that survives a round trip
/// through the compact writer unchanged.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: start, count: count))
    guard let value = try? JSONValue.parse(bytes) else { return 0 }
    let written = value.compactString()
    guard let again = try? JSONValue.parse(Array(written.utf8)) else {
        fatalError("the writer produced JSON its own parser refuses: \(written.prefix(200))")
    }
    precondition(again == value, "round trip changed the value: \(written.prefix(200))")
    _ = value.pythonString()
    return 0
}
