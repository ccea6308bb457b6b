import Foundation
import JSONCore
import Quilt

/// A manifest's bytes seen as JSON Lines without parsing them all.
///
/// A Browse click on a 10,000-file package needs 15 entries: finding line boundaries is a byte scan (`memchr`),
/// and only the header and the requested lines are parsed into JSON. Building a full `Manifest` would parse and
/// allocate every entry on every click.
struct ManifestLines: Sendable {
    let bytes: Data
    /// Byte ranges of the non-empty lines, header first.
    private let lines: [Range<Int>]

    init(_ bytes: Data) {
        self.bytes = bytes
        lines = Self.lineRanges(of: bytes)
    }

    /// Entry lines after the header (folder-metadata lines, rare, are counted too: see `entries(in:)`).
    var entryCount: Int { max(0, lines.count - 1) }

    /// The header object (line 1).
    func header() throws(QuiltError) -> ManifestHeader {
        guard let first = lines.first else { throw .invalidManifest("empty") }
        let value: JSONValue
        do { value = try JSONValue.parse(bytes[first]) } catch { throw .invalidManifest("header: \(error)") }
        guard let object = value.objectValue else { throw .invalidManifest("header is not an object") }
        return ManifestHeader(json: object)
    }

    /// The files among entry lines `range` (0 = the line after the header), in manifest order. Folder-metadata
    /// lines (quilt3 writes them only for folder metadata) are skipped, so such a page shows fewer rows.
    func entries(in range: Range<Int>) throws(QuiltError) -> [ListedFile] {
        let clamped = range.clamped(to: 0..<entryCount)
        var files: [ListedFile] = []
        files.reserveCapacity(clamped.count)
        for index in clamped {
            if let file = try ListedFile(line: bytes[lines[index + 1]], lineNumber: index + 2) { files.append(file) }
        }
        return files
    }

    private static func lineRanges(of data: Data) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            guard let base = raw.baseAddress, raw.count > 0 else { return }
            var start = 0
            while start < raw.count {
                let found = memchr(base + start, 0x0A, raw.count - start)
                let end = found.map { base.distance(to: UnsafeRawPointer($0)) } ?? raw.count
                if end > start { ranges.append((data.startIndex + start)..<(data.startIndex + end)) }
                start = end + 1
            }
        }
        return ranges
    }
}

/// One file row of the Browse view: what the canvas shows, nothing more.
struct ListedFile: Sendable, Equatable {
    var logicalKey: String
    var size: Int64
    /// The first physical key (`s3://…` or `file:///…`): the embedded mode shows its local path.
    var physicalKey: String?

    /// nil for a folder-metadata line.
    init?(line: Data, lineNumber: Int) throws(QuiltError) {
        let value: JSONValue
        do { value = try JSONValue.parse(line) } catch { throw .invalidManifest("line \(lineNumber): \(error)") }
        guard let key = value["logical_key"]?.stringValue else {
            throw .invalidManifest("line \(lineNumber): no logical_key")
        }
        if value["physical_keys"] == nil, key.hasSuffix("/") { return nil }
        guard case .integer(let digits)? = value["size"], let size = Int64(digits) else {
            throw .invalidManifest("line \(lineNumber): no size")
        }
        logicalKey = key
        self.size = size
        physicalKey = value["physical_keys"]?[0]?.stringValue
    }
}
