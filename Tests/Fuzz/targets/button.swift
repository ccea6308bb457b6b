import WorkerButtons

/// Canvas button ids, as the worker reads them from a pressed button (`v2.canvas.userInteracted` carries any
/// string the sender chose): any string either fails to parse or gives a button that renders back to exactly the
/// same id, within the length Benchling stores.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzButton(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let id = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    guard let button = CanvasButton(parsing: id) else { return 0 }
    if button.description != id { fatalError("\(id) parsed to a button whose id is \(button.description)") }
    if button.renderableId != id { fatalError("\(id) parsed but would not be rendered") }
    if !button.entryId.hasPrefix("etr_") { fatalError("\(id) gave entry id \(button.entryId)") }
    return 0
}
