import Foundation

/// Runs one of the Python judges (scripts/judges/*.py) with the venv's interpreter and collects its output.
///
/// Independent tools (quilt3, botocore, jsonschema) decide whether what our code produced is right; this is
/// the single place the suite starts them from.
public struct PythonJudge: Sendable {
    public struct Result: Sendable {
        public let status: Int32
        public let stdout: Data
        public let stderr: String
        public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    }

    public let environment: TestEnvironment

    public init(_ environment: TestEnvironment) { self.environment = environment }

    /// Runs `scripts/judges/<script>` with `arguments`, feeding `input` on stdin.
    public func run(
        _ script: String, arguments: [String] = [], input: Data? = nil, env: [String: String]? = nil
    ) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: environment.python)
        process.arguments = [environment.repoRoot.appendingPathComponent("scripts/judges/\(script)").path] + arguments
        process.environment = env ?? environment.pythonEnvironment()
        let stdout = Pipe(), stderr = Pipe(), stdin = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = stdin
        try process.run()
        // Drain both pipes concurrently so a chatty judge cannot block on a full pipe.
        let errBox = DataBox()
        let errThread = Thread { errBox.data = stderr.fileHandleForReading.readDataToEndOfFile() }
        errThread.start()
        if let input { stdin.fileHandleForWriting.write(input) }
        try stdin.fileHandleForWriting.close()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errBox.done { usleep(1000) }
        return Result(
            status: process.terminationStatus, stdout: out, stderr: String(decoding: errBox.data, as: UTF8.self))
    }
}

private final class DataBox: @unchecked Sendable {
    private let lock = NSLock()
    private var _data = Data()
    private var _done = false
    var data: Data {
        get { lock.withLock { _data } }
        set {
            lock.withLock {
                _data = newValue; _done = true
            }
        }
    }
    var done: Bool { lock.withLock { _done } }
}
