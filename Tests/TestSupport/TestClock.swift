import Foundation

/// The tests' one hand-driven clock, for what the code under test reads as "now" (signature windows, cache ages,
/// token lifetimes, job ages and ordering), so those tests never depend on how fast the machine is. Never use it
/// to assert about elapsed time.
public final class TestClock: @unchecked Sendable {
    /// A fixed start in the past (2023-11-14T22:13:20Z), for tests that only need "now" to stand still.
    public static let fixedStart = Date(timeIntervalSince1970: 1_700_000_000)

    private let lock = NSLock()
    private var current: Date

    public init(_ start: Date = TestClock.fixedStart) { current = start }

    public var now: Date {
        get { lock.withLock { current } }
        set { lock.withLock { current = newValue } }
    }

    public func advance(by seconds: TimeInterval) { lock.withLock { current += seconds } }

    /// `now` as the closure the code under test takes.
    public var function: @Sendable () -> Date { { self.now } }
}
