import Config
import Foundation
import JSONCore
import JobLog
import Quilt
import Testing

@testable import Worker

/// The package-event envelope parser (outside input) and the triage that decides which canvas an event refreshes,
/// on a local registry: no AWS, no Benchling.
@Suite("Package events: envelope and triage", .timeLimit(.minutes(2)))
struct PackageEventUnitTests {
    static let hash = String(repeating: "ab", count: 32)

    @Test("the EventBridge envelope of Quilt's pkgevents lambda parses; topHash and id are optional")
    func envelopeParses() throws {
        let body =
            #"{"version":"0","id":"e-1","detail-type":"package-revision","source":"com.quiltdata","account":"1","time":"t","region":"r","resources":[],"detail":{"version":"0.1","type":"created","bucket":"b","handle":"team/x","topHash":"\#(Self.hash)"}}"#
        #expect(
            try PackageRevisionEvent.parse(body)
                == PackageRevisionEvent(id: "e-1", bucket: "b", handle: "team/x", topHash: Self.hash))
        let bare = #"{"detail":{"bucket":"b","handle":"team/x","topHash":null}}"#
        #expect(
            try PackageRevisionEvent.parse(bare)
                == PackageRevisionEvent(id: nil, bucket: "b", handle: "team/x", topHash: nil))
    }

    @Test(
        "bodies that are not such an envelope are refused with the reason",
        arguments: [
            ("", "not JSON"), ("[]", "not a JSON object"), (#"{"detail":"x"}"#, "detail is not an object"),
            (#"{"source":"aws.s3","detail":{"bucket":"b","handle":"a/b"}}"#, "source is"),
            (#"{"detail-type":"Object Created","detail":{"bucket":"b","handle":"a/b"}}"#, "detail-type is"),
            (#"{"detail":{"handle":"a/b"}}"#, "detail.bucket"),
            (#"{"detail":{"bucket":"b","handle":""}}"#, "detail.handle"),
            (#"{"detail":{"bucket":"b","handle":"a/b","topHash":"ABC"}}"#, "topHash is not 64"),
            (#"{"detail":{"bucket":"b","handle":"a/\nb"}}"#, "control characters"),
            (#"{"id":5,"detail":{"bucket":"b","handle":"a/b"}}"#, "id is not a string"),
        ])
    func invalidEnvelopes(body: String, reason: String) {
        do {
            let event = try PackageRevisionEvent.parse(body)
            Issue.record("parsed: \(event)")
        } catch {
            #expect(error.reason.contains(reason), "\(error)")
        }
    }

    @Test("the committed fuzz seeds parse or fail cleanly")
    func fuzzSeeds() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fuzz/corpus/package-event")
        let seeds = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
        #expect(seeds.count >= 4)
        for seed in seeds { _ = try? PackageRevisionEvent.parse(Array(try Data(contentsOf: seed))) }
    }

    // MARK: Triage

    struct Registry {
        let folder: URL
        let registry: LocalDirectoryRegistry
        let jobLog: JobLog

        init() throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("triage-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            registry = try LocalDirectoryRegistry(root: folder.appendingPathComponent("registry"))
            jobLog = try JobLog(path: folder.appendingPathComponent("jobs.sqlite").path)
        }

        @discardableResult
        func publish(_ package: String, userMeta: JSONObject) async throws -> String {
            let file = folder.appendingPathComponent(UUID().uuidString)
            try Data(UUID().uuidString.utf8).write(to: file)
            return try await PackageWriter(registry: registry).publish(
                package: try PackageName(package), message: "m", userMeta: userMeta,
                files: [PackageFile(localURL: file, logicalKey: "f.txt", contentType: "text/plain", meta: [:])],
                dataKeyPrefix: package
            ).topHash
        }

        func triage(pkgKey: String = "experiment_id") -> PackageEventTriage {
            PackageEventTriage(
                registry: registry,
                configuration: Configuration(
                    stackARN: nil,
                    parameters: SecretParameters(
                        clientId: "c", clientSecret: "s", tenant: "t", appDefinitionId: "appdef_1", logLevel: .info,
                        pkgPrefix: "benchling", pkgKey: pkgKey, userBucket: .s3(bucket: "bucket")),
                    secretSource: "test"),
                jobLog: jobLog)
        }

        func close() {
            try? jobLog.close()
            try? FileManager.default.removeItem(at: folder)
        }
    }

    @Test("own package → its entry.json's canvas; a dotted PKG_KEY in a user's package → that entry's canvas")
    func triageFindsTheCanvas() async throws {
        let world = try Registry()
        defer { world.close() }
        let own = try await world.publish(
            "benchling/EXP1", userMeta: ["entry_id": "etr_1", "canvas_id": "cnvs_1", "display_id": "EXP1"])
        let user = try await world.publish("team/nested", userMeta: ["sample": ["experiment": "EXP1"]])
        let target = PackageEventTarget(
            entryId: "etr_1", displayId: "EXP1", canvasId: "cnvs_1", package: try PackageName("benchling/EXP1"),
            eventPackage: try PackageName("benchling/EXP1"), eventTopHash: own)
        let triage = world.triage(pkgKey: "sample.experiment")
        #expect(
            try await triage.decide(.init(id: nil, bucket: "bucket", handle: "benchling/EXP1", topHash: own))
                == .refresh(target))
        var linked = target
        linked.eventPackage = try PackageName("team/nested")
        linked.eventTopHash = user
        #expect(
            try await triage.decide(.init(id: nil, bucket: "bucket", handle: "team/nested", topHash: nil))
                == .refresh(linked))
        // The flat key does not match a nested value.
        let flat = try await world.triage().decide(
            .init(id: nil, bucket: "bucket", handle: "team/nested", topHash: user))
        guard case .ignore(.notOurs) = flat else { Issue.record("\(flat)"); return }
    }

    @Test("other bucket, stale hash, missing package, no canvas: ignored with the reason")
    func triageIgnores() async throws {
        let world = try Registry()
        defer { world.close() }
        let old = try await world.publish("benchling/EXP2", userMeta: ["entry_id": "etr_2"])
        let latest = try await world.publish("benchling/EXP2", userMeta: ["entry_id": "etr_2"])
        let triage = world.triage()
        #expect(
            try await triage.decide(.init(id: nil, bucket: "other", handle: "benchling/EXP2", topHash: nil))
                == .ignore(.otherBucket("other")))
        #expect(
            try await triage.decide(.init(id: nil, bucket: "bucket", handle: "benchling/EXP2", topHash: old))
                == .ignore(.stale(eventTopHash: old, latest: latest)))
        #expect(
            try await triage.decide(.init(id: nil, bucket: "bucket", handle: "benchling/EXP404", topHash: nil))
                == .ignore(.gone("benchling/EXP404")))
        #expect(
            try await triage.decide(.init(id: nil, bucket: "bucket", handle: "not a package", topHash: nil)).isIgnored)
        #expect(
            try await triage.decide(.init(id: nil, bucket: "bucket", handle: "benchling/EXP2", topHash: latest))
                == .ignore(.noCanvas(entryId: "etr_2")))
    }

    @Test("without canvas_id, the canvas an earlier job of the entry used; a revision our job showed is not redrawn")
    func triageUsesTheJobLog() async throws {
        let world = try Registry()
        defer { world.close() }
        let topHash = try await world.publish("benchling/EXP3", userMeta: ["entry_id": "etr_3"])
        guard
            case .started(let job, let attempt) = try await world.jobLog.begin(
                webhookId: "w1", entryId: "etr_3", eventType: "v2.entry.updated.fields", canvasId: "cnvs_3",
                messageBody: "{}")
        else { Issue.record("not started"); return }
        try await world.jobLog.finish(attempt: attempt, status: .failed, error: "x")
        let event = PackageRevisionEvent(id: nil, bucket: "bucket", handle: "benchling/EXP3", topHash: topHash)
        guard case .refresh(let target) = try await world.triage().decide(event) else {
            Issue.record("no refresh"); return
        }
        #expect(target.canvasId == "cnvs_3")
        guard
            case .started(_, let again) = try await world.jobLog.begin(
                webhookId: "w1", entryId: "etr_3", eventType: "v2.entry.updated.fields", canvasId: "cnvs_3",
                messageBody: "{}")
        else { Issue.record("not started"); return }
        try await world.jobLog.finish(attempt: again, status: .succeeded, package: "benchling/EXP3", topHash: topHash)
        #expect(try await world.triage().decide(event) == .ignore(.alreadyShown(jobId: job.id)))
    }
}

extension PackageEventTriage.Decision {
    var isIgnored: Bool {
        if case .ignore = self { return true }
        return false
    }
}
