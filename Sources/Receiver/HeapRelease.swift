import CMalloc
import Foundation
import HummingbirdCore

/// Gives the heap memory a burst of connections used back to the operating system once the burst is over.
///
/// Measured on the release build (Benchmarks/bench-hostile.sh): 400 stalled 1 MiB uploads took the receiver from
/// 40 to 136–155 MiB, and 5 s after they hung up it still held 113–130 MiB though nothing of theirs was kept. glibc's
/// malloc keeps freed chunks in its arenas (one per thread that allocates: the event loops, the concurrency pool)
/// for reuse and returns pages only from the top of an arena. So when the open connections fall back to a quarter
/// of a peak of at least `burstConnections`, and stay there for `settle`, `malloc_trim(0)` returns the free pages
/// of every arena. It walks them all (milliseconds), so it runs on a Dispatch thread and once per burst, never per
/// request. (Fixing glibc's mmap threshold at start as well, so large body buffers are unmapped when freed, was
/// measured too: it gave back nothing more than the trim alone, so it is not done.)
public final class HeapRelease: @unchecked Sendable {
    let burstConnections: Int
    let settle: Duration
    private let release: @Sendable () -> Void
    private let lock = NSLock()
    private var open = 0
    private var peak = 0
    private var scheduled = false
    private var count = 0

    init(
        burstConnections: Int, settle: Duration,
        release: @escaping @Sendable () -> Void = { _ = cmalloc_release_free_memory() }
    ) {
        self.burstConnections = burstConnections
        self.settle = settle
        self.release = release
    }

    /// How many times memory was returned so far (for tests and the log).
    public var releases: Int { lock.withLock { count } }

    func connectionOpened() {
        lock.withLock {
            open += 1
            peak = max(peak, open)
        }
    }

    func connectionClosed() {
        let start: Bool = lock.withLock {
            open -= 1
            guard peak >= burstConnections, open <= peak / 4, !scheduled else { return false }
            scheduled = true
            return true
        }
        if start { Task.detached(priority: .background) { await self.releaseWhenSettled() } }
    }

    /// Waits for the closing connections to free their buffers, then returns the memory unless a new burst began
    /// (whose end will release it).
    private func releaseWhenSettled() async {
        try? await Task.sleep(for: settle)
        let quiet: Bool = lock.withLock {
            scheduled = false
            guard open <= peak / 4 else { return false }
            peak = open
            return true
        }
        guard quiet else { return }
        // On a thread of its own: the receiver runs Swift's tasks on its event loops, which must not stall for it.
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            DispatchQueue.global(qos: .background).async {
                self.release()
                done.resume()
            }
        }
        lock.withLock { count += 1 }
    }
}

/// Hummingbird's connection cap, also telling `HeapRelease` of every connection opened and closed.
struct CountedConnections: AvailableConnectionsDelegate {
    var cap: MaximumAvailableConnections
    let heap: HeapRelease

    mutating func connectionOpened() {
        cap.connectionOpened()
        heap.connectionOpened()
    }

    mutating func connectionClosed() {
        cap.connectionClosed()
        heap.connectionClosed()
    }

    func isAcceptingNewConnections() -> Bool { cap.isAcceptingNewConnections() }
}
