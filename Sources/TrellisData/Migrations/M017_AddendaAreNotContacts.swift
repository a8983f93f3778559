import Fluent
import Foundation
import SQLKit

/// An addendum corrects a signed note; it is not another contact. Until now an addendum (which takes its
/// note's contact type and date) counted as a contact and as a home visit. This recomputes, for the cases
/// that have addenda, the last contact, the next contact due and the latest home visit from notes alone.
struct M017_AddendaAreNotContacts: AsyncMigration {
    /// The part of a program's contact rules this migration reads (frozen here, as in M015).
    struct Rule: Decodable {
        var contactType: String?
        var everyDays: Int
    }

    static let affected = "SELECT DISTINCT case_id FROM case_notes WHERE addendum_to IS NOT NULL"

    func prepare(on db: any Database) async throws {
        let sql = db.sql
        try await sql.raw(
            """
            UPDATE cases SET last_contact_on = (SELECT MAX(n.contact_date) FROM case_notes n WHERE n.case_id = \
            cases.id AND n.contact_type <> 'attempted' AND n.addendum_to IS NULL) WHERE id IN (\(unsafeRaw: Self.affected))
            """
        ).run()
        // The next contact is due the program's frequency after the last contact (or the opening).
        let due =
            db.isSQLite
            ? "date(COALESCE(cases.last_contact_on, cases.opened_on), '+' || p.contact_frequency_days || ' days')"
            : "to_char(COALESCE(cases.last_contact_on, cases.opened_on)::date + p.contact_frequency_days::integer, 'YYYY-MM-DD')"
        try await sql.raw(
            """
            UPDATE cases SET contact_due_on = (SELECT \(unsafeRaw: due) FROM programs p WHERE p.id = cases.program_id) \
            WHERE id IN (\(unsafeRaw: Self.affected))
            """
        ).run()
        for row in try await sql.raw("SELECT id, contact_rules FROM programs").all() {
            let rules =
                try row.decode(column: "contact_rules", as: String?.self).flatMap {
                    try? JSONDecoder().decode([Rule].self, from: Data($0.utf8))
                } ?? []
            guard let type = rules.first(where: { $0.contactType != nil })?.contactType else { continue }
            let programID = try row.decode(column: "id", as: UUID.self)
            try await sql.raw(
                """
                UPDATE cases SET visit_last_on = (SELECT MAX(n.contact_date) FROM case_notes n WHERE n.case_id = \
                cases.id AND n.contact_type = \(bind: type) AND n.addendum_to IS NULL) WHERE program_id = \
                \(bind: programID) AND id IN (\(unsafeRaw: Self.affected))
                """
            ).run()
        }
    }

    /// The recomputed dates are the right ones; there is nothing to put back.
    func revert(on db: any Database) async throws {}
}
