import ArgumentParser
import Config
import Foundation
import Logging

/// Writing for operator commands: results on stdout (so they pipe), notes and reminders on stderr.
enum OperatorOutput {
    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func note(_ text: String) {
        FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
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

    func open(_ environment: OperatorEnvironment) throws -> JobLogCollection {
        try JobLogCollection(location: environment.jobLogLocation(override: path))
    }
}
