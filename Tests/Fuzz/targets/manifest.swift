import Foundation
import Quilt

/// The Quilt manifest reader (JSON lines, as the worker reads a package's previous revision): any bytes are
/// either refused with a QuiltError or give a manifest whose hash and serialisation can be computed.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzManifest(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let manifest = try? Manifest.parse(Data(UnsafeBufferPointer(start: start, count: count))) else { return 0 }
    _ = manifest.topHash
    _ = manifest.serialized()
    return 0
}
