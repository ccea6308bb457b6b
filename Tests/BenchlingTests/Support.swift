import Benchling
import BenchlingSandbox
import Foundation
import TestSupport

/// Records the backoff waits the client asked for, and waits only a token amount of real time.
final class SleepRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [Duration] = []

    var delays: [Duration] { lock.withLock { recorded } }

    var function: @Sendable (Duration) async throws -> Void {
        { duration in
            self.lock.withLock { self.recorded.append(duration) }
            try await Task.sleep(for: .milliseconds(1))
        }
    }
}

/// Collects download progress reports.
final class ProgressRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [Int64] = []

    var values: [Int64] { lock.withLock { recorded } }
    func record(_ value: Int64) { lock.withLock { recorded.append(value) } }
}

/// Runs `body` against a fresh sandbox and always shuts it down.
func withSandbox(
    options: SandboxOptions = SandboxOptions(), _ body: (SandboxTenant) async throws -> Void
) async throws {
    let sandbox = try await SandboxTenant.start(options: options)
    do {
        try await body(sandbox)
        await sandbox.shutdown()
    } catch {
        await sandbox.shutdown()
        throw error
    }
}

extension SandboxTenant {
    func client(sleep: SleepRecorder = SleepRecorder(), retry: BenchlingRetryPolicy = .default) -> BenchlingClient {
        var settings = BenchlingClient.Settings()
        settings.retry = retry
        settings.requestTimeout = .seconds(10)
        return BenchlingClient(
            baseURL: baseURL.absoluteString, clientId: clientId, clientSecret: clientSecret, settings: settings,
            sleep: sleep.function)
    }

    func jwksCache(
        clock: TestClock, maxAge: TimeInterval = 6 * 3600, refreshAhead: Double = 0.9,
        expiredKeysWait: Duration = .seconds(30)
    ) -> JWKSCache {
        var settings = JWKSCache.Settings()
        settings.expiredKeysWait = expiredKeysWait
        settings.maxAge = maxAge
        settings.refreshAheadFraction = refreshAhead
        // Generous: the suite runs many tests at once on two cores, and a deliberately slow (3 s) fetch must not
        // time out here; the production bound is the default in JWKSCache.Settings.
        settings.requestTimeout = .seconds(20)
        return JWKSCache(url: jwksURL.absoluteString, settings: settings, now: clock.function)
    }
}
