import Foundation

/// Runs operations with a hard deadline: the caller gets an answer after at most `timeout` (plus one watch
/// interval), even when the operation ignores cancellation (it is cancelled and left to finish on its own).
///
/// The receiver must answer Benchling within 3 seconds: a queue call that hangs must become a 503 in time. A
/// stopping worker must not wait on a clean-up call longer than it allows (see `withDeadline`).
///
/// One watcher serves every call instead of a timer per call: all calls share one timeout, so their deadlines
/// expire in the order they were registered, and a single task waking every `timeout / 40` expires them. A timer
/// per request cost a timer registration, a wake-up of the timer thread and two extra tasks, on a path that is
/// otherwise answered in about a millisecond.
public final class Deadline: @unchecked Sendable {
    public struct Exceeded: Error, CustomStringConvertible {
        public let timeout: Duration
        public var description: String { "no answer within \(timeout)" }
    }

    public let timeout: Duration
    /// How often the watcher looks; an expired call is answered at most this much late.
    let interval: Duration
    private let lock = NSLock()
    /// Calls not yet known to be over, oldest (= earliest deadline) first, from `head` on.
    private var pending: [(deadline: ContinuousClock.Instant, race: any ExpiringRace)] = []
    private var head = 0
    private var watching = false

    public init(timeout: Duration) {
        self.timeout = timeout
        interval = max(timeout / 40, .milliseconds(1))
    }

    /// The operation's result, or `Exceeded` once `timeout` has passed.
    ///
    /// - Parameter followingCallerCancellation: whether a cancelled caller cancels the operation. Off by
    ///   default: the operation runs in a task of its own, so a caller that goes away (an answered-late
    ///   request) leaves it running.
    public func run<T: Sendable>(
        _ operation: @escaping @Sendable () async throws -> T, followingCallerCancellation: Bool = false
    ) async throws -> T {
        let race = Race<T>(timeout: timeout)
        guard followingCallerCancellation else { return try await start(race, operation) }
        return try await withTaskCancellationHandler {
            try await start(race, operation)
        } onCancel: {
            race.cancelWork()
        }
    }

    private func start<T: Sendable>(
        _ race: Race<T>, _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            race.install(continuation)
            race.attach(
                Task {
                    let result: Result<T, any Error>
                    do { result = .success(try await operation()) } catch { result = .failure(error) }
                    race.finish(with: result)
                })
            watch(race)
        }
    }

    private func watch(_ race: any ExpiringRace) {
        let deadline = ContinuousClock.now + timeout
        let startWatcher: Bool = lock.withLock {
            pending.append((deadline, race))
            defer { watching = true }
            return !watching
        }
        if startWatcher { Task { await self.watchUntilIdle() } }
    }

    /// Expires what is due every `interval`; stops when nothing is pending (the next call starts it again).
    private func watchUntilIdle() async {
        while true {
            try? await Task.sleep(for: interval)
            let now = ContinuousClock.now
            let (due, idle): ([any ExpiringRace], Bool) = lock.withLock {
                var due: [any ExpiringRace] = []
                while head < pending.count, pending[head].race.isOver || pending[head].deadline <= now {
                    if !pending[head].race.isOver { due.append(pending[head].race) }
                    head += 1
                }
                if head == pending.count {
                    pending.removeAll(keepingCapacity: true)
                    head = 0
                } else if head > 1024, head * 2 > pending.count {
                    pending.removeFirst(head)
                    head = 0
                }
                if pending.isEmpty { watching = false }
                return (due, pending.isEmpty)
            }
            for race in due { race.expire() }
            if idle { return }
        }
    }
}

/// What the watcher needs of a call, whatever its result type.
private protocol ExpiringRace: Sendable {
    /// True once the call was answered (by its result or by expiry).
    var isOver: Bool { get }
    /// Answers the call with `Deadline.Exceeded` (unless it was answered already) and cancels its work.
    func expire()
}

/// One call: resumes its continuation exactly once, with the result or the expiry, whichever comes first.
private final class Race<T: Sendable>: ExpiringRace, @unchecked Sendable {
    private let lock = NSLock()
    private let timeout: Duration
    private var continuation: CheckedContinuation<T, any Error>?
    private var work: Task<Void, Never>?
    private var over = false
    /// Set by `cancelWork`, so work attached after the caller's cancellation is cancelled at once.
    private var workCancelled = false

    init(timeout: Duration) { self.timeout = timeout }

    func install(_ continuation: CheckedContinuation<T, any Error>) {
        lock.withLock { self.continuation = continuation }
    }

    func attach(_ work: Task<Void, Never>) {
        let cancelled: Bool = lock.withLock {
            self.work = over ? nil : work
            return workCancelled
        }
        if cancelled { work.cancel() }
    }

    /// Cancels the operation (the caller was cancelled); its result, or the expiry, still answers the call.
    func cancelWork() {
        let work: Task<Void, Never>? = lock.withLock {
            workCancelled = true
            return self.work
        }
        work?.cancel()
    }

    var isOver: Bool { lock.withLock { over } }

    func finish(with result: Result<T, any Error>) {
        let pending: CheckedContinuation<T, any Error>? = lock.withLock {
            defer {
                continuation = nil
                work = nil
                over = true
            }
            return continuation
        }
        pending?.resume(with: result)
    }

    func expire() {
        let (pending, work): (CheckedContinuation<T, any Error>?, Task<Void, Never>?) = lock.withLock {
            defer {
                continuation = nil
                self.work = nil
                over = true
            }
            return (continuation, self.work)
        }
        guard let pending else { return }
        pending.resume(throwing: Deadline.Exceeded(timeout: timeout))
        work?.cancel()
    }
}
