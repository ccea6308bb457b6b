import Foundation
import Logging

/// A log handler that keeps every line, so a test can assert what the receiver reported.
final class CapturedLogs: @unchecked Sendable {
    struct Line: Sendable {
        let level: Logger.Level
        let message: String
        let metadata: [String: String]
    }

    private let lock = NSLock()
    private var lines: [Line] = []

    var all: [Line] { lock.withLock { lines } }

    fileprivate func append(_ line: Line) { lock.withLock { lines.append(line) } }

    /// A logger writing here at `level` and above.
    func logger(level: Logger.Level = .info) -> Logger {
        var logger = Logger(label: "receiver-test-captured") { _ in Handler(sink: self) }
        logger.logLevel = level
        return logger
    }

    private struct Handler: LogHandler {
        let sink: CapturedLogs
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .info

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
            sink.append(Line(
                level: event.level, message: event.message.description,
                metadata: merged.mapValues { "\($0)" }))
        }
    }
}
