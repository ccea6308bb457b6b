import Benchling
import Config
import Foundation
import JSONCore
import Logging
import Quilt

/// The entry a packaging job works on, once read: its package and the revision the new one builds on.
struct PackagingSubject: Sendable {
    let entry: Entry
    let package: PackageName
    /// The package's latest revision; nil when it has none.
    let previous: PreviousRevision?
    /// The canvas the documents name (`entry.json` `canvas_id`), when the job knows one.
    let canvasId: String?
}

/// Export → download → extract → documents → publish (or find unchanged): the steps of a job that write.
///
/// Whether a new revision is needed is decided from files on local disk before anything is written to the
/// registry (see `RevisionComparison`), so a duplicate event writes nothing and older revisions stay true.
struct EntryPackager: Sendable {
    let client: BenchlingClient
    let registry: any PackageRegistry
    let configuration: Configuration
    let settings: WorkerSettings
    let logger: Logger
    let now: @Sendable () -> Date

    func package(
        _ subject: PackagingSubject, event: JobEvent, in directory: WorkDirectory, steps: StepRecorder
    ) async throws -> JobResult {
        let (entry, package, previous) = (subject.entry, subject.package, subject.previous)
        // The bucket's Quilt workflow is chosen and its schemas loaded first: a config that refuses every package
        // fails the job before the export, and nothing is ever written for a package it refuses.
        let workflow = try await steps.run(.workflow, detail: { $0.map(Self.workflowDetail) ?? "no workflows config" })
        {
            try await WorkflowLoader(registry: registry).prepare(
                WorkflowRequest(secretValue: configuration.pkgWorkflow))
        }
        let exported = try await export(entry, into: directory, steps: steps)
        let links = EntryLinks(entry: entry).links
        let linkNames = try await steps.run(.linkNames, detail: { "\($0.count) of \(links.count) links named" }) {
            try await LinkNameResolver(client: client, logger: logger).names(for: links)
        }
        let documents = try await steps.run(.documents) {
            try EntryDocuments.write(
                EntryDocumentInput(
                    entry: entry, eventMessage: event.message.raw, eventType: event.eventType,
                    benchlingBaseURL: configuration.benchlingBaseURL.absoluteString,
                    packageName: package.description,
                    registry: configuration.userBucket.bucketName ?? registry.registryURL, canvasId: subject.canvasId,
                    exportedFiles: exported, linkNames: linkNames),
                into: directory.documents)
        }
        var files = documents.files.map {
            PackageFile(localURL: $0.localURL, logicalKey: $0.logicalKey, contentType: $0.contentType)
        }
        for file in exported {
            files.append(
                PackageFile(
                    localURL: file.localURL, logicalKey: file.path, contentType: ContentTypes.forPath(file.path)))
        }
        let bytes = exported.reduce(Int64(0)) { $0 + $1.size }
        let message = PythonServiceFormat.commitMessage(eventType: event.eventType, message: event.message.raw)
        let writer = PackageWriter(registry: registry, now: now)
        let kept = previous?.filesToKeep(exportedPaths: Set(files.map(\.logicalKey))) ?? []
        let plan = try await steps.run(
            .plan,
            detail: {
                kept.isEmpty ? $0.topHash : "\($0.topHash) (\(kept.count) files added outside the export kept)"
            }
        ) {
            try writer.plan(
                package: package, message: message, userMeta: documents.metadata, files: files,
                dataKeyPrefix: package.description, carried: kept, workflow: workflow?.header)
        }
        if let workflow {
            try await steps.run(.workflowCheck, detail: { _ in Self.workflowDetail(workflow) }) {
                try workflow.validate(
                    package: package, message: message, userMeta: documents.metadata, entries: plan.manifest.entries)
            }
        }
        if let latest = previous?.manifest, RevisionComparison.sameContent(plan.manifest, as: latest) {
            try await steps.skipped(.publish, detail: "unchanged: latest revision \(latest.topHash) has this content")
            return JobResult(
                outcome: .unchanged, package: package.description, topHash: latest.topHash, bytes: bytes,
                entryId: entry.id, displayId: package.name)
        }
        let published = try await steps.run(.publish, detail: { $0.topHash }) { try await writer.publish(plan) }
        let outcome: JobResult.Outcome
        if case .published = published { outcome = .published } else { outcome = .unchanged }
        return JobResult(
            outcome: outcome, package: package.description, topHash: published.topHash, bytes: bytes,
            entryId: entry.id, displayId: package.name)
    }

    /// The entry's export, unpacked into `directory`.
    private func export(
        _ entry: Entry, into directory: WorkDirectory, steps: StepRecorder
    ) async throws -> [ExportedFile] {
        let taskId = try await steps.run(.startExport, detail: { $0 }) {
            try await client.startExport(entryId: entry.id)
        }
        let downloadURL = try await steps.run(.waitExport) {
            try await client.waitForExport(
                taskId: taskId, pollInterval: settings.exportPollInterval,
                maxPollInterval: settings.exportMaxPollInterval, maxWait: settings.exportMaxWait)
        }
        let zip = directory.exportZip
        let limits = settings.exportLimits
        _ = try await steps.run(.download, detail: { "\($0) bytes" }) {
            try await client.download(from: downloadURL, to: zip, maxBytes: limits.maxTotalBytes)
        }
        // Members named like the documents written beside them are kept under a free name, never dropped.
        let exported = try await steps.run(.extract, detail: { "\($0.count) files" }) {
            ExportedFile.movingReservedNames(
                try ExportArchive.extract(zip: zip, into: directory.exportFiles, limits: limits))
        }
        try? FileManager.default.removeItem(at: zip)
        return exported
    }

    static func workflowDetail(_ workflow: PreparedWorkflow) -> String {
        "workflow \(workflow.id.map { "'\($0)'" } ?? "(none)") of \(workflow.header["config"]?.stringValue ?? "")"
    }
}
