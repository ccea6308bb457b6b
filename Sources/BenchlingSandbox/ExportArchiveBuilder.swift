import Foundation
import ZIPFoundation

/// Writes export ZIPs to disk. File members are streamed from their source, so large members never sit in memory.
enum ExportArchiveBuilder {
    /// Builds a ZIP holding `members` (paths written verbatim) at a fresh path inside `directory`.
    static func build(members: [ExportMember], in directory: URL) throws -> URL {
        let destination = directory.appendingPathComponent("export-\(UUID().uuidString).zip")
        let archive = try Archive(url: destination, accessMode: .create)
        for member in members {
            switch member {
            case .data(let path, let data):
                try archive.addEntry(
                    with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate,
                    provider: { position, size in
                        let start = Int(position)
                        return data.subdata(in: start..<min(start + size, data.count))
                    })
            case .file(let path, let source):
                try archive.addEntry(with: path, fileURL: source, compressionMethod: .none)
            }
        }
        return destination
    }
}
