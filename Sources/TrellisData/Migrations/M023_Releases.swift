import Fluent
import SQLKit

/// Releases of information (a client's consents to share parts of their record), and the Continuum of Care an
/// agency belongs to, which agencies of one Trellis share a client index by; referrals to another agency here.
struct M023_Releases: AsyncMigration {
    static let tables: [RecordTableDDL.Table] = [
        (
            "releases",
            [("agency_id", .uuid), ("client_id", .uuid), ("recipient_agency_id", .uuid), ("ends_on", .string)],
            [["client_id"], ["recipient_agency_id"], ["agency_id", "ends_on"]]
        )
    ]

    func prepare(on db: any Database) async throws {
        try await RecordTableDDL.create(Self.tables, on: db)
        try await db.sql.raw("ALTER TABLE agencies ADD COLUMN continuum_code TEXT").run()
        // Referrals to another agency in this Trellis, which that agency lists.
        try await db.sql.raw("ALTER TABLE referrals ADD COLUMN to_agency_id UUID").run()
        try await db.sql.raw("CREATE INDEX referrals_to_agency ON referrals (to_agency_id, status)").run()
    }

    func revert(on db: any Database) async throws {
        for t in Self.tables.reversed() { try await db.schema(t.table).delete() }
        try await db.sql.raw("DROP INDEX referrals_to_agency").run()
        try await db.sql.raw("ALTER TABLE referrals DROP COLUMN to_agency_id").run()
        try await db.sql.raw("ALTER TABLE agencies DROP COLUMN continuum_code").run()
    }
}
