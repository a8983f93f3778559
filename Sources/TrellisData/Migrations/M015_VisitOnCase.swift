import Fluent
import Foundation
import SQLKit
import TrellisCore

/// Each case keeps the date of its latest note of the program's home-visit type (`visit_last_on`), so the
/// compliance report reads the report index alone rather than probing the notes once per open case (25 s
/// on a cold cache at a million clients).
struct M015_VisitOnCase: AsyncMigration {
    static let index = """
        cases (agency_id, primary_case_manager_id, program_id, opened_on, id, status, closed_on, exit_destination, client_dq, client_birth_date,
               goals_total, goals_achieved, contact_due_on, last_assessed_on, visit_last_on)
        """
    func prepare(on db: any Database) async throws {
        let sql = db.sql
        let store = SQLStore(database: db)
        try await sql.raw("ALTER TABLE cases ADD COLUMN visit_last_on VARCHAR(10)").run()
        for row in try await sql.raw("SELECT id, contact_rules FROM programs").all() {
            let rules =
                try row.decode(column: "contact_rules", as: String?.self).flatMap {
                    JSONText.decode([ContactRequirement].self, $0)
                } ?? []
            guard let type = rules.first(where: { $0.contactType != nil })?.contactType else { continue }
            try await store.refreshLastVisit(
                programID: try row.decode(column: "id", as: UUID.self), contactType: type, caseID: nil)
        }
        try await sql.raw("DROP INDEX cases_report_active").run()
        try await sql.raw("CREATE INDEX cases_report_active ON \(unsafeRaw: Self.index)").run()
    }
    func revert(on db: any Database) async throws {
        let sql = db.sql
        try await sql.raw("DROP INDEX cases_report_active").run()
        let previous = M014_ReportIndexes.indexes.first { $0.0 == "cases_report_active" }!.1
        try await sql.raw("CREATE INDEX cases_report_active ON \(unsafeRaw: previous)").run()
        try await sql.raw("ALTER TABLE cases DROP COLUMN visit_last_on").run()
    }
}
