import Fluent
import Foundation
import SQLKit
import TrellisCore

/// Households of real clients (issue 16, point 1). Until now a household member was a name, a birth date and a
/// relationship on the head's record (`household_members`). Each such row becomes a client record of its own
/// (name and birth date as recorded, their data quality from what is there, every other universal data element
/// "data not collected", registered by whoever registered the head), and joins a household whose head is the
/// client it was recorded on, with the relationship kept. Nothing is lost: the migration counts what it read and
/// what it made, refuses to finish if they differ, and logs both. A member recorded on a de-identified client is
/// made de-identified too. `case_members` holds the household members enrolled with the head in the head's case.
struct M033_Households: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.transaction { tx in
            let sql = tx.sql
            let time = sql.dialect.name == "sqlite" ? "REAL" : "TIMESTAMPTZ"
            try await sql.runSteps([
                """
                CREATE TABLE households (id UUID PRIMARY KEY, agency_id UUID NOT NULL REFERENCES agencies (id), \
                created_at \(time) NOT NULL, updated_at \(time) NOT NULL, version INTEGER NOT NULL)
                """,
                """
                CREATE TABLE household_memberships (household_id UUID NOT NULL REFERENCES households (id), \
                client_id UUID NOT NULL UNIQUE REFERENCES clients (id), relationship INTEGER NOT NULL, \
                added_at \(time) NOT NULL, added_by UUID NOT NULL)
                """,
                "CREATE INDEX household_memberships_household ON household_memberships (household_id)",
                // Exactly one head: at most one here, and the service never leaves a household without one.
                "CREATE UNIQUE INDEX households_one_head ON household_memberships (household_id) WHERE relationship = 1",
                // The household members enrolled with the head in the head's case (the head is the case's client).
                """
                CREATE TABLE case_members (case_id UUID NOT NULL REFERENCES cases (id), \
                client_id UUID NOT NULL REFERENCES clients (id), relationship INTEGER NOT NULL, \
                entered_on VARCHAR(10) NOT NULL, exited_on VARCHAR(10), added_at \(time) NOT NULL, \
                added_by UUID NOT NULL, PRIMARY KEY (case_id, client_id))
                """,
                "CREATE INDEX case_members_client ON case_members (client_id)"
            ])
            let (read, made, heads, asHead) = try await Self.convert(sql, searchIndex: tx.isSQLite)
            guard read == made else {
                throw MigrationFailure(
                    "M033 read \(read) household members but made \(made) clients; nothing was changed")
            }
            try await sql.raw("DROP TABLE household_members").run()
            tx.logger.notice(
                """
                M033: \(read) household members became client records in \(heads) households (each head is the client \
                they were recorded on)\(asHead > 0 ? "; \(asHead) recorded as head got relationship 99" : "")
                """)
        }
    }

    func revert(on db: any Database) async throws {
        // Back to names on the head's record; the member clients stay (they may have records of their own now).
        try await db.transaction { tx in
            let sql = tx.sql
            try await sql.runSteps([
                """
                CREATE TABLE household_members (id UUID PRIMARY KEY, \
                client_id UUID NOT NULL REFERENCES clients (id) ON DELETE CASCADE, position INTEGER NOT NULL, \
                first_name TEXT, last_name TEXT, birth_date TEXT, relationship INTEGER NOT NULL)
                """,
                """
                INSERT INTO household_members (id, client_id, position, first_name, last_name, birth_date, relationship) \
                SELECT m.client_id, h.client_id, 0, c.first_name, c.last_name, c.birth_date, m.relationship \
                FROM household_memberships m JOIN household_memberships h ON h.household_id = m.household_id \
                AND h.relationship = 1 JOIN clients c ON c.id = m.client_id WHERE m.relationship <> 1
                """,
                "CREATE INDEX household_client ON household_members (client_id)",
                "DROP TABLE case_members", "DROP TABLE household_memberships", "DROP TABLE households"
            ])
        }
    }

    struct MigrationFailure: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }

    struct OldMember: Decodable {
        var id: UUID
        var client_id: UUID
        var first_name: String?
        var last_name: String?
        var birth_date: String?
        var relationship: Int
        var agency_id: UUID
        var created_by: UUID
        var purged_at: Date?
    }

    /// Heads in pages of 1,000 (keyset on the head's id), their members in one query per page, written in bulk.
    static func convert(_ sql: any SQLDatabase, searchIndex: Bool) async throws -> (Int, Int, Int, Int) {
        let now = Date()
        var read = 0
        var heads = 0
        var asHead = 0
        var after: UUID? = nil
        while true {
            var q = sql.select().distinct().column("client_id").from("household_members").orderBy("client_id")
                .limit(1000)
            if let after { q = q.where("client_id", .greaterThan, after) }
            let page = try await q.all().map { try $0.decode(column: "client_id", as: UUID.self) }
            guard let last = page.last else { break }
            after = last
            let ids = SQLGroupExpression(page.map { SQLBind($0) })
            let rows = try await sql.raw(
                """
                SELECT m.id, m.client_id, m.first_name, m.last_name, m.birth_date, m.relationship, c.agency_id, \
                c.created_by, c.purged_at FROM household_members m JOIN clients c ON c.id = m.client_id \
                WHERE m.client_id IN \(ids) ORDER BY m.client_id, m.position, m.id
                """
            ).all(decoding: OldMember.self)
            read += rows.count
            // A member who is a client already (put back by `revert`) keeps their record and only rejoins.
            let existing = Set(
                try await sql.select().column("id").from("clients").where("id", .in, rows.map(\.id)).all()
                    .map { try $0.decode(column: "id", as: UUID.self) })
            var clients: [[any SQLExpression]] = []
            var search: [[any SQLExpression]] = []
            var households: [[any SQLExpression]] = []
            var memberships: [[any SQLExpression]] = []
            var householdOf: [UUID: UUID] = [:]
            for (i, r) in rows.enumerated() {
                // Joined a millisecond apart, so the household lists them in the order they were recorded.
                let joined = now.addingTimeInterval(Double(i + 1) / 1000)
                let household: UUID
                if let h = householdOf[r.client_id] {
                    household = h
                } else {
                    household = UUID()
                    householdOf[r.client_id] = household
                    heads += 1
                    households.append([SQLBind(household), SQLBind(r.agency_id), SQLBind(now), SQLBind(now), SQLBind(1)]
                    )
                    memberships.append([
                        SQLBind(household), SQLBind(r.client_id), SQLBind(1), SQLBind(now), SQLBind(r.created_by)
                    ])
                }
                // The member's own id is the old row's: a link to it (none exist) would still resolve.
                let first = r.first_name
                let last = r.last_name
                let nameQuality = first != nil && last != nil ? 1 : (first != nil || last != nil ? 2 : 99)
                let birth = r.birth_date.flatMap(LocalDate.init)
                let names = SearchText.indexText(first: first, middle: nil, last: last, preferred: nil)
                let key = SearchText.normalize(last ?? "")
                if !existing.contains(r.id) {
                    clients.append([
                        SQLBind(r.id), SQLBind(r.agency_id), SQLBind(first), SQLBind(last), SQLBind(nameQuality),
                        SQLBind(99), SQLBind(birth?.description), SQLBind(birth == nil ? 99 : 1), SQLBind(99),
                        SQLBind(""), SQLBind(99), SQLBind(99), SQLBind(names), SQLBind(key),
                        SQLBind(Soundex.code(last ?? "")), SQLBind(now), SQLBind(now), SQLBind(r.created_by),
                        SQLBind(1),
                        SQLBind(r.purged_at)
                    ])
                    search.append([SQLBind(r.id), SQLBind(key), SQLBind(names)])
                }
                var relationship = r.relationship
                if relationship == 1 {
                    relationship = 99
                    asHead += 1
                }
                memberships.append([
                    SQLBind(household), SQLBind(r.id), SQLBind(relationship), SQLBind(joined), SQLBind(r.created_by)
                ])
            }
            try await insert(sql, "households", ["id", "agency_id", "created_at", "updated_at", "version"], households)
            try await insert(
                sql, "clients",
                [
                    "id", "agency_id", "first_name", "last_name", "name_data_quality", "ssn_data_quality", "birth_date",
                    "dob_data_quality", "sex", "races", "race_none", "veteran_status", "search_names", "last_name_key",
                    "last_name_soundex", "created_at", "updated_at", "created_by", "version", "purged_at"
                ], clients)
            if searchIndex { try await insert(sql, "client_search", ["client_id", "surname", "names"], search) }
            try await insert(
                sql, "household_memberships", ["household_id", "client_id", "relationship", "added_at", "added_by"],
                memberships)
        }
        let made =
            try await sql.raw(
                "SELECT COUNT(*) AS n FROM clients WHERE id IN (SELECT id FROM household_members)"
            ).first()?.decode(column: "n", as: Int.self) ?? 0
        return (read, made, heads, asHead)
    }

    static func insert(_ sql: any SQLDatabase, _ table: String, _ columns: [String], _ rows: [[any SQLExpression]])
        async throws
    {
        for chunk in rows.chunked(max(1, 8000 / columns.count)) where !chunk.isEmpty {
            let q = sql.insert(into: table).columns(columns)
            for r in chunk { q.values(r) }
            try await q.run()
        }
    }
}
