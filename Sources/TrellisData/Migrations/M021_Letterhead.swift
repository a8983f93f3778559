import Fluent
import SQLKit

/// The address and phone an agency's letters print under its name.
struct M021_Letterhead: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.sql.raw("ALTER TABLE agencies ADD COLUMN letterhead_address TEXT").run()
        try await db.sql.raw("ALTER TABLE agencies ADD COLUMN letterhead_phone TEXT").run()
    }

    func revert(on db: any Database) async throws {
        for column in ["letterhead_address", "letterhead_phone"] {
            try await db.sql.raw("ALTER TABLE agencies DROP COLUMN \(ident: column)").run()
        }
    }
}
