import AWSCore
import AWSServices
import Config
import Foundation
import Quilt

/// Finds linked packages with one Athena query over Quilt's `{bucket}_packages-view` (when the Quilt stack gives
/// a database): no manifest is read, whatever the size of the bucket.
///
/// The wait is bounded (`wait.timeout`, polling with backoff) and only the first page of rows is read; a
/// failure (access denied, unknown workgroup, a FAILED query, the time budget spent) is returned as `.failed`
/// so the canvas says the lookup failed — it never falls back silently.
public struct AthenaLinkedPackageFinder: LinkedPackageLookup {
    public let athena: Athena
    public let database: String
    /// nil: the account's `primary` workgroup (which then needs `outputLocation` or a result location of its own).
    public let workGroup: String?
    /// Where Athena writes the results (`s3://bucket/prefix/`); nil: the workgroup's own result location.
    public let outputLocation: String?
    public let bucket: String
    public let packageKey: String
    /// Packages listed at most (the canvas lists 50).
    public let limit: Int
    public let wait: Athena.Wait

    public static let defaultWait = Athena.Wait(
        timeout: .seconds(15), pollInterval: .milliseconds(250), maxPollInterval: .seconds(2))

    public init(
        athena: Athena, database: String, workGroup: String?, outputLocation: String? = nil, bucket: String,
        packageKey: String, limit: Int = 50, wait: Athena.Wait = defaultWait
    ) {
        self.athena = athena
        self.database = database
        self.workGroup = workGroup
        self.outputLocation = outputLocation
        self.bucket = bucket
        self.packageKey = packageKey
        self.limit = max(1, limit)
        self.wait = wait
    }

    public func find(displayId: String, excluding own: PackageName?) async -> LinkedPackages {
        let sql: String
        do {
            // Two rows more than listed: one may be the entry's own package, one more says "there are more".
            sql = try LinkedPackagesQuery.sql(
                database: database, bucket: bucket, packageKey: packageKey, value: displayId, rowLimit: limit + 2)
        } catch {
            return .failed("the Athena query was not run: \(error)")
        }
        let page: Athena.ResultPage
        do {
            page = try await athena.run(
                Athena.Query(sql: sql, database: database, workGroup: workGroup, outputLocation: outputLocation),
                wait: wait,
                // Athena counts the column-name row of the first page against MaxResults.
                maxResults: limit + 3)
        } catch is CancellationError {
            return .failed("cancelled")
        } catch {
            return .failed("the Athena query failed (\(error))")
        }
        // Names that are not valid package names (written by other tools) are left out, as in the manifest scan.
        let names = Set(page.values(of: "pkg_name").compactMap { $0.flatMap { try? PackageName($0) } })
        let others = names.filter { $0 != own }.sorted()
        return .queried(Array(others.prefix(limit)), truncated: others.count > limit)
    }
}

/// Which lookup a worker uses.
public enum LinkedPackageLookups {
    /// The configuration's `linkedPackageSource` (the rule is documented at `LinkedPackageSource.init(_:)`:
    /// database + workgroup → that workgroup; database + results bucket → `primary` with an output location;
    /// otherwise the manifest scan), or the manifest scan when there is no Athena client (`athena` nil, as in
    /// unit tests).
    public static func source(configuration: Configuration, athena: Athena?) -> LinkedPackageSource {
        guard athena != nil else { return .manifests(reason: "the worker has no Athena client") }
        return configuration.linkedPackageSource
    }

    /// The lookup for `source(configuration:athena:)`.
    public static func make(
        configuration: Configuration, registry: any PackageRegistry, athena: Athena?
    ) -> any LinkedPackageLookup {
        make(
            source: source(configuration: configuration, athena: athena), configuration: configuration,
            registry: registry, athena: athena)
    }

    /// The lookup for a source already chosen (the worker logs the choice first).
    public static func make(
        source: LinkedPackageSource, configuration: Configuration, registry: any PackageRegistry, athena: Athena?
    ) -> any LinkedPackageLookup {
        if case .athena(let lookup) = source, let athena {
            return AthenaLinkedPackageFinder(
                athena: athena, database: lookup.database, workGroup: lookup.workGroup,
                outputLocation: lookup.outputLocation, bucket: lookup.bucket, packageKey: configuration.pkgKey)
        }
        return LinkedPackageFinder(registry: registry, packageKey: configuration.pkgKey)
    }
}
