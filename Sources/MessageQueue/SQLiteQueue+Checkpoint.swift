import Foundation
import GRDB

/// Runs the WAL checkpoints of one queue file off the send path.
///
/// Why: with SQLite's automatic checkpoint, the commit that takes the WAL past its threshold runs the checkpoint
/// itself, on the writer connection: it copies the logged pages back into the database file and syncs both files,
/// and every send queued behind that commit waits for it. At 500 sends/s that happened several times a second and
/// made the receiver's p99. A PASSIVE checkpoint on a connection of its own takes no write lock, so senders keep
/// appending while it copies and syncs; it never waits on a busy handler either, so one that meets another
/// process's checkpoint just gives up until the next tick.
///
/// Durability is unchanged: commits still go to the WAL exactly as before (WAL with synchronous=NORMAL, GRDB's
/// choice: a committed send survives a process crash; a power loss may lose the last commits, never corrupt the
/// file). Only who copies the WAL back, and when, differs.
final class SQLiteCheckpointer: @unchecked Sendable {
    /// Often enough that the WAL stays a few thousand frames at most under load; an idle tick costs a few
    /// lock calls and no I/O (there is nothing to copy).
    static let interval: DispatchTimeInterval = .milliseconds(250)
    /// The automatic checkpoint stays as a backstop, at a threshold the background checkpoints keep the WAL well
    /// under: it bounds the WAL of a process that runs no checkpointer, or one whose checkpoints keep failing.
    static let backstopPages = 10_000

    private let connection: DatabaseQueue
    private let timer: any DispatchSourceTimer

    init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.label = "SQLiteQueue.checkpoint"
        connection = try DatabaseQueue(path: path, configuration: configuration)
        let connection = self.connection
        timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "SQLiteQueue.checkpoint", qos: .utility))
        timer.schedule(deadline: .now() + Self.interval, repeating: Self.interval, leeway: .milliseconds(50))
        // A failed checkpoint (busy with another process's, or an I/O error) leaves the WAL as it is; the next tick
        // or the backstop tries again, and sends are not affected either way.
        timer.setEventHandler { _ = try? connection.writeWithoutTransaction { try $0.checkpoint(.passive) } }
        timer.resume()
    }

    deinit {
        timer.cancel()
    }
}
