import Benchling
import BenchlingSandbox
import Foundation
import JSONCore
import Testing

/// The REST client against the sandbox tenant over loopback HTTP.
@Suite(.timeLimit(.minutes(5))) struct BenchlingClientTests {
    @Test func getEntryParsesAndKeepsRawAndCachesToken() async throws {
        try await withSandbox { sandbox in
            await sandbox.addEntry(SandboxEntry(id: "etr_1", displayId: "EXP0001", name: "My *entry*"))
            let client = sandbox.client()
            let entry = try await client.getEntry("etr_1")
            #expect(entry.id == "etr_1")
            #expect(entry.displayId == "EXP0001")
            #expect(entry.name == "My *entry*")
            #expect(entry.creator?.handle == "alice")
            #expect(entry.authors.map(\.id) == ["ent_alice01", "ent_bob0002"])
            #expect(entry.webURL != nil)
            #expect(!entry.days.isEmpty)
            #expect(entry.raw == (await sandbox.entryJSON("etr_1"))?["entry"])
            _ = try await client.getEntry("etr_1")
            _ = try await client.getEntry("etr_1")
            #expect(await sandbox.counters().tokenFetches == 1)
            let requests = await sandbox.recordedRequests().filter { $0.route == .getEntry }
            #expect(requests.count == 3)
            #expect(requests.allSatisfy { $0.headers["authorization"] == "Bearer <redacted>" })
        }
    }

    @Test func expiredTokenIsRefreshedOnceOn401() async throws {
        try await withSandbox { sandbox in
            await sandbox.addEntry(SandboxEntry(id: "etr_1", displayId: "EXP0001", name: "n"))
            let client = sandbox.client()
            _ = try await client.getEntry("etr_1")
            await sandbox.expireAllTokens()
            _ = try await client.getEntry("etr_1")
            let counters = await sandbox.counters()
            #expect(counters.tokenFetches == 2)
            #expect(counters.unauthorized == 1)
        }
    }

    @Test func badCredentialsArePermanent() async throws {
        try await withSandbox { sandbox in
            let client = BenchlingClient(
                baseURL: sandbox.baseURL.absoluteString, clientId: sandbox.clientId, clientSecret: "wrong",
                sleep: SleepRecorder().function)
            let error = try await #require(throws: BenchlingError.self) { try await client.checkCredentials() }
            #expect(error.status == 401)
            #expect(error.isPermanent)
        }
    }

    @Test func rateLimitHonoursResetThenSucceeds() async throws {
        try await withSandbox { sandbox in
            await sandbox.addEntry(SandboxEntry(id: "etr_1", displayId: "EXP0001", name: "n"))
            let sleeps = SleepRecorder()
            let client = sandbox.client(sleep: sleeps)
            _ = try await client.checkCredentials()
            await sandbox.inject(.rateLimited(reset: "7"), count: 2, route: .getEntry)
            let entry = try await client.getEntry("etr_1")
            #expect(entry.id == "etr_1")
            #expect(sleeps.delays.count == 2)
            #expect(sleeps.delays.allSatisfy { $0 >= .seconds(7) && $0 < .seconds(8) })
            #expect(await sandbox.recordedRequests().filter { $0.route == .getEntry }.count == 3)
        }
    }

    @Test func serverErrorsAreRetriedThenSucceed() async throws {
        try await withSandbox { sandbox in
            await sandbox.addEntry(SandboxEntry(id: "etr_1", displayId: "EXP0001", name: "n"))
            let sleeps = SleepRecorder()
            let client = sandbox.client(sleep: sleeps)
            await sandbox.inject(.status(503), count: 1, route: .getEntry)
            await sandbox.inject(.status(502), count: 1, route: .getEntry)
            await sandbox.inject(.emptyServerError, count: 1, route: .getEntry)
            let entry = try await client.getEntry("etr_1")
            #expect(entry.id == "etr_1")
            #expect(sleeps.delays.count == 3)
        }
    }

    @Test func persistentServerErrorGivesUpTransient() async throws {
        try await withSandbox { sandbox in
            await sandbox.addEntry(SandboxEntry(id: "etr_1", displayId: "EXP0001", name: "n"))
            let client = sandbox.client(retry: BenchlingRetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(1)))
            await sandbox.inject(.status(500), count: 10, route: .getEntry)
            let error = try await #require(throws: BenchlingError.self) { try await client.getEntry("etr_1") }
            #expect(error.status == 500)
            #expect(error.isTransient)
            #expect(await sandbox.recordedRequests().filter { $0.route == .getEntry }.count == 3)
        }
    }

    @Test func missingEntryIsPermanentAndNotRetried() async throws {
        try await withSandbox { sandbox in
            let sleeps = SleepRecorder()
            let client = sandbox.client(sleep: sleeps)
            let error = try await #require(throws: BenchlingError.self) { try await client.getEntry("etr_missing") }
            #expect(error.status == 404)
            #expect(error.isPermanent)
            #expect(error.errorType != nil || error.message != nil)
            #expect(sleeps.delays.isEmpty)
            await sandbox.addEntry(SandboxEntry(id: "etr_2", displayId: "EXP2", name: "n"))
            await sandbox.updateEntry("etr_2") { $0.access = .forbidden }
            let forbidden = try await #require(throws: BenchlingError.self) { try await client.getEntry("etr_2") }
            #expect(forbidden.status == 403 && forbidden.isPermanent)
        }
    }

    @Test func exportRunsToSuccessAndDownloadIsByteIdentical() async throws {
        try await withSandbox { sandbox in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bq-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let source = directory.appendingPathComponent("served.zip")
            var bytes = [UInt8](repeating: 0, count: 3 * 1024 * 1024 + 17)
            for index in bytes.indices { bytes[index] = UInt8(truncatingIfNeeded: index &* 2_654_435_761 >> 13) }
            try Data(bytes).write(to: source)
            var entry = SandboxEntry(id: "etr_1", displayId: "EXP0001", name: "n")
            entry.exportZip = source
            entry.runningPolls = 3
            await sandbox.addEntry(entry)

            let client = sandbox.client()
            let taskId = try await client.startExport(entryId: "etr_1")
            let running = try await client.getTask(taskId)
            #expect(running.status == .running)
            let url = try await client.waitForExport(
                taskId: taskId, pollInterval: .milliseconds(5), maxWait: .seconds(60))
            let target = directory.appendingPathComponent("downloaded.zip")
            let progress = ProgressRecorder()
            let written = try await client.download(from: url, to: target) { progress.record($0) }
            #expect(written == Int64(bytes.count))
            #expect(progress.values.last == written)
            #expect(progress.values == progress.values.sorted())
            #expect(try Data(contentsOf: target) == Data(bytes))
            let recorded = await sandbox.recordedRequests()
            #expect(recorded.filter { $0.route == .task }.count >= 4)
            let download = try #require(recorded.first { $0.route == .download })
            #expect(!download.hadAuthorization)
            #expect(recorded.first { $0.route == .export }?.jsonBody == ["id": "etr_1"])
        }
    }

    @Test func failedExportCarriesBenchlingMessage() async throws {
        try await withSandbox { sandbox in
            var entry = SandboxEntry(id: "etr_1", displayId: "EXP0001", name: "n")
            entry.exportOutcome = .fail(message: "Export failed: entry too large")
            entry.runningPolls = 1
            await sandbox.addEntry(entry)
            let client = sandbox.client()
            let taskId = try await client.startExport(entryId: "etr_1")
            let error = try await #require(throws: BenchlingError.self) {
                try await client.waitForExport(taskId: taskId, pollInterval: .milliseconds(5), maxWait: .seconds(60))
            }
            #expect(error.kind == .taskFailed)
            #expect(error.message == "Export failed: entry too large")
            #expect(error.isPermanent)
        }
    }

    @Test func taskPollingRetriesTransientErrors() async throws {
        try await withSandbox { sandbox in
            await sandbox.addEntry(SandboxEntry(id: "etr_1", displayId: "EXP0001", name: "n"))
            let client = sandbox.client()
            let taskId = try await client.startExport(entryId: "etr_1")
            await sandbox.inject(.status(503), count: 2, route: .task)
            let url = try await client.waitForExport(
                taskId: taskId, pollInterval: .milliseconds(5), maxWait: .seconds(60))
            #expect(!url.isEmpty)
        }
    }

    @Test func canvasReadUpdateAndCreate() async throws {
        try await withSandbox { sandbox in
            await sandbox.addEntry(SandboxEntry(id: "etr_1", displayId: "EXP0001", name: "n"))
            await sandbox.addCanvas(id: "cnvs_1", resourceId: "etr_1", enabled: false)
            let client = sandbox.client()
            let canvas = try await client.getCanvas("cnvs_1")
            #expect(canvas.resourceId == "etr_1")
            #expect(canvas.featureId == "quilt_entry")
            #expect(canvas.appId == sandbox.appId)
            #expect(canvas.enabled == false)

            let blocks: [CanvasBlock] = [
                .markdown(id: "md", value: "## EXP0001"),
                .section(id: "actions", children: [.button(id: "browse-etr_1", text: "Browse Package")]),
            ]
            let updated = try await client.updateCanvas("cnvs_1", AppCanvasUpdate(blocks: blocks, enabled: true))
            #expect(updated.enabled == true)
            let expected = """
                {"blocks":[{"type":"MARKDOWN","id":"md","value":"## EXP0001"},\
                {"type":"SECTION","id":"actions","children":[{"type":"BUTTON","id":"browse-etr_1","text":"Browse Package"}]}],\
                "enabled":true}
                """
            #expect(await sandbox.canvasHistory("cnvs_1").last?.compactString() == expected)
            #expect(await sandbox.canvas("cnvs_1")?.enabled == true)

            let created = try await client.createCanvas(
                AppCanvasCreate(appId: sandbox.appId, featureId: "quilt_entry", resourceId: "etr_1", blocks: blocks))
            #expect(created.resourceId == "etr_1")
            #expect(await sandbox.canvas(created.id) != nil)
        }
    }
}
