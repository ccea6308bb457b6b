import ArgumentParser
import DevStack
import Foundation
import Logging

/// `swift run dev`: the whole product on this machine, with no AWS account and no Benchling tenant.
@main
struct DevCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev",
        abstract: "Run a Benchling sandbox, the receiver and the worker in one process on one local folder.",
        discussion: """
            Everything lives under --dir: secret.json, queue.db, jobs.sqlite, registry/ (a local Quilt registry), \
            dev.log. Sends sample signed webhooks, waits for the jobs, prints packages and canvases, then keeps \
            running: press Enter to edit every sample entry in the sandbox and press "Update Package" on its \
            canvas (a new revision each time; or type an entry id / display id for one), Ctrl-C to stop.
            """)

    @Option(help: "The folder that holds everything the stack writes.")
    var dir = ".dev-run"

    @Option(help: "Receiver port on 127.0.0.1 (0 = any free port).")
    var port = 8080

    @Option(help: "How many sample entries to seed; each gets a v2.entry.created and a v2.canvas.created webhook.")
    var events = 3

    @Flag(help: "Exit after the sample events are processed instead of running until Ctrl-C.")
    var noWait = false

    @Flag(help: "Also print the services' logs on stderr (they always go to <dir>/dev.log).")
    var verbose = false

    func validate() throws {
        guard (1...50).contains(events) else { throw ValidationError("--events must be 1...50") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0...65535") }
    }

    func run() async throws {
        let folder = try DevFolder(path: dir)
        let sink = try FileLogHandler.Sink(url: folder.log)
        let verbose = verbose
        LoggingSystem.bootstrap { label in
            let file = FileLogHandler(label: label, sink: sink, level: .info)
            guard verbose else { return file }
            var console = StreamLogHandler.standardError(label: label)
            console.logLevel = .info
            return MultiplexLogHandler([file, console])
        }
        var options = DevStackOptions(folder: folder)
        options.receiverPort = port
        options.sampleCount = events
        options.handlesSignals = !noWait
        say("Starting the dev stack in \(folder.root.path) (logs: \(folder.log.path)) …")
        let stack = try await DevStack.start(options)
        say(
            """
            Benchling sandbox  \(stack.sandbox.baseURL.absoluteString)  (JWKS \(stack.sandbox.jwksURL.absoluteString))
            Receiver           \(stack.receiverURL.absoluteString)  (POST /event, /canvas; GET /health)
            Queue              \(folder.queueAddress)
            Job log            \(folder.jobLog.path)
            Registry           \(folder.registryAddress)
            Sending \(stack.samples.count * 2) signed sample webhooks …
            """)
        let session = DevSession(stack: stack)
        do {
            let results = try await session.sendSamples()
            say(await DevReport.make(results: results, stack: stack).text)
        } catch {
            say("sample round failed: \(error)")
        }
        if noWait {
            await stack.shutdown()
            return
        }
        say(
            """

            Running until Ctrl-C. Press Enter to edit every sample entry in the sandbox and press "Update Package" \
            on its canvas (new revisions), or type an entry id or display id (e.g. \(stack.samples[0].displayId)) \
            and Enter for just that one.
            """)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await Self.handleInput(session: session, stack: stack) }
            group.addTask { await stack.waitUntilStopped() }
            await group.next()
            group.cancelAll()
        }
        say("Shutting down …")
        await stack.shutdown()
        say("Stopped. Everything stays in \(folder.root.path).")
    }

    /// Each line on stdin triggers an update round; EOF (no terminal) just waits for Ctrl-C.
    static func handleInput(session: DevSession, stack: DevStack) async {
        for await line in StandardInputLines.stream() {
            let name = line.trimmingCharacters(in: .whitespaces)
            var targets: [SampleEntry] = []
            if !name.isEmpty {
                guard let sample = session.sample(named: name) else {
                    say("unknown entry \(name); known: \(stack.samples.map(\.displayId).joined(separator: ", "))")
                    continue
                }
                targets = [sample]
            }
            do {
                let results = try await session.pressUpdate(on: targets)
                say(await DevReport.make(results: results, stack: stack).text)
            } catch {
                say("update failed: \(error)")
            }
            say("\nPress Enter to update again, Ctrl-C to stop.")
        }
        await stack.waitUntilStopped()
    }
}

/// Writes `text` and a line break to stdout at once. `print` goes through C's stdout buffer, which is
/// block-buffered when stdout is a pipe (`swift run dev | tee out.log`): nothing would appear until exit, and
/// Ctrl-C would lose it.
func say(_ text: String = "") {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}
