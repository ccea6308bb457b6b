import ArgumentParser
import Config
import Foundation
import Logging

/// Writing for operator commands: results on stdout (so they pipe), notes and reminders on stderr. Everything
/// written goes through `OperatorFormat.printable`: no control character from a job log or a queue message
/// reaches the terminal raw (JSON output stays valid JSON with the same values).
enum OperatorOutput {
    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data(OperatorFormat.printable(text).utf8))
    }

    static func note(_ text: String) {
        let line = OperatorFormat.printable(text)
        FileHandle.standardError.write(Data((line.hasSuffix("\n") ? line : line + "\n").utf8))
    }

    /// The configuration when its inputs are in the environment (`QuiltStackARN` / `BenchlingSecret`), else nil.
    /// A failure is reported on stderr and treated as unknown: inspecting the job log must work without it.
    static func optionalConfiguration(_ environment: OperatorEnvironment) async -> Configuration? {
        let inputs = ["QuiltStackARN", "QUILT_STACK_ARN", "BenchlingSecret", "BENCHLING_SECRET"]
        guard inputs.contains(where: { environment.text($0) != nil }) else { return nil }
        var logger = Logger(label: "worker.operator.config")
        logger.logLevel = .critical
        do {
            return try await ConfigurationResolver(environment: environment.variables, logger: logger).resolve()
        } catch {
            note("configuration unusable, showing package names only: \(error.summary)")
            return nil
        }
    }
}

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
