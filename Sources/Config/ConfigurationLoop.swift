import Foundation
import Logging
import Timing

/// The one configuration loop both executables run: resolve until a configuration can be put in use (backing off
/// while it cannot, so fixing the secret heals a waiting process), then re-resolve every `refreshInterval` and
/// at once when asked (`refreshAfterRejection`), putting each changed configuration in use without a restart.
///
/// A refresh first asks for the secret's current version id (`DescribeSecret`) and stops there while it is the
/// one already examined. A refreshed configuration that does not resolve, or that the process cannot apply,
/// leaves the one in use in place and makes the state `stale`; that is logged once per secret version and
/// problem, naming keys and fixes, never values.
public final class ConfigurationLoop: @unchecked Sendable {
    /// Puts `configuration` in use; `previous` is the one in use until then (nil the first time). Throwing keeps
    /// `previous` in use (before the first: keeps trying).
    public typealias Apply =
        @Sendable (_ configuration: Configuration, _ previous: Configuration?)
        async throws(ConfigurationError) -> Void

    public let resolver: ConfigurationResolver
    public let refreshInterval: Duration
    /// Back-off between attempts while nothing is in use yet (attempts never run out).
    public let retry: Backoff
    private let logger: Logger
    private let onChange: @Sendable (ConfigurationState) -> Void
    private let signal = RefreshSignal()
    private let lock = NSLock()
    private var current: ConfigurationState = .resolving
    private var running = false
    private var refreshes = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// - Parameter onChange: told every new state (metrics); called on the loop's task, keep it quick.
    public init(
        resolver: ConfigurationResolver, refreshInterval: Duration, retry: Backoff, logger: Logger,
        onChange: @escaping @Sendable (ConfigurationState) -> Void = { _ in }
    ) {
        self.resolver = resolver
        self.refreshInterval = refreshInterval
        self.retry = retry
        self.logger = logger
        self.onChange = onChange
    }

    /// The state now (a lock around a value copy: cheap enough for every request).
    public var state: ConfigurationState { lock.withLock { current } }

    /// Refreshes completed since the first configuration was put in use, whatever their outcome.
    public var completedRefreshes: Int { lock.withLock { refreshes } }

    /// Runs until cancelled (then throws `CancellationError`).
    public func run(apply: Apply) async throws {
        lock.withLock { running = true }
        defer {
            let left = lock.withLock {
                running = false
                defer { waiters = [] }
                return waiters
            }
            for waiter in left { waiter.resume() }
        }
        let first = try await firstConfiguration(apply)
        var memory = Memory(examined: first.secretVersion.map { Examined(version: $0.id, settled: true) })
        while true {
            let requested = await signal.wait(upTo: refreshInterval)
            try Task.checkCancellation()
            // Callers waiting now are answered by this refresh; later ones by the next (their request is pending).
            let answered = lock.withLock {
                defer { waiters = [] }
                return waiters
            }
            await refresh(forced: requested || !answered.isEmpty, apply: apply, memory: &memory)
            lock.withLock { refreshes += 1 }
            for waiter in answered { waiter.resume() }
        }
    }

    /// Benchling refused the client credentials of `rejected`: re-reads the secret now, whatever its version
    /// (concurrent callers share one read), and returns the state afterwards. Returns at once when the
    /// configuration in use already has other credentials, or when the loop is not running.
    public func refreshAfterRejection(of rejected: Configuration) async -> ConfigurationState {
        if let inUse = state.configuration, !inUse.hasSameCredentials(as: rejected) { return state }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let queued = lock.withLock {
                guard running else { return false }
                waiters.append(continuation)
                return true
            }
            guard queued else { return continuation.resume() }
            Task { await self.signal.request() }
        }
        return state
    }

    // MARK: - Steps

    /// What the loop remembers between refreshes.
    private struct Memory {
        /// The last secret version fully read. A settled one is not read again until the version id changes.
        var examined: Examined?
        /// The last problem logged, so a stale state is logged once per version and problem.
        var loggedProblem: String?
    }

    /// A secret version fully read, and what came of it.
    private struct Examined {
        let version: String
        /// Whether the outcome is final: resolved, or failed for a reason only a new version can fix.
        var settled: Bool
        /// Why the version is not in use; nil when it is.
        var problem: ConfigurationError? = nil
    }

    private func set(_ state: ConfigurationState) {
        lock.withLock { current = state }
        onChange(state)
    }

    private func firstConfiguration(_ apply: Apply) async throws -> Configuration {
        var failures = 0
        while true {
            try Task.checkCancellation()
            do throws(ConfigurationError) {
                let configuration = try await resolver.resolve()
                try await apply(configuration, nil)
                set(.current(configuration))
                if failures > 0 { logger.info("configuration usable", metadata: ["after_failures": "\(failures)"]) }
                return configuration
            } catch {
                failures += 1
                let delay = retry.delay(beforeRetry: failures - 1)
                set(.unusable(error, failures: failures, nextAttempt: Date().addingTimeInterval(Self.seconds(delay))))
                logger.error(
                    "configuration unusable; retrying",
                    metadata: Self.metadata(error).merging([
                        "failures": "\(failures)", "retry_in_ms": "\(Int(Self.seconds(delay) * 1000))",
                    ]) { _, new in new })
                _ = await signal.wait(upTo: delay)
            }
        }
    }

    private func refresh(forced: Bool, apply: Apply, memory: inout Memory) async {
        guard let inUse = state.configuration else { return }
        if !forced, let examined = memory.examined, examined.settled {
            do throws(ConfigurationError) {
                if try await resolver.currentSecretVersion() == examined.version {
                    settle(examined, inUse: inUse, memory: &memory)
                    return
                }
            } catch {
                if !Task.isCancelled { stale(inUse, error, memory: &memory) }
                return
            }
        }
        do throws(ConfigurationError) {
            let resolved: Configuration
            do throws(ConfigurationError) {
                resolved = try await resolver.resolve()
            } catch {
                memory.examined = error.secretVersion.map {
                    Examined(version: $0, settled: !error.isTransient, problem: error)
                }
                throw error
            }
            memory.examined = resolved.secretVersion.map { Examined(version: $0.id, settled: true) }
            let changes = ConfigurationChanges(from: inUse, to: resolved)
            if !changes.isEmpty {
                do throws(ConfigurationError) {
                    try await apply(resolved, inUse)
                } catch {
                    memory.examined?.settled = !error.isTransient
                    memory.examined?.problem = error
                    throw error
                }
                logger.notice(
                    "configuration changed; in use from now on",
                    metadata: [
                        "changed": "\(changes.names.joined(separator: ", "))", "changes": "\(changes)",
                        "secret_version": "\(resolved.secretVersion?.id ?? "unknown")",
                    ])
            } else if state.isStale {
                logger.notice(
                    "configuration no longer stale: the secret matches the configuration in use",
                    metadata: ["secret_version": "\(resolved.secretVersion?.id ?? "unknown")"])
            }
            memory.loggedProblem = nil
            set(.current(resolved))
        } catch {
            // Stopping cut the refresh short: that says nothing about the secret.
            if !Task.isCancelled { stale(inUse, error, memory: &memory) }
        }
    }

    /// The secret still holds the settled version `examined`: after a passing failure (the version check could
    /// not be made), the state goes back to what that version gave, without logging it again.
    private func settle(_ examined: Examined, inUse: Configuration, memory: inout Memory) {
        guard case .stale(_, let shown, let since) = state, shown != examined.problem else { return }
        if let problem = examined.problem {
            memory.loggedProblem = Self.logKey(problem)
            set(.stale(inUse, problem: problem, since: since))
        } else {
            memory.loggedProblem = nil
            set(.current(inUse))
            logger.notice(
                "configuration no longer stale: the secret matches the configuration in use",
                metadata: ["secret_version": "\(examined.version)"])
        }
    }

    /// Keeps `inUse` and says why; logs only what was not logged already.
    private func stale(_ inUse: Configuration, _ error: ConfigurationError, memory: inout Memory) {
        var since = Date()
        if case .stale(_, _, let earlier) = state { since = earlier }
        set(.stale(inUse, problem: error, since: since))
        let key = Self.logKey(error)
        guard memory.loggedProblem != key else { return }
        memory.loggedProblem = key
        logger.error(
            "refreshed configuration not usable; keeping the configuration in use",
            metadata: Self.metadata(error).merging([
                "secret_version": "\(error.secretVersion ?? "unread")",
                "in_use_version": "\(inUse.secretVersion?.id ?? "unknown")",
            ]) { _, new in new })
    }

    /// What makes two stale states the same for the log: the version and the problems.
    private static func logKey(_ error: ConfigurationError) -> String {
        "\(error.secretVersion ?? "unread")|\(error.problems.map(\.messageWithoutValue))"
    }

    /// Keys, problems and fixes of `error`, without any value found in the secret.
    private static func metadata(_ error: ConfigurationError) -> Logger.Metadata {
        var keys: [String] = []
        for problem in error.problems where !keys.contains(problem.key) { keys.append(problem.key) }
        return [
            "keys": "\(keys.joined(separator: ", "))",
            "problems": .array(error.problems.map { .string($0.messageWithoutValue) }),
            "fixes": .array(error.problems.map { .string($0.fix) }),
        ]
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

extension Configuration {
    /// Whether Benchling would see the same client: same credentials, same tenant.
    public func hasSameCredentials(as other: Configuration) -> Bool {
        clientId == other.clientId && clientSecret == other.clientSecret && benchlingBaseURL == other.benchlingBaseURL
    }
}

/// Wakes the loop early: a request made while nobody waits is kept for the next wait.
actor RefreshSignal {
    private var pending = false
    private var waiter: (id: Int, continuation: CheckedContinuation<Bool, Never>)?
    private var lastId = 0

    func request() {
        if let waiter {
            self.waiter = nil
            waiter.continuation.resume(returning: true)
        } else {
            pending = true
        }
    }

    /// True when a refresh was requested; false after `duration`, or at once when the task is cancelled.
    func wait(upTo duration: Duration) async -> Bool {
        if pending {
            pending = false
            return true
        }
        lastId += 1
        let id = lastId
        let timer = Task {
            try? await Task.sleep(for: duration)
            await self.end(id)
        }
        defer { timer.cancel() }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                waiter = (id, continuation)
            }
        } onCancel: {
            Task { await self.end(id) }
        }
    }

    private func end(_ id: Int) {
        guard let waiter, waiter.id == id else { return }
        self.waiter = nil
        waiter.continuation.resume(returning: false)
    }
}
