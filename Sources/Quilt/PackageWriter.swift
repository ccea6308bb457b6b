import Foundation
import JSONCore

/// One local file to put into a package.
public struct PackageFile: Sendable, Hashable {
    public var localURL: URL
    public var logicalKey: String
    public var contentType: String
    /// The entry's `meta` object; user metadata goes under `user_meta`.
    public var meta: JSONObject

    public init(localURL: URL, logicalKey: String, contentType: String = "application/octet-stream", meta: JSONObject) {
        self.localURL = localURL
        self.logicalKey = logicalKey
        self.contentType = contentType
        self.meta = meta
    }

    /// Entry meta is `{"user_meta": userMeta}` when given, else `{}`.
    public init(
        localURL: URL, logicalKey: String, contentType: String = "application/octet-stream", userMeta: JSONObject? = nil
    ) {
        self.init(
            localURL: localURL, logicalKey: logicalKey, contentType: contentType,
            meta: userMeta.map { ["user_meta": .object($0)] } ?? [:])
    }
}

/// What a publish did.
public enum PublishResult: Sendable, Hashable {
    /// `latest` already has this exact content: nothing was written.
    case unchanged(topHash: String)
    /// A new revision: its pointer is `.quilt/named_packages/{pkg}/{revision}` (unix seconds).
    case published(topHash: String, revision: Int64, manifestKey: String)

    public var topHash: String {
        switch self {
        case .unchanged(let topHash), .published(let topHash, _, _): topHash
        }
    }
}

/// A package whose files are hashed and whose top hash is known, before anything is uploaded.
public struct PackagePlan: Sendable {
    public let package: PackageName
    /// Physical keys are the unversioned ones the registry will use; uploads may add version ids.
    public let manifest: Manifest
    public let topHash: String
    /// Registry key of each file, by logical key.
    public let dataKeys: [String: String]
    let files: [String: PackageFile]
    /// Logical keys of entries taken over from an earlier revision as they are (nothing to upload).
    let carriedKeys: Set<String>
}

/// Publishes a package revision so that revisions stay true (see the Quilt notes): hash the local files first,
/// compare the top hash with `latest` and write nothing when equal; otherwise upload data, then the manifest,
/// then the revision pointer, then `latest` — a reader never sees a pointer to a missing manifest.
public struct PackageWriter: Sendable {
    public let registry: any PackageRegistry
    public let now: @Sendable () -> Date

    public init(registry: any PackageRegistry, now: @escaping @Sendable () -> Date = { Date() }) {
        self.registry = registry
        self.now = now
    }

    /// Hashes every file (streamed from disk) and computes the top hash. Touches no registry.
    ///
    /// `workflow`: the header quilt3 records for the registry's workflows config (see `WorkflowLoader`), validated
    /// by the caller before planning.
    ///
    /// `carried`: entries of an earlier revision that stay in this one unchanged (same physical key, hash, size and
    /// meta), e.g. files a user added outside this writer; a local file with the same logical key replaces one.
    public func plan(
        package: PackageName, message: String?, userMeta: JSONObject?, files: [PackageFile], dataKeyPrefix: String,
        carried: [ManifestEntry] = [], workflow: JSONObject? = nil
    ) throws -> PackagePlan {
        let prefix = Self.normalizedPrefix(dataKeyPrefix)
        var entries: [ManifestEntry] = []
        var dataKeys: [String: String] = [:]
        var byKey: [String: PackageFile] = [:]
        for file in files {
            try LogicalKey.validate(file.logicalKey)
            guard byKey.updateValue(file, forKey: file.logicalKey) == nil else {
                throw QuiltError.duplicateLogicalKey(file.logicalKey)
            }
            let (size, hash) = try ChunkedHasher.hashFile(at: file.localURL)
            let key = prefix + file.logicalKey
            dataKeys[file.logicalKey] = key
            entries.append(
                ManifestEntry(
                    logicalKey: file.logicalKey, physicalKey: registry.physicalKey(forKey: key), size: size,
                    hash: EntryHash(value: hash), meta: file.meta))
        }
        var carriedKeys = Set<String>()
        for entry in carried where byKey[entry.logicalKey] == nil {
            try LogicalKey.validate(entry.logicalKey)
            guard carriedKeys.insert(entry.logicalKey).inserted else {
                throw QuiltError.duplicateLogicalKey(entry.logicalKey)
            }
            entries.append(entry)
        }
        let manifest = try Manifest(
            header: ManifestHeader(message: message, userMeta: userMeta, workflow: workflow), entries: entries)
        return PackagePlan(
            package: package, manifest: manifest, topHash: manifest.topHash, dataKeys: dataKeys, files: byKey,
            carriedKeys: carriedKeys)
    }

    /// Plans, then publishes unless `latest` already has the same top hash.
    public func publish(
        package: PackageName, message: String?, userMeta: JSONObject?, files: [PackageFile], dataKeyPrefix: String
    ) async throws -> PublishResult {
        let plan = try plan(
            package: package, message: message, userMeta: userMeta, files: files, dataKeyPrefix: dataKeyPrefix)
        return try await publish(plan)
    }

    public func publish(_ plan: PackagePlan) async throws -> PublishResult {
        let latest = try await registry.latestTopHash(of: plan.package)
        if latest == plan.topHash {
            return .unchanged(topHash: plan.topHash)
        }
        let reusable = await reusablePhysicalKeys(latest: latest)
        var finalEntries: [ManifestEntry] = []
        for var entry in plan.manifest.entries {
            if plan.carriedKeys.contains(entry.logicalKey) {
                finalEntries.append(entry)
                continue
            }
            if let previous = reusable[entry.logicalKey], previous.hash == entry.hash, previous.size == entry.size,
                Self.stripVersion(previous.physicalKey) == entry.physicalKey
            {
                // Same bytes already at the same key: keep pointing at them (and at their version) instead of
                // uploading again, so unchanged export files cost nothing and gain no new object versions.
                entry.physicalKey = previous.physicalKey
            } else {
                let file = plan.files[entry.logicalKey]!
                entry.physicalKey = try await registry.putDataFile(
                    from: file.localURL, key: plan.dataKeys[entry.logicalKey]!, contentType: file.contentType,
                    size: entry.size)
            }
            finalEntries.append(entry)
        }
        let manifest = try Manifest(header: plan.manifest.header, entries: finalEntries)
        // Physical keys are outside the top hash, so the plan's hash still names this manifest.
        let topHash = plan.topHash
        try await registry.putManifest(manifest.serialized(), topHash: topHash)
        let revision = Int64(now().timeIntervalSince1970.rounded(.down))
        try await registry.putPointer(topHash: topHash, package: plan.package, tag: String(revision))
        try await registry.putPointer(topHash: topHash, package: plan.package, tag: "latest")
        return .published(
            topHash: topHash, revision: revision, manifestKey: RegistryLayout.manifestKey(topHash: topHash))
    }

    /// The latest revision's entries by logical key; empty when there is none or it cannot be read (then
    /// everything is uploaded, which is always correct).
    private func reusablePhysicalKeys(latest: String?) async -> [String: ManifestEntry] {
        guard let latest, let manifest = try? await registry.readManifest(topHash: latest) else { return [:] }
        var byKey: [String: ManifestEntry] = [:]
        for entry in manifest.entries { byKey[entry.logicalKey] = entry }
        return byKey
    }

    static func stripVersion(_ physicalKey: String) -> String {
        guard let query = physicalKey.firstIndex(of: "?") else { return physicalKey }
        return String(physicalKey[..<query])
    }

    /// `""` stays empty; anything else ends with exactly one `/` and has no leading `/`.
    static func normalizedPrefix(_ prefix: String) -> String {
        var trimmed = Substring(prefix)
        while trimmed.hasPrefix("/") { trimmed = trimmed.dropFirst() }
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return trimmed.isEmpty ? "" : trimmed + "/"
    }
}
