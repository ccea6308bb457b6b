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
    /// `message.createdAt`: the event time (Benchling sends no `message.timestamp`).
    public var eventCreatedAt: String?
    public var benchlingBaseURL: String
    /// The metadata key Quilt users tag packages with (`PKG_KEY`, default `experiment_id`).
    public var packageKey: String
    public var packageName: String
    public var canvasId: String?
    /// The export's files, by path inside the ZIP.
    public var exportedFiles: [ExportedFile]

    public init(
        entry: Entry, eventMessage: JSONValue, eventType: String, eventCreatedAt: String?, benchlingBaseURL: String,
        packageKey: String, packageName: String, canvasId: String?, exportedFiles: [ExportedFile]
    ) {
        self.entry = entry
        self.eventMessage = eventMessage
        self.eventType = eventType
        self.eventCreatedAt = eventCreatedAt
        self.benchlingBaseURL = benchlingBaseURL
        self.packageKey = packageKey
        self.packageName = packageName
        self.canvasId = canvasId
        self.exportedFiles = exportedFiles
    }
}

/// The documents written beside the export, and the package metadata.
public struct EntryDocuments: Sendable {
    /// `entry.json`'s content, which is also the manifest's `user_meta`.
    public let metadata: JSONObject
    /// entry.json, entry_data.json, links.json, README.md.
    public let files: [PackageSourceFile]

    /// Keys of `entry.json` that describe the event rather than the entry. They differ on every delivery, so the
    /// decision "is this a new revision?" ignores them (see `RevisionComparison`); everything else in the package
    /// is a function of the entry and its export only.
    public static let eventKeys: Set<String> = ["export_timestamp", "webhook_data"]

    public static let reservedNames: Set<String> = ["entry.json", "entry_data.json", "links.json", "README.md"]

    /// Writes the four documents into `directory` (deterministic bytes for the same input).
    public static func write(_ input: EntryDocumentInput, into directory: URL) throws -> EntryDocuments {
        let entry = input.entry
        let links = EntryLinks(entry: entry)
        let displayId = entry.displayId ?? entry.id

        var files = JSONObject()
        for file in input.exportedFiles.sorted(by: { $0.path < $1.path }) {
            files[file.path] = ["size": .integer(String(file.size))]
        }
        var metadata = JSONObject()
        metadata["package_name"] = .string(input.packageName)
        metadata["entry_id"] = .string(entry.id)
        metadata["display_id"] = .string(displayId)
        metadata["name"] = entry.name.map(JSONValue.string) ?? .null
        metadata["web_url"] = entry.webURL.map(JSONValue.string) ?? .null
        metadata["creator"] = entry.creator?.json ?? .null
        metadata["authors"] = .array(entry.authors.map(\.json))
        metadata["created_at"] = entry.createdAt.map(JSONValue.string) ?? .null
        metadata["modified_at"] = entry.modifiedAt.map(JSONValue.string) ?? .null
        metadata["export_timestamp"] = input.eventCreatedAt.map(JSONValue.string) ?? .null
        metadata["benchling_base_url"] = .string(input.benchlingBaseURL)
        metadata["webhook_data"] = input.eventMessage
        metadata["files"] = .object(files)
        if let canvasId = input.canvasId { metadata["canvas_id"] = .string(canvasId) }
        metadata["links"] = links.summary
        // The package links to its own entry the same way users tag theirs.
        metadata[input.packageKey] = .string(displayId)

        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        func write(_ name: String, _ text: String) throws -> PackageSourceFile {
            let url = directory.appendingPathComponent(name)
            try Data(text.utf8).write(to: url, options: .atomic)
            return PackageSourceFile(logicalKey: name, localURL: url, contentType: ContentTypes.forPath(name))
        }
        let written = [
            try write("entry.json", JSONValue.object(metadata).pythonString() + "\n"),
            try write("entry_data.json", entry.raw.pythonString() + "\n"),
            try write("links.json", links.document.pythonString() + "\n"),
            try write("README.md", ReadmeDocument.render(entry: entry, files: input.exportedFiles)),
        ]
        return EntryDocuments(metadata: metadata, files: written)
    }
}
