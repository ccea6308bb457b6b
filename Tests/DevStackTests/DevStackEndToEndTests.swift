import BenchlingSandbox
import DevStack
import Foundation
import JSONCore
import TestSupport
import Testing

/// The dev stack end to end: the real receiver and worker wired with the embedded adapters in a temp folder on
/// ephemeral ports, fed signed webhooks over HTTP; quilt3 judges every package from the local registry.
@Suite("dev stack", .timeLimit(.minutes(10)))
struct DevStackEndToEndTests {
    @Test("sample events and an Update press produce packages quilt3 verifies, and canvases end done")
    func samplesEndToEnd() async throws {
        let environment = try TestEnvironment.load()
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent(TestEnvironment.uniqueName("dev"), isDirectory: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var options = DevStackOptions(folder: try DevFolder(path: directory.path))
        options.receiverPort = 0
        options.sampleCount = 2
        let stack = try await DevStack.start(options)
        do {
            try await exercise(stack, environment: environment)
        } catch {
            await stack.shutdown()
            throw error
        }
        await stack.shutdown()
    }

    private func exercise(_ stack: DevStack, environment: TestEnvironment) async throws {
        // The generated folder holds what the brief promises, and the secret resolved through the real resolver.
        for url in [stack.folder.secret, stack.folder.queueDatabase, stack.folder.jobLog, stack.folder.registry] {
            #expect(FileManager.default.fileExists(atPath: url.path), "missing \(url.lastPathComponent)")
        }
        #expect(stack.configuration.userBucket.registryURL == stack.folder.registryAddress)
        #expect(stack.configuration.enableWebhookVerification)

        let session = DevSession(stack: stack)
        let opening = try await session.sendSamples()
        // An edited entry gets a new revision; pressing Update again on an unchanged entry writes none.
        let edited = try await session.pressUpdate()
        let unchanged = try await session.pressUpdate(editingFirst: false)
        let results = opening + edited + unchanged
        #expect(results.count == stack.samples.count * 4)
        for (before, after) in zip(edited, unchanged) {
            #expect(before.job?.status.rawValue == "succeeded", "edit of \(before.sample.displayId) wrote no revision")
            #expect(after.job?.status.rawValue == "skipped", "unchanged \(after.sample.displayId) was not skipped")
            #expect(after.job?.topHash == before.job?.topHash)
            let previous = opening.last { $0.sample == before.sample }?.job?.topHash
            #expect(before.job?.topHash != previous, "edit of \(before.sample.displayId) kept the top hash")
        }
        for result in results {
            #expect([200, 202].contains(result.httpStatus), "\(result.eventType) answered \(result.httpStatus)")
            #expect(
                result.finishedSuccessfully,
                "\(result.eventType) \(result.sample.displayId): \(result.job?.status.rawValue ?? "never started") \(result.job?.error ?? "")"
            )
        }

        // Every revision a job reported, judged by quilt3 from the local registry.
        let revisions = results.compactMap { result -> (name: String, topHash: String)? in
            guard let job = result.job, let name = job.package, let hash = job.topHash else { return nil }
            return (name, hash)
        }
        #expect(revisions.count == results.count)
        let verdicts = try judge(revisions, registry: stack.folder.registryAddress, environment: environment)
        for (index, (revision, verdict)) in zip(revisions, verdicts).enumerated() {
            let label = "\(revision.name)@\(revision.topHash.prefix(12))"
            // A local directory keeps no object versions: a newer revision overwrites `entry.json` under the
            // package prefix (as a quilt3 push to a local registry does), so only each package's newest revision
            // can have every entry verified; older ones must still load with the same top hash.
            let isNewest = revisions[(index + 1)...].allSatisfy {
                $0.name != revision.name || $0.topHash == revision.topHash
            }
            #expect(verdict["error"] == .null, "\(label): \(verdict["error"]?.stringValue ?? "")")
            #expect(verdict["top_hash"]?.stringValue == revision.topHash, "\(label): top hash differs")
            #expect(verdict["dump_matches"]?.boolValue == true, "\(label): manifest bytes differ from quilt3's")
            let entries = verdict["entries"]?.arrayValue ?? []
            let keys = Set(entries.compactMap { $0["logical_key"]?.stringValue })
            let displayId = String(revision.name.split(separator: "/").last ?? "")
            for key in ["entry.json", "entry_data.json", "links.json", "README.md", "\(displayId).html"] {
                #expect(keys.contains(key), "\(label): no \(key) in \(keys.sorted())")
            }
            for entry in entries where isNewest {
                let key = entry["logical_key"]?.stringValue ?? "?"
                #expect(
                    entry["hash_ok"]?.boolValue == true,
                    "\(label) \(key): \(entry["error"]?.stringValue ?? "hash differs")")
                #expect(entry["size_ok"]?.boolValue == true, "\(label) \(key): size differs")
            }
        }

        // The newest revision of each package is the one the report names, and quilt3 sees it as latest.
        let report = await DevReport.make(results: results, stack: stack)
        for package in report.packages {
            let verdict = verdicts[revisions.lastIndex { $0.name == package.name }!]
            #expect(verdict["latest_top_hash"]?.stringValue == package.topHash, "\(package.name): latest differs")
        }
        #expect(report.packages.count == stack.samples.count)
        #expect(report.text.contains("quilt3.Package.browse('\(report.packages[0].name)'"))

        // Each canvas ended enabled, with enabled buttons and the done state naming the newest revision.
        for sample in stack.samples {
            let canvas = try #require(await stack.sandbox.canvas(sample.canvasId))
            #expect(canvas.enabled, "\(sample.canvasId) left disabled")
            let text = CanvasText.render(canvas)
            #expect(text.contains("[Update Package]"), "\(text)")
            #expect(!text.contains("(disabled)"), "\(text)")
            let latest = try #require(report.packages.first { $0.name.hasSuffix("/" + sample.displayId) })
            let status = try #require(CanvasText.statusLine(canvas))
            #expect(status.hasPrefix("✅ Updated at"), "\(status)")
            #expect(status.contains(String(latest.topHash.prefix(12))), "\(status) vs \(latest.topHash)")
        }
    }

    /// Runs scripts/judges/quilt_verify.py on the revisions; one verdict per revision, in order.
    private func judge(
        _ revisions: [(name: String, topHash: String)], registry: String, environment: TestEnvironment
    ) throws -> [JSONValue] {
        let request: JSONValue = [
            "registry": .string(registry),
            "packages": .array(revisions.map { ["name": .string($0.name), "top_hash": .string($0.topHash)] }),
        ]
        let result = try PythonJudge(environment).run(
            "quilt_verify.py", input: Data(request.compactString().utf8))
        guard result.status == 0 else { throw JudgeError("quilt_verify.py exited \(result.status): \(result.stderr)") }
        let verdicts = try JSONValue.parse(result.stdout)["packages"]?.arrayValue ?? []
        guard verdicts.count == revisions.count else {
            throw JudgeError("expected \(revisions.count) verdicts: \(result.stdoutText)")
        }
        return verdicts
    }
}

struct JudgeError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
