import Fluent
import Foundation
import SQLKit
import TrellisCore

/// Reports over a whole agency read covering indexes (each report's columns, in the order it filters),
/// not case rows scattered through the file; data-quality findings are kept on cases.
struct M014_ReportIndexes: AsyncMigration {
    static let indexes = [
        (
            "cases_report_ssm",
            "cases (agency_id, ssm_latest_on, program_id, primary_case_manager_id, ssm_first, ssm_latest)"
        ),
        (
            "cases_report_closed",
            "cases (agency_id, closed_on, status, program_id, primary_case_manager_id, exit_destination, opened_on)"
        ),
        (
            "cases_report_active",
            """
            cases (agency_id, primary_case_manager_id, program_id, opened_on, id, status, closed_on, exit_destination, client_dq, client_birth_date,
                   goals_total, goals_achieved, contact_due_on, last_assessed_on)
            """
        ),
        ("cases_report_scope", "cases (id, agency_id, program_id, primary_case_manager_id)"),
        ("referrals_report", "referrals (agency_id, sent_on, status, case_id)")
    ]
    func prepare(on db: any Database) async throws {
        let sql = db.sql
        try await sql.raw("ALTER TABLE cases ADD COLUMN client_dq INTEGER NOT NULL DEFAULT 0").run()
        try await sql.raw("ALTER TABLE cases ADD COLUMN client_birth_date VARCHAR(10)").run()
        try await sql.raw(SQLQueryString(stringLiteral: ClientFinding.refresh(""))).run()
        for name in ["cases_agency_ssm", "cases_agency_closed"] {
            try await sql.raw("DROP INDEX \(unsafeRaw: name)").run()
        }
        for (name, def) in Self.indexes {
            try await sql.raw("CREATE INDEX \(unsafeRaw: name) ON \(unsafeRaw: def)").run()
        }
    }
    func revert(on db: any Database) async throws {
        let sql = db.sql
        for (name, _) in Self.indexes { try await sql.raw("DROP INDEX \(unsafeRaw: name)").run() }
        try await sql.raw("CREATE INDEX cases_agency_closed ON cases (agency_id, closed_on)").run()
        try await sql.raw("CREATE INDEX cases_agency_ssm ON cases (agency_id, ssm_latest_on)").run()
        for c in ["client_dq", "client_birth_date"] {
            try await sql.raw("ALTER TABLE cases DROP COLUMN \(unsafeRaw: c)").run()
        }
    }
}
