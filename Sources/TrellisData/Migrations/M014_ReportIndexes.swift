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
            cases (agency_id, primary_case_manager_id, program_id, opened_on, id, status, closed_on, \
            exit_destination, client_dq, client_birth_date,
                   goals_total, goals_achieved, contact_due_on, last_assessed_on)
            """
        ),
        ("cases_report_scope", "cases (id, agency_id, program_id, primary_case_manager_id)"),
        ("referrals_report", "referrals (agency_id, sent_on, status, case_id)")
    ]
    /// The findings as this migration first computed them, frozen: `ClientFinding.refresh("")` as it read
    /// when M014 shipped, so this migration runs the same SQL however the live findings change later.
    static let copyFindings =
        """
        UPDATE cases AS c SET client_dq = (CASE WHEN cl.name_data_quality IN (8, 9) THEN 1 ELSE 0 END) + (CASE WHEN \
        (cl.name_data_quality = 99 OR (cl.name_data_quality NOT IN (8, 9) AND (cl.first_name IS NULL OR cl.last_name \
        IS NULL))) THEN 2 ELSE 0 END) + (CASE WHEN (cl.name_data_quality = 2 AND cl.first_name IS NOT NULL AND \
        cl.last_name IS NOT NULL) THEN 4 ELSE 0 END) + (CASE WHEN cl.ssn_data_quality IN (8, 9) THEN 8 ELSE 0 END) + \
        (CASE WHEN (cl.ssn_data_quality = 99 OR (cl.ssn_data_quality IN (1, 2) AND cl.ssn IS NULL)) THEN 16 ELSE 0 \
        END) + (CASE WHEN (cl.ssn IS NOT NULL AND cl.ssn_data_quality IN (1, 2) AND (cl.ssn_data_quality = 2 OR \
        length(cl.ssn) <> 9
         OR substr(cl.ssn, 1, 3) IN ('000', '666') OR substr(cl.ssn, 1, 1) = '9' OR substr(cl.ssn, 4, 2) = '00' OR \
        substr(cl.ssn, 6, 4) = '0000')) THEN 32 ELSE 0 END) + (CASE WHEN cl.dob_data_quality IN (8, 9) THEN 64 ELSE \
        0 END) + (CASE WHEN (cl.dob_data_quality = 99 OR (cl.dob_data_quality IN (1, 2) AND cl.birth_date IS NULL)) \
        THEN 128 ELSE 0 END) + (CASE WHEN (cl.birth_date IS NOT NULL AND cl.dob_data_quality IN (1, 2) AND \
        (cl.dob_data_quality = 2 OR cl.birth_date < '1915-01-01')) THEN 256 ELSE 0 END) + (CASE WHEN (cl.birth_date \
        IS NOT NULL AND cl.dob_data_quality IN (1, 2)) THEN 512 ELSE 0 END) + (CASE WHEN cl.race_none IN (8, 9) THEN \
        1024 ELSE 0 END) + (CASE WHEN (cl.race_none = 99 OR (cl.race_none IS NULL AND cl.races = '')) THEN 2048 ELSE \
        0 END) + (CASE WHEN cl.sex IN (8, 9) THEN 4096 ELSE 0 END) + (CASE WHEN cl.sex = 99 THEN 8192 ELSE 0 END) + \
        (CASE WHEN cl.veteran_status IN (8, 9) THEN 16384 ELSE 0 END) + (CASE WHEN cl.veteran_status = 99 THEN 32768 \
        ELSE 0 END) + (CASE WHEN cl.veteran_status = 1 THEN 65536 ELSE 0 END), client_birth_date = cl.birth_date \
        FROM clients AS cl WHERE cl.id = c.client_id
        """

    func prepare(on db: any Database) async throws {
        let sql = db.sql
        try await sql.raw("ALTER TABLE cases ADD COLUMN client_dq INTEGER NOT NULL DEFAULT 0").run()
        try await sql.raw("ALTER TABLE cases ADD COLUMN client_birth_date VARCHAR(10)").run()
        try await sql.raw(SQLQueryString(stringLiteral: Self.copyFindings)).run()
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
