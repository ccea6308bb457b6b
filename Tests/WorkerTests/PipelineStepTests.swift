import MessageQueue
import Testing

@testable import Worker

/// The names operators and dashboards read, and the event kinds the pipeline routes on, without a sandbox.
@Suite("Pipeline steps and event kinds", .timeLimit(.minutes(1)))
struct PipelineStepTests {
    /// The job log, the log lines and the `step_duration` metric carry these strings: renaming a case must not
    /// change them.
    @Test func stepNamesAreTheOnesOperatorsRead() {
        #expect(
            PipelineStep.allCases.map(\.rawValue) == [
                "resolve_target", "get_entry", "previous_revision", "canvas_updating", "canvas_view", "canvas_done",
                "workflow", "start_export", "wait_export", "download", "extract", "link_names", "documents", "plan",
                "workflow_check", "publish", "canvas_refresh", "refresh_configuration",
            ])
    }

    static func event(_ message: String) throws -> JobEvent {
        let body = #"{"version":"0","app":{"id":"app_1"},"message":"# + message + "}"
        return try JobEvent(queued: QueuedWebhook(webhookId: "w", eventType: "t", groupId: nil, body: body))
    }

    @Test func eachWorkerKindNamesWhatTheTargetIsResolvedFrom() throws {
        #expect(try Self.event(#"{"type":"v2.entry.created","resourceId":"etr_1"}"#).kind == .entry(entryId: "etr_1"))
        #expect(
            try Self.event(#"{"type":"v2.canvas.initialized","resourceId":"etr_1","featureId":"f"}"#).kind
                == .canvasInitialized(entryId: "etr_1", featureId: "f"))
        #expect(
            try Self.event(#"{"type":"v2.canvas.created","canvasId":"cnvs_1"}"#).kind == .canvas(canvasId: "cnvs_1"))
        let press = #"{"type":"v2.canvas.userInteracted","canvasId":"cnvs_1","buttonId":"quilt:update:etr_1"}"#
        #expect(try Self.event(press).kind == .canvas(canvasId: "cnvs_1"))
    }

    @Test func kindsTheReceiverDoesNotEnqueueAreRefused() {
        for type in ["v2.app.installed", "v2.something.new"] {
            #expect(throws: PipelineFailure.self) { try Self.event(#"{"type":""# + type + #""}"#) }
        }
    }

    /// Only Update Package packages; every other press, and an id this worker cannot parse, asks for a view.
    @Test func onlyUpdatePackages() throws {
        func press(_ buttonId: String) throws -> JobEvent {
            try Self.event(#"{"type":"v2.canvas.userInteracted","canvasId":"cnvs_1","buttonId":""# + buttonId + #""}"#)
        }
        #expect(try press("quilt:update:etr_1").viewButtonId == nil)
        #expect(try press("quilt:update:etr_1").entryId == "etr_1")
        #expect(try press("quilt:browse:etr_1:2").viewButtonId == "quilt:browse:etr_1:2")
        #expect(try press("quilt:linked-metadata:etr_1:team/a").viewButtonId == "quilt:linked-metadata:etr_1:team/a")
        #expect(try press("from-another-version").viewButtonId == "from-another-version")
        #expect(try press("from-another-version").entryId == nil)
        #expect(try Self.event(#"{"type":"v2.entry.created","resourceId":"etr_1"}"#).viewButtonId == nil)
    }
}
