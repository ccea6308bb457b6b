import Foundation
import JSONCore
import JobLog

/// How `jobs list` prints jobs: a table for people, JSON Lines for scripts.
///
/// JSON field names are a contract (scripts and dashboards parse them): `id`, `webhook_id`, `entry_id`,
/// `display_id`, `event_type`, `status`, `attempts`, `package`, `top_hash`, `error`, `created_at`, `updated_at`
/// (ISO 8601 UTC), plus `job_log` (the file the job is in; ids are per file). Absent values are `null`.
public enum JobReport {
    /// One JSON object per job.
    public static func json(_ located: LocatedJob) -> JSONObject {
        let job = located.job
        func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
        return [
            "id": .integer(String(job.id)),
            "webhook_id": .string(job.webhookId),
            "entry_id": optional(job.entryId),
            "display_id": optional(job.displayId),
            "event_type": .string(job.eventType),
            "status": .string(job.status.rawValue),
            "attempts": .int(job.attempts),
            "package": optional(job.package),
            "top_hash": optional(job.topHash),
            "error": optional(job.error),
            "created_at": .string(OperatorFormat.iso(job.createdAt)),
            "updated_at": .string(OperatorFormat.iso(job.updatedAt)),
            "job_log": .string(located.log),
        ]
    }

    /// JSON Lines: one compact object per line, newest first.
    public static func jsonLines(_ jobs: [LocatedJob]) -> String {
        jobs.map { json($0).compactString() + "\n" }.joined()
    }

    /// The reference `jobs show` accepts for this job: its id, prefixed with the file when several are read.
    static func reference(_ located: LocatedJob, qualified: Bool) -> String {
        qualified ? "\(located.log):\(located.job.id)" : String(located.job.id)
    }

    /// A table: id, entry, display id, event, status, attempts, age, then the package with a short top hash
    /// or the error (first line, truncated).
    public static func table(_ jobs: [LocatedJob], now: Date, qualifiedIds: Bool) -> String {
        guard !jobs.isEmpty else { return "no jobs\n" }
        let rows = jobs.map { located -> [String] in
            let job = located.job
            return [
                reference(located, qualified: qualifiedIds), job.entryId ?? "-", job.displayId ?? "-", job.eventType,
                job.status.rawValue, String(job.attempts), OperatorFormat.age(from: job.createdAt, to: now),
                outcome(job),
            ]
        }
        return OperatorFormat.table(
            header: ["ID", "ENTRY", "DISPLAY", "EVENT", "STATUS", "TRIES", "AGE", "PACKAGE / ERROR"], rows: rows)
    }

    /// `benchling/EXP-1@1a2b3c4d5e` when a package was written, else the error, else `-`.
    static func outcome(_ job: Job) -> String {
        if let error = job.error, !job.status.isFinishedSuccessfully { return OperatorFormat.truncated(error, 60) }
        if let package = job.package {
            return job.topHash.map { "\(package)@\($0.prefix(10))" } ?? package
        }
        return "-"
    }
}
