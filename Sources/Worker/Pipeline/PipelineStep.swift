/// The named steps of a job, as the job log, the JSON log lines and the `step_duration` metric name them.
///
/// The raw values are what operators read (`worker jobs show`, log queries, dashboards) and what tests match on:
/// they never change when a case is renamed.
public enum PipelineStep: String, Sendable, CaseIterable {
    /// Which entry and canvas the event is about (a `v2.canvas.initialized` event creates the canvas here).
    case resolveTarget = "resolve_target"
    case getEntry = "get_entry"
    /// The package's latest revision, which a new one builds on.
    case previousRevision = "previous_revision"
    /// The "Updating…" banner.
    case canvasUpdating = "canvas_updating"
    /// The view a non-packaging button press asks for.
    case canvasView = "canvas_view"
    /// The final canvas update of a packaging job.
    case canvasDone = "canvas_done"
    /// The bucket's Quilt workflow chosen and its schemas loaded.
    case workflow
    case startExport = "start_export"
    case waitExport = "wait_export"
    case download
    case extract
    /// Names of the entities the entry links to.
    case linkNames = "link_names"
    /// `entry.json`, the README and the other documents written beside the export.
    case documents
    /// The manifest of the new revision, computed locally.
    case plan
    case workflowCheck = "workflow_check"
    case publish
    /// A package event's redraw of the entry's canvas.
    case canvasRefresh = "canvas_refresh"
    /// A fresh read of the secret after Benchling refused the client credentials.
    case refreshConfiguration = "refresh_configuration"
}
