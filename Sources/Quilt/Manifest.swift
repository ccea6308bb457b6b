import Crypto
import Foundation
import JSONCore

/// The `hash` object of a manifest entry.
public struct EntryHash: Sendable, Hashable, Codable {
    public var type: String
    public var value: String

    public init(type: String = ChunkedHasher.hashType, value: String) {
        self.type = type
        self.value = value
    }

    var json: JSONValue { ["type": .string(type), "value": .string(value)] }
}

/// Line 1 of a manifest. Kept as the JSON object itself so that unknown keys (e.g. `workflow`) survive a
/// read and the top hash is computed over exactly what is written.
public struct ManifestHeader: Sendable, Hashable {
    public private(set) var json: JSONObject

    /// quilt3's key order: `version`, `user_meta` (only when set), `workflow` (only when the registry has a
    /// workflows config), `message` (always, possibly null).
    public init(message: String?, userMeta: JSONObject?, workflow: JSONObject? = nil) {
        var json: JSONObject = ["version": "v0"]
        if let userMeta { json["user_meta"] = .object(userMeta) }
        if let workflow { json["workflow"] = .object(workflow) }
        json["message"] = message.map(JSONValue.string) ?? .null
        self.json = json
    }

    public init(json: JSONObject) {
        self.json = json
    }

    public var version: String? { json["version"]?.stringValue }
    public var message: String? { json["message"]?.stringValue }
    public var userMeta: JSONObject? { json["user_meta"]?.objectValue }
    public var workflow: JSONObject? { json["workflow"]?.objectValue }
}

/// One file of a package.
public struct ManifestEntry: Sendable, Hashable {
    public var logicalKey: String
    public var physicalKey: String
    public var size: Int64
    public var hash: EntryHash
    /// The entry's `meta`; user metadata lives under `meta.user_meta`.
    public var meta: JSONObject

    public init(logicalKey: String, physicalKey: String, size: Int64, hash: EntryHash, meta: JSONObject = [:]) {
        self.logicalKey = logicalKey
        self.physicalKey = physicalKey
        self.size = size
        self.hash = hash
        self.meta = meta
    }

    public var userMeta: JSONObject? { meta["user_meta"]?.objectValue }

    /// The manifest line object in quilt3's key order.
    public var lineJSON: JSONValue {
        [
            "logical_key": .string(logicalKey), "physical_keys": [.string(physicalKey)],
            "size": .integer(String(size)), "hash": hash.json, "meta": .object(meta),
        ]
    }

    /// What the top hash covers: everything except the physical key.
    var hashedJSON: JSONValue {
        ["hash": hash.json, "logical_key": .string(logicalKey), "meta": .object(meta), "size": .integer(String(size))]
    }
}

/// A package revision: header plus entries in quilt's walk order.
public struct Manifest: Sendable, Hashable {
    public var header: ManifestHeader
    public private(set) var entries: [ManifestEntry]

    /// Sorts the entries into walk order and rejects invalid or colliding logical keys.
    public init(header: ManifestHeader, entries: [ManifestEntry]) throws(QuiltError) {
        for entry in entries { try LogicalKey.validate(entry.logicalKey) }
        let sorted = entries.map { (LogicalKey.walkSortKey($0.logicalKey), $0) }
            .sorted { $0.0.lexicographicallyPrecedes($1.0) }
            .map(\.1)
        try LogicalKey.checkUnique(sorted.map(\.logicalKey))
        self.header = header
        self.entries = sorted
    }

    /// SHA-256 over the canonical JSON of the header, then of each entry's `{hash, logical_key, meta, size}`.
    public var topHash: String {
        var sha = SHA256()
        sha.update(data: header.json.canonicalData())
        for entry in entries { sha.update(data: entry.hashedJSON.canonicalData()) }
        return sha.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// JSON Lines as quilt3 writes them: `json.dumps` default separators, raw UTF-8, `\n` after every line.
    public func serialized() -> Data {
        var text = JSONValue.object(header.json).pythonString() + "\n"
        for entry in entries { text += entry.lineJSON.pythonString() + "\n" }
        return Data(text.utf8)
    }

    /// The manifest lines, one string each, without newlines.
    public var lines: [String] {
        [JSONValue.object(header.json).pythonString()] + entries.map { $0.lineJSON.pythonString() }
    }

    /// Parses JSON Lines written by quilt3 or by us. Entries keep the file's order.
    public static func parse(_ data: Data) throws(QuiltError) -> Manifest {
        var lines = data.split(separator: 0x0A, omittingEmptySubsequences: true).makeIterator()
        guard let headerLine = lines.next() else { throw .invalidManifest("empty") }
        let header: JSONValue
        do { header = try JSONValue.parse(headerLine) } catch { throw .invalidManifest("header: \(error)") }
        guard let headerObject = header.objectValue else { throw .invalidManifest("header is not an object") }
        var entries: [ManifestEntry] = []
        var lineNumber = 1
        while let line = lines.next() {
            lineNumber += 1
            // quilt3 may write folder-metadata lines ({"logical_key": "dir/", "meta": …}); they are not files.
            guard let entry = try ManifestEntry(line: line, lineNumber: lineNumber) else { continue }
            entries.append(entry)
        }
        var manifest = Manifest(header: ManifestHeader(json: headerObject))
        manifest.entries = entries
        return manifest
    }

    private init(header: ManifestHeader) {
        self.header = header
        self.entries = []
    }

    /// Checks a 64-character lowercase hex top hash.
    public static func validateTopHash(_ text: String) throws(QuiltError) {
        guard text.utf8.count == 64,
            text.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
        else { throw .invalidTopHash(text) }
    }
}

extension ManifestEntry {
    /// nil for folder-metadata lines.
    init?(line: Data, lineNumber: Int) throws(QuiltError) {
        let value: JSONValue
        do { value = try JSONValue.parse(line) } catch { throw .invalidManifest("line \(lineNumber): \(error)") }
        if value["physical_keys"] == nil, value["logical_key"]?.stringValue?.hasSuffix("/") == true { return nil }
        guard let key = value["logical_key"]?.stringValue,
            let physical = value["physical_keys"]?[0]?.stringValue,
            let sizeText = value["size"], case .integer(let sizeDigits) = sizeText, let size = Int64(sizeDigits),
            let hashType = value["hash"]?["type"]?.stringValue, let hashValue = value["hash"]?["value"]?.stringValue
        else { throw .invalidManifest("line \(lineNumber): missing or malformed entry fields") }
        self.init(
            logicalKey: key, physicalKey: physical, size: size, hash: EntryHash(type: hashType, value: hashValue),
            meta: value["meta"]?.objectValue ?? [:])
    }
}
