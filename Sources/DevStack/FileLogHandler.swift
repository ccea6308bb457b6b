import Foundation
import Logging

/// A log handler appending one line per record to a file, so the sandbox's, receiver's and worker's logs stay out
/// of the dev command's console summary but remain at hand (`tail -f .dev-run/dev.log`).
public struct FileLogHandler: LogHandler {
    /// One open file shared by every logger of the process; writes are serialised by the lock.
    public final class Sink: @unchecked Sendable {
        private let lock = NSLock()
        private let handle: FileHandle

        public init(url: URL) throws {
            if !FileManager.default.fileExists(atPath: url.path) {
                _ = FileManager.default.createFile(atPath: url.path, contents: nil)
            }
            handle = try FileHandle(forWritingTo: url)
            try handle.seekToEnd()
        }

        func write(_ line: String) {
            lock.withLock { handle.write(Data(line.utf8)) }
        }
    }

    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    let label: String
    let sink: Sink

    public init(label: String, sink: Sink, level: Logger.Level) {
        self.label = label
        self.sink = sink
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        let fields = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let stamp = ISO8601DateFormatter().string(from: Date())
        sink.write("\(stamp) \(event.level) \(label): \(event.message)\(fields.isEmpty ? "" : " " + fields)\n")
    }
}
