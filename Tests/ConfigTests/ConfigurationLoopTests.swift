import Foundation
import JSONCore
import TestSupport
import Testing

@testable import Config

/// The shared configuration loop with the real resolver against moto (IAM enforced, the worker's task-role policy):
/// version checks, applied changes, stale refreshes and forced reads after a credential rejection.
@Suite("Configuration loop against moto", .timeLimit(.minutes(3)))
struct ConfigurationLoopTests {
    /// The configurations the loop put in use, in order.
    final class Applied: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [Configuration] = []
        var all: [Configuration] { lock.withLock { list } }
        func append(_ configuration: Configuration) { lock.withLock { list.append(configuration) } }
    }

    /// A running loop on a fresh secret and stack, refreshing every second.
    struct Running {
        let loop: ConfigurationLoop
        let task: Task<Void, any Error>
        let applied: Applied
        let logs: CapturedLogs
        let secretName: String
        let seeder: MotoSeeder

        func put(_ secret: JSONObject) async throws {
            try await seeder.putSecretValue(secret.compactString(), secretId: secretName)
        }

        /// Waits for `count` more refreshes than have completed now.
        func waitForRefreshes(_ count: Int) async throws {
            let target = loop.completedRefreshes + count
            #expect(try await eventually { loop.completedRefreshes >= target }, "the loop stopped refreshing")
        }

        func stop() async {
            task.cancel()
            _ = await task.result
        }
    }

    static func start(_ secret: JSONObject = MotoResolverTests.goodSecret) async throws -> Running {
        let seeder = try MotoSeeder()
        let stack = try await seeder.createStack(outputs: MotoResolverTests.quiltOutputs)
        let created = try await seeder.createSecret(secret.compactString())
        let logs = CapturedLogs()
        let logger = logs.logger(level: .debug)
        let loop = ConfigurationLoop(
            resolver: ConfigurationResolver(
                environment: seeder.resolverEnvironment(stack: stack, secret: created.name), logger: logger),
            refreshInterval: .seconds(1),
            retry: .init(baseDelay: .milliseconds(50), maxDelay: .milliseconds(200)),
            logger: logger)
        let applied = Applied()
        let task = Task { try await loop.run { configuration, _ in applied.append(configuration) } }
        #expect(try await eventually { loop.state.configuration != nil }, "never resolved: \(loop.state)")
        return Running(
            loop: loop, task: task, applied: applied, logs: logs, secretName: created.name, seeder: seeder)
    }

    @Test("refreshes read only the version id until it changes; a change is applied and its keys logged, masked")
    func versionSkipsThenChangeApplies() async throws {
        let running = try await Self.start()
        try await running.waitForRefreshes(3)
        #expect(running.logs.messages(containing: "configuration resolved").count == 1, "unchanged version re-read")
        #expect(running.applied.all.count == 1)
        let firstVersion = try #require(running.loop.state.configuration?.secretVersion)

        var changed = MotoResolverTests.goodSecret
        changed["CLIENT_SECRET"] = "fedcba9876543210fedcba9876543210"
        changed["WEBHOOK_ALLOW_LIST"] = "192.0.2.0/24"
        try await running.put(changed)
        #expect(try await eventually { running.applied.all.count == 2 })
        await running.stop()

        let now = try #require(running.applied.all.last)
        #expect(now.clientSecret == "fedcba9876543210fedcba9876543210")
        #expect(now.webhookAllowList.description == "192.0.2.0/24")
        #expect(now.secretVersion?.id != firstVersion.id)
        let line = try #require(running.logs.all.first { $0.message.hasPrefix("configuration changed") })
        #expect(
            Set((line.metadata["changed"] ?? "").components(separatedBy: ", ")) == [
                "CLIENT_SECRET", "WEBHOOK_ALLOW_LIST",
            ])
        #expect(line.metadata["changes"]?.contains("****(set, 32 chars)") == true, "\(line.metadata)")
        for value in ["0123456789abcdef0123456789abcdef", "fedcba9876543210fedcba9876543210", "client-abc"] {
            #expect(running.logs.lines(mentioning: value).isEmpty, "a log line holds a credential")
        }
    }

    @Test("an invalid version keeps the configuration in use, is stale, and is logged once naming the key")
    func invalidVersionIsStaleAndLoggedOnce() async throws {
        let running = try await Self.start()
        var invalid = MotoResolverTests.goodSecret
        invalid["LOG_LEVEL"] = "LOUD"
        try await running.put(invalid)
        #expect(try await eventually { running.loop.state.isStale })
        try await running.waitForRefreshes(3)

        let state = running.loop.state
        #expect(state.configuration?.logLevel == .warning, "the configuration in use is kept")
        #expect(running.applied.all.count == 1)
        let reason = try #require(state.staleReason)
        #expect(reason.reason.contains("LOG_LEVEL") && !reason.reason.contains("LOUD"), "\(reason)")
        #expect(reason.action.contains("DEBUG, INFO, WARNING, ERROR, CRITICAL"), "\(reason)")
        #expect(
            running.logs.lines(mentioning: "LOG_LEVEL").count == 1, "\(running.logs.lines(mentioning: "LOG_LEVEL"))")
        #expect(running.logs.lines(mentioning: "LOUD").isEmpty)

        // Back to the content in use: current again, nothing to apply.
        try await running.put(MotoResolverTests.goodSecret)
        #expect(try await eventually { !running.loop.state.isStale })
        await running.stop()
        #expect(running.applied.all.count == 1)
        #expect(running.logs.messages(containing: "no longer stale").count == 1)
    }

    @Test("a credential rejection forces a read of an unchanged secret; other credentials in use need none")
    func rejectionForcesARead() async throws {
        let running = try await Self.start()
        let inUse = try #require(running.loop.state.configuration)
        let reads = { running.logs.messages(containing: "configuration resolved").count }
        #expect(reads() == 1)
        async let first = running.loop.refreshAfterRejection(of: inUse)
        async let second = running.loop.refreshAfterRejection(of: inUse)
        let states = await [first, second]
        #expect(states.allSatisfy { $0.configuration != nil && !$0.isStale })
        #expect((2...3).contains(reads()), "a forced read despite the unchanged version (shared when concurrent)")

        var rotated = inUse
        rotated.parameters.clientSecret = "an-older-secret"
        let before = reads()
        _ = await running.loop.refreshAfterRejection(of: rotated)
        #expect(reads() == before, "the credentials in use are not the rejected ones: nothing to read")
        await running.stop()
        // Once the loop stopped, a caller is answered at once.
        #expect(await running.loop.refreshAfterRejection(of: inUse).configuration != nil)
    }
}
