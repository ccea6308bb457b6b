import Foundation
import Logging

/// A log level that can change while the process runs.
///
/// `LOG_LEVEL` lives in the secret, which is read after logging is set up (and re-read while degraded), so the
/// handlers consult this box instead of fixing their level at bootstrap.
public final class SharedLogLevel: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Logger.Level

    public init(_ level: Logger.Level) { self.value = level }

    public var level: Logger.Level {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}
