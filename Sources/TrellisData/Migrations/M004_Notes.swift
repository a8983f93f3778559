import Fluent
import SQLKit
import TrellisCore

struct M004_Notes: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("case_notes").id()
            .field("agency_id", .uuid, .required, .references("agencies", "id"))
            .field("case_id", .uuid, .required, .references("cases", "id"))
            .field("client_id", .uuid, .required, .references("clients", "id"))
            .field("author_id", .uuid, .required, .references("staff", "id"))
            .field("contact_type", .string, .required).field("contact_date", .string, .required)
            .field("duration_minutes", .int, .required).field("participants", .string, .required)
            .field("format", .string, .required).field("sections", .string, .required)
            .field("status", .string, .required).field("signed_at", .datetime)
            .field("addendum_to", .uuid, .references("case_notes", "id"))
            .field("created_at", .datetime, .required).field("updated_at", .datetime, .required)
            .field("version", .int, .required).create()
        let sql = db.sql
        try await sql.raw("CREATE INDEX notes_case_date ON case_notes (case_id, contact_date)").run()
        // Defence in depth: the service never changes a signed note, and the database refuses to.
        if db.isSQLite {
            try await sql.raw(
                """
                CREATE TRIGGER case_notes_signed_immutable BEFORE UPDATE ON case_notes WHEN OLD.status = 'signed'
                BEGIN SELECT RAISE(ABORT, 'signed notes are immutable'); END
                """
            ).run()
            try await sql.raw(
                """
                CREATE TRIGGER case_notes_signed_undeletable BEFORE DELETE ON case_notes WHEN OLD.status = 'signed'
                BEGIN SELECT RAISE(ABORT, 'signed notes are immutable'); END
                """
            ).run()
        } else {
            try await sql.raw(
                """
                CREATE FUNCTION trellis_signed_note_guard() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN IF OLD.status = 'signed' THEN RAISE EXCEPTION 'signed notes are immutable'; END IF;
                IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$
                """
            ).run()
            try await sql.raw(
                """
                CREATE TRIGGER case_notes_signed_immutable BEFORE UPDATE OR DELETE ON case_notes
                FOR EACH ROW EXECUTE FUNCTION trellis_signed_note_guard()
                """
            ).run()
        }
    }
    func revert(on db: any Database) async throws {
        try await db.schema("case_notes").delete()
        if !db.isSQLite { try await db.sql.raw("DROP FUNCTION trellis_signed_note_guard()").run() }
    }
}
