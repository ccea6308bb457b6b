import Benchling
import Foundation
import JSONCore

/// A file that goes into a package: where it is on local disk, its logical key, and its Content-Type.
public struct PackageSourceFile: Sendable, Equatable {
    public let logicalKey: String
    public let localURL: URL
    public let contentType: String

    public init(logicalKey: String, localURL: URL, contentType: String) {
        self.logicalKey = logicalKey
        self.localURL = localURL
        self.contentType = contentType
    }
}

/// What the pipeline knows when it writes an entry's documents.
public struct EntryDocumentInput: Sendable {
    public var entry: Entry
    /// The webhook `message` that triggered this run.
    public var eventMessage: JSONValue
    public var eventType: String
    public var benchlingBaseURL: String
    public var packageName: String
    /// The registry as `input.json` names it: the bucket name (or the local registry's URL).
    public var registry: String
    public var canvasId: String?
    /// The export's files, by path inside the ZIP, in the order they are listed.
    public var exportedFiles: [ExportedFile]
    /// Names of linked Benchling objects, by id (see `LinkNameResolver`); links without one get `name: null`.
    public var linkNames: [String: String]

    public init(
        entry: Entry, eventMessage: JSONValue, eventType: String, benchlingBaseURL: String, packageName: String,
        registry: String, canvasId: String?, exportedFiles: [ExportedFile], linkNames: [String: String] = [:]
    ) {
        self.entry = entry
        self.eventMessage = eventMessage
        self.eventType = eventType
        self.benchlingBaseURL = benchlingBaseURL
        self.packageName = packageName
        self.registry = registry
        self.canvasId = canvasId
        self.exportedFiles = exportedFiles
        self.linkNames = linkNames
    }
}

/// The documents written beside the export, and the package metadata, as the Python service (quiltdata/
/// benchling-webhook 0.18) wrote them, so its users' Athena queries, catalog views and scripts keep working
/// (../shared/docs/upstream-compat.md §1). Deliberate differences: `input.json` holds no presigned URL, and every
/// value in README.md is escaped.
public struct EntryDocuments: Sendable {
    /// `entry.json`'s content, which is also the manifest's `user_meta`.
    public let metadata: JSONObject
    /// entry.json, entry_data.json, links.json, input.json, README.md.
    public let files: [PackageSourceFile]

    /// Keys of `entry.json` that describe the event rather than the entry. They differ on every delivery, so the
    /// decision "is this a new revision?" ignores them (see `RevisionComparison`); everything else in the package
    /// is a function of the entry and its export only.
    public static let eventKeys: Set<String> = ["export_timestamp", "webhook_data"]

    public static let reservedNames: Set<String> = [
        "entry.json", "entry_data.json", "links.json", "input.json", "README.md",
    ]

    /// Writes the five documents into `directory` (deterministic bytes for the same input).
    public static func write(_ input: EntryDocumentInput, into directory: URL) throws -> EntryDocuments {
        let entry = input.entry
        let links = EntryLinks(entry: entry)
        let displayId = entry.displayId ?? entry.id
        let createdAt = entry.createdAt.map(PythonServiceFormat.isoformat) ?? ""
        let modifiedAt = entry.modifiedAt ?? ""
        // `message.timestamp`, which Benchling does not send: in practice "".
        let timestamp = input.eventMessage["timestamp"]?.stringValue ?? ""
        let exported = input.exportedFiles.filter { !reservedNames.contains($0.path) }
        let creator = PythonServiceFormat.userLabel(entry.creator)
        let authors = entry.authors.compactMap(PythonServiceFormat.userLabel)

        var files = JSONObject()
        for file in exported {
            files[file.path] = [
                "s3_key": .string("\(input.packageName)/\(file.path)"), "size": .integer(String(file.size)),
            ]
        }
        var metadata = JSONObject()
        metadata["package_name"] = .string(input.packageName)
        metadata["entry_id"] = .string(entry.id)
        metadata["display_id"] = .string(displayId)
        metadata["name"] = .string(entry.name ?? "")
        metadata["web_url"] = .string(entry.webURL ?? "")
        metadata["creator"] = .string(creator ?? "")
        metadata["authors"] = .array(authors.map(JSONValue.string))
        metadata["created_at"] = .string(createdAt)
        metadata["modified_at"] = .string(modifiedAt)
        metadata["export_timestamp"] = .string(timestamp)
        metadata["benchling_base_url"] = .string(input.benchlingBaseURL)
        metadata["webhook_data"] = input.eventMessage
        metadata["files"] = .object(files)
        if let canvasId = input.canvasId, !canvasId.isEmpty { metadata["canvas_id"] = .string(canvasId) }
        metadata["links"] = links.summary(names: input.linkNames)

        // The SDK's `Entry.to_dict()` (date-times in isoformat) plus the four keys the Python service appended.
        var entryData = entry.raw.objectValue ?? JSONObject()
        if entryData["createdAt"]?.stringValue != nil { entryData["createdAt"] = .string(createdAt) }
        entryData["display_id"] = .string(displayId)
        entryData["web_url"] = .string(entry.webURL ?? "")
        entryData["created_at"] = .string(createdAt)
        entryData["modified_at"] = .string(modifiedAt)

        // No presigned URL: it is a credential, and it would make every export a new revision.
        let inputDocument: JSONValue = [
            "source": "benchling_webhook", "export_url": "", "processing_timestamp": .string(timestamp),
            "package_metadata": [
                "name": .string(input.packageName), "registry": .string(input.registry),
                "total_files": .int(exported.count),
            ],
        ]
        let readme = ReadmeDocument(
            displayId: displayId, entryId: entry.id, name: entry.name, webURL: entry.webURL, creator: creator,
            authors: authors, createdAt: createdAt, modifiedAt: modifiedAt, exportTimestamp: timestamp,
            benchlingBaseURL: input.benchlingBaseURL, files: exported.map { ($0.path, $0.size) })

        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        func write(_ name: String, _ text: String) throws -> PackageSourceFile {
            let url = directory.appendingPathComponent(name)
            try Data(text.utf8).write(to: url, options: .atomic)
            return PackageSourceFile(logicalKey: name, localURL: url, contentType: ContentTypes.forPath(name))
        }
        // `json.dumps(indent=2)` as the Python service wrote them: ASCII escapes, no trailing newline.
        let written = [
            try write("entry.json", JSONValue.object(metadata).indentedString()),
            try write("entry_data.json", JSONValue.object(entryData).indentedString()),
            try write("links.json", links.document.indentedString()),
            try write("input.json", inputDocument.indentedString()),
            try write("README.md", readme.render()),
        ]
        return EntryDocuments(metadata: metadata, files: written)
    }
}
