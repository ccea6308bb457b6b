import Benchling
import Logging

/// Resolves the names of the Benchling objects an entry links to, for `entry.json`'s `links[].name` (the Python
/// service's searchable summary), better than it did: every type with a readable endpoint (entries too), bulk-get
/// where Benchling has it, a few requests at once, and at most `maxIds` ids per job.
///
/// Best effort by design: an id Benchling refuses (403: the app is not in that project or registry; 404/400: gone)
/// or any failure leaves its name out, so the link keeps `name: null`; it never fails the job. Only cancellation
/// propagates.
struct LinkNameResolver: Sendable {
    let client: BenchlingClient
    var maxIds = 200
    /// Ids per bulk-get request.
    var chunkSize = 50
    /// Requests in flight at once.
    var parallelism = 4
    let logger: Logger

    /// One request's worth of work.
    private enum Lookup: Sendable {
        case bulk(NamedObjectKind, [String])
        case single(NamedObjectKind, String)
    }

    func names(for links: [EntryLinks.Link]) async throws -> [String: String] {
        var idsByKind: [NamedObjectKind: [String]] = [:]
        var seen = Set<String>()
        var skipped = 0
        for link in links {
            guard let id = link.id, !id.isEmpty, let kind = NamedObjectKind.byLinkType[link.type],
                seen.insert(id).inserted
            else { continue }
            guard seen.count <= maxIds else {
                skipped += 1
                continue
            }
            idsByKind[kind, default: []].append(id)
        }
        if skipped > 0 {
            logger.notice(
                "link names: only the first \(maxIds) linked objects are looked up", metadata: ["skipped": "\(skipped)"]
            )
        }
        var lookups: [Lookup] = []
        for (kind, ids) in idsByKind.sorted(by: { $0.key.collection < $1.key.collection }) {
            if kind.bulkIdsParameter == nil {
                lookups += ids.map { Lookup.single(kind, $0) }
            } else {
                lookups += stride(from: 0, to: ids.count, by: chunkSize).map {
                    Lookup.bulk(kind, Array(ids[$0..<min($0 + chunkSize, ids.count)]))
                }
            }
        }
        return try await run(lookups)
    }

    /// Runs lookups `parallelism` at a time; a refused bulk request is retried id by id (Benchling refuses the
    /// whole request when one id is unreadable, and the others still deserve their names).
    private func run(_ lookups: [Lookup]) async throws -> [String: String] {
        try await withThrowingTaskGroup(of: [String: String].self) { group in
            var pending = lookups[...]
            var names: [String: String] = [:]
            func startNext(_ group: inout ThrowingTaskGroup<[String: String], any Error>) {
                guard let lookup = pending.popFirst() else { return }
                group.addTask { try await self.perform(lookup) }
            }
            for _ in 0..<parallelism { startNext(&group) }
            while let found = try await group.next() {
                names.merge(found) { first, _ in first }
                startNext(&group)
            }
            return names
        }
    }

    private func perform(_ lookup: Lookup) async throws -> [String: String] {
        switch lookup {
        case .single(let kind, let id):
            do {
                return try await client.name(of: kind, id: id).map { [id: $0] } ?? [:]
            } catch let error as BenchlingError {
                logger.debug("link name not readable", metadata: ["id": "\(id)", "error": "\(error)"])
                return [:]
            }
        case .bulk(let kind, let ids):
            do {
                return try await client.names(of: kind, ids: ids)
            } catch let error as BenchlingError where error.isPermanent && ids.count > 1 {
                // One unreadable id spoils the batch: look the ids up one by one.
                var names: [String: String] = [:]
                for id in ids { names.merge(try await perform(.single(kind, id))) { first, _ in first } }
                return names
            } catch let error as BenchlingError {
                logger.debug("link names not readable", metadata: ["kind": "\(kind.collection)", "error": "\(error)"])
                return [:]
            }
        }
    }
}
