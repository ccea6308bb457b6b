/// `CONFIG_REFRESH_SECONDS`: how often both executables re-resolve their configuration.
extension ConfigurationLoop {
    public static let refreshVariable = "CONFIG_REFRESH_SECONDS"
    public static let defaultRefreshInterval: Duration = .seconds(300)

    /// The interval the environment asks for (whole seconds, 1 to 86400), the default when unset.
    public static func refreshInterval(environment: [String: String]) -> Result<Duration, RefreshIntervalError> {
        guard let text = environment[refreshVariable]?.trimmingBlanks(), !text.isEmpty else {
            return .success(defaultRefreshInterval)
        }
        guard let seconds = Int(text), (1...86_400).contains(seconds) else {
            return .failure(RefreshIntervalError(value: String(text.prefix(20))))
        }
        return .success(.seconds(seconds))
    }
}

/// `CONFIG_REFRESH_SECONDS` is not a whole number of seconds in range.
public struct RefreshIntervalError: Error, Sendable, CustomStringConvertible {
    public let value: String

    public var description: String {
        "\(ConfigurationLoop.refreshVariable) must be whole seconds from 1 to 86400, got \"\(value)\""
    }
}
