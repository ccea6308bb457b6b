import BenchlingSandbox
import Foundation
import JSONCore
import JobLog
import TestSupport
import Testing
import Worker

/// Exports that a hostile or broken tenant could hand the worker: oversize, members named like the worker's own
/// documents, download URLs away from Benchling. Real worker, moto, sandbox; packages judged by quilt3.
@Suite("Hostile exports", .serialized, .timeLimit(.minutes(6)))
struct HostileExportTests {
    /// Runs one `v2.entry.updated.fields` job of `entry` to its end.
    static func runJob(
        _ fixture: WorkerFixture, _ entry: SandboxEntry, settings: WorkerSettings? = nil
    ) async throws -> JobDetail {
        await fixture.sandbox.addEntry(entry)
        let worker = try await fixture.startWorker(settings: settings)
        let queued = try await fixture.enqueue(SandboxMessage.entryUpdatedFields(entryId: entry.id))
        let detail: JobDetail
        do {
            detail = try await fixture.waitForJob(worker.app.jobLog, webhookId: queued.webhookId)
        } catch {
            await worker.stop()
            throw error
        }
        await worker.stop()
        return detail
    }

    @Test("an export past MAX_EXPORT_BYTES is dead-lettered at once with a reason naming the cap")
    func oversizeExportFailsPermanently() async throws {
        try await withWorkerFixture { (fixture) async throws in
            var entry = SandboxEntry(id: "etr_big1", displayId: "EXP00006001", name: "Too big")
            entry.exportFiles = [
                .data(path: "plate.bin", Data((0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 7919 >> 3) }))
            ]
            var settings = fixture.settings()
            settings.exportLimits.maxTotalBytes = 2 << 20
            let detail = try await Self.runJob(fixture, entry, settings: settings)
            #expect(detail.job.status == .deadLettered, "\(detail.job)")
            #expect(detail.attempts.count == 1, "permanent: no retries")
            #expect(detail.job.error?.contains("MAX_EXPORT_BYTES") == true, "\(String(describing: detail.job.error))")
            #expect(try await fixture.revisions(of: "benchling/EXP00006001").isEmpty)
        }
    }

    @Test("members named entry.json and README.md are packaged under free names and listed as such")
    func reservedMemberNamesAreKept() async throws {
        try await withWorkerFixture { (fixture) async throws in
            var entry = SandboxEntry(id: "etr_names1", displayId: "EXP00006002", name: "Reserved names")
            entry.exportFiles = [
                .text("README.md", "# the export's own readme\n"), .text("entry.json", "{\"theirs\": true}\n"),
                .text("EXP00006002.html", "<html></html>\n"),
            ]
            let detail = try await Self.runJob(fixture, entry)
            #expect(detail.job.status == .succeeded, "\(detail.job)")
            let report = try fixture.judgePackage(
                try #require(detail.job.package), topHash: try #require(detail.job.topHash))
            #expect(report["error"] == .null, "\(report)")
            let entries = report["entries"]?.arrayValue ?? []
            let sizes = Dictionary(
                uniqueKeysWithValues: entries.compactMap { entry in
                    entry["logical_key"]?.stringValue.map { ($0, entry["size"]?.intValue ?? -1) }
                })
            #expect(sizes["README.export.md"] == 26, "\(sizes)")
            #expect(sizes["entry.export.json"] == 17, "\(sizes)")
            for entry in entries { #expect(entry["hash_ok"] == .bool(true), "\(entry)") }
            // What entry.json lists is what the package holds, with the sizes written.
            let listed = report["user_meta"]?["files"]?.objectValue
            let listedKeys = Set(listed?.keys.map { $0 } ?? [])
            #expect(listedKeys == ["README.export.md", "entry.export.json", "EXP00006002.html"], "\(listedKeys)")
            #expect(listedKeys.isSubset(of: Set(sizes.keys)))
            #expect(listed?["README.export.md"]?["size"]?.intValue == 26)
        }
    }

    @Test(
        "a download URL naming another host, or redirecting to one, is refused; a redirect within the origin is followed"
    )
    func downloadURLsAreHeldToBenchlingsOrigin() async throws {
        try await withWorkerFixture { (fixture) async throws in
            var foreign = SandboxEntry(id: "etr_url1", displayId: "EXP00006003", name: "Foreign host")
            foreign.downloadURLHost = "localhost"
            var redirected = SandboxEntry(id: "etr_url2", displayId: "EXP00006004", name: "Redirect away")
            redirected.downloadRedirectHost = "localhost"
            var sameOrigin = SandboxEntry(id: "etr_url3", displayId: "EXP00006005", name: "Redirect within")
            sameOrigin.downloadRedirectHost = "127.0.0.1"
            #expect(fixture.sandbox.baseURL.host == "127.0.0.1", "the sandbox is configured by its address")

            let downloadsBefore = await fixture.sandbox.counters().downloads
            let refused = try await Self.runJob(fixture, foreign)
            #expect(refused.job.status == .deadLettered, "\(refused.job)")
            #expect(
                refused.job.error?.contains("refused to download the export") == true,
                "\(String(describing: refused.job.error))")
            #expect(
                await fixture.sandbox.counters().downloads == downloadsBefore, "nothing was fetched from the other host"
            )

            let away = try await Self.runJob(fixture, redirected)
            #expect(away.job.status == .deadLettered, "\(away.job)")
            #expect(away.job.error?.contains("localhost") == true, "\(String(describing: away.job.error))")

            let within = try await Self.runJob(fixture, sameOrigin)
            #expect(within.job.status == .succeeded, "\(within.job)")
        }
    }
}
