import ArgumentParser
import Operator

/// `--job-log`: shared by the `jobs` subcommands.
struct JobLogOptions: ParsableArguments {
    @Option(
        name: .customLong("job-log"),
        help: ArgumentHelp(
            "A job log file, or a directory whose *.db files are all read.",
            discussion: "Default: JOB_LOG_PATH (a file), else JOB_LOG_DIR (a directory), else worker-jobs.sqlite.",
            valueName: "path"))
    var path: String?

    /// Opens the job logs (read-only unless `writable`) and prints a warning for each file left out.
    func open(_ environment: OperatorEnvironment, writable: Bool = false) throws -> JobLogCollection {
        let logs = try JobLogCollection(location: environment.jobLogLocation(override: path), writable: writable)
        for warning in logs.warnings { OperatorOutput.note("warning: \(warning)") }
        return logs
    }
}
