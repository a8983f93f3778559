import Fluent
import Foundation
import SQLKit
import TrellisCore

/// Each case keeps the date of its latest note of the program's home-visit type (`visit_last_on`), so the
/// compliance report reads the report index alone rather than probing the notes once per open case (25 s
/// on a cold cache at a million clients).
struct M015_VisitOnCase: AsyncMigration {
    static let index = """
        cases (agency_id, primary_case_manager_id, program_id, opened_on, id, status, closed_on, exit_destination, \
        client_dq, client_birth_date,
               goals_total, goals_achieved, contact_due_on, last_assessed_on, visit_last_on)
        """
    /// The part of a program's contact rules this migration reads, frozen here rather than decoded with the
    /// live `ContactRequirement`.
    struct Rule: Decodable {
        var contactType: String?
        var everyDays: Int
    }

    func prepare(on db: any Database) async throws {
        let sql = db.sql
        try await sql.raw("ALTER TABLE cases ADD COLUMN visit_last_on VARCHAR(10)").run()
        for row in try await sql.raw("SELECT id, contact_rules FROM programs").all() {
            let rules =
                try row.decode(column: "contact_rules", as: String?.self).flatMap {
                    try? JSONDecoder().decode([Rule].self, from: Data($0.utf8))
                } ?? []
            guard let type = rules.first(where: { $0.contactType != nil })?.contactType else { continue }
            let programID = try row.decode(column: "id", as: UUID.self)
            // A whole program: one aggregate over the notes of that type (as the store did when this shipped).
            try await sql.raw("UPDATE cases SET visit_last_on = NULL WHERE program_id = \(bind: programID)").run()
            try await sql.raw(
                """
                UPDATE cases SET visit_last_on = m.last FROM (SELECT n.case_id, MAX(n.contact_date) AS last FROM \
                case_notes n
                WHERE n.contact_type = \(bind: type) GROUP BY n.case_id) m
                WHERE m.case_id = cases.id AND cases.program_id = \(bind: programID)
                """
            ).run()
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
