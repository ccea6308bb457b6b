import GRDB

/// The queue file's schema as named, append-only migration steps.
enum SQLiteQueueSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()

        migrator.registerMigration("create-message") { db in
            // Times are Unix seconds (REAL): compared with "now" on every receive, so numbers beat text.
            try db.create(table: "message") { t in
                // Send order: FIFO within a group is "lowest seq first".
                t.autoIncrementedPrimaryKey("seq")
                t.column("queue", .text).notNull()
                t.column("message_id", .text).notNull().unique()
                t.column("body", .text).notNull()
                t.column("group_id", .text)
                t.column("deduplication_id", .text)
                t.column("attributes", .text).notNull().defaults(to: "{}")
                t.column("sent_at", .double).notNull()
                t.column("visible_at", .double).notNull()
                t.column("receive_count", .integer).notNull().defaults(to: 0)
                t.column("first_received_at", .double)
                // Replaced on every receive, so a stale handle cannot delete a re-delivered message.
                t.column("receipt_handle", .text).unique()
            }
            try db.create(index: "message_group", on: "message", columns: ["queue", "group_id", "seq"])
            try db.create(index: "message_visible", on: "message", columns: ["queue", "visible_at"])
        }

        migrator.registerMigration("create-deduplication") { db in
            try db.create(table: "deduplication") { t in
                t.column("queue", .text).notNull()
                t.column("deduplication_id", .text).notNull()
                t.column("expires_at", .double).notNull()
                t.primaryKey(["queue", "deduplication_id"])
            }
            try db.create(index: "deduplication_expiry", on: "deduplication", columns: ["queue", "expires_at"])
        }

        return migrator
    }
}
