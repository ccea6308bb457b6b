import Foundation
import JobLog

/// One job together with the job log file it lives in (ids are per file).
public struct LocatedJob: Sendable, Equatable {
    /// The file's name without `.db` / `.sqlite`, e.g. `worker-3f2a`.
    public let log: String
    public let job: Job
}

/// A job's full story with the file it lives in.
public struct LocatedJobDetail: Sendable {
    public let log: String
    public let detail: JobDetail
}

/// Every job log of a deployment read as one: lists merge newest first, lookups search every file.
public final class JobLogCollection: Sendable {
    public let logs: [(name: String, log: JobLog)]

    public init(logs: [(name: String, log: JobLog)]) {
        self.logs = logs
    }

    /// Opens every file of `location` (the files must exist).
    public convenience init(location: JobLogLocation) throws {
        var logs: [(name: String, log: JobLog)] = []
        for path in try location.files() {
            logs.append((Self.name(ofFile: path), try JobLog(path: path)))
        }
        self.init(logs: logs)
    }

    public func close() {
        for (_, log) in logs { try? log.close() }
    }

    static func name(ofFile path: String) -> String {
        let file = URL(fileURLWithPath: path).lastPathComponent
        for suffix in [".db", ".sqlite"] where file.hasSuffix(suffix) { return String(file.dropLast(suffix.count)) }
        return file
    }

    /// Newest first across all files (ties: higher id first), at most `limit`.
    public func list(status: JobStatus?, entryId: String?, since: Date?, limit: Int) async throws -> [LocatedJob] {
        var merged: [LocatedJob] = []
        for (name, log) in logs {
            let jobs = try await log.list(status: status, entryId: entryId, since: since, limit: limit)
            merged += jobs.map { LocatedJob(log: name, job: $0) }
        }
        merged.sort { ($0.job.createdAt, $0.job.id) > ($1.job.createdAt, $1.job.id) }
        return Array(merged.prefix(max(0, limit)))
    }

    /// The job named by `reference`: a webhook id, a job id, or `LOG:ID` when several files hold that id.
    public func find(_ reference: String) async throws -> LocatedJobDetail {
        for (name, log) in logs {
            if let detail = try await log.job(webhookId: reference) { return LocatedJobDetail(log: name, detail: detail) }
        }
        var wantedLog: String?
        var idText = Substring(reference)
        if let colon = reference.lastIndex(of: ":"), logs.contains(where: { $0.name == reference[..<colon] }) {
            wantedLog = String(reference[..<colon])
            idText = reference[reference.index(after: colon)...]
        }
        guard let id = Int64(idText) else {
            throw OperatorError("no job with webhook id \(reference) in \(describeLogs())")
        }
        var found: [LocatedJobDetail] = []
        for (name, log) in logs where wantedLog == nil || wantedLog == name {
            if let detail = try await log.job(id: id) { found.append(LocatedJobDetail(log: name, detail: detail)) }
        }
        guard let first = found.first else { throw OperatorError("no job \(reference) in \(describeLogs())") }
        guard found.count == 1 else {
            let choices = found.map { "\($0.log):\(id)" }.joined(separator: ", ")
            throw OperatorError("job id \(id) exists in several job logs; name one: \(choices) (or use the webhook id)")
        }
        return first
    }

    /// Deletes finished jobs created before `date` in every file; returns how many per file.
    public func prune(olderThan date: Date) async throws -> [(log: String, deleted: Int)] {
        var results: [(log: String, deleted: Int)] = []
        for (name, log) in logs { results.append((name, try await log.prune(olderThan: date))) }
        return results
    }

    private func describeLogs() -> String {
        logs.count == 1 ? "job log \(logs[0].name)" : "\(logs.count) job logs (\(logs.map(\.name).joined(separator: ", ")))"
    }
}
