import Fluent
import SQLKit
import TrellisCore

/// Retention: how many years an agency keeps closed clients' personal data (7 unless it says otherwise), when a
/// client's was removed, and which notes lost their text with it. A signed note stays immutable except for that
/// one change: the update that marks it purged (the audit chain records each purge).
struct M032_Retention: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.transaction { tx in
            let sql = tx.sql
            let time = sql.dialect.name == "sqlite" ? "REAL" : "TIMESTAMPTZ"
            try await sql.runSteps([
                "ALTER TABLE agencies ADD COLUMN retention_years INTEGER NOT NULL DEFAULT \(RetentionService.defaultYears)",
                "ALTER TABLE clients ADD COLUMN purged_at \(time)",
                "ALTER TABLE case_notes ADD COLUMN purged_at \(time)",
                "CREATE INDEX clients_agency_updated ON clients (agency_id, updated_at)"
            ])
            try await Self.guardSignedNotes(sql, allowingPurge: true)
        }
    }

    func revert(on db: any Database) async throws {
        let sql = db.sql
        try await Self.guardSignedNotes(sql, allowingPurge: false)
        try await sql.runSteps([
            "DROP INDEX clients_agency_updated", "ALTER TABLE case_notes DROP COLUMN purged_at",
            "ALTER TABLE clients DROP COLUMN purged_at", "ALTER TABLE agencies DROP COLUMN retention_years"
        ])
    }

    /// The signed-note guard of M004, with or without the purge's one exception.
    static func guardSignedNotes(_ sql: any SQLDatabase, allowingPurge: Bool) async throws {
        let purge = "OLD.purged_at IS NULL AND NEW.purged_at IS NOT NULL"
        if sql.dialect.name == "sqlite" {
            try await sql.raw("DROP TRIGGER case_notes_signed_immutable").run()
            try await sql.raw(
                SQLQueryString(
                    """
                    CREATE TRIGGER case_notes_signed_immutable BEFORE UPDATE ON case_notes \
                    WHEN OLD.status = 'signed'\(allowingPurge ? " AND NOT (\(purge))" : "") \
                    BEGIN SELECT RAISE(ABORT, 'signed notes are immutable'); END
                    """)
            ).run()
        } else {
            // Nested so a DELETE never reads NEW.
            let purgeException =
                allowingPurge
                ? "IF TG_OP = 'UPDATE' THEN IF \(purge) THEN RETURN NEW; END IF; END IF;" : ""
            try await sql.raw(
                SQLQueryString(
                    """
                    CREATE OR REPLACE FUNCTION trellis_signed_note_guard() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN IF OLD.status = 'signed' THEN \(purgeException) \
                    RAISE EXCEPTION 'signed notes are immutable'; END IF;
                    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$
                    """)
            ).run()
        }
    }
}
