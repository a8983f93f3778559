import Fluent
import Foundation
import SQLKit
import TrellisCore

/// The one storage implementation, on SQLKit with bound parameters, for SQLite and PostgreSQL.
/// Fluent provides the connection pool, transactions and migrations.
public struct SQLStore: TrellisStore {
    let db: any Database
    let inTransaction: Bool
    var sql: any SQLDatabase { db as! any SQLDatabase }
    public var isSQLite: Bool { sql.dialect.name == "sqlite" }

    /// NULLs are written as NULLs: a batch of rows keeps one column set, and an update can clear a field.
    static let encoder = SQLQueryEncoder(nilEncodingStrategy: .asNil)

    public init(database: any Database) {
        self.db = database
        self.inTransaction = false
    }
    init(database: any Database, inTransaction: Bool) {
        self.db = database
        self.inTransaction = inTransaction
    }

    public func transaction<T: Sendable>(_ body: @escaping @Sendable (any TrellisStore) async throws -> T) async throws
        -> T
    {
        if inTransaction { return try await body(self) }
        return try await db.transaction { tx in try await body(SQLStore(database: tx, inTransaction: true)) }
    }

    // MARK: Organization

    public func insertAgency(_ a: Agency) async throws {
        try await sql.insert(into: "agencies").model(AgencyRow(a), with: Self.encoder).run()
    }
    public func agency(id: UUID) async throws -> Agency? {
        try await sql.select().column("*").from("agencies").where("id", .equal, id).first(decoding: AgencyRow.self)?
            .domain
    }
    public func agency(named name: String) async throws -> Agency? {
        try await sql.select().column("*").from("agencies").where("name", .equal, name).first(decoding: AgencyRow.self)?
            .domain
    }
    public func insertProgram(_ p: Program) async throws {
        try await sql.insert(into: "programs").model(ProgramRow(p), with: Self.encoder).run()
    }
    public func program(id: UUID) async throws -> Program? {
        try await sql.select().column("*").from("programs").where("id", .equal, id).first(decoding: ProgramRow.self)?
            .domain
    }
    public func updateProgramSettings(_ p: Program) async throws {
        try await sql.update("programs").set("reassessment_days", to: p.reassessmentDays)
            .set("requires_plan_approval", to: p.requiresPlanApproval).set(
                "contact_rules", to: JSONText.encode(p.contactRules)
            )
            .set("referral_response_days", to: p.referralResponseDays)
            .set("caseload_target", to: p.caseloadTarget).set(
                "priority_weights", to: JSONText.encode(p.priorityWeights)
            )
            .set("requires_closure_approval", to: p.requiresClosureApproval).set(
                "requires_note_cosign", to: p.requiresNoteCosign
            )
            .where("id", .equal, p.id).run()
    }
    public func programs(agencyID: UUID) async throws -> [Program] {
        try await sql.select().column("*").from("programs").where("agency_id", .equal, agencyID)
            .orderBy("name").all(decoding: ProgramRow.self).map(\.domain)
    }
    public func insertTeam(_ t: Team) async throws {
        try await sql.insert(into: "teams").model(TeamRow(t), with: Self.encoder).run()
    }
    public func team(id: UUID) async throws -> Team? {
        try await sql.select().column("*").from("teams").where("id", .equal, id).first(decoding: TeamRow.self)?.domain
    }
    public func teams(agencyID: UUID) async throws -> [Team] {
        try await sql.select().column("*").from("teams").where("agency_id", .equal, agencyID)
            .orderBy("name").all(decoding: TeamRow.self).map(\.domain)
    }
    public func insertStaff(_ s: StaffMember) async throws {
        do {
            try await sql.insert(into: "staff").model(StaffRow(s), with: Self.encoder).run()
        } catch let e as any DatabaseError where e.isConstraintFailure {
            throw TrellisError.validation([FieldError("username", "is already taken")])
        }
    }
    public func staff(id: UUID) async throws -> StaffMember? {
        try await sql.select().column("*").from("staff").where("id", .equal, id).first(decoding: StaffRow.self)?.domain
    }
    public func staff(username: String) async throws -> StaffMember? {
        try await sql.select().column("*").from("staff").where("username", .equal, username.lowercased())
            .first(decoding: StaffRow.self)?.domain
    }
    public func staff(agencyID: UUID) async throws -> [StaffMember] {
        try await sql.select().column("*").from("staff").where("agency_id", .equal, agencyID)
            .orderBy("display_name").all(decoding: StaffRow.self).map(\.domain)
    }
    public func staff(ids: [UUID]) async throws -> [StaffMember] {
        guard !ids.isEmpty else { return [] }
        return try await sql.select().column("*").from("staff").where("id", .in, Array(Set(ids)))
            .all(decoding: StaffRow.self).map(\.domain)
    }
    public func updateStaffLanguage(id: UUID, language: Language) async throws {
        try await sql.update("staff").set("language", to: language.rawValue).where("id", .equal, id).run()
    }
    public func updateStaffPassword(id: UUID, passwordHash: String) async throws {
        try await sql.update("staff").set("password_hash", to: passwordHash).where("id", .equal, id).run()
    }
    public func staffCount() async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS n FROM staff").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    // MARK: Clients

    public func insertClient(_ c: Client) async throws {
        let row = ClientRow(c)
        try await sql.insert(into: "clients").model(row, with: Self.encoder).run()
        try await indexNames([row])
    }

    /// Writes clients' names to SQLite's trigram search table (PostgreSQL indexes the column itself).
    func indexNames(_ rows: [ClientRow]) async throws {
        guard isSQLite, !rows.isEmpty else { return }
        let insert = sql.insert(into: "client_search").columns("client_id", "surname", "names")
        for row in rows { insert.values([SQLBind(row.id), SQLBind(row.last_name_key), SQLBind(row.search_names)]) }
        try await insert.run()
    }

    /// Bulk insert for the demo generator: one statement per table per batch.
    public func insertClients(_ clients: [Client], household: [HouseholdMember]) async throws {
        let rows = clients.map(ClientRow.init)
        for chunk in rows.chunked(800) {
            try await bulkInsert("clients", chunk)
            try await indexNames(chunk)
        }
        try await insertHousehold(household, startingAt: 0)
    }

    public func updateClient(_ c: Client, expectedVersion: Int) async throws -> Bool {
        let row = ClientRow(c)
        let updated = try await sql.update("clients").set(model: row, with: Self.encoder)
            .where("id", .equal, c.id).where("version", .equal, expectedVersion)
            .returning("id").all()
        guard !updated.isEmpty else { return false }
        if isSQLite {
            try await sql.raw("DELETE FROM client_search WHERE client_id = \(bind: c.id)").run()
            try await indexNames([row])
        }
        try await refreshClientFindings([c.id])
        return true
    }

    public func client(id: UUID) async throws -> Client? {
        try await sql.select().column("*").from("clients").where("id", .equal, id).first(decoding: ClientRow.self)?
            .domain
    }

    public func household(clientID: UUID) async throws -> [HouseholdMember] {
        try await sql.select().column("*").from("household_members").where("client_id", .equal, clientID)
            .orderBy("position").all(decoding: HouseholdRow.self).map(\.domain)
    }

    public func replaceHousehold(clientID: UUID, members: [HouseholdMember]) async throws {
        try await sql.delete(from: "household_members").where("client_id", .equal, clientID).run()
        try await insertHousehold(members, startingAt: 0)
    }

    func insertHousehold(_ members: [HouseholdMember], startingAt: Int) async throws {
        guard !members.isEmpty else { return }
        let rows = members.enumerated().map { i, m in
            HouseholdRow(
                id: m.id, client_id: m.clientID, position: startingAt + i, first_name: m.firstName,
                last_name: m.lastName, birth_date: m.birthDate?.description, relationship: m.relationship.rawValue)
        }
        for chunk in rows.chunked(2000) { try await bulkInsert("household_members", chunk) }
    }

    public func searchClients(agencyID: UUID, query: ClientQuery, limit: Int, offset: Int) async throws
        -> [ClientSummary]
    {
        let cols = ClientSummaryRow.columns.map { "c.\($0)" }.joined(separator: ", ")
        let rows: [ClientSummaryRow]
        switch query {
        case .id(let id):
            rows = try await sql.raw(
                "SELECT \(unsafeRaw: cols) FROM clients c WHERE c.id = \(bind: id) AND c.agency_id = \(bind: agencyID)"
            )
            .all(decoding: ClientSummaryRow.self)
        case .birthDate(let d):
            rows = try await sql.raw(
                """
                SELECT \(unsafeRaw: cols) FROM clients c \(unsafeRaw: isSQLite ? "INDEXED BY clients_agency_dob" : "") WHERE c.agency_id = \(bind: agencyID) AND c.birth_date = \(bind: d.description)
                ORDER BY c.last_name_key, c.first_name, c.id LIMIT \(bind: limit) OFFSET \(bind: offset)
                """
            ).all(decoding: ClientSummaryRow.self)
        case .name(let terms) where terms.count == 1 && terms[0].count >= 3:
            rows = try await searchOneWord(agencyID: agencyID, terms[0], cols: cols, limit: limit, offset: offset)
        case .name(let terms):
            let long = terms.filter { $0.count >= 3 }
            let short = terms.filter { $0.count < 3 }
            var q = SQLQueryString("SELECT \(unsafeRaw: cols) FROM ")
            if long.isEmpty {
                // Trigrams need three characters; a short name ("Li", "Ng") is matched exactly on the surname index.
                q.appendInterpolation(unsafeRaw: "clients c WHERE c.agency_id = ")
                q.appendInterpolation(bind: agencyID)
                q.appendInterpolation(unsafeRaw: " AND c.last_name_key = ")
                q.appendInterpolation(bind: short[0])
                for s in short.dropFirst() {
                    q.appendInterpolation(unsafeRaw: " AND c.search_names LIKE ")
                    q.appendInterpolation(bind: "%\(s)%")
                }
            } else if isSQLite {
                let match = Self.ftsQuery(long)
                q.appendInterpolation(
                    unsafeRaw: "client_search s JOIN clients c ON c.id = s.client_id WHERE s.names MATCH ")
                q.appendInterpolation(bind: match)
                q.appendInterpolation(unsafeRaw: " AND c.agency_id = ")
                q.appendInterpolation(bind: agencyID)
                for s in short {
                    q.appendInterpolation(unsafeRaw: " AND c.search_names LIKE ")
                    q.appendInterpolation(bind: "%\(s)%")
                }
            } else {
                q.appendInterpolation(unsafeRaw: "clients c WHERE c.agency_id = ")
                q.appendInterpolation(bind: agencyID)
                for s in terms {
                    q.appendInterpolation(unsafeRaw: " AND c.search_names LIKE ")
                    q.appendInterpolation(bind: "%\(s)%")
                }
            }
            // On PostgreSQL the sort key is an expression, so the planner cannot walk a name index and filter
            // (measured at a million clients: 570 ms to 2 s for a common surname's first letters); it takes the
            // trigram index and sorts the matches (50 ms).
            q.appendInterpolation(
                unsafeRaw: isSQLite || long.isEmpty
                    ? " ORDER BY c.last_name_key, c.first_name, c.id LIMIT "
                    : " ORDER BY c.last_name_key || '', c.first_name, c.id LIMIT ")
            q.appendInterpolation(bind: limit)
            q.appendInterpolation(unsafeRaw: " OFFSET ")
            q.appendInterpolation(bind: offset)
            rows = try await sql.raw(q).all(decoding: ClientSummaryRow.self)
        }
        return rows.map(\.domain)
    }

    /// One word, in three groups, each in its own order: surnames that begin with it (by surname, then first
    /// name), then names that begin with it (a first name: by the whole name), then every other name containing
    /// it (by surname). The first two are read straight off name-ordered indexes and stop at the page (a common
    /// surname's first letters match thousands of clients; sorting them all cost 160 ms on SQLite at a million).
    func searchOneWord(agencyID: UUID, _ word: String, cols: String, limit: Int, offset: Int) async throws
        -> [ClientSummaryRow]
    {
        // Keys are normalised, so a prefix is a byte range; PostgreSQL is told to compare bytes too.
        let c = isSQLite ? "" : " COLLATE \"C\""
        let surname = "c.last_name_key\(c)"
        let names = "c.search_names\(c)"
        let first = "c.first_name\(c)"
        let end = word + "\u{10FFFF}"
        func begins(_ column: String) -> SQLQueryString {
            "(\(unsafeRaw: column) >= \(bind: word) AND \(unsafeRaw: column) < \(bind: end))"
        }
        let inAgency: SQLQueryString = "c.agency_id = \(bind: agencyID)"
        // Each group: its condition over `clients c`, its order, and (SQLite) its trigram query.
        let groups: [(condition: SQLQueryString, order: String, match: String?)] = [
            ("\(inAgency) AND \(begins(surname))", "\(surname), \(first), c.id", nil),
            ("\(inAgency) AND \(begins(names)) AND NOT \(begins(surname))", "\(names), c.id", nil),
            // Sorting an expression keeps PostgreSQL on the trigram index rather than walking a name index;
            // SQLite's trigram table leaves out both groups above (`^`: at the start) without reading rows.
            (
                isSQLite
                    ? "\(inAgency)"
                    : "\(inAgency) AND c.search_names LIKE \(bind: "%\(word)%") AND NOT \(begins(surname)) AND NOT \(begins(names))",
                isSQLite ? "c.last_name_key, c.first_name, c.id" : "(c.last_name_key || '')\(c), \(first), c.id",
                isSQLite ? "names : \"\(word)\" NOT surname : ^\"\(word)\" NOT names : ^\"\(word)\"" : nil
            )
        ]
        var out: [ClientSummaryRow] = []
        var skip = offset
        for g in groups {
            let from: SQLQueryString =
                g.match.map {
                    "client_search s JOIN clients c ON c.id = s.client_id WHERE client_search MATCH \(bind: $0) AND "
                }
                ?? "clients c WHERE "
            let need = limit - out.count
            let rows = try await sql.raw(
                """
                SELECT \(unsafeRaw: cols) FROM \(from)\(g.condition) ORDER BY \(unsafeRaw: g.order) LIMIT \(bind: need) OFFSET \(bind: skip)
                """
            ).all(decoding: ClientSummaryRow.self)
            out += rows
            if rows.count == need { break }
            // The group ran out: the next one's page starts after however many this one had.
            let size =
                !rows.isEmpty || skip == 0
                ? skip + rows.count
                : try await sql.raw("SELECT COUNT(*) AS n FROM \(from)\(g.condition)").first()?.decode(
                    column: "n", as: Int.self) ?? 0
            skip = max(0, skip - size)
        }
        return out
    }

    static func ftsQuery(_ terms: [String]) -> String {
        terms.map { "\"\($0.replacingOccurrences(of: "\"", with: ""))\"" }.joined(separator: " AND ")
    }

    /// Each source of candidates is bounded on its own, so a crowded birth date cannot push an exact
    /// surname match out of the pool.
    public func duplicatePool(agencyID: UUID, lastName: String?, birthDates: [LocalDate], limit: Int) async throws
        -> [ClientSummary]
    {
        let cols = ClientSummaryRow.columns.joined(separator: ", ")
        var seen = Set<UUID>()
        var out: [ClientSummary] = []
        func add(_ rows: [ClientSummaryRow]) { for r in rows where seen.insert(r.id).inserted { out.append(r.domain) } }
        if let last = lastName, !SearchText.normalize(last).isEmpty {
            add(
                try await sql.raw(
                    """
                    SELECT \(unsafeRaw: cols) FROM clients WHERE agency_id = \(bind: agencyID) AND last_name_key = \(bind: SearchText.normalize(last))
                    ORDER BY id LIMIT \(bind: limit)
                    """
                ).all(decoding: ClientSummaryRow.self))
            add(
                try await sql.raw(
                    """
                    SELECT \(unsafeRaw: cols) FROM clients WHERE agency_id = \(bind: agencyID) AND last_name_soundex = \(bind: Soundex.code(last))
                    ORDER BY id LIMIT \(bind: limit)
                    """
                ).all(decoding: ClientSummaryRow.self))
        }
        for d in birthDates {
            add(
                try await sql.raw(
                    """
                    SELECT \(unsafeRaw: cols) FROM clients WHERE agency_id = \(bind: agencyID) AND birth_date = \(bind: d.description)
                    ORDER BY id LIMIT \(bind: limit)
                    """
                ).all(decoding: ClientSummaryRow.self))
        }
        return out
    }

    // MARK: Cases

    public func insertCase(_ c: Case) async throws {
        do {
            try await sql.insert(into: "cases").model(CaseRow(c), with: Self.encoder).run()
        } catch let e as any DatabaseError where e.isConstraintFailure {
            throw TrellisError.validation([
                FieldError("programID", "this client already has an open case in this program")
            ])
        }
        try await refreshClientFindings([c.clientID])
    }
    public func updateCase(_ c: Case, expectedVersion: Int) async throws -> Bool {
        let rows = try await sql.update("cases").set(model: CaseRow(c), with: Self.encoder)
            .where("id", .equal, c.id).where("version", .equal, expectedVersion).returning("id").all()
        return !rows.isEmpty
    }
    public func `case`(id: UUID) async throws -> Case? {
        try await sql.select().column("*").from("cases").where("id", .equal, id).first(decoding: CaseRow.self)?.domain
    }
    public func cases(clientID: UUID) async throws -> [Case] {
        try await sql.select().column("*").from("cases").where("client_id", .equal, clientID)
            .orderBy("opened_on", .descending).all(decoding: CaseRow.self).map(\.domain)
    }

    struct CaseloadRow: Decodable {
        var id: UUID
        var client_id: UUID
        var first_name: String?
        var last_name: String?
        var preferred_name: String?
        var program_id: UUID
        var program_name: String
        var contact_frequency_days: Int
        var stage: String
        var priority: String
        var opened_on: String
        var last_contact_on: String?
        var reassessment_days: Int?
        var last_assessed_on: String?
        var acuity_severity: Int
        var crisis_domains: Int
    }

    public func caseload(staffID: UUID) async throws -> [CaseloadEntry] {
        try await sql.raw(
            """
            SELECT c.id, c.client_id, cl.first_name, cl.last_name, cl.preferred_name, c.program_id, p.name AS program_name,
                   p.contact_frequency_days, c.stage, c.priority, c.opened_on, c.last_contact_on,
                   p.reassessment_days, c.last_assessed_on, c.acuity_severity, c.crisis_domains
            FROM cases c JOIN clients cl ON cl.id = c.client_id JOIN programs p ON p.id = c.program_id
            WHERE c.primary_case_manager_id = \(bind: staffID) AND c.status <> 'closed'
            """
        ).all(decoding: CaseloadRow.self).map { r in
            var e = CaseloadEntry(
                caseID: r.id, clientID: r.client_id,
                clientName: ClientSummary(
                    id: r.client_id, firstName: r.first_name, lastName: r.last_name,
                    preferredName: r.preferred_name, birthDate: nil
                ).displayName,
                programName: r.program_name, contactFrequencyDays: r.contact_frequency_days,
                stage: CaseStage(rawValue: r.stage) ?? .engagement,
                priority: CasePriority(rawValue: r.priority) ?? .medium,
                openedOn: LocalDate(r.opened_on)!, lastContactOn: r.last_contact_on.flatMap(LocalDate.init),
                reassessmentDays: r.reassessment_days, lastAssessedOn: r.last_assessed_on.flatMap(LocalDate.init))
            e.programID = r.program_id
            e.acuitySeverity = r.acuity_severity
            e.crisisDomains = r.crisis_domains
            return e
        }
    }

    public func caseloadCounts(agencyID: UUID, today: LocalDate) async throws -> [UUID: (open: Int, overdue: Int)] {
        let rows = try await sql.raw(
            """
            SELECT primary_case_manager_id AS staff_id, COUNT(*) AS open_count,
                   SUM(CASE WHEN contact_due_on < \(bind: today.description) THEN 1 ELSE 0 END) AS overdue_count
            FROM cases WHERE agency_id = \(bind: agencyID) AND status <> 'closed' GROUP BY primary_case_manager_id
            """
        ).all()
        var out: [UUID: (open: Int, overdue: Int)] = [:]
        for r in rows {
            out[try r.decode(column: "staff_id", as: UUID.self)] =
                (
                    try r.decode(column: "open_count", as: Int.self),
                    try r.decode(column: "overdue_count", as: Int?.self) ?? 0
                )
        }
        return out
    }

    // MARK: Notes

    public func insertNote(_ n: CaseNote) async throws {
        try await sql.insert(into: "case_notes").model(NoteRow(n), with: Self.encoder).run()
    }
    public func insertNotes(_ ns: [CaseNote]) async throws {
        for chunk in ns.map(NoteRow.init).chunked(1000) { try await bulkInsert("case_notes", chunk) }
    }
    public func updateNote(_ n: CaseNote, expectedVersion: Int) async throws -> Bool {
        let rows = try await sql.update("case_notes").set(model: NoteRow(n), with: Self.encoder)
            .where("id", .equal, n.id).where("version", .equal, expectedVersion).returning("id").all()
        return !rows.isEmpty
    }
    public func note(id: UUID) async throws -> CaseNote? {
        try await sql.select().column("*").from("case_notes").where("id", .equal, id).first(decoding: NoteRow.self)?
            .domain
    }
    public func notes(caseID: UUID) async throws -> [CaseNote] {
        try await sql.select().column("*").from("case_notes").where("case_id", .equal, caseID)
            .orderBy("contact_date", .descending).orderBy("created_at", .descending)
            .all(decoding: NoteRow.self).map(\.domain)
    }
    public func latestContactDate(caseID: UUID) async throws -> LocalDate? {
        try await sql.raw(
            """
            SELECT MAX(contact_date) AS d FROM case_notes WHERE case_id = \(bind: caseID) AND contact_type <> 'attempted'
            """
        ).first()?.decode(column: "d", as: String?.self).flatMap(LocalDate.init)
    }

    // MARK: Audit

    public func appendAudit(_ entries: [AuditEntry]) async throws {
        for chunk in entries.map(AuditRow.init).chunked(1000) {
            try await sql.insert(into: "audit_log").models(chunk, with: Self.encoder).run()
        }
    }
    public func auditEntries(clientID: UUID, limit: Int, offset: Int) async throws -> [AuditEntry] {
        try await sql.select().column("*").from("audit_log").where("client_id", .equal, clientID)
            .orderBy("at", .descending).orderBy("id").limit(limit).offset(offset)
            .all(decoding: AuditRow.self).map(\.domain)
    }
    public func auditCount(clientID: UUID) async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS n FROM audit_log WHERE client_id = \(bind: clientID)").first()?
            .decode(column: "n", as: Int.self) ?? 0
    }

    // MARK: Auth

    struct SessionRow: Codable {
        var token_hash: String
        var staff_id: UUID
        var csrf_token: String
        var created_at: Date
        var expires_at: Date
    }
    public func insertSession(_ s: StaffSession) async throws {
        try await sql.insert(into: "sessions").model(
            SessionRow(
                token_hash: s.tokenHash, staff_id: s.staffID,
                csrf_token: s.csrfToken, created_at: s.createdAt, expires_at: s.expiresAt)
        ).run()
    }
    public func session(tokenHash: String) async throws -> StaffSession? {
        try await sql.select().column("*").from("sessions").where("token_hash", .equal, tokenHash)
            .first(decoding: SessionRow.self).map {
                StaffSession(
                    tokenHash: $0.token_hash, staffID: $0.staff_id, csrfToken: $0.csrf_token,
                    createdAt: $0.created_at, expiresAt: $0.expires_at)
            }
    }
    public func deleteSession(tokenHash: String) async throws {
        try await sql.delete(from: "sessions").where("token_hash", .equal, tokenHash).run()
    }
    public func deleteExpiredSessions(before: Date) async throws {
        try await sql.delete(from: "sessions").where("expires_at", .lessThan, before).run()
    }
    public func deleteSessions(staffID: UUID, except tokenHash: String?) async throws {
        let q = sql.delete(from: "sessions").where("staff_id", .equal, staffID)
        if let tokenHash { q.where("token_hash", .notEqual, tokenHash) }
        try await q.run()
    }
    struct TokenRow: Codable {
        var id: UUID
        var token_hash: String
        var staff_id: UUID
        var created_at: Date
    }
    public func insertAPIToken(_ t: APITokenRecord) async throws {
        try await sql.insert(into: "api_tokens").model(
            TokenRow(id: t.id, token_hash: t.tokenHash, staff_id: t.staffID, created_at: t.createdAt),
            with: Self.encoder
        ).run()
    }
    public func apiToken(tokenHash: String) async throws -> APITokenRecord? {
        try await sql.select().column("*").from("api_tokens").where("token_hash", .equal, tokenHash)
            .first(decoding: TokenRow.self).map {
                APITokenRecord(id: $0.id, tokenHash: $0.token_hash, staffID: $0.staff_id, createdAt: $0.created_at)
            }
    }
    struct FailureRow: Codable {
        var id: UUID
        var username: String
        var at: Date
    }
    public func recordFailedSignIn(username: String, at: Date) async throws {
        try await sql.insert(into: "failed_sign_ins").model(
            FailureRow(id: UUID(), username: username.lowercased(), at: at), with: Self.encoder
        ).run()
    }
    public func failedSignIns(username: String, since: Date) async throws -> Int {
        try await sql.raw(
            "SELECT COUNT(*) AS n FROM failed_sign_ins WHERE username = \(bind: username.lowercased()) AND at >= \(bind: since)"
        )
        .first()?.decode(column: "n", as: Int.self) ?? 0
    }
    public func clearFailedSignIns(username: String) async throws {
        try await sql.delete(from: "failed_sign_ins").where("username", .equal, username.lowercased()).run()
    }
}

// MARK: Assessments

struct AssessmentRow: Codable {
    var id: UUID
    var agency_id: UUID
    var case_id: UUID
    var client_id: UUID
    var assessor_id: UUID
    var instrument_code: String
    var instrument_version: Int
    var completed_on: String
    var result: String
    var created_at: Date
}

struct AlertRow: Codable {
    var id: UUID
    var agency_id: UUID
    var case_id: UUID
    var client_id: UUID
    var assessment_id: UUID
    var reason: String
    var raised_at: Date
    var acknowledged_at: Date?
    var acknowledged_by: UUID?
    var action_taken: String?
    init(_ a: RiskAlert) {
        id = a.id
        agency_id = a.agencyID
        case_id = a.caseID
        client_id = a.clientID
        assessment_id = a.assessmentID
        reason = a.reason
        raised_at = a.raisedAt
        acknowledged_at = a.acknowledgedAt
        acknowledged_by = a.acknowledgedBy
        action_taken = a.actionTaken
    }
    var domain: RiskAlert {
        RiskAlert(
            id: id, agencyID: agency_id, caseID: case_id, clientID: client_id, assessmentID: assessment_id,
            reason: reason,
            raisedAt: raised_at, acknowledgedAt: acknowledged_at, acknowledgedBy: acknowledged_by,
            actionTaken: action_taken)
    }
}

extension SQLStore {
    public func insertAssessment(_ a: Assessment) async throws {
        let row = AssessmentRow(
            id: a.id, agency_id: a.agencyID, case_id: a.caseID, client_id: a.clientID, assessor_id: a.assessorID,
            instrument_code: a.result.instrumentCode, instrument_version: a.result.instrumentVersion,
            completed_on: a.completedOn.description, result: JSONText.encode(a.result), created_at: a.createdAt)
        try await sql.insert(into: "assessments").model(row, with: Self.encoder).run()
    }
    public func assessments(caseID: UUID) async throws -> [Assessment] {
        try await sql.select().column("*").from("assessments").where("case_id", .equal, caseID)
            .orderBy("completed_on").orderBy("created_at").all(decoding: AssessmentRow.self).compactMap { r in
                guard let result = JSONText.decode(ScoredAssessment.self, r.result),
                    let date = LocalDate(r.completed_on)
                else { return nil }
                return Assessment(
                    id: r.id, agencyID: r.agency_id, caseID: r.case_id, clientID: r.client_id,
                    assessorID: r.assessor_id,
                    completedOn: date, result: result, createdAt: r.created_at)
            }
    }
    public func insertAlerts(_ alerts: [RiskAlert]) async throws {
        guard !alerts.isEmpty else { return }
        try await sql.insert(into: "risk_alerts").models(alerts.map(AlertRow.init), with: Self.encoder).run()
    }
    public func alert(id: UUID) async throws -> RiskAlert? {
        try await sql.select().column("*").from("risk_alerts").where("id", .equal, id).first(decoding: AlertRow.self)?
            .domain
    }
    public func acknowledgeAlert(id: UUID, at: Date, by: UUID, action: String) async throws -> Bool {
        let rows = try await sql.update("risk_alerts").set("acknowledged_at", to: at).set("acknowledged_by", to: by)
            .set("action_taken", to: action).where("id", .equal, id).where("acknowledged_at", .is, SQLLiteral.null)
            .returning("id").all()
        return !rows.isEmpty
    }
    public func alerts(caseID: UUID) async throws -> [RiskAlert] {
        try await sql.select().column("*").from("risk_alerts").where("case_id", .equal, caseID)
            .orderBy("raised_at", .descending).all(decoding: AlertRow.self).map(\.domain)
    }
    struct AlertListRow: Decodable {
        var alert: AlertRow
        var first_name: String?
        var last_name: String?
        var preferred_name: String?
        init(from decoder: any Decoder) throws {
            alert = try AlertRow(from: decoder)
            enum K: String, CodingKey { case first_name, last_name, preferred_name }
            let c = try decoder.container(keyedBy: K.self)
            first_name = try c.decodeIfPresent(String.self, forKey: .first_name)
            last_name = try c.decodeIfPresent(String.self, forKey: .last_name)
            preferred_name = try c.decodeIfPresent(String.self, forKey: .preferred_name)
        }
    }
    public func openAlerts(agencyID: UUID, caseManagers staffIDs: [UUID]) async throws -> [RiskAlert] {
        guard !staffIDs.isEmpty else { return [] }
        // Driven from the workers' open cases (a handful), not from every open alert of the agency; SQLite
        // is held to that order (CROSS JOIN), PostgreSQL's planner finds it from the indexes.
        var q: SQLQueryString = "SELECT a.*, cl.first_name, cl.last_name, cl.preferred_name FROM cases c "
        q.appendLiteral(isSQLite ? "CROSS JOIN" : "JOIN")
        q.appendLiteral(
            " risk_alerts a ON a.case_id = c.id JOIN clients cl ON cl.id = a.client_id WHERE c.primary_case_manager_id IN ("
        )
        for (i, id) in staffIDs.enumerated() {
            if i > 0 { q.appendLiteral(", ") }
            q.appendInterpolation(bind: id)
        }
        q.appendLiteral(") AND c.status <> 'closed' AND a.acknowledged_at IS NULL AND a.agency_id = ")
        q.appendInterpolation(bind: agencyID)
        q.appendLiteral(" ORDER BY a.raised_at")
        return try await sql.raw(q).all(decoding: AlertListRow.self).map { r in
            var a = r.alert.domain
            a.clientName =
                ClientSummary(
                    id: a.clientID, firstName: r.first_name, lastName: r.last_name,
                    preferredName: r.preferred_name, birthDate: nil
                ).displayName
            return a
        }
    }
}

struct InstrumentRow: Codable {
    var id: UUID
    var agency_id: UUID
    var code: String
    var version: Int
    var definition: String
    var created_by: UUID
    var created_at: Date
}

struct BiopsychosocialRow: Codable {
    var id: UUID
    var agency_id: UUID
    var case_id: UUID
    var client_id: UUID
    var author_id: UUID
    var completed_on: String
    var body: String
    var created_at: Date
    struct Body: Codable {
        var domains: [BPSDomainEntry]
        var strengths: [StrengthArea: [String]]
    }
    init(_ b: BiopsychosocialAssessment) {
        id = b.id
        agency_id = b.agencyID
        case_id = b.caseID
        client_id = b.clientID
        author_id = b.authorID
        completed_on = b.completedOn.description
        body = JSONText.encode(Body(domains: b.domains, strengths: b.strengths))
        created_at = b.createdAt
    }
    var domain: BiopsychosocialAssessment? {
        guard let body = JSONText.decode(Body.self, body), let date = LocalDate(completed_on) else { return nil }
        return BiopsychosocialAssessment(
            id: id, agencyID: agency_id, caseID: case_id, clientID: client_id, authorID: author_id,
            completedOn: date, domains: body.domains, strengths: body.strengths, createdAt: created_at)
    }
}

struct PlanRow: Codable {
    var id: UUID
    var agency_id: UUID
    var case_id: UUID
    var client_id: UUID
    var version: Int
    var status: String
    var body: String
    var created_by: UUID
    var created_at: Date
    var reviewed_by: UUID?
    var reviewed_at: Date?
    var review_comment: String?
    struct Body: Codable {
        var goals: [PlanGoal]
        var agreedOn: LocalDate?
        var agreementMethod: AgreementMethod?
        var changeSummary: String?
    }
    init(_ p: ServicePlan) {
        id = p.id
        agency_id = p.agencyID
        case_id = p.caseID
        client_id = p.clientID
        version = p.version
        status = p.status.rawValue
        body = JSONText.encode(
            Body(
                goals: p.goals, agreedOn: p.agreedOn, agreementMethod: p.agreementMethod, changeSummary: p.changeSummary
            ))
        created_by = p.createdBy
        created_at = p.createdAt
        reviewed_by = p.reviewedBy
        reviewed_at = p.reviewedAt
        review_comment = p.reviewComment
    }
    var domain: ServicePlan? {
        guard let b = JSONText.decode(Body.self, body), let st = PlanStatus(rawValue: status) else { return nil }
        return ServicePlan(
            id: id, agencyID: agency_id, caseID: case_id, clientID: client_id, version: version, status: st,
            goals: b.goals,
            agreedOn: b.agreedOn, agreementMethod: b.agreementMethod, changeSummary: b.changeSummary,
            createdBy: created_by,
            createdAt: created_at, reviewedBy: reviewed_by, reviewedAt: reviewed_at, reviewComment: review_comment)
    }
}

extension SQLStore {
    public func assessment(id: UUID) async throws -> Assessment? {
        guard
            let r = try await sql.select().column("*").from("assessments").where("id", .equal, id).first(
                decoding: AssessmentRow.self),
            let result = JSONText.decode(ScoredAssessment.self, r.result), let date = LocalDate(r.completed_on)
        else { return nil }
        return Assessment(
            id: r.id, agencyID: r.agency_id, caseID: r.case_id, clientID: r.client_id, assessorID: r.assessor_id,
            completedOn: date, result: result, createdAt: r.created_at)
    }
    public func markAssessed(caseID: UUID, on date: LocalDate) async throws {
        try await sql.update("cases").set("last_assessed_on", to: date.description).where("id", .equal, caseID)
            .where {
                $0.where("last_assessed_on", .is, SQLLiteral.null).orWhere(
                    "last_assessed_on", .lessThan, date.description)
            }.run()
    }
    public func insertInstrument(_ def: InstrumentDefinition, id: UUID, createdBy: UUID, at: Date) async throws {
        guard let agency = def.agencyID else { return }
        let row = InstrumentRow(
            id: id, agency_id: agency, code: def.code, version: def.version, definition: JSONText.encode(def),
            created_by: createdBy, created_at: at)
        do { try await sql.insert(into: "instruments").model(row, with: Self.encoder).run() } catch let e
            as any DatabaseError where e.isConstraintFailure
        {
            throw TrellisError.conflict(
                "Someone saved a newer version of this form. Reload it and make your changes again.")
        }
    }
    public func agencyInstruments(agencyID: UUID) async throws -> [InstrumentDefinition] {
        try await sql.select().column("definition").from("instruments").where("agency_id", .equal, agencyID)
            .orderBy("code").orderBy("version").all().compactMap { row in
                JSONText.decode(InstrumentDefinition.self, try row.decode(column: "definition", as: String.self))
            }
    }
    public func insertBiopsychosocial(_ b: BiopsychosocialAssessment) async throws {
        try await sql.insert(into: "biopsychosocial_assessments").model(BiopsychosocialRow(b), with: Self.encoder).run()
    }
    public func biopsychosocial(id: UUID) async throws -> BiopsychosocialAssessment? {
        try await sql.select().column("*").from("biopsychosocial_assessments").where("id", .equal, id)
            .first(decoding: BiopsychosocialRow.self)?.domain
    }
    public func biopsychosocials(caseID: UUID) async throws -> [BiopsychosocialAssessment] {
        try await sql.select().column("*").from("biopsychosocial_assessments").where("case_id", .equal, caseID)
            .orderBy("completed_on").orderBy("created_at").all(decoding: BiopsychosocialRow.self).compactMap(\.domain)
    }
    public func planVersions(caseID: UUID) async throws -> [ServicePlan] {
        try await sql.select().column("*").from("service_plans").where("case_id", .equal, caseID)
            .orderBy("version", .descending).all(decoding: PlanRow.self).compactMap(\.domain)
    }
    public func insertPlanVersion(_ plan: ServicePlan) async throws {
        do { try await sql.insert(into: "service_plans").model(PlanRow(plan), with: Self.encoder).run() } catch let e
            as any DatabaseError where e.isConstraintFailure
        {
            throw TrellisError.conflict(
                "Someone saved a newer version of this plan. Reload it and make your changes again.")
        }
    }
    public func reviewPlanVersion(_ plan: ServicePlan) async throws -> Bool {
        let rows = try await sql.update("service_plans").set("status", to: plan.status.rawValue).set(
            "reviewed_by", to: plan.reviewedBy
        )
        .set("reviewed_at", to: plan.reviewedAt).set("review_comment", to: plan.reviewComment)
        .where("id", .equal, plan.id).where("status", .equal, PlanStatus.pendingApproval.rawValue).returning("id").all()
        return !rows.isEmpty
    }
}

extension SQLStore {
    /// One multi-row INSERT with every value bound (batches stay under SQLite's 32,766 parameters).
    func bulkInsert<R: BulkRow>(_ table: String, _ rows: [R]) async throws {
        guard !rows.isEmpty else { return }
        let insert = sql.insert(into: table).columns(R.columns)
        for row in rows { insert.values(row.values.map { SQLBind($0) as any SQLExpression }) }
        try await insert.run()
    }
}

extension Array {
    func chunked(_ size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}
