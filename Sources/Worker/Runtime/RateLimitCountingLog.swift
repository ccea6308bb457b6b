import Logging

/// Counts Benchling 429 answers for `/metrics` by watching the Benchling client's retry log lines (the client
/// logs every retried failure with its error; it has no metrics hook of its own), then forwards every line to
/// the normal handler.
struct RateLimitCountingLog: LogHandler {
    var base: Logger
    let metrics: WorkerMetrics

    static func logger(label: String, base: Logger, metrics: WorkerMetrics) -> Logger {
        var derived = base
        derived[metadataKey: "component"] = "\(label)"
        let wrapped = RateLimitCountingLog(base: derived, metrics: metrics)
        return Logger(label: label, factory: { _ in wrapped })
    }

    var metadata: Logger.Metadata {
        get { base.handler.metadata }
        set { base.handler.metadata = newValue }
    }

    var logLevel: Logger.Level {
        get { base.logLevel }
        set { base.logLevel = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { base[metadataKey: key] }
        set { base[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        if let error = event.metadata?["error"], "\(error)".contains("HTTP 429") {
            metrics.countRateLimited()
        }
        base.log(
            level: event.level, event.message, metadata: event.metadata, source: event.source,
            file: event.file, function: event.function, line: event.line)
    }
}
