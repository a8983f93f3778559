import Fluent
import SQLKit

/// Failed sign-ins keep the address they came from, so attempts are slowed per address as well as per account.
struct M029_SignInAddress: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.sql.raw("ALTER TABLE failed_sign_ins ADD COLUMN address TEXT").run()
        try await db.sql.raw("CREATE INDEX failed_sign_ins_address ON failed_sign_ins (address, at)").run()
    }

    func revert(on db: any Database) async throws {
        try await db.sql.raw("DROP INDEX failed_sign_ins_address").run()
        try await db.sql.raw("ALTER TABLE failed_sign_ins DROP COLUMN address").run()
    }
}
