import Foundation
import Worker

/// The worker's extraction of an export ZIP, on a temporary file: any bytes are either refused with an
/// `ExportArchiveError` or extracted to files that all lie inside the extraction folder.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzZip(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let work = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-zip-\(getpid())")
    let zip = work.appendingPathComponent("export.zip")
    let folder = work.appendingPathComponent("out")
    try? FileManager.default.removeItem(at: work)
    defer { try? FileManager.default.removeItem(at: work) }
    do {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(UnsafeBufferPointer(start: start, count: count)).write(to: zip)
    } catch {
        fatalError("cannot prepare \(work.path): \(error)")
    }
    guard let files = try? ExportArchive.extract(zip: zip, into: folder) else { return 0 }
    let root = folder.standardizedFileURL.path + "/"
    for file in files {
        precondition(file.localURL.standardizedFileURL.path.hasPrefix(root), "\(file.path) escaped the folder")
    }
    return 0
}
