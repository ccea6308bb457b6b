import Foundation
import JSONCore
import Logging

/// A swift-log handler writing one JSON object per line, for log collectors (CloudWatch, Loki) that parse
/// structured lines. Used when stdout is not a terminal; the command picks it.
///
/// Fields: `ts` (ISO 8601 UTC), `level`, `logger`, `msg`, then metadata keys. Callers are responsible for
/// never putting signatures, tokens or secrets into metadata; this handler only formats.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let sink: JSONLineSink
    private let level: SharedLogLevel

    /// - Parameter level: shared so that the secret's `LOG_LEVEL` applies to loggers made before it was read.
    public init(label: String, level: SharedLogLevel, sink: JSONLineSink = .standardOutput) {
        self.label = label
        self.level = level
        self.sink = sink
    }

    /// A handler with its own fixed starting level.
    public init(label: String, level: Logger.Level = .info, sink: JSONLineSink = .standardOutput) {
        self.init(label: label, level: SharedLogLevel(level), sink: sink)
    }

    public var logLevel: Logger.Level {
        get { level.level }
        set { level.level = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields: [(String, JSONValue)] = [
            ("ts", .string(Self.timestamp(Date()))),
            ("level", .string(event.level.rawValue)),
            ("logger", .string(label)),
            ("msg", .string(event.message.description)),
        ]
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        for key in merged.keys.sorted() {
            fields.append((key, Self.json(merged[key]!)))
        }
        sink.write(JSONValue.object(JSONObject(fields)).compactString())
    }

    /// ISO 8601 UTC with milliseconds, the form log collectors parse without configuration.
    static func timestamp(_ date: Date) -> String {
        UTCTimestamp(date).iso8601Milliseconds
    }

    private static func json(_ value: Logger.Metadata.Value) -> JSONValue {
        switch value {
        case .string(let text): .string(text)
        case .stringConvertible(let value): .string(value.description)
        case .array(let values): .array(values.map(json))
        case .dictionary(let dictionary):
            .object(JSONObject(dictionary.keys.sorted().map { ($0, json(dictionary[$0]!)) }))
        }
    }
}

/// Where JSON lines go: a file handle, written whole under a lock so concurrent lines never interleave.
public final class JSONLineSink: @unchecked Sendable {
    private let lock = NSLock()
    private let handle: FileHandle

    public init(handle: FileHandle) { self.handle = handle }

    public static let standardOutput = JSONLineSink(handle: .standardOutput)

    func write(_ line: String) {
        let data = Data((line + "\n").utf8)
        lock.withLock { handle.write(data) }
    }
}
