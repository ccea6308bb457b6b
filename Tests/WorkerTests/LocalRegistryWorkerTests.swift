import BenchlingSandbox
import Config
import Foundation
import JSONCore
import Quilt
import TestSupport
import Testing
import Worker

/// The embedded default: the worker packages into a local directory. Its job files are hard-linked into the
/// registry (same file system), and the job folder is deleted afterwards, so each object ends with a single
/// name — the registry's — and no one can write into it through another.
@Suite("Worker into the local registry", .serialized, .timeLimit(.minutes(10)))
struct LocalRegistryWorkerTests {
    @Test("an entry event produces a package quilt3 verifies; data objects are the only names of their bytes")
    func packagesIntoTheLocalRegistry() async throws {
        try await withWorkerFixture { (fixture) async throws in
            let root = fixture.folder.appendingPathComponent("registry")
            var configuration = fixture.configuration
            configuration.parameters.userBucket = .localDirectory(path: root.path)
            configuration.catalogHost = nil
            await fixture.sandbox.addEntry(id: "etr_local1", displayId: "EXP00005001", name: "Local registry")

            let settings = fixture.settings()
            let app = try await WorkerApplication.build(
                configuration: configuration, settings: settings, environment: fixture.workerEnvironment)
            #expect((app.registry as? LocalDirectoryRegistry)?.placement == .linkSource)
            let task = Task { await app.run() }
            let queued = try await fixture.enqueue(SandboxMessage.entryUpdatedFields(entryId: "etr_local1"))
            let detail = try await fixture.waitForJob(app.jobLog, webhookId: queued.webhookId)
            app.requestStop()
            await task.value
            await app.close()

            #expect(detail.job.status == .succeeded, "\(detail.job)")
            let topHash = try #require(detail.job.topHash)
            let registry = try LocalDirectoryRegistry(root: root)
            let manifest = try await registry.readManifest(topHash: topHash)
            #expect(manifest.entries.count > 4)
            for entry in manifest.entries {
                let path = try #require(entry.physicalKey.hasPrefix("file://") ? entry.physicalKey : nil)
                var info = stat()
                #expect(stat(PhysicalKey.unquote(String(path.dropFirst("file://".count))), &info) == 0, "\(path)")
                #expect(info.st_nlink == 1, "\(entry.logicalKey) has \(info.st_nlink) names")
                #expect(Int64(info.st_size) == entry.size)
            }
            #expect(
                try FileManager.default.contentsOfDirectory(atPath: settings.temporaryDirectory.path).isEmpty,
                "the job folder is gone")

            let request: JSONValue = [
                "registry": .string(registry.registryURL),
                "packages": [
                    [
                        "name": .string(try #require(detail.job.package)), "top_hash": .string(topHash),
                        "verify_dir": .null,
                    ]
                ],
            ]
            let result = try PythonJudge(fixture.environment).run(
                "quilt_verify.py", input: request.compactData(), env: fixture.environment.pythonEnvironment())
            #expect(result.status == 0, "\(result.stderr)")
            let report = try #require(try JSONValue.parse(result.stdout)["packages"]?[0])
            #expect(report["error"] == .null, "\(report)")
            #expect(report["top_hash"]?.stringValue == topHash)
            #expect(report["dump_matches"] == .bool(true))
            for entry in report["entries"]?.arrayValue ?? [] {
                #expect(entry["hash_ok"] == .bool(true), "\(entry)")
            }
        }
    }
}
