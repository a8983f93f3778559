import Fluent
import Foundation
import SQLKit

/// API tokens get a name, an expiry and a last-used time; sessions a last-seen time (the idle timeout) and
/// what the user would recognise them by (browser, address). Tokens made before have 90 days from now.
struct M028_AccountLifecycle: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.transaction { tx in
            let sql = tx.sql
            let time = sql.dialect.name == "sqlite" ? "REAL" : "TIMESTAMPTZ"
            for step in [
                "ALTER TABLE api_tokens ADD COLUMN name TEXT NOT NULL DEFAULT 'API token'",
                "ALTER TABLE api_tokens ADD COLUMN expires_at \(time)",
                "ALTER TABLE api_tokens ADD COLUMN last_used_at \(time)",
                "ALTER TABLE sessions ADD COLUMN last_seen_at \(time)",
                "ALTER TABLE sessions ADD COLUMN user_agent TEXT",
                "ALTER TABLE sessions ADD COLUMN address TEXT",
                "UPDATE sessions SET last_seen_at = created_at",
                "CREATE INDEX api_tokens_staff ON api_tokens (staff_id)",
                "CREATE INDEX sessions_staff ON sessions (staff_id)"
            ] {
                try await sql.raw(SQLQueryString(step)).run()
            }
            try await sql.raw("UPDATE api_tokens SET expires_at = \(bind: Date().addingTimeInterval(90 * 86400))").run()
        }
    }

    func revert(on db: any Database) async throws {
        for step in [
            "DROP INDEX api_tokens_staff", "DROP INDEX sessions_staff",
            "ALTER TABLE api_tokens DROP COLUMN name", "ALTER TABLE api_tokens DROP COLUMN expires_at",
            "ALTER TABLE api_tokens DROP COLUMN last_used_at", "ALTER TABLE sessions DROP COLUMN last_seen_at",
            "ALTER TABLE sessions DROP COLUMN user_agent", "ALTER TABLE sessions DROP COLUMN address"
        ] {
            try await db.sql.raw(SQLQueryString(step)).run()
        }
    }
}
