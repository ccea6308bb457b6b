import Config
import Foundation
import Timing

/// Deployment wiring of the worker process that is not configuration (that comes from the resolver): where the
/// queue and job log are, how much to do at once, and every bound on waiting.
///
/// Read from the environment once at start; tests build it directly with short bounds.
public struct WorkerSettings: Sendable {
    /// `QUEUE_URL`: an SQS queue URL, or `sqlite:///path` for the embedded queue.
    public var queueAddress: String
    /// `PACKAGE_EVENT_QUEUE_URL`: the SQS queue Quilt's `package-revision` events arrive on (the template's EventBridge
    /// rule fills it); nil: no event consumer, canvases change only through webhooks and buttons.
    public var packageEventQueueAddress: String?
    /// Package events handled at once (each is a registry read and one canvas PATCH, so few are enough).
    public var packageEventConcurrency: Int = 2
    /// `JOB_LOG_PATH`; else `JOB_LOG_DIR/worker-<host>.db`; else `./worker-jobs.sqlite`.
    public var jobLogPath: String
    /// `JOB_LOG_DIR` when the job log is a per-task file there: the worker folds gone tasks' logs of this
    /// directory into its archive at start (see `JobLogFolding`).
    public var jobLogDirectory: String?
    /// How long a gone task's log must have been unwritten before it is folded.
    public var jobLogFoldIdle: Duration = .seconds(24 * 3_600)
    /// `WORKER_CONCURRENCY` (default 4): jobs running at once, across entries.
    public var concurrency: Int = 4
    /// `METRICS_PORT`: serve `/metrics` when set.
    public var metricsPort: Int?
    /// Long-poll wait of one receive (SQS allows at most 20 s).
    public var receiveWait: Duration = .seconds(20)
    /// Visibility timeout requested on receive; nil = the queue's default.
    public var visibilityTimeout: Duration?
    /// `EXPORT_MAX_WAIT_SECONDS` (default 900): how long one Benchling export may run.
    public var exportMaxWait: Duration = .seconds(900)
    /// First and largest gap between export task polls.
    public var exportPollInterval: Duration = .seconds(1)
    public var exportMaxPollInterval: Duration = .seconds(10)
    /// A transient failure makes the message visible again after `10 s × 2^(receiveCount-1)`, at most 15 min
    /// (no jitter: SQS enforces the visibility delay itself), so SQS redrive dead-letters it after
    /// maxReceiveCount tries spread over time.
    public var redeliveryBackoff = Backoff(baseDelay: .seconds(10), maxDelay: .seconds(900), jitter: .none)
    /// `WORKER_STOP_TIMEOUT_SECONDS` (default 25, inside ECS's default 30 s stop timeout): how long a stopping
    /// worker lets running jobs finish before handing their messages back.
    public var stopTimeout: Duration = .seconds(25)
    /// Bound on each queue call made while cleaning up (hand-back, delete after cancellation).
    public var cleanupTimeout: Duration = .seconds(10)
    /// Back-off between attempts to resolve an unusable configuration (5 s doubling to 5 min, with jitter).
    public var configurationRetry = Backoff(baseDelay: .seconds(5), maxDelay: .seconds(300))
    /// `CONFIG_REFRESH_SECONDS` (default 300): how often the configuration in use is re-resolved.
    public var configurationRefresh: Duration = ConfigurationLoop.defaultRefreshInterval
    /// `MAX_EXPORT_BYTES` (default 5 GiB) and the other caps on what one export may write to disk.
    public var exportLimits = ExportLimits()
    /// Where export ZIPs are downloaded and extracted (removed after each job).
    public var temporaryDirectory: URL = FileManager.default.temporaryDirectory
    /// `BUILD_VERSION` (the image sets it from its build's `VERSION`): shown in the canvas footer.
    public var buildVersion: String = "dev"

    public init(queueAddress: String, jobLogPath: String) {
        self.queueAddress = queueAddress
        self.jobLogPath = jobLogPath
    }

    /// Problems with the process environment; each names the variable.
    public struct Problem: Error, Sendable, CustomStringConvertible {
        public let variable: String
        public let message: String
        public var description: String { "\(variable): \(message)" }
    }

    /// Reads the settings from the environment; throws every problem found at once.
    /// The job log file of this task inside a shared directory (the deployment's EFS volume). Each worker task
    /// keeps its own SQLite file there, because SQLite's WAL must not be shared across hosts on a network file
    /// system; `worker jobs …` reads every `*.db` in the directory. On Fargate (awsvpc) every task has its own
    /// host name, which makes the file name unique per task and stable across restarts of the same task.
    static func perTaskJobLog(in directory: String, host: String?) -> String {
        let name = host.flatMap { $0.isEmpty ? nil : $0 } ?? ProcessInfo.processInfo.hostName
        let safe = String(
            name.unicodeScalars.map { scalar -> Character in
                CharacterSet.alphanumerics.contains(scalar) || scalar == "-" || scalar == "." ? Character(scalar) : "_"
            })
        return URL(fileURLWithPath: directory).appendingPathComponent("worker-\(safe).db").path
    }

    public static func fromEnvironment(_ environment: [String: String]) throws(WorkerSettingsError) -> WorkerSettings {
        var problems: [Problem] = []
        func text(_ name: String) -> String? {
            guard let value = environment[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else {
                return nil
            }
            return value
        }
        func integer(_ name: String, in range: ClosedRange<Int>) -> Int? {
            guard let value = text(name) else { return nil }
            guard let number = Int(value), range.contains(number) else {
                problems.append(Problem(variable: name, message: "expected a whole number in \(range), got \(value)"))
                return nil
            }
            return number
        }
        let queue = text("QUEUE_URL")
        if queue == nil {
            problems.append(
                Problem(
                    variable: "QUEUE_URL", message: "not set: the SQS queue URL (or sqlite:///path) to drain"))
        }
        var settings = WorkerSettings(
            queueAddress: queue ?? "",
            jobLogPath: text("JOB_LOG_PATH")
                ?? text("JOB_LOG_DIR").map { Self.perTaskJobLog(in: $0, host: text("HOSTNAME")) }
                ?? "worker-jobs.sqlite")
        if text("JOB_LOG_PATH") == nil { settings.jobLogDirectory = text("JOB_LOG_DIR") }
        settings.packageEventQueueAddress = text("PACKAGE_EVENT_QUEUE_URL")
        if let value = integer("WORKER_CONCURRENCY", in: 1...64) { settings.concurrency = value }
        if let value = text("BUILD_VERSION") { settings.buildVersion = value }
        settings.metricsPort = integer("METRICS_PORT", in: 1...65535)
        if let value = integer("EXPORT_MAX_WAIT_SECONDS", in: 1...86_400) { settings.exportMaxWait = .seconds(value) }
        if let value = integer("WORKER_STOP_TIMEOUT_SECONDS", in: 0...3_600) { settings.stopTimeout = .seconds(value) }
        if let value = integer("MAX_EXPORT_BYTES", in: (1 << 20)...(1 << 40)) {
            settings.exportLimits.maxTotalBytes = Int64(value)
        }
        if let value = integer("VISIBILITY_TIMEOUT_SECONDS", in: 1...43_200) {
            settings.visibilityTimeout = .seconds(value)
        }
        switch ConfigurationLoop.refreshInterval(environment: environment) {
        case .success(let interval): settings.configurationRefresh = interval
        case .failure(let problem):
            problems.append(Problem(variable: ConfigurationLoop.refreshVariable, message: problem.description))
        }
        guard problems.isEmpty else { throw WorkerSettingsError(problems: problems) }
        return settings
    }

    /// The visibility delay after a transient failure on delivery number `receiveCount` (1-based).
    public func retryDelay(receiveCount: Int) -> Duration {
        redeliveryBackoff.delay(beforeRetry: receiveCount - 1)
    }
}

/// Every problem with the worker's environment.
public struct WorkerSettingsError: Error, Sendable, CustomStringConvertible {
    public let problems: [WorkerSettings.Problem]
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
