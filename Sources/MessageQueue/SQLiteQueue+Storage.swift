import Foundation
import GRDB

extension SQLiteQueue {
    /// Runs `body` in an IMMEDIATE transaction (GRDB 7's `write` takes the write lock up front, so concurrent
    /// processes queue up instead of failing on a lock upgrade), mapping storage errors to `QueueError`.
    func writeImmediately<T: Sendable>(
        _ operation: String, _ body: @escaping @Sendable (Database) throws -> T
    ) async throws -> T {
        do {
            return try await pool.write(body)
        } catch {
            throw Self.queueError(error, doing: operation)
        }
    }

    static func queueError(_ error: any Error, doing operation: String) -> any Error {
        if error is QueueError || error is CancellationError { return error }
        if let database = error as? DatabaseError {
            let busy = database.resultCode == .SQLITE_BUSY || database.resultCode == .SQLITE_LOCKED
            return QueueError(busy ? .unavailable : .storage, "\(operation): \(database.message ?? "\(database)")")
        }
        return QueueError(.storage, "\(operation): \(error)")
    }

    static func encode(_ attributes: [String: String]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(attributes), as: UTF8.self)
    }

    static func decode(_ attributes: String) throws -> [String: String] {
        try JSONDecoder().decode([String: String].self, from: Data(attributes.utf8))
    }
}
