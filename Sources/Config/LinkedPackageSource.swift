/// How the worker finds the packages linked to an entry (metadata `PKG_KEY` = the entry's display id): one
/// Athena query over the Quilt stack's `{bucket}_packages-view`, or reading the packages' latest manifests.
public enum LinkedPackageSource: Sendable, Hashable {
    /// Query Athena as `AthenaLookup` says.
    case athena(AthenaLookup)
    /// Read manifests; `reason` says why Athena is not used (logged once when the worker starts, printed by
    /// `worker config check`).
    case manifests(reason: String)

    /// Where and how the Athena query runs.
    public struct AthenaLookup: Sendable, Hashable {
        /// `UserAthenaDatabaseName`.
        public var database: String
        /// The user bucket, whose `{bucket}_packages-view` is queried.
        public var bucket: String
        /// `UserAthenaWorkgroupName`, else `primary`.
        public var workGroup: String
        /// `s3://{AthenaResultsBucketName}/benchling-quilt/` in `primary`; nil in the stack's workgroup, which
        /// has a result location of its own.
        public var outputLocation: String?

        public init(database: String, bucket: String, workGroup: String, outputLocation: String?) {
            self.database = database
            self.bucket = bucket
            self.workGroup = workGroup
            self.outputLocation = outputLocation
        }
    }

    /// The workgroup a query runs in when the stack names none.
    public static let primaryWorkGroup = "primary"
    /// The key prefix of our query results in `AthenaResultsBucketName` (kept apart from the catalog's own).
    public static let resultsPrefix = "benchling-quilt/"

    /// The rule, from the Quilt stack's outputs:
    /// - database (`UserAthenaDatabaseName`) and workgroup (`UserAthenaWorkgroupName`): Athena in that workgroup,
    ///   writing to the workgroup's own result location (no `OutputLocation` is sent: the Quilt stack set the
    ///   workgroup up, and the ops template's `AthenaResultsBucket` grants its bucket);
    /// - database and results bucket (`AthenaResultsBucketName`) but no workgroup: Athena in `primary` with
    ///   `OutputLocation` `s3://{AthenaResultsBucketName}/benchling-quilt/` — `primary` usually has no result
    ///   location of its own, and a query without one fails;
    /// - otherwise the manifest scan: with a database but neither of the two every query would fail, so the
    ///   scan is the better answer, and the reason is logged at start instead of failing on every click.
    /// Athena also needs the packages in an S3 bucket: a local directory has no view to query.
    public init(_ configuration: Configuration) {
        guard let bucket = configuration.userBucket.bucketName else {
            self = .manifests(reason: "the registry is a local directory, not an S3 bucket")
            return
        }
        guard configuration.athenaPermitted else {
            self = .manifests(
                reason: "ATHENA_LOOKUP=off: this deployment grants no Athena access "
                    + "(the ops template's AthenaResultsBucket or QuiltAthenaDatabase is empty)")
            return
        }
        guard let database = configuration.athenaDatabase else {
            self = .manifests(
                reason: configuration.stackARN == nil
                    ? "there is no Quilt stack" : "the Quilt stack has no UserAthenaDatabaseName output")
            return
        }
        if let workGroup = configuration.athenaWorkgroup {
            self = .athena(AthenaLookup(database: database, bucket: bucket, workGroup: workGroup, outputLocation: nil))
        } else if let results = configuration.athenaResultsBucket {
            self = .athena(
                AthenaLookup(
                    database: database, bucket: bucket, workGroup: Self.primaryWorkGroup,
                    outputLocation: "s3://\(results)/\(Self.resultsPrefix)"))
        } else {
            self = .manifests(
                reason: "the Quilt stack has UserAthenaDatabaseName but neither UserAthenaWorkgroupName "
                    + "nor AthenaResultsBucketName, so an Athena query would have no result location")
        }
    }

    /// One line for people: what is used and why.
    public var summary: String {
        switch self {
        case .athena(let lookup):
            let place =
                lookup.outputLocation.map { "workgroup \(lookup.workGroup), results in \($0)" }
                ?? "workgroup \(lookup.workGroup), its own result location"
            return "Athena (database \(lookup.database), \(place))"
        case .manifests(let reason):
            return "reading manifests (\(reason))"
        }
    }
}

extension Configuration {
    /// How linked packages are found; see `LinkedPackageSource.init(_:)` for the rule.
    public var linkedPackageSource: LinkedPackageSource { LinkedPackageSource(self) }
}
