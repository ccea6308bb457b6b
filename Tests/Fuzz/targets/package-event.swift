import WorkerEvents

/// Quilt's package-revision envelope, as the worker reads the package-event queue's bodies: any bytes either fail
/// with a reason or give an event whose fields hold what the parser promises (non-empty bucket and handle, a top
/// hash of 64 lower-case hex digits when present).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPackageEvent(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: start, count: count)
    guard let event = try? PackageRevisionEvent.parse(bytes) else { return 0 }
    if event.bucket.isEmpty || event.handle.isEmpty { fatalError("empty bucket or handle accepted") }
    if let topHash = event.topHash, topHash.utf8.count != 64 { fatalError("malformed top hash accepted") }
    if event.id == "" { fatalError("empty id kept") }
    return 0
}
