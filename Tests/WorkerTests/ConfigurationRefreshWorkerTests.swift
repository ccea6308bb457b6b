import BenchlingSandbox
import Config
import Foundation
import JSONCore
import JobLog
import Logging
import ServiceLifecycle
import TestSupport
import Testing
import Worker

/// The worker as `worker run` runs it (`WorkerService` in a ServiceGroup, configuration from a Secrets Manager
/// secret and a stack on moto through the resolver, the worker's IAM user) keeps working when the app's client
/// secret is rotated in the tenant and in the secret: between two events, and under a job in flight. Only a
/// rejection that persists with the freshly read secret dead-letters, saying so.
@Suite("Worker configuration refresh", .serialized, .timeLimit(.minutes(4)))
struct ConfigurationRefreshWorkerTests {
    /// One worker service with its secret.
    struct World {
        let fixture: WorkerFixture
        let secretName: String
        let secret: JSONObject
        let jobLog: JobLog
        let logs: CapturedLogs
        let service: WorkerService
        let group: ServiceGroup
        let running: Task<Void, any Error>

        static func start() async throws -> World {
            let fixture = try await WorkerFixture.make()
            let sandbox = fixture.sandbox
            let secret: JSONObject = [
                "CLIENT_ID": .string(sandbox.clientId), "CLIENT_SECRET": .string(sandbox.clientSecret),
                "TENANT": "sandbox", "APP_DEFINITION_ID": .string(sandbox.appDefinitionId), "LOG_LEVEL": "INFO",
                "PKG_PREFIX": .string(WorkerFixture.pkgPrefix), "PKG_KEY": "experiment_id",
                "USER_BUCKET": .string(fixture.bucket),
            ]
            let name = fixture.environment.uniqueName("wksecret")
            try await MotoSeeder(fixture.environment).createSecret(secret.compactString(), name: name)
            var environment = fixture.workerEnvironment
            environment["BenchlingSecret"] = name
            environment["QuiltStackARN"] = try await fixture.createStack()
            environment["BENCHLING_BASE_URL"] = sandbox.baseURL.absoluteString
            var settings = fixture.settings()
            settings.configurationRefresh = .seconds(1)
            settings.configurationRetry.baseDelay = .milliseconds(100)
            settings.configurationRetry.maxDelay = .seconds(1)
            let logs = CapturedLogs()
            let logger = logs.logger(level: .info)
            let service = WorkerService(settings: settings, environment: environment, logger: logger)
            let group = ServiceGroup(
                configuration: ServiceGroupConfiguration(
                    services: [.init(service: service)], gracefulShutdownSignals: [], logger: logger))
            let running = Task { try await group.run() }
            return World(
                fixture: fixture, secretName: name, secret: secret, jobLog: try JobLog(path: settings.jobLogPath),
                logs: logs, service: service, group: group, running: running)
        }

        /// Stores a new version of the secret with `clientSecret`.
        func putSecret(clientSecret: String) async throws {
            try await putSecret(["CLIENT_SECRET": .string(clientSecret)])
        }

        /// Stores a new version of the secret with `changes` applied.
        func putSecret(_ changes: [String: JSONValue]) async throws {
            var next = secret
            for (key, value) in changes { next[key] = value }
            try await MotoSeeder(fixture.environment).putSecretValue(next.compactString(), secretId: secretName)
        }

        func stop() async throws {
            await group.triggerGracefulShutdown()
            try await running.value
            try jobLog.close()
            await fixture.shutdown()
        }

        func expectNoSecretValueLogged(_ values: [String]) {
            #expect(!logs.all.isEmpty)
            for value in values {
                #expect(logs.lines(mentioning: value).isEmpty, "a log line holds a credential")
            }
        }
    }

    @Test("a client secret rotated in the tenant and the secret between two events: the second job succeeds")
    func rotationBetweenEvents() async throws {
        let world = try await World.start()
        let sandbox = world.fixture.sandbox
        await sandbox.addEntry(id: "etr_rot1", displayId: "EXP00014001", name: "Before the rotation")
        await sandbox.addEntry(id: "etr_rot2", displayId: "EXP00014002", name: "After the rotation")

        let first = try await world.fixture.enqueue(SandboxMessage.entryCreated(entryId: "etr_rot1"))
        let before = try await world.fixture.waitForJob(world.jobLog, webhookId: first.webhookId)
        #expect(before.job.status == .succeeded, "\(before.job)")

        await sandbox.rotateClientSecret(to: "rotated-secret-14a")
        try await world.putSecret(clientSecret: "rotated-secret-14a")
        let second = try await world.fixture.enqueue(SandboxMessage.entryCreated(entryId: "etr_rot2"))
        let after = try await world.fixture.waitForJob(world.jobLog, webhookId: second.webhookId)
        #expect(after.job.status == .succeeded, "\(after.job)")
        #expect(after.attempts.count == 1, "no redelivery")
        #expect(try await world.fixture.deadLetters().isEmpty)
        let counters = await sandbox.counters()
        try await world.stop()
        #expect(counters.tokenFetches >= 2, "a token for each client secret: \(counters)")
        world.expectNoSecretValueLogged([sandbox.clientSecret, "rotated-secret-14a"])
    }

    @Test("credentials revoked by the tenant under a running job: it runs again with the rotated secret")
    func revokedMidRun() async throws {
        let world = try await World.start()
        let sandbox = world.fixture.sandbox
        var entry = SandboxEntry(id: "etr_mid1", displayId: "EXP00014003", name: "Export in flight")
        entry.runningFor = .seconds(2)
        await sandbox.addEntry(entry)

        let queued = try await world.fixture.enqueue(SandboxMessage.entryCreated(entryId: "etr_mid1"))
        _ = try await world.fixture.waitForJob(world.jobLog, webhookId: queued.webhookId) { $0.status == .running }
        #expect(try await eventually { await sandbox.counters().taskPolls >= 1 })
        await sandbox.rotateClientSecret(to: "rotated-secret-14b", revokeTokens: true)
        try await world.putSecret(clientSecret: "rotated-secret-14b")

        let detail = try await world.fixture.waitForJob(world.jobLog, webhookId: queued.webhookId)
        #expect(detail.job.status == .succeeded, "\(detail.job)")
        #expect(detail.attempts.count == 1, "recovered inside the attempt, not by redelivery")
        let steps = detail.attempts.flatMap(\.steps).map(\.name)
        #expect(steps.contains(PipelineStep.refreshConfiguration.rawValue), "\(steps)")
        #expect(try await world.fixture.deadLetters().isEmpty)
        let report = try world.fixture.judgePackage(
            try #require(detail.job.package), topHash: try #require(detail.job.topHash))
        #expect(report["error"] == .null, "\(report)")
        try await world.stop()
        world.expectNoSecretValueLogged([sandbox.clientSecret, "rotated-secret-14b"])
    }

    @Test("a rejection that persists with the freshly read secret dead-letters with the reason")
    func persistingRejectionIsPermanent() async throws {
        let world = try await World.start()
        let sandbox = world.fixture.sandbox
        await sandbox.addEntry(id: "etr_rej1", displayId: "EXP00014004", name: "Secret not updated")
        // Wait for the worker to be consuming, so the rotation lands on a running worker.
        let warmup = try await world.fixture.enqueue(SandboxMessage.entryCreated(entryId: "etr_rej1"))
        #expect(try await world.fixture.waitForJob(world.jobLog, webhookId: warmup.webhookId).job.status == .succeeded)

        await sandbox.rotateClientSecret(to: "only-the-tenant-knows")
        let queued = try await world.fixture.enqueue(SandboxMessage.entryUpdatedFields(entryId: "etr_rej1"))
        let detail = try await world.fixture.waitForJob(world.jobLog, webhookId: queued.webhookId)
        #expect(detail.job.status == .deadLettered, "\(detail.job)")
        #expect(
            detail.job.error?.contains("the secret's CLIENT_ID/CLIENT_SECRET are rejected by Benchling") == true,
            "\(String(describing: detail.job.error))")
        #expect(detail.attempts.flatMap(\.steps).map(\.name).contains(PipelineStep.refreshConfiguration.rawValue))
        let letters = try await world.fixture.deadLetters()
        #expect(letters.count == 1)
        try await world.stop()
        world.expectNoSecretValueLogged([sandbox.clientSecret, "only-the-tenant-knows"])
    }

    @Test("an invalid secret version: jobs go on with the configuration in use, the metric says stale, one log line")
    func invalidVersionKeepsWorking() async throws {
        let world = try await World.start()
        let sandbox = world.fixture.sandbox
        await sandbox.addEntry(id: "etr_inv1", displayId: "EXP00014005", name: "Before the bad version")
        let first = try await world.fixture.enqueue(SandboxMessage.entryCreated(entryId: "etr_inv1"))
        #expect(try await world.fixture.waitForJob(world.jobLog, webhookId: first.webhookId).job.status == .succeeded)
        #expect(world.service.metrics.exposition().contains("worker_config_stale 0"))

        try await world.putSecret(["PKG_PREFIX": "not a prefix!"])
        #expect(try await eventually { world.service.loop.state.isStale })
        let target = world.service.loop.completedRefreshes + 3
        #expect(try await eventually { world.service.loop.completedRefreshes >= target })
        #expect(world.service.metrics.exposition().contains("worker_config_stale 1"))

        let second = try await world.fixture.enqueue(SandboxMessage.entryUpdatedFields(entryId: "etr_inv1"))
        let detail = try await world.fixture.waitForJob(world.jobLog, webhookId: second.webhookId)
        #expect(detail.job.status != .failed && detail.job.status != .deadLettered, "\(detail.job)")
        #expect(detail.job.package == "\(WorkerFixture.pkgPrefix)/EXP00014005", "the prefix in use is kept")
        #expect(world.logs.lines(mentioning: "PKG_PREFIX").count == 1, "\(world.logs.lines(mentioning: "PKG_PREFIX"))")
        #expect(world.logs.lines(mentioning: "not a prefix!").isEmpty)
        try await world.stop()
        world.expectNoSecretValueLogged([sandbox.clientSecret])
    }
}
