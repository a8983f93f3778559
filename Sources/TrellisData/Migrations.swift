import Fluent
import SQLKit
import TrellisCore

/// Migrations in the order they ship. Never edit one after release: add a new one.
public enum TrellisMigrations {
    public static let all: [any Migration] = [
        M001_Organization(), M002_Clients(), M003_Cases(), M004_Notes(), M005_Audit(), M006_Auth(),
        M007_OneOpenCasePerProgram(), M008_Assessments(), M009_PlansAndForms(), M010_Coordination(), M011_Supervision(),
        M012_AlertsByCase(),
        M013_RankedNameSearch(), M014_ReportIndexes(), M015_VisitOnCase(), M016_NameBeginsSearch()
    ]
}

extension Database {
    var sql: any SQLDatabase { self as! any SQLDatabase }
    var isSQLite: Bool { sql.dialect.name == "sqlite" }
}

struct M001_Organization: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("agencies").id()
            .field("name", .string, .required).unique(on: "name")
            .field("created_at", .datetime, .required).create()
        try await db.schema("programs").id()
            .field("agency_id", .uuid, .required, .references("agencies", "id"))
            .field("name", .string, .required)
            .field("type", .string, .required)
            .field("contact_frequency_days", .int, .required)
            .field("active", .bool, .required)
            .field("created_at", .datetime, .required).create()
        try await db.schema("teams").id()
            .field("agency_id", .uuid, .required, .references("agencies", "id"))
            .field("program_id", .uuid, .references("programs", "id"))
            .field("name", .string, .required)
            .field("created_at", .datetime, .required).create()
        try await db.schema("staff").id()
            .field("agency_id", .uuid, .required, .references("agencies", "id"))
            .field("team_id", .uuid, .references("teams", "id"))
            .field("username", .string, .required).unique(on: "username")
            .field("display_name", .string, .required)
            .field("role", .string, .required)
            .field("language", .string, .required)
            .field("password_hash", .string, .required)
            .field("active", .bool, .required)
            .field("created_at", .datetime, .required).create()
        try await db.sql.raw("CREATE INDEX programs_agency ON programs (agency_id)").run()
        try await db.sql.raw("CREATE INDEX staff_agency_team ON staff (agency_id, team_id)").run()
    }
    func revert(on db: any Database) async throws {
        for t in ["staff", "teams", "programs", "agencies"] { try await db.schema(t).delete() }
    }
}

struct M002_Clients: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("clients").id()
            .field("agency_id", .uuid, .required, .references("agencies", "id"))
            .field("first_name", .string).field("middle_name", .string).field("last_name", .string)
            .field("name_suffix", .string).field("name_data_quality", .int, .required)
            .field("preferred_name", .string).field("pronouns", .string)
            .field("ssn", .string).field("ssn_data_quality", .int, .required)
            .field("birth_date", .string).field("dob_data_quality", .int, .required)
            .field("sex", .int, .required).field("races", .string, .required).field("race_none", .int)
            .field("additional_race_ethnicity", .string).field("veteran_status", .int, .required)
            .field("phone", .string).field("email", .string).field("address", .string).field(
                "preferred_language", .string
            )
            .field("search_names", .string, .required)
            .field("last_name_key", .string, .required)
            .field("last_name_soundex", .string, .required)
            .field("created_at", .datetime, .required).field("updated_at", .datetime, .required)
            .field("created_by", .uuid, .required, .references("staff", "id"))
            .field("version", .int, .required).create()
        try await db.schema("household_members").id()
            .field("client_id", .uuid, .required, .references("clients", "id", onDelete: .cascade))
            .field("position", .int, .required)
            .field("first_name", .string).field("last_name", .string).field("birth_date", .string)
            .field("relationship", .int, .required).create()
        let sql = db.sql
        try await sql.raw("CREATE INDEX clients_agency_dob ON clients (agency_id, birth_date)").run()
        try await sql.raw("CREATE INDEX clients_agency_last ON clients (agency_id, last_name_key)").run()
        try await sql.raw("CREATE INDEX clients_agency_soundex ON clients (agency_id, last_name_soundex)").run()
        try await sql.raw("CREATE INDEX household_client ON household_members (client_id)").run()
        if db.isSQLite {
            // A trigram index finds any part of a name (3+ characters) without scanning the table.
            try await sql.raw(
                "CREATE VIRTUAL TABLE client_search USING fts5(client_id UNINDEXED, names, tokenize = 'trigram')"
            ).run()
        } else {
            try await sql.raw("CREATE EXTENSION IF NOT EXISTS pg_trgm").run()
            try await sql.raw("CREATE INDEX clients_search_trgm ON clients USING gin (search_names gin_trgm_ops)").run()
        }
    }
    func revert(on db: any Database) async throws {
        if db.isSQLite { try await db.sql.raw("DROP TABLE client_search").run() }
        try await db.schema("household_members").delete()
        try await db.schema("clients").delete()
    }
}

struct M003_Cases: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("cases").id()
            .field("agency_id", .uuid, .required, .references("agencies", "id"))
            .field("client_id", .uuid, .required, .references("clients", "id"))
            .field("program_id", .uuid, .required, .references("programs", "id"))
            .field("primary_case_manager_id", .uuid, .required, .references("staff", "id"))
            .field("status", .string, .required).field("stage", .string, .required).field(
                "priority", .string, .required
            )
            .field("opened_on", .string, .required).field("closed_on", .string)
            .field("last_contact_on", .string).field("contact_due_on", .string, .required)
            .field("created_at", .datetime, .required).field("updated_at", .datetime, .required)
            .field("version", .int, .required).create()
        try await db.sql.raw("CREATE INDEX cases_manager_status ON cases (primary_case_manager_id, status)").run()
        try await db.sql.raw("CREATE INDEX cases_client ON cases (client_id)").run()
        try await db.sql.raw(
            "CREATE INDEX cases_agency_status ON cases (agency_id, status, primary_case_manager_id, contact_due_on)"
        ).run()
    }
    func revert(on db: any Database) async throws { try await db.schema("cases").delete() }
}

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

struct M006_Auth: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("sessions")
            .field("token_hash", .string, .identifier(auto: false))
            .field("staff_id", .uuid, .required, .references("staff", "id", onDelete: .cascade))
            .field("csrf_token", .string, .required)
            .field("created_at", .datetime, .required).field("expires_at", .datetime, .required).create()
        try await db.schema("api_tokens").id()
            .field("token_hash", .string, .required).unique(on: "token_hash")
            .field("staff_id", .uuid, .required, .references("staff", "id", onDelete: .cascade))
            .field("created_at", .datetime, .required).create()
        try await db.schema("failed_sign_ins").id()
            .field("username", .string, .required).field("at", .datetime, .required).create()
        try await db.sql.raw("CREATE INDEX failed_sign_ins_user ON failed_sign_ins (username, at)").run()
        try await db.sql.raw("CREATE INDEX sessions_expiry ON sessions (expires_at)").run()
    }
    func revert(on db: any Database) async throws {
        for t in ["failed_sign_ins", "api_tokens", "sessions"] { try await db.schema(t).delete() }
    }
}

/// A client has at most one open (or on-hold) case per program, even when two workers open one at once.
struct M007_OneOpenCasePerProgram: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.sql.raw(
            "CREATE UNIQUE INDEX cases_one_open_per_program ON cases (client_id, program_id) WHERE status <> 'closed'"
        ).run()
    }
    func revert(on db: any Database) async throws {
        try await db.sql.raw("DROP INDEX cases_one_open_per_program").run()
    }
}

/// Agency forms, biopsychosocial assessments, versioned service plans, and each program's
/// reassessment schedule and plan-approval rule.
struct M009_PlansAndForms: AsyncMigration {
    func prepare(on db: any Database) async throws {
        let sql = db.sql
        try await sql.raw("ALTER TABLE programs ADD COLUMN reassessment_days INTEGER").run()
        try await sql.raw("ALTER TABLE programs ADD COLUMN requires_plan_approval BOOLEAN NOT NULL DEFAULT FALSE").run()
        try await sql.raw("ALTER TABLE cases ADD COLUMN last_assessed_on VARCHAR(10)").run()
        try await db.schema("instruments").id()
            .field("agency_id", .uuid, .required, .references("agencies", "id"))
            .field("code", .string, .required).field("version", .int, .required)
            .field("definition", .string, .required)
            .field("created_by", .uuid, .required, .references("staff", "id"))
            .field("created_at", .datetime, .required)
            .unique(on: "agency_id", "code", "version").create()
        try await db.schema("biopsychosocial_assessments").id()
            .field("agency_id", .uuid, .required, .references("agencies", "id"))
            .field("case_id", .uuid, .required, .references("cases", "id"))
            .field("client_id", .uuid, .required, .references("clients", "id"))
            .field("author_id", .uuid, .required, .references("staff", "id"))
            .field("completed_on", .string, .required)
            .field("body", .string, .required)
            .field("created_at", .datetime, .required).create()
        try await db.schema("service_plans").id()
            .field("agency_id", .uuid, .required, .references("agencies", "id"))
            .field("case_id", .uuid, .required, .references("cases", "id"))
            .field("client_id", .uuid, .required, .references("clients", "id"))
            .field("version", .int, .required)
            .field("status", .string, .required)
            .field("body", .string, .required)
            .field("created_by", .uuid, .required, .references("staff", "id"))
            .field("created_at", .datetime, .required)
            .field("reviewed_by", .uuid, .references("staff", "id"))
            .field("reviewed_at", .datetime).field("review_comment", .string)
            .unique(on: "case_id", "version").create()
        try await sql.raw("CREATE INDEX bps_case ON biopsychosocial_assessments (case_id, completed_on)").run()
    }
    func revert(on db: any Database) async throws {
        for t in ["service_plans", "biopsychosocial_assessments", "instruments"] { try await db.schema(t).delete() }
        for (t, c) in [
            ("cases", "last_assessed_on"), ("programs", "requires_plan_approval"), ("programs", "reassessment_days")
        ] {
            try await db.sql.raw("ALTER TABLE \(unsafeRaw: t) DROP COLUMN \(unsafeRaw: c)").run()
        }
    }
}

/// Completed instruments and the risk alerts they raise.
struct M008_Assessments: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("assessments").id()
            .field("agency_id", .uuid, .required, .references("agencies", "id"))
            .field("case_id", .uuid, .required, .references("cases", "id"))
            .field("client_id", .uuid, .required, .references("clients", "id"))
            .field("assessor_id", .uuid, .required, .references("staff", "id"))
            .field("instrument_code", .string, .required).field("instrument_version", .int, .required)
            .field("completed_on", .string, .required)
            .field("result", .string, .required)
            .field("created_at", .datetime, .required).create()
        try await db.schema("risk_alerts").id()
            .field("agency_id", .uuid, .required, .references("agencies", "id"))
            .field("case_id", .uuid, .required, .references("cases", "id"))
            .field("client_id", .uuid, .required, .references("clients", "id"))
            .field("assessment_id", .uuid, .required, .references("assessments", "id"))
            .field("reason", .string, .required).field("raised_at", .datetime, .required)
            .field("acknowledged_at", .datetime).field("acknowledged_by", .uuid, .references("staff", "id"))
            .field("action_taken", .string).create()
        try await db.sql.raw("CREATE INDEX assessments_case ON assessments (case_id, completed_on)").run()
        try await db.sql.raw("CREATE INDEX risk_alerts_open ON risk_alerts (agency_id, acknowledged_at, case_id)").run()
    }
    func revert(on db: any Database) async throws {
        try await db.schema("risk_alerts").delete()
        try await db.schema("assessments").delete()
    }
}
