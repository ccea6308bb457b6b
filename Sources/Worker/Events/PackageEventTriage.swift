import Config
import JSONCore
import JobLog
import Quilt

/// The canvas a package event refreshes: the entry's, found through its package.
public struct PackageEventTarget: Sendable, Equatable {
    public var entryId: String
    public var displayId: String
    public var canvasId: String
    /// The entry's own package, `{PKG_PREFIX}/{displayId}`.
    public var package: PackageName
    /// The package the event is about (the entry's own, or a user's package that names the entry).
    public var eventPackage: PackageName
    /// That package's latest revision, which the event announced.
    public var eventTopHash: String
}

/// Why a package event needs no canvas refresh. Each is acknowledged (deleted) without a job; `label` is the
/// `package_events` metric's outcome.
public enum PackageEventIgnored: Sendable, Equatable, CustomStringConvertible {
    /// The event is about another bucket than `USER_BUCKET`.
    case otherBucket(String)
    /// The handle is not a Quilt package name, or it is outside `{PKG_PREFIX}/` and names no entry in `PKG_KEY`.
    case notOurs(String)
    /// A newer revision exists: the event that announced it refreshes the canvas.
    case stale(eventTopHash: String, latest: String)
    /// The package has no `latest` revision (any more).
    case gone(String)
    /// The package's metadata gives no entry (our package without `entry_id`, or a user's whose `PKG_KEY` names a
    /// display id without a package of ours).
    case noEntry(String)
    /// The entry has no canvas we know of (none in its `entry.json`, none in the job log).
    case noCanvas(entryId: String)
    /// The revision is one this worker's own job wrote, and that job showed it on the canvas already.
    case alreadyShown(jobId: Int64)

    public var label: String {
        switch self {
        case .otherBucket: "ignored_bucket"
        case .notOurs: "ignored_prefix"
        case .stale: "ignored_stale"
        case .gone: "ignored_gone"
        case .noEntry: "ignored_no_entry"
        case .noCanvas: "ignored_no_canvas"
        case .alreadyShown: "ignored_already_shown"
        }
    }

    public var description: String {
        switch self {
        case .otherBucket(let bucket): "event for another bucket (\(bucket))"
        case .notOurs(let why): why
        case .stale(let event, let latest): "stale: the event names \(event), the latest revision is \(latest)"
        case .gone(let package): "package \(package) has no latest revision"
        case .noEntry(let why): why
        case .noCanvas(let entryId): "no canvas known for entry \(entryId)"
        case .alreadyShown(let jobId): "job \(jobId) wrote this revision and showed it on the canvas"
        }
    }
}

/// Decides what a `PackageRevisionEvent` asks of the worker, from the registry and the configuration in use.
///
/// * Another bucket: ignored.
/// * `{PKG_PREFIX}/{displayId}` (ours): its latest `entry.json` (= `user_meta`) names the entry and `canvas_id`
///   (the Python service's too); without `canvas_id`, the canvas an earlier job of the entry used.
/// * Any other package (a user's): its latest `user_meta` at `PKG_KEY` (a dotted key is a nested path) names a
///   display id; when `{PKG_PREFIX}/{that id}` exists, that entry's canvas is refreshed, so the package appears
///   among its linked packages. This goes beyond the Python service, which ignores other prefixes.
/// * In both cases an event whose `topHash` is not the package's `latest` is stale and ignored.
struct PackageEventTriage: Sendable {
    let registry: any PackageRegistry
    let configuration: Configuration
    let jobLog: JobLog

    enum Decision: Sendable, Equatable {
        case refresh(PackageEventTarget)
        case ignore(PackageEventIgnored)
    }

    func decide(_ event: PackageRevisionEvent) async throws -> Decision {
        guard let bucket = configuration.userBucket.bucketName, event.bucket == bucket else {
            return .ignore(.otherBucket(event.bucket))
        }
        guard let package = try? PackageName(event.handle) else {
            return .ignore(.notOurs("\(event.handle.prefix(200)) is not a package name"))
        }
        guard let latest = try await registry.readLatestManifestHeader(of: package) else {
            return .ignore(.gone(package.description))
        }
        if let announced = event.topHash, announced != latest.topHash {
            return .ignore(.stale(eventTopHash: announced, latest: latest.topHash))
        }
        let meta = latest.header.userMeta
        if package.prefix == configuration.pkgPrefix {
            return try await own(package, meta: meta, eventPackage: package, eventTopHash: latest.topHash)
        }
        guard let displayId = PackageKeyPath(configuration.pkgKey).value(in: meta ?? [:])?.stringValue,
            !displayId.isEmpty
        else {
            return .ignore(
                .notOurs("\(package) is outside \(configuration.pkgPrefix)/ and has no \(configuration.pkgKey)"))
        }
        guard let entryPackage = try? PackageName(prefix: configuration.pkgPrefix, name: displayId) else {
            return .ignore(.noEntry("\(package)'s \(configuration.pkgKey) is not a display id"))
        }
        guard let entryLatest = try await registry.readLatestManifestHeader(of: entryPackage) else {
            return .ignore(.noEntry("\(package) names \(displayId), which has no package \(entryPackage)"))
        }
        return try await own(
            entryPackage, meta: entryLatest.header.userMeta, eventPackage: package, eventTopHash: latest.topHash)
    }

    /// The entry and canvas of our package `package`, from its latest `entry.json`.
    private func own(
        _ package: PackageName, meta: JSONObject?, eventPackage: PackageName, eventTopHash: String
    ) async throws -> Decision {
        guard let entryId = meta?["entry_id"]?.stringValue, !entryId.isEmpty else {
            return .ignore(.noEntry("\(package)'s entry.json names no entry_id"))
        }
        let jobs = try await jobLog.list(entryId: entryId, limit: 50)
        // Every revision this worker publishes raises an event too; its job already drew the canvas.
        if eventPackage == package,
            let job = jobs.first(where: { $0.topHash == eventTopHash && $0.status == .succeeded && $0.canvasId != nil })
        {
            return .ignore(.alreadyShown(jobId: job.id))
        }
        var canvasId = meta?["canvas_id"]?.stringValue
        if canvasId?.isEmpty ?? true {
            canvasId = jobs.lazy.compactMap(\.canvasId).first
        }
        guard let canvasId else { return .ignore(.noCanvas(entryId: entryId)) }
        return .refresh(
            PackageEventTarget(
                entryId: entryId, displayId: package.name, canvasId: canvasId, package: package,
                eventPackage: eventPackage,
                eventTopHash: eventTopHash))
    }
}
