import Foundation
import JSONCore

/// One member of an entry's export ZIP.
///
/// Paths are written into the ZIP exactly as given — including hostile ones such as `../evil.txt` or `/abs.txt` —
/// so tests can check that the product refuses them.
public enum ExportMember: Sendable, Hashable {
    /// Small in-memory content.
    case data(path: String, Data)
    /// Content streamed from a file on disk into the ZIP (use for large members).
    case file(path: String, source: URL)

    /// Path inside the ZIP.
    public var path: String {
        switch self {
        case .data(let path, _), .file(let path, _): return path
        }
    }

    /// UTF-8 text member.
    public static func text(_ path: String, _ text: String) -> ExportMember { .data(path: path, Data(text.utf8)) }

    /// What a Benchling HTML export of `displayId` looks like at the top level, plus one attachment.
    public static func defaultExport(displayId: String, name: String) -> [ExportMember] {
        [
            .text(
                "\(displayId).html",
                "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>\(name)</title></head>"
                    + "<body><h1>\(displayId) - \(name)</h1><p>Exported by the Benchling sandbox.</p></body></html>\n"),
            .text("attachments/plate-reader.csv", "well,od600\nA1,0.412\nA2,0.398\n"),
        ]
    }
}

/// How an export task of an entry ends.
public enum ExportOutcome: Sendable, Hashable {
    case succeed
    /// The task ends FAILED with this `message`.
    case fail(message: String)
}

/// Whether the tenant's service account may read an entry.
public enum EntryAccess: Sendable, Hashable {
    case ok
    /// GET answers 404 as if the entry did not exist.
    case notFound
    /// GET answers 403 (the app is not in the entry's project).
    case forbidden
}

/// A user as Benchling summarises one (`UserSummary`).
public struct SandboxUser: Sendable, Hashable {
    public var id: String
    public var handle: String
    public var name: String

    public init(id: String, handle: String, name: String) {
        self.id = id
        self.handle = handle
        self.name = name
    }

    public static let alice = SandboxUser(id: "ent_alice01", handle: "alice", name: "Alice Sandbox")
    public static let bob = SandboxUser(id: "ent_bob0002", handle: "bob", name: "Bob Sandbox")

    var json: JSONValue { ["id": .string(id), "handle": .string(handle), "name": .string(name)] }
}

extension ExportMember {
    /// Writes a file of `size` bytes (a repeating, non-constant pattern, written in 1 MiB chunks so memory stays
    /// flat) into `directory` and returns a member that streams it into the ZIP. For large-export tests.
    public static func generatedFile(path: String, size: Int, in directory: URL) throws -> ExportMember {
        let source = directory.appendingPathComponent("generated-\(UUID().uuidString).bin")
        guard FileManager.default.createFile(atPath: source.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: source.path])
        }
        let handle = try FileHandle(forWritingTo: source)
        defer { try? handle.close() }
        // One varied 1 MiB block, stamped with its chunk number so no two chunks are equal.
        let chunkSize = 1 << 20
        var counter: UInt32 = 0
        let block = (0..<chunkSize).map { index -> UInt8 in
            if index % 4 == 0 { counter &+= 2_654_435_761 }  // Knuth's multiplicative step
            return UInt8(truncatingIfNeeded: counter >> (8 * UInt32(index % 4)))
        }
        var written = 0
        var chunkNumber: UInt64 = 0
        while written < size {
            let count = min(chunkSize, size - written)
            var chunk = Data(block.prefix(count))
            withUnsafeBytes(of: chunkNumber.littleEndian) { stamp in
                for offset in 0..<min(8, count) { chunk[offset] = stamp[offset] }
            }
            try handle.write(contentsOf: chunk)
            written += count
            chunkNumber += 1
        }
        return .file(path: path, source: source)
    }
}
