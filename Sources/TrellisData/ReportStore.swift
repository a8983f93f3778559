import Fluent
import Foundation
import SQLKit
import TrellisCore

/// What the data-quality report finds in a client's own fields, kept as bits on each of the client's cases
/// (`client_dq`, with `client_birth_date`), so the report reads the cases alone rather than joining a
/// client for each of a million cases (14 s on SQLite at a million clients).
enum ClientFinding: Int, CaseIterable {
    case nameUnknown, nameMissing, nameInvalid, ssnUnknown, ssnMissing, ssnInvalid
    case birthDateUnknown, birthDateMissing, birthDatePartial, birthDateGiven
    case raceUnknown, raceMissing, sexUnknown, sexMissing, veteranUnknown, veteranMissing, veteran

    var bit: Int { 1 << rawValue }

    /// HUD's rules over the client row `cl`.
    var condition: String {
        switch self {
        case .nameUnknown: return "cl.name_data_quality IN (8, 9)"
        case .nameMissing:
            return
                "(cl.name_data_quality = 99 OR (cl.name_data_quality NOT IN (8, 9) AND (cl.first_name IS NULL OR cl.last_name IS NULL)))"
        case .nameInvalid:
            return "(cl.name_data_quality = 2 AND cl.first_name IS NOT NULL AND cl.last_name IS NOT NULL)"
        case .ssnUnknown: return "cl.ssn_data_quality IN (8, 9)"
        case .ssnMissing: return "(cl.ssn_data_quality = 99 OR (cl.ssn_data_quality IN (1, 2) AND cl.ssn IS NULL))"
        case .ssnInvalid:
            return """
                (cl.ssn IS NOT NULL AND cl.ssn_data_quality IN (1, 2) AND (cl.ssn_data_quality = 2 OR length(cl.ssn) <> 9
                 OR substr(cl.ssn, 1, 3) IN ('000', '666') OR substr(cl.ssn, 1, 1) = '9' OR substr(cl.ssn, 4, 2) = '00' OR substr(cl.ssn, 6, 4) = '0000'))
                """
        case .birthDateUnknown: return "cl.dob_data_quality IN (8, 9)"
        case .birthDateMissing:
            return "(cl.dob_data_quality = 99 OR (cl.dob_data_quality IN (1, 2) AND cl.birth_date IS NULL))"
        // Invalid on its own; a date after the case's opening is judged per case.
        case .birthDatePartial:
            return
                "(cl.birth_date IS NOT NULL AND cl.dob_data_quality IN (1, 2) AND (cl.dob_data_quality = 2 OR cl.birth_date < '1915-01-01'))"
        case .birthDateGiven: return "(cl.birth_date IS NOT NULL AND cl.dob_data_quality IN (1, 2))"
        case .raceUnknown: return "cl.race_none IN (8, 9)"
        case .raceMissing: return "(cl.race_none = 99 OR (cl.race_none IS NULL AND cl.races = ''))"
        case .sexUnknown: return "cl.sex IN (8, 9)"
        case .sexMissing: return "cl.sex = 99"
        case .veteranUnknown: return "cl.veteran_status IN (8, 9)"
        case .veteranMissing: return "cl.veteran_status = 99"
        case .veteran: return "cl.veteran_status = 1"
        }
    }

    /// Copies the findings of the clients `cl` onto the cases `c`; `filter` narrows the cases.
    static func refresh(_ filter: String) -> String {
        let bits = allCases.map { "(CASE WHEN \($0.condition) THEN \($0.bit) ELSE 0 END)" }.joined(separator: " + ")
        return
            "UPDATE cases AS c SET client_dq = \(bits), client_birth_date = cl.birth_date FROM clients AS cl WHERE cl.id = c.client_id\(filter)"
    }
}

extension SQLStore {
    /// Called whenever a client changes or gains a case.
    func refreshClientFindings(_ clientIDs: [UUID]) async throws {
        for chunk in Array(Set(clientIDs)).chunked(500) where !chunk.isEmpty {
            var q = SQLQueryString(stringLiteral: ClientFinding.refresh(" AND c.client_id IN ("))
            for (i, id) in chunk.enumerated() {
                if i > 0 { q.appendLiteral(", ") }
                q.appendInterpolation(bind: id)
            }
            q.appendLiteral(")")
            try await sql.raw(q).run()
        }
    }
}

/// A one-word search lists surnames that begin with the word first, off a name-ordered index; SQLite's trigram
/// table gains the surname as its own column, so the other matches can leave those out without reading rows.
struct M013_RankedNameSearch: AsyncMigration {
    func prepare(on db: any Database) async throws {
        let sql = db.sql
        if db.isSQLite {
            try await sql.raw("DROP TABLE client_search").run()
            try await sql.raw(
                "CREATE VIRTUAL TABLE client_search USING fts5(client_id UNINDEXED, surname, names, tokenize = 'trigram')"
            ).run()
            try await sql.raw(
                "INSERT INTO client_search (client_id, surname, names) SELECT id, last_name_key, search_names FROM clients"
            ).run()
            try await sql.raw(
                "CREATE INDEX IF NOT EXISTS clients_agency_name_order ON clients (agency_id, last_name_key, first_name, id)"
            ).run()
        } else {
            try await sql.raw(
                #"CREATE INDEX clients_agency_name_order ON clients (agency_id, last_name_key COLLATE "C", first_name COLLATE "C", id)"#
            ).run()
        }
    }
    func revert(on db: any Database) async throws {
        let sql = db.sql
        try await sql.raw("DROP INDEX clients_agency_name_order").run()
        if db.isSQLite {
            try await sql.raw("DROP TABLE client_search").run()
            try await sql.raw(
                "CREATE VIRTUAL TABLE client_search USING fts5(client_id UNINDEXED, names, tokenize = 'trigram')"
            ).run()
            try await sql.raw("INSERT INTO client_search (client_id, names) SELECT id, search_names FROM clients").run()
        }
    }
}

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

/// A one-word search's second group (names that begin with the word: a first name) is read in order off an
/// index of the whole normalised name, as the surname group is off the surname index.
struct M016_NameBeginsSearch: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.sql.raw(
            db.isSQLite
                ? "CREATE INDEX clients_agency_names ON clients (agency_id, search_names, id)"
                : #"CREATE INDEX clients_agency_names ON clients (agency_id, search_names COLLATE "C", id)"#
        ).run()
    }
    func revert(on db: any Database) async throws {
        try await db.sql.raw("DROP INDEX clients_agency_names").run()
    }
}
