import Fluent
import SQLKit

/// The agency-wide audit search reads the log by agency and time, and by person and action.
struct M020_AuditByAgency: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.sql.raw("CREATE INDEX audit_agency_at ON audit_log (agency_id, at)").run()
    }

    func revert(on db: any Database) async throws {
        try await db.sql.raw("DROP INDEX audit_agency_at").run()
    }
}
