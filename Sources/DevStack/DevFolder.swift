import Foundation

/// The one local folder the dev stack keeps everything in, so a developer can look at (or delete) all of it at
/// once: the generated secret, the SQLite queue, the job log, the package registry quilt3 reads, and the log.
public struct DevFolder: Sendable {
    /// Absolute, standardised folder URL.
    public let root: URL

    /// Resolves `path` against `currentDirectory` (when relative) and creates the folder.
    public init(path: String, currentDirectory: String = FileManager.default.currentDirectoryPath) throws {
        let base = URL(fileURLWithPath: currentDirectory, isDirectory: true)
        let url =
            path.hasPrefix("/")
            ? URL(fileURLWithPath: path, isDirectory: true)
            : URL(fileURLWithPath: path, isDirectory: true, relativeTo: base)
        root = url.absoluteURL.standardizedFileURL
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: registry, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    /// `secret.json`: the BenchlingSecret both processes resolve (`BenchlingSecret=file:///…/secret.json`).
    public var secret: URL { root.appendingPathComponent("secret.json") }
    /// `queue.db`: the embedded FIFO queue (main + DLQ in one file).
    public var queueDatabase: URL { root.appendingPathComponent("queue.db") }
    /// `jobs.sqlite`: the worker's job log.
    public var jobLog: URL { root.appendingPathComponent("jobs.sqlite") }
    /// `registry/`: the local Quilt registry (USER_BUCKET=file:///…/registry).
    public var registry: URL { root.appendingPathComponent("registry", isDirectory: true) }
    /// `tmp/`: where the worker downloads and unpacks exports.
    public var scratch: URL { root.appendingPathComponent("tmp", isDirectory: true) }
    /// `dev.log`: every log line of the sandbox, receiver and worker (the console keeps the summary).
    public var log: URL { root.appendingPathComponent("dev.log") }

    /// `sqlite:///abs/queue.db` — the address form MessageQueueFactory turns into the SQLite queue.
    public var queueAddress: String { "sqlite://" + queueDatabase.path }
    /// `file:///abs/registry` — the address form for USER_BUCKET and for quilt3's `registry=`.
    public var registryAddress: String { "file://" + registry.path }
}
