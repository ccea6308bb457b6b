import Config
import Foundation
import JSONCore
import JobLog
import Quilt

/// Where packages live, when the configuration is known: turns a package name into its S3 prefix and catalog page.
public struct PackageContext: Sendable, Equatable {
    public var bucket: String?
    public var catalogHost: String?

    public init(bucket: String?, catalogHost: String?) {
        self.bucket = bucket
        self.catalogHost = catalogHost
    }

    public init(_ configuration: Configuration) {
        self.init(bucket: configuration.userBucket.bucketName, catalogHost: configuration.catalogHost)
    }

    /// `s3://bucket/benchling/EXP-1/`: the worker writes a package's files under its own name.
    func s3Prefix(_ package: String) -> String? {
        bucket.map { "s3://\($0)/\(package)/" }
    }

    /// The catalog page of the revision the job wrote (of the package when the top hash is unknown).
    func catalogURL(_ package: String, topHash: String?) -> String? {
        guard let bucket, let catalogHost, let name = try? PackageName(package) else { return nil }
        let links = CatalogLinks(host: catalogHost, bucket: bucket)
        return topHash.map { links.revisionPage(name, revision: .topHash($0)) } ?? links.packagePage(name)
    }
}

/// `jobs show`: one job's whole story — every attempt with its steps, timings and errors, and where the result is.
public enum JobStory {
    public static func json(_ located: LocatedJobDetail, context: PackageContext) -> JSONObject {
        let job = located.detail.job
        func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
        func time(_ date: Date?) -> JSONValue { date.map { .string(OperatorFormat.iso($0)) } ?? .null }
        var object = JobReport.json(LocatedJob(log: located.log, job: job))
        object["canvas_id"] = optional(job.canvasId)
        object["finished_at"] = time(job.finishedAt)
        object["s3_prefix"] = optional(job.package.flatMap(context.s3Prefix))
        object["catalog_url"] = optional(job.package.flatMap { context.catalogURL($0, topHash: job.topHash) })
        object["history"] = .array(
            located.detail.attempts.map { detail in
                let attempt = detail.attempt
                let steps: [JSONValue] = detail.steps.map { step in
                    .object([
                        "name": .string(step.name), "outcome": optional(step.outcome?.rawValue),
                        "started_at": time(step.startedAt), "finished_at": time(step.finishedAt),
                        "duration_ms": step.finishedAt.map { .int(milliseconds($0.timeIntervalSince(step.startedAt))) }
                            ?? .null,
                        "detail": optional(step.detail),
                    ])
                }
                return .object([
                    "number": .int(attempt.number), "outcome": optional(attempt.outcome?.rawValue),
                    "started_at": time(attempt.startedAt), "finished_at": time(attempt.finishedAt),
                    "error": optional(attempt.error), "steps": .array(steps),
                ])
            })
        return object
    }

    public static func text(_ located: LocatedJobDetail, context: PackageContext, now: Date) -> String {
        let job = located.detail.job
        var lines: [String] = []
        func fact(_ label: String, _ value: String?) {
            guard let value else { return }
            lines.append(label.padding(toLength: 12, withPad: " ", startingAt: 0) + value)
        }
        lines.append("Job \(job.id) in \(located.log): \(job.status.rawValue) after \(job.attempts) attempt(s)")
        fact("webhook", job.webhookId)
        fact("event", job.eventType)
        fact("entry", [job.entryId, job.displayId.map { "(\($0))" }].compactMap { $0 }.joined(separator: " "))
        fact("canvas", job.canvasId)
        fact(
            "created", "\(OperatorFormat.iso(job.createdAt)) (\(OperatorFormat.age(from: job.createdAt, to: now)) ago)")
        fact("updated", OperatorFormat.iso(job.updatedAt))
        fact("finished", job.finishedAt.map(OperatorFormat.iso))
        if let package = job.package {
            fact("package", package)
            fact("top hash", job.topHash)
            fact("s3 prefix", context.s3Prefix(package))
            fact("catalog", context.catalogURL(package, topHash: job.topHash))
        }
        fact("error", job.error)
        for detail in located.detail.attempts {
            let attempt = detail.attempt
            lines.append("")
            lines.append(
                "Attempt \(attempt.number): \(attempt.outcome?.rawValue ?? "running") — started \(OperatorFormat.iso(attempt.startedAt)), "
                    + OperatorFormat.milliseconds(from: attempt.startedAt, to: attempt.finishedAt))
            if let error = attempt.error { lines.append("  error: \(error)") }
            let rows = detail.steps.map { step in
                [
                    step.name, step.outcome?.rawValue ?? "running",
                    OperatorFormat.milliseconds(from: step.startedAt, to: step.finishedAt), step.detail ?? "",
                ]
            }
            if !rows.isEmpty {
                let table = OperatorFormat.table(header: ["STEP", "OUTCOME", "TIME", "DETAIL"], rows: rows)
                lines += table.split(separator: "\n").map { "  " + $0 }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func milliseconds(_ interval: TimeInterval) -> Int { Int((interval * 1000).rounded()) }
}
