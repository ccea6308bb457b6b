import Foundation
import TestSupport
import Testing

/// `swift run dev | tee out.log`: with stdout a pipe, the dev command's lines appear while it runs (not only at
/// exit), and Ctrl-C (SIGINT) loses none of them.
@Suite("dev command output", .timeLimit(.minutes(5)))
struct DevOutputTests {
    @Test("piped stdout shows the first lines while the stack runs, and the last ones after SIGINT")
    func pipedOutputIsLineBuffered() async throws {
        let binary = try ExecutableProducts.directory().appendingPathComponent("dev")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(TestEnvironment.uniqueName("devout"))
        defer { try? FileManager.default.removeItem(at: folder) }
        let process = Process()
        process.executableURL = binary
        process.arguments = ["--dir", folder.path, "--port", "0", "--events", "1"]
        let output = Pipe(), input = Pipe()
        process.standardOutput = output
        process.standardInput = input  // held open: the dev command waits for Enter or Ctrl-C
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        // The dev command runs until Ctrl-C: whatever arrives before we send it was flushed while running.
        let reader = LineReader(output.fileHandleForReading)
        let first = try await reader.waitFor("Starting the dev stack", timeout: .seconds(120))
        #expect(process.isRunning, "the line arrived while the command runs: \(first)")
        _ = try await reader.waitFor("Running until Ctrl-C", timeout: .seconds(240))
        #expect(process.isRunning)

        process.interrupt()  // Ctrl-C
        process.waitUntilExit()
        let rest = try await reader.waitFor("Stopped.", timeout: .seconds(60))
        #expect(rest.contains("Stopped."))
    }
}

/// Accumulates a pipe's output on a thread of its own; `waitFor` polls it with a deadline.
private final class LineReader: @unchecked Sendable {
    private let lock = NSLock()
    private var text = ""

    init(_ handle: FileHandle) {
        Thread { [self] in
            while true {
                let data = handle.availableData
                if data.isEmpty { return }
                lock.withLock { text += String(decoding: data, as: UTF8.self) }
            }
        }.start()
    }

    /// The output so far, once it contains `marker`.
    func waitFor(_ marker: String, timeout: Duration) async throws -> String {
        if try await eventually(timeout: timeout, { lock.withLock { text }.contains(marker) }) {
            return lock.withLock { text }
        }
        throw TemplateError("no \"\(marker)\" in the dev command's output within \(timeout): \(lock.withLock { text })")
    }
}
