import AWSServices
import Benchling
import Config
import Foundation
import JobLog
import Logging
import Quilt

/// The product's job: export an entry from Benchling, package it (export files plus entry documents) into the
/// user's registry, and show the state on the entry's canvas.
///
/// Each stage is a `PipelineStep` in the job log. The parts, each readable on its own: `TargetResolver` (which
/// entry and canvas), `EntryPackager` (export to published revision), `CanvasResponses` and `CanvasPresenter`
/// (what the canvas shows, including failures worded by `FailureClassifier`). This type reads the entry and
/// decides which of them run.
public struct PackagingPipeline: JobHandler {
    public let client: BenchlingClient
    public let registry: any PackageRegistry
    public let jobLog: JobLog
    public let configuration: Configuration
    public let settings: WorkerSettings
    /// How the canvas finds linked packages (see `LinkedPackageLookups.source(configuration:athena:)`).
    public let linkedPackages: any LinkedPackageLookup
    let logger: Logger
    let now: @Sendable () -> Date

    /// `athena`: the Athena client for linked packages (nil: the manifest scan, whatever the configuration).
    public init(
        client: BenchlingClient, registry: any PackageRegistry, jobLog: JobLog, configuration: Configuration,
        settings: WorkerSettings, logger: Logger, athena: Athena? = nil,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.client = client
        self.registry = registry
        self.jobLog = jobLog
        self.configuration = configuration
        self.settings = settings
        // The choice is made (and logged) once, when the worker starts: an operator sees at once why Athena is not
        // used instead of a canvas that only ever shows the manifest scan.
        let source = LinkedPackageLookups.source(configuration: configuration, athena: athena)
        switch source {
        case .athena:
            logger.info("linked packages are found with Athena", metadata: ["how": "\(source.summary)"])
        case .manifests(let reason):
            logger.notice("linked packages are found by reading manifests, not with Athena: \(reason)")
        }
        linkedPackages = LinkedPackageLookups.make(
            source: source, configuration: configuration, registry: registry, athena: athena)
        self.logger = logger
        self.now = now
    }

    var targets: TargetResolver { TargetResolver(client: client, jobLog: jobLog) }

    var packager: EntryPackager {
        EntryPackager(
            client: client, registry: registry, configuration: configuration, settings: settings, logger: logger,
            now: now)
    }

    var canvases: CanvasResponses {
        CanvasResponses(
            client: client, registry: registry, linkedPackages: linkedPackages, configuration: configuration,
            settings: settings, logger: logger)
    }

    public func run(_ event: JobEvent, context: AttemptContext) async throws -> JobResult {
        let steps = context.steps
        let target = try await steps.run(.resolveTarget, detail: { "\($0.entryId) canvas \($0.canvasId ?? "none")" }) {
            try await targets.resolve(event)
        }
        var canvas = JobCanvas(target)
        do {
            let entry = try await steps.run(.getEntry, detail: { $0.displayId ?? "" }) {
                try await client.getEntry(target.entryId)
            }
            guard let displayId = entry.displayId, !displayId.isEmpty else {
                throw PipelineFailure.noDisplayId(entryId: entry.id)
            }
            let package = try PackageName(prefix: configuration.pkgPrefix, name: displayId)
            // A view button shows what is there; anything else builds on the latest revision.
            let viewButtonId = event.viewButtonId
            var previous: PreviousRevision?
            if viewButtonId == nil {
                previous = try await steps.run(.previousRevision, detail: { $0?.manifest.topHash ?? "none" }) {
                    try await PreviousRevision.latest(of: package, in: registry)
                }
            }
            // Entry events carry no canvas: the job log knows it, else the latest entry.json (the Python service
            // kept it there, so canvases it created keep updating after the switch).
            let canvasId = target.canvasId ?? previous?.canvasId
            try? await jobLog.setDisplayId(
                jobId: context.job.id, displayId, entryId: target.entryId, canvasId: canvasId)
            let subject = PackagingSubject(entry: entry, package: package, previous: previous, canvasId: canvasId)
            guard let canvasId else { return try await packageEntry(subject, event: event, context: context) }

            let presenter = canvases.presenter(canvasId: canvasId, entry: entry, displayId: displayId, package: package)
            canvas = .entry(presenter)
            // Browse / Metadata / Back / unknown ids only show a view: nothing is exported or written.
            if let viewButtonId {
                return try await presenter.answerViewPress(buttonId: viewButtonId, entryId: entry.id, steps: steps)
            }
            try await steps.run(.canvasUpdating) { await presenter.showBestEffort(.updating) }
            let result = try await packageEntry(subject, event: event, context: context)
            try await steps.run(.canvasDone) { try await presenter.showDone(result, at: now()) }
            return result
        } catch {
            guard !(error is CancellationError) else { throw error }
            await canvases.showFailure(error, on: canvas, isFinalAttempt: context.isFinalAttempt)
            throw error
        }
    }

    /// The writing part of the job, in a work directory of its own.
    private func packageEntry(
        _ subject: PackagingSubject, event: JobEvent, context: AttemptContext
    ) async throws -> JobResult {
        try await WorkDirectory.with(parent: settings.temporaryDirectory, jobId: context.job.id) { directory in
            try await packager.package(subject, event: event, in: directory, steps: context.steps)
        }
    }
}
