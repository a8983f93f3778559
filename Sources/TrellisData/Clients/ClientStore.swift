import Fluent
import Foundation
import SQLKit
import TrellisCore

struct ClientRow: Codable {
    var id: UUID
    var agency_id: UUID
    var first_name: String?
    var middle_name: String?
    var last_name: String?
    var name_suffix: String?
    var name_data_quality: Int
    var preferred_name: String?
    var pronouns: String?
    /// Sealed (`FieldKeys.seal`), never in clear.
    var ssn: String?
    /// The keyed hash of the digits, for exact search and the duplicate check.
    var ssn_hmac: String?
    /// Whether the digits break HUD's rules for an SSN (1) or not (0), kept so the data-quality report need
    /// not open them; nil without an SSN.
    var ssn_invalid: Int?
    var ssn_data_quality: Int
    var birth_date: String?
    var dob_data_quality: Int
    var sex: Int
    var races: String
    var race_none: Int?
    var additional_race_ethnicity: String?
    var veteran_status: Int
    var phone: String?
    var email: String?
    var address: String?
    var preferred_language: String?
    var search_names: String
    var last_name_key: String
    var last_name_soundex: String
    var created_at: Date
    var updated_at: Date
    var created_by: UUID
    var version: Int
    var alias: String?
    var purged_at: Date?

    init(_ c: Client, keys: FieldKeys) throws {
        id = c.id
        agency_id = c.agencyID
        first_name = c.firstName
        middle_name = c.middleName
        last_name = c.lastName
        name_suffix = c.nameSuffix
        name_data_quality = c.nameDataQuality.rawValue
        preferred_name = c.preferredName
        pronouns = c.pronouns
        ssn = try c.ssn.map { try keys.seal($0, row: c.id) }
        ssn_hmac = c.ssn.map(keys.index)
        ssn_invalid = c.ssn.map { SSNRules.breaksHUDRules($0) ? 1 : 0 }
        ssn_data_quality = c.ssnDataQuality.rawValue
        birth_date = c.birthDate?.description
        dob_data_quality = c.dobDataQuality.rawValue
        sex = c.sex.rawValue
        races = c.races.map(\.rawValue).joined(separator: ",")
        race_none = c.raceNone?.rawValue
        additional_race_ethnicity = c.additionalRaceEthnicity
        veteran_status = c.veteranStatus.rawValue
        phone = c.phone
        email = c.email
        address = c.address
        preferred_language = c.preferredLanguage
        search_names = SearchText.indexText(
            first: c.firstName, middle: c.middleName, last: c.lastName, preferred: c.preferredName)
        last_name_key = SearchText.normalize(c.lastName ?? "")
        last_name_soundex = Soundex.code(c.lastName ?? "")
        created_at = c.createdAt
        updated_at = c.updatedAt
        created_by = c.createdBy
        version = c.version
        alias = c.alias
        purged_at = c.purgedAt
    }

    func domain(_ keys: FieldKeys) throws -> Client {
        var c = Client(
            id: id, agencyID: agency_id, firstName: first_name, middleName: middle_name, lastName: last_name,
            nameSuffix: name_suffix, nameDataQuality: DataQuality(rawValue: name_data_quality) ?? .notCollected,
            preferredName: preferred_name, pronouns: pronouns, ssn: try ssn.map { try keys.open($0, row: id) },
            ssnDataQuality: DataQuality(rawValue: ssn_data_quality) ?? .notCollected,
            birthDate: birth_date.flatMap(LocalDate.init),
            dobDataQuality: DataQuality(rawValue: dob_data_quality) ?? .notCollected,
            sex: HUDSex(rawValue: sex) ?? .notCollected,
            races: races.split(separator: ",").compactMap { RaceEthnicity(rawValue: String($0)) },
            raceNone: race_none.flatMap(RaceNone.init), additionalRaceEthnicity: additional_race_ethnicity,
            veteranStatus: NoYesMissing(rawValue: veteran_status) ?? .notCollected, phone: phone, email: email,
            address: address, preferredLanguage: preferred_language, createdAt: created_at, updatedAt: updated_at,
            createdBy: created_by, version: version)
        c.alias = alias
        c.purgedAt = purged_at
        return c
    }
}

struct ClientSummaryRow: Codable {
    var id: UUID
    var first_name: String?
    var last_name: String?
    var preferred_name: String?
    var birth_date: String?
    var alias: String?
    var domain: ClientSummary {
        ClientSummary(
            id: id, firstName: first_name, lastName: last_name, preferredName: preferred_name,
            birthDate: birth_date.flatMap(LocalDate.init), alias: alias)
    }
    static let columns = ["id", "first_name", "last_name", "preferred_name", "birth_date", "alias"]
}

extension ClientRow: BulkRow {
    static let columns = [
        "id", "agency_id", "first_name", "middle_name", "last_name", "name_suffix", "name_data_quality",
        "preferred_name", "pronouns", "ssn", "ssn_hmac", "ssn_invalid", "ssn_data_quality", "birth_date",
        "dob_data_quality", "sex", "races",
        "race_none",
        "additional_race_ethnicity", "veteran_status", "phone", "email", "address", "preferred_language",
        "search_names",
        "last_name_key", "last_name_soundex", "created_at", "updated_at", "created_by", "version", "alias"
    ]
    var values: [any Encodable & Sendable] {
        [
            id, agency_id, first_name, middle_name, last_name, name_suffix, name_data_quality, preferred_name, pronouns,
            ssn, ssn_hmac, ssn_invalid,
            ssn_data_quality, birth_date, dob_data_quality, sex, races, race_none, additional_race_ethnicity,
            veteran_status,
            phone, email, address, preferred_language, search_names, last_name_key, last_name_soundex, created_at,
            updated_at,
            created_by, version, alias
        ]
    }
}

extension SQLStore {
    public func clientSummaries(ids: [UUID], agencyID: UUID) async throws -> [UUID: ClientSummary] {
        guard !ids.isEmpty else { return [:] }
        var out: [UUID: ClientSummary] = [:]
        for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
            var q = sql.select()
            for c in ClientSummaryRow.columns { q = q.column(SQLIdentifier(c)) }
            for row in try await q.from("clients").where("agency_id", .equal, agencyID).where("id", .in, chunk)
                .all(decoding: ClientSummaryRow.self)
            {
                out[row.id] = row.domain
            }
        }
        return out
    }

    public func searchDetails(clientIDs: [UUID], agencyID: UUID) async throws -> [UUID: ClientSearchDetail] {
        guard !clientIDs.isEmpty else { return [:] }
        var out: [UUID: ClientSearchDetail] = [:]
        let keys = try db.fieldKeys
        for row in try await sql.select().column("id").column("ssn").from("clients")
            .where("agency_id", .equal, agencyID).where("id", .in, clientIDs).all()
        {
            let id = try row.decode(column: "id", as: UUID.self)
            let ssn = try row.decode(column: "ssn", as: String?.self).map { try keys.open($0, row: id) }
            out[id] = ClientSearchDetail(
                ssnLast4: ssn.map { String($0.suffix(4)) }, openProgramIDs: [])
        }
        for row in try await sql.select().column("id").column("client_id").column("program_id").from("cases")
            .where("agency_id", .equal, agencyID).where("client_id", .in, clientIDs)
            .where("status", .notEqual, "closed").orderBy("opened_on").all()
        {
            let client = try row.decode(column: "client_id", as: UUID.self)
            let program = try row.decode(column: "program_id", as: UUID.self)
            out[client]?.openProgramIDs.append(program)
            out[client]?.openCases.append(
                OpenCaseRef(caseID: try row.decode(column: "id", as: UUID.self), programID: program))
        }
        return out
    }
}

extension SQLStore {
    // MARK: Clients

    public func insertClient(_ c: Client) async throws {
        let row = try ClientRow(c, keys: try db.fieldKeys)
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
    public func insertClients(_ clients: [Client], households: [Household] = []) async throws {
        let keys = try db.fieldKeys
        let rows = try clients.map { try ClientRow($0, keys: keys) }
        for chunk in rows.chunked(800) {
            try await bulkInsert("clients", chunk)
            try await indexNames(chunk)
        }
        try await insertHouseholds(households)
    }

    public func updateClient(_ c: Client, expectedVersion: Int) async throws -> Bool {
        let row = try ClientRow(c, keys: try db.fieldKeys)
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
            .domain(try db.fieldKeys)
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
        case .ssn(let digits):
            // Through the keyed hash: the digits themselves are sealed.
            rows = try await sql.raw(
                """
                SELECT \(unsafeRaw: cols) FROM clients c WHERE c.agency_id = \(bind: agencyID) \
                AND c.ssn_hmac = \(bind: try db.fieldKeys.index(digits))
                ORDER BY c.last_name_key, c.first_name, c.id LIMIT \(bind: limit) OFFSET \(bind: offset)
                """
            ).all(decoding: ClientSummaryRow.self)
        case .birthDate(let d):
            rows = try await sql.raw(
                """
                SELECT \(unsafeRaw: cols) FROM clients c \
                \(unsafeRaw: isSQLite ? "INDEXED BY clients_agency_dob" : "") WHERE c.agency_id = \(bind: agencyID) \
                AND c.birth_date = \(bind: d.description)
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
                SELECT \(unsafeRaw: cols) FROM \(from)\(g.condition) ORDER BY \(unsafeRaw: g.order) LIMIT \
                \(bind: need) OFFSET \(bind: skip)
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
    public func clients(withSSN digits: String, agencyID: UUID) async throws -> [ClientSummary] {
        try await searchClients(agencyID: agencyID, query: .ssn(digits), limit: 20, offset: 0)
    }

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
                    SELECT \(unsafeRaw: cols) FROM clients WHERE agency_id = \(bind: agencyID) AND last_name_key = \
                    \(bind: SearchText.normalize(last))
                    ORDER BY id LIMIT \(bind: limit)
                    """
                ).all(decoding: ClientSummaryRow.self))
            add(
                try await sql.raw(
                    """
                    SELECT \(unsafeRaw: cols) FROM clients WHERE agency_id = \(bind: agencyID) AND last_name_soundex \
                    = \(bind: Soundex.code(last))
                    ORDER BY id LIMIT \(bind: limit)
                    """
                ).all(decoding: ClientSummaryRow.self))
        }
        for d in birthDates {
            add(
                try await sql.raw(
                    """
                    SELECT \(unsafeRaw: cols) FROM clients WHERE agency_id = \(bind: agencyID) AND birth_date = \
                    \(bind: d.description)
                    ORDER BY id LIMIT \(bind: limit)
                    """
                ).all(decoding: ClientSummaryRow.self))
        }
        return out
    }
}
