import AWSServices
import Benchling
import Config
import Foundation
import JSONCore
import JobLog
import Logging
import Quilt

/// The product's job: export an entry from Benchling, package it (export files plus entry documents) into the
/// user's registry, and show the state on the entry's canvas.
///
/// Each stage is a named step in the job log. Whether a new revision is needed is decided from files on local
/// disk before anything is written to the registry (see `RevisionComparison`), so a duplicate event writes
/// nothing and older revisions stay true.
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

    public func run(_ event: JobEvent, context: AttemptContext) async throws -> JobResult {
        let steps = context.steps
        let target = try await steps.run("resolve_target", detail: { "\($0.entryId) canvas \($0.canvasId ?? "none")" }) {
            try await resolveTarget(event)
        }
        var presenter: CanvasPresenter?
        do {
            let entry = try await steps.run("get_entry", detail: { $0.displayId ?? "" }) {
                try await client.getEntry(target.entryId)
            }
            guard let displayId = entry.displayId, !displayId.isEmpty else {
                throw PipelineFailure.noDisplayId(entryId: entry.id)
            }
            let package = try PackageName(prefix: configuration.pkgPrefix, name: displayId)
            let showsView = event.buttonAction.map { !$0.packages } ?? false
            // A view button shows what is there; anything else builds on the latest revision.
            let previous: PreviousRevision?
            if showsView {
                previous = nil
            } else {
                previous = try await steps.run("previous_revision", detail: { $0?.manifest.topHash ?? "none" }) {
                    try await PreviousRevision.latest(of: package, in: registry)
                }
            }
            // Entry events carry no canvas: the job log knows it, else the latest entry.json (the Python service
            // kept it there, so canvases it created keep updating after the switch).
            let canvasId = target.canvasId ?? previous?.canvasId
            try? await jobLog.setDisplayId(
                jobId: context.job.id, displayId, entryId: target.entryId, canvasId: canvasId)
            if let canvasId {
                let canvas = entryCanvas(entry, displayId: displayId, package: package)
                presenter = CanvasPresenter(
                    client: client, canvasId: canvasId,
                    interaction: CanvasInteraction(canvas: canvas, registry: registry, finder: linkedPackages),
                    logger: logger)
                // Browse / Metadata / Back / unknown ids only show a view: nothing is exported or written.
                if showsView, let buttonId = event.message.buttonId {
                    return try await showView(presenter!, buttonId: buttonId, package: package, entry: entry, steps: steps)
                }
                try await steps.run("canvas_updating") { await presenter!.showBestEffort(.updating) }
            }
            let result = try await WorkDirectory.with(parent: settings.temporaryDirectory, jobId: context.job.id) {
                directory in
                try await packageEntry(
                    entry, package: package, event: event, canvasId: canvasId, previous: previous, in: directory,
                    steps: steps)
            }
            if let presenter {
                try await steps.run("canvas_done") {
                    try await showDone(presenter, result: result)
                }
            }
            return result
        } catch {
            guard !(error is CancellationError) else { throw error }
            let failureClass = FailureClassifier.classify(error)
            let willRetry = failureClass == .transient && !context.isFinalAttempt
            let next = willRetry
                ? FailureClassifier.nextStep(for: error, class: .transient)
                : FailureClassifier.nextStep(for: error, class: .permanent)
            let status = CanvasStatus.failed(problem: Self.problem(error), nextStep: next)
            if let presenter {
                await presenter.showBestEffort(status)
            } else if let canvasId = target.canvasId {
                await showFailureWithoutEntry(canvasId: canvasId, entryId: target.entryId, status: status)
            }
            throw error
        }
    }

    /// The entry could not be read (gone, no access, Benchling down), so there is no package view to draw. The
    /// canvas is still answered: Benchling disabled it when the button was pressed, and it must never stay so.
    private func showFailureWithoutEntry(canvasId: String, entryId: String, status: CanvasStatus) async {
        let update = CanvasRenderer.main(
            entryId: entryId, displayId: entryId, entryName: nil, location: PackageLocation(packageName: ""),
            status: status)
        do {
            _ = try await client.updateCanvas(canvasId, update)
        } catch {
            logger.warning("could not show the failure on the canvas", metadata: ["canvas": "\(canvasId)", "error": "\(error)"])
        }
    }

    /// Export → download → extract → documents → publish (or find unchanged).
    private func packageEntry(
        _ entry: Entry, package: PackageName, event: JobEvent, canvasId: String?, previous: PreviousRevision?,
        in directory: WorkDirectory, steps: StepRecorder
    ) async throws -> JobResult {
        // The bucket's Quilt workflow is chosen and its schemas loaded first: a config that refuses every package
        // fails the job before the export, and nothing is ever written for a package it refuses.
        let workflow = try await steps.run("workflow", detail: { $0.map(Self.workflowDetail) ?? "no workflows config" }) {
            try await WorkflowLoader(registry: registry).prepare(WorkflowRequest(secretValue: configuration.pkgWorkflow))
        }
        let taskId = try await steps.run("start_export", detail: { $0 }) {
            try await client.startExport(entryId: entry.id)
        }
        let downloadURL = try await steps.run("wait_export") {
            try await client.waitForExport(
                taskId: taskId, pollInterval: settings.exportPollInterval,
                maxPollInterval: settings.exportMaxPollInterval, maxWait: settings.exportMaxWait)
        }
        let zip = directory.exportZip
        let limits = settings.exportLimits
        _ = try await steps.run("download", detail: { "\($0) bytes" }) {
            try await client.download(from: downloadURL, to: zip, maxBytes: limits.maxTotalBytes)
        }
        // Members named like the documents written beside them are kept under a free name, never dropped.
        let exported = try await steps.run("extract", detail: { "\($0.count) files" }) {
            ExportedFile.movingReservedNames(
                try ExportArchive.extract(zip: zip, into: directory.exportFiles, limits: limits))
        }
        try? FileManager.default.removeItem(at: zip)
        let links = EntryLinks(entry: entry).links
        let linkNames = try await steps.run("link_names", detail: { "\($0.count) of \(links.count) links named" }) {
            try await LinkNameResolver(client: client, logger: logger).names(for: links)
        }
        let documents = try await steps.run("documents") {
            try EntryDocuments.write(
                EntryDocumentInput(
                    entry: entry, eventMessage: event.message.raw, eventType: event.eventType,
                    benchlingBaseURL: configuration.benchlingBaseURL.absoluteString,
                    packageName: package.description,
                    registry: configuration.userBucket.bucketName ?? registry.registryURL, canvasId: canvasId,
                    exportedFiles: exported, linkNames: linkNames),
                into: directory.documents)
        }
        var files = documents.files.map {
            PackageFile(localURL: $0.localURL, logicalKey: $0.logicalKey, contentType: $0.contentType)
        }
        for file in exported {
            files.append(PackageFile(
                localURL: file.localURL, logicalKey: file.path, contentType: ContentTypes.forPath(file.path)))
        }
        let bytes = exported.reduce(Int64(0)) { $0 + $1.size }
        let message = PythonServiceFormat.commitMessage(eventType: event.eventType, message: event.message.raw)
        let writer = PackageWriter(registry: registry, now: now)
        let kept = previous?.filesToKeep(exportedPaths: Set(files.map(\.logicalKey))) ?? []
        let plan = try await steps.run("plan", detail: {
            kept.isEmpty ? $0.topHash : "\($0.topHash) (\(kept.count) files added outside the export kept)"
        }) {
            try writer.plan(
                package: package, message: message, userMeta: documents.metadata, files: files,
                dataKeyPrefix: package.description, carried: kept, workflow: workflow?.header)
        }
        if let workflow {
            try await steps.run("workflow_check", detail: { _ in Self.workflowDetail(workflow) }) {
                try workflow.validate(
                    package: package, message: message, userMeta: documents.metadata, entries: plan.manifest.entries)
            }
        }
        if let latest = previous?.manifest, RevisionComparison.sameContent(plan.manifest, as: latest) {
            try await steps.skipped("publish", detail: "unchanged: latest revision \(latest.topHash) has this content")
            return JobResult(
                outcome: .unchanged, package: package.description, topHash: latest.topHash, bytes: bytes,
                entryId: entry.id, displayId: package.name)
        }
        let published = try await steps.run("publish", detail: { $0.topHash }) { try await writer.publish(plan) }
        let outcome: JobResult.Outcome
        if case .published = published { outcome = .published } else { outcome = .unchanged }
        return JobResult(
            outcome: outcome, package: package.description, topHash: published.topHash, bytes: bytes,
            entryId: entry.id, displayId: package.name)
    }

    // MARK: - Pieces

    /// The entry and canvas this event is about.
    struct Target: Sendable {
        var entryId: String
        var canvasId: String?
    }

    private func resolveTarget(_ event: JobEvent) async throws -> Target {
        if case .canvasInitialized(let resourceId, let featureId, _) = event.message.kind {
            // No canvas exists yet for this entry: create it, so the job can show its progress there.
            let created = try await client.createCanvas(AppCanvasCreate(
                appId: event.envelope.appId ?? "", featureId: featureId ?? "", resourceId: resourceId,
                blocks: CanvasRenderer.main(
                    entryId: resourceId, displayId: resourceId, entryName: nil,
                    location: PackageLocation(packageName: ""), status: .updating
                ).blocks ?? [],
                enabled: true))
            return Target(entryId: resourceId, canvasId: created.id)
        }
        if let canvasId = event.canvasId {
            if let entryId = event.entryId { return Target(entryId: entryId, canvasId: canvasId) }
            let canvas = try await client.getCanvas(canvasId)
            guard let entryId = canvas.resourceId, !entryId.isEmpty else {
                throw PipelineFailure.noEntry("canvas \(canvasId) names no resource")
            }
            return Target(entryId: entryId, canvasId: canvasId)
        }
        guard let entryId = event.entryId else { throw PipelineFailure.noEntry("event \(event.eventType)") }
        return Target(entryId: entryId, canvasId: try await knownCanvas(of: entryId))
    }

    /// The canvas an earlier job of this entry used: entry events carry no canvas id.
    private func knownCanvas(of entryId: String) async throws -> String? {
        try await jobLog.list(entryId: entryId, limit: 50).lazy.compactMap(\.canvasId).first
    }

    /// The canvas's owner and where its packages open: catalog links when the deployment has a catalog, else
    /// the local registry (embedded mode).
    func entryCanvas(_ entry: Entry, displayId: String, package: PackageName) -> EntryCanvas {
        var links: CatalogLinks?
        if let host = configuration.catalogHost, let bucket = configuration.userBucket.bucketName {
            links = CatalogLinks(host: host, bucket: bucket)
        }
        return EntryCanvas(
            entryId: entry.id, displayId: displayId, entryName: entry.name, package: package, links: links,
            registryURL: registry.registryURL, packageKey: configuration.pkgKey, buildVersion: settings.buildVersion)
    }

    /// Answers a non-packaging button press with its view. The job is recorded as skipped (nothing written),
    /// naming the package's latest revision when there is one.
    private func showView(
        _ presenter: CanvasPresenter, buttonId: String, package: PackageName, entry: Entry, steps: StepRecorder
    ) async throws -> JobResult {
        try await steps.run("canvas_view", detail: { _ in buttonId }) {
            try await presenter.showView(forButtonId: buttonId)
        }
        let latest = (try? await registry.latestTopHash(of: package)) ?? nil
        return JobResult(
            outcome: .unchanged, package: package.description, topHash: latest ?? "", bytes: 0, entryId: entry.id,
            displayId: package.name)
    }

    private func showDone(_ presenter: CanvasPresenter, result: JobResult) async throws {
        do {
            try await presenter.show(.updated(topHash: result.topHash, at: now(), unchanged: result.outcome == .unchanged))
        } catch let error as BenchlingError where error.isPermanent {
            // The canvas is gone or not ours: the package is written, which is what matters.
            logger.warning("final canvas update refused", metadata: ["error": "\(error)"])
        }
    }

    static func workflowDetail(_ workflow: PreparedWorkflow) -> String {
        "workflow \(workflow.id.map { "'\($0)'" } ?? "(none)") of \(workflow.header["config"]?.stringValue ?? "")"
    }

    /// A short user-facing statement of what went wrong.
    static func problem(_ error: any Error) -> String {
        if let error = error as? BenchlingError { return problem(error) }
        if let error = error as? WorkflowError { return "The package was not published: \(error)" }
        if let error = error as? ExportArchiveError { return error.description }
        return "Packaging failed: \(error)"
    }

    // Kept apart from the `any Error` dispatch above: swiftc 6.3.1 -O crashes in CopyPropagation ("Found ownership
    // error") when this body sits in a `case let error as BenchlingError:` branch of a switch over `any Error`.
    private static func problem(_ error: BenchlingError) -> String {
        if error.kind == .taskFailed { return "Benchling could not export this entry: \(error.message ?? "export failed")" }
        if let userMessage = error.userMessage { return userMessage }
        if let status = error.status { return "Benchling request failed (HTTP \(status))" }
        return "Benchling request failed (no answer)"
    }
}
