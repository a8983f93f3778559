import Fluent
import SQLKit

/// A confidential client's alias, which lists show instead of the name.
struct M024_ClientAlias: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.sql.raw("ALTER TABLE clients ADD COLUMN alias TEXT").run()
    }

    func revert(on db: any Database) async throws {
        try await db.sql.raw("ALTER TABLE clients DROP COLUMN alias").run()
    }
}
