import Config
import Foundation
import Logging

/// Writing for operator commands: results on stdout (so they pipe), notes and reminders on stderr. Everything
/// written goes through `OperatorFormat.printable`: no control character from a job log or a queue message
/// reaches the terminal raw (JSON output stays valid JSON with the same values).
public enum OperatorOutput {
    public static func out(_ text: String) {
        FileHandle.standardOutput.write(Data(OperatorFormat.printable(text).utf8))
    }

    public static func note(_ text: String) {
        let line = OperatorFormat.printable(text)
        FileHandle.standardError.write(Data((line.hasSuffix("\n") ? line : line + "\n").utf8))
    }

    /// The configuration when its inputs are in the environment (`QuiltStackARN` / `BenchlingSecret`), else nil.
    /// A failure is reported on stderr and treated as unknown: inspecting the job log must work without it.
    public static func optionalConfiguration(_ environment: OperatorEnvironment) async -> Configuration? {
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
