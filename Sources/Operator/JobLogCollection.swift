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
///
/// Files are opened as they are, never created or migrated (the task that owns one may be writing it), and
/// read-only unless a command changes them (`prune`). One unreadable file (corrupt, another version, gone in the
/// meantime) is skipped with a warning that names it, so it cannot hide every other task's jobs.
public final class JobLogCollection: Sendable {
    public let logs: [(name: String, log: JobLog)]
    /// One line per file left out, naming it and why: the command prints them on stderr.
    public let warnings: [String]

    public init(logs: [(name: String, log: JobLog)], warnings: [String] = []) {
        self.logs = logs
        self.warnings = warnings
    }

    /// Opens every file of `location` (the files must exist); `writable` for commands that change them.
    public convenience init(location: JobLogLocation, writable: Bool = false) throws {
        var logs: [(name: String, log: JobLog)] = []
        var warnings: [String] = []
        let files = try location.files()
        for path in files {
            do {
                logs.append((Self.name(ofFile: path), try JobLog(existingAt: path, writable: writable)))
            } catch {
                warnings.append("skipped job log \(path): \(error)")
            }
        }
        guard !logs.isEmpty else {
            throw OperatorError("no readable job log: " + warnings.joined(separator: "; "))
        }
        self.init(logs: logs, warnings: warnings)
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
    /// A file that fails to answer is reported through `skipped` (default: a warning on stderr) and left out.
    public func list(
        status: JobStatus?, entryId: String?, since: Date?, limit: Int, skipped: ((String) -> Void)? = nil
    ) async throws -> [LocatedJob] {
        var merged: [LocatedJob] = []
        for (name, log) in logs {
            do {
                let jobs = try await log.list(status: status, entryId: entryId, since: since, limit: limit)
                merged += jobs.map { LocatedJob(log: name, job: $0) }
            } catch {
                (skipped ?? { OperatorOutput.note("warning: \($0)") })("skipped job log \(name): \(error)")
            }
        }
        merged.sort { ($0.job.createdAt, $0.job.id) > ($1.job.createdAt, $1.job.id) }
        return Array(merged.prefix(max(0, limit)))
    }

    /// The job named by `reference`: a webhook id, a job id, or `LOG:ID` when several files hold that id.
    public func find(_ reference: String) async throws -> LocatedJobDetail {
        for (name, log) in logs {
            // A file that fails to answer was warned about when listed; the others still answer.
            if let detail = try? await log.job(webhookId: reference) {
                return LocatedJobDetail(log: name, detail: detail)
            }
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
            if let detail = try? await log.job(id: id) { found.append(LocatedJobDetail(log: name, detail: detail)) }
        }
        guard let first = found.first else { throw OperatorError("no job \(reference) in \(describeLogs())") }
        guard found.count == 1 else {
            let choices = found.map { "\($0.log):\(id)" }.joined(separator: ", ")
            throw OperatorError("job id \(id) exists in several job logs; name one: \(choices) (or use the webhook id)")
        }
        return first
    }

    /// Deletes finished jobs created before `date` in every file; returns how many per file. Dead-lettered jobs
    /// are all kept when `stillDeadLettered` is nil; otherwise those whose webhook id it holds (still in the DLQ).
    public func prune(
        olderThan date: Date, keepingDeadLettered stillDeadLettered: Set<String>?
    ) async throws -> [(log: String, deleted: Int)] {
        var results: [(log: String, deleted: Int)] = []
        for (name, log) in logs {
            results.append((name, try await log.prune(olderThan: date, keepingDeadLettered: stillDeadLettered)))
        }
        return results
    }

    private func describeLogs() -> String {
        logs.count == 1
            ? "job log \(logs[0].name)" : "\(logs.count) job logs (\(logs.map(\.name).joined(separator: ", ")))"
    }
}
