import Foundation
import Logging
import Observability

/// The `worker` executable: JSON-line logs (one object per line, for CloudWatch) unless stdout is a terminal,
/// then the argument-parser command tree (`WorkerRootCommand`).
@main
struct WorkerCommand {
    static func main() async {
        if isatty(STDOUT_FILENO) == 0 {
            LoggingSystem.bootstrap { label in JSONLogHandler(label: label, level: .info) }
        }
        await WorkerRootCommand.main()
    }
}
