import AsyncHTTPClient
import Crypto
import Foundation
import Logging
import NIOCore

/// Benchling's webhook signing keys, fetched from the app's JWK set and cached.
///
/// Policy (benchling.md "Signature verification" step 7, and the upstream defect of a cache that never expired):
/// * keys are re-read at most `maxAge` (6 h) after the last successful fetch; from `refreshAheadFraction` of that
///   age on, a background refetch starts while the current keys keep serving, so requests rarely wait;
/// * a failed signature match triggers ONE refetch, shared by all concurrent callers (single-flight) and at most
///   once per `minRefetchInterval`, so forged traffic cannot hammer the JWKS endpoint;
/// * a JWKS outage never blocks verification with keys we have: when a refetch fails, the previous keys keep
///   serving, even past `maxAge` (logged as an error on each failed refetch). Rejecting every webhook because
///   apps.benchling.com is briefly down would be worse than trusting a recently valid key a little longer;
/// * a fetched set with no usable P-256 key is treated as a failed fetch (the old keys are kept);
/// * every fetch is bounded by `requestTimeout`; with no keys at all, fetches are retried at most once per
///   `unavailableRetryInterval` and verification answers `jwks_unavailable` meanwhile.
public actor JWKSCache {
    /// The keys and a generation number that changes on every successful fetch.
    public struct Snapshot: Sendable {
        public let keys: [P256.Signing.PublicKey]
        public let generation: Int
        public let fetchedAt: Date
    }

    public struct Settings: Sendable {
        public var maxAge: TimeInterval = 6 * 3600
        public var refreshAheadFraction: Double = 0.9
        public var minRefetchInterval: TimeInterval = 30
        public var unavailableRetryInterval: TimeInterval = 5
        /// Deadline for one fetch until the response head; the body is tiny and capped at `maxBodyBytes`.
        public var requestTimeout: TimeAmount = .seconds(5)
        public var maxBodyBytes: Int = 1 << 20
        /// How long a request waits for the refetch of expired keys before verifying with them anyway
        /// (Benchling wants an answer within 3 s; the fetch keeps running in the background).
        public var expiredKeysWait: Duration = .seconds(1)

        public init() {}
    }

    public nonisolated let url: String
    public nonisolated let settings: Settings
    private let httpClient: HTTPClient
    private let now: @Sendable () -> Date
    private let logger: Logger

    private var snapshot: Snapshot?
    private var generation = 0
    private var inFlight: Task<Snapshot?, Never>?
    private var lastAttempt: Date?
    /// When a failed match last triggered a refetch (the rate limit that protects the JWKS endpoint).
    private var lastMismatchRefetch: Date?
    /// Whether a fetch is running now (for health reporting and tests).
    public var isRefreshing: Bool { inFlight != nil }
    /// Fetch attempts made (successful or not): exposed for metrics and tests.
    public private(set) var fetchAttempts = 0

    /// - Parameter httpClient: use one made by `BenchlingHTTP.makeHTTPClient()` (2 s connect timeout) in production.
    public init(
        url: String, httpClient: HTTPClient = .shared, settings: Settings = Settings(),
        now: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "benchling.jwks")
    ) {
        self.url = url
        self.httpClient = httpClient
        self.settings = settings
        self.now = now
        self.logger = logger
    }

    /// A cache pre-loaded with fixed keys and never refetching successfully from a bogus URL is not useful;
    /// tests use `init` with a real server. This seeds keys for tools that verify offline.
    public func seed(keys: [P256.Signing.PublicKey]) {
        generation += 1
        snapshot = Snapshot(keys: keys, generation: generation, fetchedAt: now())
    }

    /// Fetches at start-up so the first webhook does not wait. Returns whether keys are now available.
    @discardableResult
    public func prewarm() async -> Bool {
        await refresh() != nil || snapshot != nil
    }

    /// The keys to verify with now, or nil when none could ever be fetched.
    public func currentKeys() async -> Snapshot? {
        guard let current = snapshot else {
            if inFlight == nil, let last = lastAttempt,
                now().timeIntervalSince(last) < settings.unavailableRetryInterval
            {
                return nil
            }
            return await refresh()
        }
        let age = now().timeIntervalSince(current.fetchedAt)
        if age < settings.maxAge * settings.refreshAheadFraction { return current }
        if age < settings.maxAge {
            if inFlight == nil && mayRefetch() { startRefresh() }
            return current
        }
        // Expired: wait briefly for a refetch; if it fails or is slow, keep serving what we have.
        if inFlight != nil || mayRefetch() {
            let task = inFlight ?? startRefresh()
            if let fresh = await Self.value(of: task, within: settings.expiredKeysWait) { return fresh }
        }
        logger.error(
            "JWKS keys are past their max age and could not be refreshed; still using them",
            metadata: ["url": "\(url)", "ageSeconds": "\(Int(age))"])
        return snapshot
    }

    /// Called after no cached key matched: returns newer keys to retry with, or nil when there are none
    /// (already refreshed since `seenGeneration` counts as newer; a refetch is at most once per interval).
    public func keysAfterFailedMatch(seenGeneration: Int) async -> Snapshot? {
        if let current = snapshot, current.generation != seenGeneration { return current }
        if inFlight == nil {
            if let last = lastMismatchRefetch, now().timeIntervalSince(last) < settings.minRefetchInterval {
                return nil
            }
            lastMismatchRefetch = now()
        }
        guard let fresh = await refresh(), fresh.generation != seenGeneration else { return nil }
        return fresh
    }

    /// The task's result if it arrives within `limit`, else nil. The task itself keeps running (a task group would
    /// not do: it waits for every child, and awaiting another task's value ignores cancellation).
    private static func value(of task: Task<Snapshot?, Never>, within limit: Duration) async -> Snapshot? {
        await withCheckedContinuation { continuation in
            let resume = ResumeOnce(continuation)
            Task { resume(await task.value) }
            Task {
                try? await Task.sleep(for: limit)
                resume(nil)
            }
        }
    }

    /// Paces refetches of expired or expiring keys (a failing endpoint is retried at most once per interval).
    private func mayRefetch() -> Bool {
        guard let last = lastAttempt else { return true }
        return now().timeIntervalSince(last) >= settings.minRefetchInterval
    }

    /// Joins the fetch in flight or starts one; nil when it failed.
    private func refresh() async -> Snapshot? {
        let task = inFlight ?? startRefresh()
        return await task.value
    }

    @discardableResult
    private func startRefresh() -> Task<Snapshot?, Never> {
        lastAttempt = now()
        fetchAttempts += 1
        // Unstructured so that a cancelled caller does not cancel the fetch the others are waiting on.
        let task = Task { await self.fetchAndStore() }
        inFlight = task
        return task
    }

    private func fetchAndStore() async -> Snapshot? {
        defer { inFlight = nil }
        do {
            let keys = try await fetch()
            guard !keys.isEmpty else { throw JWKSError.noUsableKeys }
            generation += 1
            let fresh = Snapshot(keys: keys, generation: generation, fetchedAt: now())
            snapshot = fresh
            logger.info("fetched JWKS", metadata: ["url": "\(url)", "keys": "\(keys.count)"])
            return fresh
        } catch {
            logger.error(
                "JWKS fetch failed",
                metadata: [
                    "url": "\(url)", "error": "\(error)", "cachedKeys": "\(snapshot?.keys.count ?? 0)",
                ])
            return nil
        }
    }

    private func fetch() async throws -> [P256.Signing.PublicKey] {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept", value: "application/json")
        let response = try await httpClient.execute(request, timeout: settings.requestTimeout)
        let body = try await response.body.collect(upTo: settings.maxBodyBytes)
        guard response.status == .ok else { throw JWKSError.httpStatus(Int(response.status.code)) }
        return try JSONWebKeySet.p256Keys(from: body.readableBytesView)
    }
}

/// Resumes a continuation with the first value offered and ignores the rest.
private final class ResumeOnce<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Value, Never>?

    init(_ continuation: CheckedContinuation<Value, Never>) { self.continuation = continuation }

    func callAsFunction(_ value: Value) {
        let pending = lock.withLock { () -> CheckedContinuation<Value, Never>? in
            defer { continuation = nil }
            return continuation
        }
        pending?.resume(returning: value)
    }
}
