import Foundation
import Logging

/// A log handler that keeps every line, so a test can assert what the receiver or the worker reported.
public final class CapturedLogs: @unchecked Sendable {
    public struct Line: Sendable {
        public let level: Logger.Level
        public let message: String
        public let metadata: [String: String]
    }

    private let lock = NSLock()
    private var lines: [Line] = []

    public init() {}

    public var all: [Line] { lock.withLock { lines } }

    /// The messages that contain `text`.
    public func messages(containing text: String) -> [String] {
        all.map(\.message).filter { $0.contains(text) }
    }

    /// The lines whose message or any metadata value contains `text`.
    public func lines(mentioning text: String) -> [Line] {
        all.filter { line in line.message.contains(text) || line.metadata.values.contains { $0.contains(text) } }
    }

    fileprivate func append(_ line: Line) { lock.withLock { lines.append(line) } }

    /// A logger writing here at `level` and above.
    public func logger(level: Logger.Level = .info) -> Logger {
        var logger = Logger(label: "test-captured") { _ in Handler(sink: self) }
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
            sink.append(
                Line(
                    level: event.level, message: event.message.description,
                    metadata: merged.mapValues { "\($0)" }))
        }
    }
}
