import Foundation

/// Bounds the request-body bytes held at once over all requests, so that many stalled or slow uploads cannot
/// exhaust the task's memory.
///
/// A request reserves its declared Content-Length (or the body limit when it declares none) before reading,
/// and releases it when answered. Reservations above `smallBodyBytes` together get at most half the budget:
/// Benchling's deliveries are a few KB, so they always find room while large uploads are the ones turned away.
final class BodyBudget: @unchecked Sendable {
    let totalBytes: Int
    let smallBodyBytes: Int
    private let lock = NSLock()
    private var reserved = 0
    private var reservedByLarge = 0

    init(totalBytes: Int, smallBodyBytes: Int) {
        self.totalBytes = totalBytes
        self.smallBodyBytes = smallBodyBytes
    }

    /// Reserves `bytes`; false when they do not fit now.
    func reserve(_ bytes: Int) -> Bool {
        let large = bytes > smallBodyBytes
        return lock.withLock {
            guard reserved + bytes <= totalBytes else { return false }
            if large {
                guard reservedByLarge + bytes <= totalBytes / 2 else { return false }
                reservedByLarge += bytes
            }
            reserved += bytes
            return true
        }
    }

    func release(_ bytes: Int) {
        let large = bytes > smallBodyBytes
        lock.withLock {
            reserved -= bytes
            if large { reservedByLarge -= bytes }
        }
    }

    /// Bytes reserved now (for tests and metrics).
    var reservedBytes: Int { lock.withLock { reserved } }
}
