import Fluent
import SQLKit
import TrellisCore

struct M005_Audit: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("audit_log").id()
            .field("at", .datetime, .required)
            .field("actor_id", .uuid).field("agency_id", .uuid)
            .field("action", .string, .required).field("record_type", .string, .required)
            .field("record_id", .uuid).field("client_id", .uuid)
            .field("changed_fields", .string, .required).create()
        let sql = db.sql
        try await sql.raw("CREATE INDEX audit_client_at ON audit_log (client_id, at)").run()
        try await sql.raw("CREATE INDEX audit_actor_at ON audit_log (actor_id, at)").run()
        // Append-only: the application has no path that updates or deletes audit rows, and the
        // database refuses them too.
        if db.isSQLite {
            try await sql.raw(
                "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END"
            ).run()
            try await sql.raw(
                "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END"
            ).run()
        } else {
            try await sql.raw(
                """
                CREATE FUNCTION trellis_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'audit log is append-only'; END $$
                """
            ).run()
            try await sql.raw(
                """
                CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit_log
                FOR EACH ROW EXECUTE FUNCTION trellis_audit_append_only()
                """
            ).run()
        }
    }
    func revert(on db: any Database) async throws {
        try await db.schema("audit_log").delete()
        if !db.isSQLite { try await db.sql.raw("DROP FUNCTION trellis_audit_append_only()").run() }
    }
}
