import Fluent
import SQLKit

/// Staff and programs an administrator can edit: a version on each for optimistic concurrency, and a flag
/// that makes a user choose a new password at sign-in after an administrator resets it.
struct M019_AccountLifecycle: AsyncMigration {
    func prepare(on db: any Database) async throws {
        let sql = db.sql
        try await sql.raw("ALTER TABLE staff ADD COLUMN version INTEGER NOT NULL DEFAULT 1").run()
        try await sql.raw("ALTER TABLE staff ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE").run()
        try await sql.raw("ALTER TABLE programs ADD COLUMN version INTEGER NOT NULL DEFAULT 1").run()
    }

    func revert(on db: any Database) async throws {
        for (table, column) in [("staff", "version"), ("staff", "must_change_password"), ("programs", "version")] {
            try await db.sql.raw("ALTER TABLE \(ident: table) DROP COLUMN \(ident: column)").run()
        }
    }
}
