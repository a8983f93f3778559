import Fluent
import Foundation
import SQLKit
import TrellisCore

/// Caseload targets, priority weights, closure and co-signature rules on programs; the acuity, Self-
/// Sufficiency Matrix and goal signals kept on cases for dashboards and reports; program managers;
/// closure requests and note reviews.
struct M011_Supervision: AsyncMigration {
    /// The record tables this migration creates, as it shipped.
    static let tables: [RecordTableDDL.Table] = [
        (
            "closure_requests",
            [
                ("agency_id", .uuid), ("case_id", .uuid), ("program_id", .uuid), ("case_manager_id", .uuid),
                ("requested_by", .uuid), ("status", .string)
            ],
            [["agency_id", "status"], ["case_id"], ["requested_by", "status"]]
        ),
        (
            "note_reviews",
            [
                ("agency_id", .uuid), ("case_id", .uuid), ("note_id", .uuid), ("program_id", .uuid),
                ("author_id", .uuid), ("status", .string)
            ],
            [["agency_id", "status"], ["case_id"], ["note_id"], ["author_id", "status"]]
        )
    ]

    func prepare(on db: any Database) async throws {
        let sql = db.sql
        for column in [
            "caseload_target INTEGER", "priority_weights TEXT",
            "requires_closure_approval BOOLEAN NOT NULL DEFAULT FALSE",
            "requires_note_cosign BOOLEAN NOT NULL DEFAULT FALSE"
        ] {
            try await sql.raw("ALTER TABLE programs ADD COLUMN \(unsafeRaw: column)").run()
        }
        for column in [
            "acuity_severity INTEGER NOT NULL DEFAULT 0", "crisis_domains INTEGER NOT NULL DEFAULT 0",
            "ssm_first VARCHAR(32)",
            "ssm_latest VARCHAR(32)", "ssm_latest_on VARCHAR(10)", "goals_total INTEGER NOT NULL DEFAULT 0",
            "goals_achieved INTEGER NOT NULL DEFAULT 0"
        ] {
            try await sql.raw("ALTER TABLE cases ADD COLUMN \(unsafeRaw: column)").run()
        }
        try await db.schema("program_managers")
            .field("program_id", .uuid, .required, .references("programs", "id"))
            .field("staff_id", .uuid, .required, .references("staff", "id"))
            .unique(on: "program_id", "staff_id").create()
        try await RecordTableDDL.create(Self.tables, on: db)
        for (name, def) in [
            ("program_managers_staff", "program_managers (staff_id)"),
            ("staff_team", "staff (team_id)"),
            // Workload: index-only per worker.
            (
                "cases_manager_load",
                "cases (primary_case_manager_id, status, program_id, acuity_severity, crisis_domains)"
            ),
            ("cases_agency_closed", "cases (agency_id, closed_on)"),
            ("cases_agency_ssm", "cases (agency_id, ssm_latest_on)"),
            ("plans_agency_status", "service_plans (agency_id, status)"),
            ("plans_author_status", "service_plans (created_by, status)")
        ] {
            try await sql.raw("CREATE INDEX \(unsafeRaw: name) ON \(unsafeRaw: def)").run()
        }
    }
    func revert(on db: any Database) async throws {
        for t in Self.tables.reversed() { try await db.schema(t.table).delete() }
        try await db.schema("program_managers").delete()
        for name in [
            "staff_team", "cases_manager_load", "cases_agency_closed", "cases_agency_ssm", "plans_agency_status",
            "plans_author_status"
        ] {
            try await db.sql.raw("DROP INDEX \(unsafeRaw: name)").run()
        }
        for c in [
            "acuity_severity", "crisis_domains", "ssm_first", "ssm_latest", "ssm_latest_on", "goals_total",
            "goals_achieved"
        ] {
            try await db.sql.raw("ALTER TABLE cases DROP COLUMN \(unsafeRaw: c)").run()
        }
        for c in ["caseload_target", "priority_weights", "requires_closure_approval", "requires_note_cosign"] {
            try await db.sql.raw("ALTER TABLE programs DROP COLUMN \(unsafeRaw: c)").run()
        }
    }
}
