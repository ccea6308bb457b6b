import Foundation

/// A private temporary folder for one job (export ZIP, extracted files, documents), removed when the job ends
/// however it ends.
struct WorkDirectory: Sendable {
    let url: URL

    init(parent: URL, jobId: Int64) throws {
        url = parent.appendingPathComponent("bq-job-\(jobId)-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    var exportZip: URL { url.appendingPathComponent("export.zip") }
    var exportFiles: URL { url.appendingPathComponent("files", isDirectory: true) }
    var documents: URL { url.appendingPathComponent("documents", isDirectory: true) }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }

    /// Runs `body` with a fresh work directory and removes it afterwards (also on error and cancellation).
    static func with<T: Sendable>(
        parent: URL, jobId: Int64, _ body: (WorkDirectory) async throws -> T
    ) async throws -> T {
        let directory = try WorkDirectory(parent: parent, jobId: jobId)
        defer { directory.remove() }
        return try await body(directory)
    }
}
