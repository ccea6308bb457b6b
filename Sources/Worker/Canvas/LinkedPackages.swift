import Foundation
import JSONCore
import Quilt

/// What the linked-package lookup found: packages whose metadata `PKG_KEY` names the entry's display id.
public enum LinkedPackages: Sendable, Equatable {
    /// Found by reading manifests: `examined` packages were read; `truncated` when the bucket had more than the
    /// lookup reads.
    case found([PackageName], examined: Int, truncated: Bool)
    /// Found by the Athena query; `truncated` when it matched more packages than its first page lists.
    case queried([PackageName], truncated: Bool)
    /// The lookup itself failed: the canvas says so instead of showing an empty list.
    case failed(String)
}

/// A way of finding the packages linked to an entry. Never throws: a failure is a `.failed` result, shown on
/// the canvas.
public protocol LinkedPackageLookup: Sendable {
    /// Packages other than `own` whose latest revision's `user_meta` has `displayId` at `PKG_KEY` (a dotted key is a
    /// nested path; see `PackageKeyPath`), sorted.
    func find(displayId: String, excluding own: PackageName?) async -> LinkedPackages
}

/// Finds linked packages without Athena: lists the registry's named packages and reads the latest manifest
/// header of each (the always-available fallback; only line 1 of each manifest is read). Bounded to `limit`
/// packages so a big bucket cannot make a click slow without end; the result says when it stopped early.
public struct LinkedPackageFinder: LinkedPackageLookup {
    public let registry: any PackageRegistry
    public let packageKey: String
    public let limit: Int
    /// Header reads in flight at once.
    public let parallelism: Int

    public init(registry: any PackageRegistry, packageKey: String, limit: Int = 200, parallelism: Int = 8) {
        self.registry = registry
        self.packageKey = packageKey
        self.limit = limit
        self.parallelism = max(1, parallelism)
    }

    /// Unreadable individual manifests are skipped (another tool's broken package must not hide the rest).
    public func find(displayId: String, excluding own: PackageName?) async -> LinkedPackages {
        let all: [PackageName]
        do {
            all = try await registry.listPackages()
        } catch is CancellationError {
            return .failed("cancelled")
        } catch {
            return .failed("the package list could not be read (\(error))")
        }
        let candidates = Array(all.filter { $0 != own }.prefix(limit))
        let truncated = all.filter { $0 != own }.count > candidates.count
        let matches = await withTaskGroup(of: PackageName?.self) { group in
            var found: [PackageName] = []
            var next = 0
            func add(_ group: inout TaskGroup<PackageName?>) {
                let package = candidates[next]
                next += 1
                group.addTask { await self.isLinked(package, to: displayId) ? package : nil }
            }
            while next < min(parallelism, candidates.count) { add(&group) }
            while let result = await group.next() {
                if let result { found.append(result) }
                if next < candidates.count { add(&group) }
            }
            return found
        }
        return .found(matches.sorted(), examined: candidates.count, truncated: truncated)
    }

    /// Whether the package's latest header links it to `displayId`; false when it cannot be read.
    func isLinked(_ package: PackageName, to displayId: String) async -> Bool {
        guard let latest = try? await registry.readLatestManifestHeader(of: package) else { return false }
        return PackageKeyPath(packageKey).matches(latest.header.userMeta, value: displayId)
    }
}
