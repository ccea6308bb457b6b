import Foundation

/// A settable clock for the receiver's signature window and JWKS cache (vectors pin "now").
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ date: Date = Date()) { current = date }

    var now: Date {
        get { lock.withLock { current } }
        set { lock.withLock { current = newValue } }
    }

    var function: @Sendable () -> Date { { self.now } }
}
