import Foundation

/// A product executable of this package (`worker`, `receiver`), from the build folder the test bundle runs from:
/// `swift build --build-tests` builds them beside it. Tests run it as an operator or ECS would.
public enum BuiltExecutable {
    public struct Result: Sendable {
        public let status: Int32
        public let stdout: Data
        public let stderr: String
        public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    }

    /// The executable's path; throws when it has not been built.
    public static func path(_ name: String) throws -> String {
        let bundle = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let candidates = [bundle, Bundle.main.bundleURL, URL(fileURLWithPath: CommandLine.arguments[0])]
            .map { $0.deletingLastPathComponent().appendingPathComponent(name).path }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw BuiltExecutableError(
                "no built \(name) executable beside the tests (run `swift build --build-tests`): looked at \(candidates)"
            )
        }
        return found
    }

    /// Runs `name arguments` with exactly `environment` and waits for it (bounded by `timeout`).
    public static func run(
        _ name: String, _ arguments: [String], environment: [String: String], timeout: Duration = .seconds(120)
    ) async throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try path(name))
        process.arguments = arguments
        process.environment = environment
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("stdout")
        let err = folder.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                process.terminate()
                throw BuiltExecutableError(
                    "\(name) \(arguments.joined(separator: " ")) did not finish within \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return Result(
            status: process.terminationStatus, stdout: try Data(contentsOf: out),
            stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self))
    }
}

public struct BuiltExecutableError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
