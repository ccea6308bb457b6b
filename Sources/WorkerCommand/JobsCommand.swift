import ArgumentParser
import Foundation
import JobLog
import Operator

/// `worker jobs`: read the job log — what the worker did with each webhook, and why something failed.
public struct JobsCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "Inspect the job log: list jobs, show one job's story, prune old ones.",
        discussion: """
            Every webhook delivery the worker takes from the queue becomes a job, keyed by its webhook id. Each \
            delivery of the message is an attempt; each attempt records its steps (export, upload, package, \
            canvas…) with timings and errors.

            The job log is SQLite: JOB_LOG_PATH names one file; JOB_LOG_DIR names a directory where each worker \
            task keeps its own *.db file, and then every file is read and merged. --job-log overrides both.

            Examples:
              worker jobs list --status failed --since 24h
              worker jobs show msg_2abcdef
              worker jobs prune --older-than 30d
              worker jobs fold --idle 24h
            """,
        subcommands: [List.self, Show.self, Prune.self, Fold.self])

    public init() {}

    public struct List: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "List jobs, newest first.",
            discussion: """
                The table shows the job id (LOG:ID when several job logs are read; `jobs show` takes either), \
                entry, display id, event type, status, number of attempts, age, and the package with a short top \
                hash — or, for a job that did not succeed, the first line of its last error.

                --json prints one JSON object per line with the fields id, webhook_id, entry_id, display_id, \
                event_type, status, attempts, package, top_hash, error, created_at, updated_at (ISO 8601 UTC) \
                and job_log. Absent values are null.

                Examples:
                  worker jobs list --status dead_lettered
                  worker jobs list --entry etr_1a2b3c --limit 10
                  worker jobs list --since 30m --json | jq -r .webhook_id
                """)

        @Option(
            help: ArgumentHelp(
                "Only jobs with this status: \(JobStatus.allCases.map(\.rawValue).joined(separator: ", ")).",
                valueName: "status"))
        var status: JobStatus?
        @Option(
            name: .customLong("entry"), help: ArgumentHelp("Only jobs of this entry (etr_…).", valueName: "entry-id"))
        var entryId: String?
        @Option(
            help: ArgumentHelp(
                "Only jobs created within this long: 90s, 30m, 24h, 7d, 2w.", valueName: "duration"))
        var since: RelativeDuration?
        @Option(help: "At most this many jobs.")
        var limit: Int = 50
        @Flag(help: "JSON Lines instead of a table.")
        var json = false
        @OptionGroup var jobLog: JobLogOptions

        public init() {}

        public func run() async throws {
            let logs = try jobLog.open(OperatorEnvironment())
            defer { logs.close() }
            let now = Date()
            let jobs = try await logs.list(status: status, entryId: entryId, since: since?.before(now), limit: limit)
            OperatorOutput.out(
                json ? JobReport.jsonLines(jobs) : JobReport.table(jobs, now: now, qualifiedIds: logs.logs.count > 1))
        }
    }

    public struct Show: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Show one job: every attempt with its steps, timings and errors, and where the package is.",
            discussion: """
                JOB is a webhook id (msg_…), a job id from `jobs list`, or LOG:ID when several job logs hold the \
                same id. With the configuration in the environment (QuiltStackARN and BenchlingSecret, as for \
                `worker run`) the S3 prefix and the catalog page of the revision are shown too; without it, the \
                package name. --bucket and --catalog supply them by hand.

                Examples:
                  worker jobs show 42
                  worker jobs show msg_2abcdef --json
                  worker jobs show worker-3f2a:42 --bucket my-bucket --catalog quilt.example.com
                """)

        @Argument(help: ArgumentHelp("Webhook id, job id, or LOG:ID.", valueName: "job"))
        var reference: String
        @Flag(
            help:
                "One JSON object (the `jobs list` fields plus canvas_id, finished_at, s3_prefix, catalog_url and history)."
        )
        var json = false
        @Option(help: ArgumentHelp("The package bucket, when the configuration is not at hand.", valueName: "bucket"))
        var bucket: String?
        @Option(help: ArgumentHelp("The catalog host, when the configuration is not at hand.", valueName: "host"))
        var catalog: String?
        @OptionGroup var jobLog: JobLogOptions

        public init() {}

        public func run() async throws {
            let environment = OperatorEnvironment()
            let logs = try jobLog.open(environment)
            defer { logs.close() }
            let located = try await logs.find(reference)
            var context = PackageContext(bucket: nil, catalogHost: nil)
            if bucket == nil || catalog == nil,
                let configuration = await OperatorOutput.optionalConfiguration(environment)
            {
                context = PackageContext(configuration)
            }
            context.bucket = bucket ?? context.bucket
            context.catalogHost = catalog ?? context.catalogHost
            OperatorOutput.out(
                json
                    ? JobStory.json(located, context: context).compactString() + "\n"
                    : JobStory.text(located, context: context, now: Date()))
        }
    }

    public struct Prune: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Delete finished jobs older than a duration.",
            discussion: """
                Deletes jobs (with their attempts and steps) created longer ago than --older-than whose status is \
                final (succeeded, skipped, failed, dead_lettered). Queued and running jobs are kept whatever their \
                age, and so are dead-lettered jobs whose message is still in the dead-letter queue (it may be \
                replayed): the DLQ of QUEUE_URL is read without consuming it, and when it cannot be read whole \
                every dead-lettered job is kept. Prints how many were deleted. Safe while workers run.

                An age under one day needs --force: recent jobs are what redelivery checks and operators look at.

                Example:
                  worker jobs prune --older-than 30d
                """)

        @Option(
            name: .customLong("older-than"), help: ArgumentHelp("Age: 90s, 30m, 24h, 7d, 2w.", valueName: "duration"))
        var olderThan: RelativeDuration
        @Flag(help: "Allow an age under one day.")
        var force = false
        @OptionGroup var jobLog: JobLogOptions

        public init() {}

        public func validate() throws {
            guard force || olderThan.seconds >= 86_400 else {
                throw ValidationError("--older-than under one day (1d) deletes recent jobs; add --force to mean it")
            }
        }

        public func run() async throws {
            let environment = OperatorEnvironment()
            let stillDeadLettered = await JobPruning.deadLetteredWebhookIds(environment)
            let logs = try jobLog.open(environment, writable: true)
            defer { logs.close() }
            let results = try await logs.prune(
                olderThan: olderThan.before(Date()), keepingDeadLettered: stillDeadLettered)
            OperatorOutput.out(JobPruning.report(results))
        }
    }

    public struct Fold: AsyncParsableCommand {
        public static let configuration = CommandConfiguration(
            abstract: "Fold the job logs of worker tasks that are gone into the directory's archive.db.",
            discussion: """
                Each worker task keeps its own file in JOB_LOG_DIR, and every deployment starts new tasks. A file \
                whose task is gone (no worker holds its lease, and neither it nor its WAL was written for --idle) \
                is moved into archive.db, jobs with their attempts and steps, and deleted. Workers do this \
                themselves at start; this runs it now. Prints the files folded.

                Example:
                  worker jobs fold --idle 24h
                """)

        @Option(help: ArgumentHelp("How long a gone task's file must have been unwritten.", valueName: "duration"))
        var idle: RelativeDuration = RelativeDuration("24h")!
        @OptionGroup var jobLog: JobLogOptions

        public init() {}

        public func run() async throws {
            guard case .directory(let directory) = OperatorEnvironment().jobLogLocation(override: jobLog.path) else {
                throw OperatorError("folding needs a directory of job logs: set JOB_LOG_DIR or pass --job-log DIR")
            }
            let report = try JobLogFolding.fold(directory: directory, idle: TimeInterval(idle.seconds))
            var text =
                "folded \(report.folded.count) job log(s), \(report.jobs) job(s), into \(JobLogFolding.archiveName)\n"
            text += report.folded.map { "  \($0)\n" }.joined()
            OperatorOutput.out(text)
            for failure in report.failed { OperatorOutput.note("warning: not folded: \(failure)") }
        }
    }
}

extension JobStatus: ExpressibleByArgument {}

extension RelativeDuration: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}
