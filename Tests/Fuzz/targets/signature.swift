import Benchling

/// The `webhook-signature` header: any text is either refused with a reason or gives at most
/// `SignatureHeader.maxItems` payloads, and never costs more than the size caps allow.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSignatureHeader(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let header = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    switch SignatureHeader.derItems(header) {
    case .success(let payloads):
        precondition(!payloads.isEmpty && payloads.count <= SignatureHeader.maxItems)
        precondition(header.utf8.count <= SignatureHeader.maxBytes)
    case .failure(let reason):
        precondition([.signatureHeaderTooLarge, .malformedSignature, .noSupportedSignature].contains(reason))
    }
    return 0
}
