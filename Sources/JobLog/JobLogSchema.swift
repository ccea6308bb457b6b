import GRDB

/// The job log's schema as named, append-only migration steps. Never edit a shipped step: add a new one.
enum JobLogSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()

        migrator.registerMigration("create-job") { db in
            try db.create(table: "job") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("webhook_id", .text).notNull().unique()
                t.column("entry_id", .text)
                t.column("display_id", .text)
                t.column("event_type", .text).notNull()
                t.column("canvas_id", .text)
                t.column("status", .text).notNull()
                t.column("attempts", .integer).notNull().defaults(to: 0)
                t.column("package", .text)
                t.column("top_hash", .text)
                t.column("error", .text)
                t.column("message_body", .text).notNull()
                t.column("created_at", .datetime).notNull()
                t.column("updated_at", .datetime).notNull()
                t.column("finished_at", .datetime)
            }
            // `list --status failed` newest first, `list` newest first, and `list --entry`/latestSucceeded.
            // The implicit trailing rowid makes each index also ordered by id for ties.
            try db.create(index: "job_status_created", on: "job", columns: ["status", "created_at"])
            try db.create(index: "job_created", on: "job", columns: ["created_at"])
            try db.create(index: "job_entry_created", on: "job", columns: ["entry_id", "created_at"])
        }

        migrator.registerMigration("create-attempt") { db in
            try db.create(table: "attempt") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("job_id", .integer).notNull().references("job", onDelete: .cascade)
                t.column("number", .integer).notNull()
                t.column("started_at", .datetime).notNull()
                t.column("finished_at", .datetime)
                t.column("outcome", .text)
                t.column("error", .text)
                t.uniqueKey(["job_id", "number"])
            }
        }

        migrator.registerMigration("create-step") { db in
            try db.create(table: "step") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("attempt_id", .integer).notNull().references("attempt", onDelete: .cascade)
                t.column("name", .text).notNull()
                t.column("started_at", .datetime).notNull()
                t.column("finished_at", .datetime)
                t.column("outcome", .text)
                t.column("detail", .text)
            }
            try db.create(index: "step_attempt", on: "step", columns: ["attempt_id"])
        }

        return migrator
    }

    /// Brings the schema at `writer` up to date. GRDB decides which steps to run before it takes the write lock,
    /// so two connections opening a new file at once (two processes, or a test beside the worker) both plan
    /// every step and the second fails on its first one ("table job already exists"). Each step commits with its
    /// name, so planning again reads what the other applied; an error that survives a few plans is real.
    static func migrate(_ writer: some DatabaseWriter) throws {
        var plans = 1
        while true {
            do {
                try migrator.migrate(writer)
                return
            } catch let error as DatabaseError where error.resultCode == .SQLITE_ERROR && plans < 4 {
                plans += 1
            }
        }
    }
}
