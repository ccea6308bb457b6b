import Logging

/// `LOG_LEVEL` as the Python service spelled it, mapped onto swift-log's levels.
public enum LogLevel: String, Sendable, CaseIterable {
    case debug = "DEBUG"
    case info = "INFO"
    case warning = "WARNING"
    case error = "ERROR"
    case critical = "CRITICAL"

    /// Case-insensitive: `info` and `INFO` are the same level.
    public init?(name: String) {
        self.init(rawValue: name.uppercased())
    }

    /// The swift-log level to configure loggers with.
    public var loggerLevel: Logger.Level {
        switch self {
        case .debug: .debug
        case .info: .info
        case .warning: .warning
        case .error: .error
        case .critical: .critical
        }
    }

    /// "DEBUG, INFO, WARNING, ERROR, CRITICAL", for messages.
    static let choices = allCases.map(\.rawValue).joined(separator: ", ")
}
