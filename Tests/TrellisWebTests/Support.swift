import Foundation
import NIOCore
import SQLKit
import Testing
import TrellisCore
import TrellisData
@testable import TrellisWeb
import VaporTesting

/// A fixed clock: 2026-06-15 12:00 UTC.
let testNow = Date(timeIntervalSince1970: 1_781_524_800)

let testDeps = Dependencies(now: { testNow }, newID: { UUID() }, timeZone: TimeZone(identifier: "UTC")!)

/// Runs `body` against a fresh database: a temporary SQLite file, or — when DATABASE_URL is set — a
/// PostgreSQL schema of its own, so tests run in parallel on either.
func withTrellis<T>(
    adjust: (inout TrellisConfig) -> Void = { _ in }, _ body: (Application, Fixture) async throws -> T
) async throws -> T {
    var config = TrellisConfig()
    config.bcryptCost = 4
    config.maxFailedSignIns = 5
    let env = ProcessInfo.processInfo.environment
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("trellis-test-\(UUID().uuidString)").path
    if let url = env["DATABASE_URL"], !url.isEmpty {
        config.databaseURL = url
        config.postgresSchema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        config.postgresPoolSize = 2
    }
    // The key file lives here on either database.
    config.dataDirectory = dir
    adjust(&config)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    // Each app holds a few PostgreSQL connections; so many tests run at once that a default server (100
    // connections) would run out. At most `PostgresSlots.limit` apps are open together.
    if config.usesPostgres { await PostgresSlots.shared.acquire() }
    defer { if config.usesPostgres { Task { await PostgresSlots.shared.release() } } }
    return try await withApp(configure: { app in
        app.logger.logLevel = .warning
        try await TrellisApp.configure(app, config: config, deps: testDeps)
    }) { app in
        let fixture = try await Fixture.make(app)
        do {
            let result = try await body(app, fixture)
            try await dropSchema(app, config)
            return result
        } catch {
            try? await dropSchema(app, config)
            throw error
        }
    }
}

/// A counting semaphore for the tests' PostgreSQL apps.
actor PostgresSlots {
    static let shared = PostgresSlots()
    static let limit = 12
    private var free = PostgresSlots.limit
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty {
            free += 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}

private func dropSchema(_ app: Application, _ config: TrellisConfig) async throws {
    if let schema = config.postgresSchema {
        try await (app.db as! any SQLDatabase).raw("DROP SCHEMA \(ident: schema) CASCADE").run()
    }
}

/// Two agencies. Agency A has one staff member of every role (and a second case manager on another
/// team); agency B has a case manager. Every one has an API token and a web session.
struct Fixture: Sendable {
    var agencyA: Agency, agencyB: Agency
    var programA: Program, programB: Program
    var teamA: Team, teamA2: Team
    var staff: [Role: StaffMember]
    var caseManager2: StaffMember
    var otherAgencyStaff: StaffMember
    var tokens: [UUID: String] = [:]
    var sessions: [UUID: (cookie: String, csrf: String)] = [:]

    func actor(_ role: Role) -> ActingUser { ActingUser(staff[role]!) }
    var caseManager: StaffMember { staff[.caseManager]! }

    static let password = "correct horse battery"

    static func make(_ app: Application) async throws -> Fixture {
        let store = SQLStore(database: app.db)
        let hash = try await app.trellis.hasher.hash(password)
        func agency(_ name: String) async throws -> Agency {
            let a = Agency(id: UUID(), name: name, createdAt: testNow)
            try await store.insertAgency(a)
            return a
        }
        let a = try await agency("Agency A")
        let b = try await agency("Agency B")
        func program(_ agency: Agency) async throws -> Program {
            let p = Program(
                id: UUID(), agencyID: agency.id, name: "Shelter", type: .emergencyShelter, contactFrequencyDays: 30,
                createdAt: testNow)
            try await store.insertProgram(p)
            return p
        }
        let pa = try await program(a)
        let pb = try await program(b)
        let ta = Team(id: UUID(), agencyID: a.id, programID: pa.id, name: "Team One", createdAt: testNow)
        let ta2 = Team(id: UUID(), agencyID: a.id, programID: pa.id, name: "Team Two", createdAt: testNow)
        try await store.insertTeam(ta)
        try await store.insertTeam(ta2)
        func staff(_ name: String, _ role: Role, _ agency: Agency, _ team: Team?) async throws -> StaffMember {
            let s = StaffMember(
                id: UUID(), agencyID: agency.id, teamID: team?.id, username: name, displayName: name.capitalized,
                role: role, language: .en, passwordHash: hash, createdAt: testNow)
            try await store.insertStaff(s)
            return s
        }
        var members: [Role: StaffMember] = [:]
        for role in Role.allCases {
            let team = (role == .caseManager || role == .supervisor) ? ta : nil
            members[role] = try await staff(
                "fx-" + role.rawValue.replacingOccurrences(of: "_", with: ""), role, a, team)
        }
        let cm2 = try await staff("fx-casemanager2", .caseManager, a, ta2)
        // The program manager manages agency A's program, so they are on the care team of its cases.
        try await store.setProgramManagers(programID: pa.id, staffIDs: [members[.programManager]!.id])
        let other = try await staff("fx-othercm", .caseManager, b, nil)
        var f = Fixture(
            agencyA: a, agencyB: b, programA: pa, programB: pb, teamA: ta, teamA2: ta2, staff: members,
            caseManager2: cm2, otherAgencyStaff: other)
        for s in Array(members.values) + [cm2, other] {
            let token = "tok-\(s.username)-\(UUID().uuidString)"
            try await store.insertAPIToken(
                APITokenRecord(id: UUID(), tokenHash: Tokens.hash(token), staffID: s.id, createdAt: testNow))
            f.tokens[s.id] = token
            let cookie = "ses-\(UUID().uuidString)"
            let csrf = "csrf-\(UUID().uuidString)"
            try await store.insertSession(
                StaffSession(
                    tokenHash: Tokens.hash(cookie), staffID: s.id, csrfToken: csrf,
                    createdAt: testNow, expiresAt: testNow.addingTimeInterval(3600)))
            f.sessions[s.id] = (cookie, csrf)
        }
        return f
    }

    // MARK: Records made through the services, as staff would make them.

    func client(
        _ app: Application, by s: StaffMember? = nil, first: String = "Ana", last: String = "Ruiz",
        dob: String = "1980-05-01", ssn: String? = nil, ssnQuality: Int? = nil
    ) async throws -> Client {
        var input = ClientInput()
        input.firstName = first
        input.lastName = last
        input.nameDataQuality = 1
        input.birthDate = dob
        input.dobDataQuality = 1
        input.ssn = ssn
        input.ssnDataQuality = ssnQuality
        input.sex = 0
        input.races = ["White"]
        input.veteranStatus = 0
        guard
            case .created(let c) = try await ClientService(store: SQLStore(database: app.db), deps: testDeps)
                .register(input, by: ActingUser(s ?? caseManager), duplicatesAcknowledged: true)
        else { fatalError() }
        return c
    }

    func openCase(_ app: Application, client: Client, by s: StaffMember? = nil, opened: String = "2026-05-01")
        async throws -> Case
    {
        let s = s ?? caseManager
        let program = s.agencyID == agencyA.id ? programA : programB
        return try await CaseService(store: SQLStore(database: app.db), deps: testDeps)
            .open(
                clientID: client.id, CaseInput(programID: program.id, primaryCaseManagerID: s.id, openedOn: opened),
                by: ActingUser(s))
    }

    func note(
        _ app: Application, case c: Case, by s: StaffMember? = nil, date: String = "2026-06-01", type: String = "phone",
        sign: Bool = false
    ) async throws -> CaseNote {
        let s = s ?? caseManager
        let service = NoteService(store: SQLStore(database: app.db), deps: testDeps)
        let n = try await service.create(
            caseID: c.id,
            NoteInput(
                contactType: type, contactDate: date, durationMinutes: 20,
                format: "narrative", sections: ["narrative": "Checked in."]), by: ActingUser(s))
        return sign ? try await service.sign(n.id, expectedVersion: n.version, by: ActingUser(s)) : n
    }

    /// PHQ-9 answers: items 1–8 at `rest`, item 9 at `item9` (above 0 raises a safety alert).
    static func phq9(item9: Int, rest: Int = 1) -> [String: Answer] {
        var a: [String: Answer] = [:]
        for i in 1...8 { a["item\(i)"] = .value(rest) }
        a["item9"] = .value(item9)
        return a
    }

    func assessment(
        _ app: Application, case c: Case, by s: StaffMember? = nil, item9: Int = 1, rest: Int = 1,
        date: String = "2026-06-02"
    ) async throws -> (Assessment, [RiskAlert]) {
        try await AssessmentService(store: SQLStore(database: app.db), deps: testDeps)
            .record(
                caseID: c.id, instrument: "phq9", answers: Self.phq9(item9: item9, rest: rest), completedOn: date,
                by: ActingUser(s ?? caseManager))
    }

    func biopsychosocial(_ app: Application, case c: Case, by s: StaffMember? = nil) async throws
        -> BiopsychosocialAssessment
    {
        try await AssessmentService(store: SQLStore(database: app.db), deps: testDeps).recordBiopsychosocial(
            caseID: c.id,
            BiopsychosocialInput(
                completedOn: "2026-06-02",
                domains: [.housing: .init(findings: "Staying with a friend", needs: "Stable housing\nDeposit")],
                strengths: [.personal: "Persistent"]), by: ActingUser(s ?? caseManager))
    }

    func plan(_ app: Application, case c: Case, by s: StaffMember? = nil) async throws -> ServicePlan {
        try await PlanService(store: SQLStore(database: app.db), deps: testDeps).save(
            caseID: c.id,
            PlanInput(goals: [
                .init(
                    domain: "housing", need: "Stable housing", goal: "Move into an apartment", target: "Signed lease",
                    targetDate: "2026-09-30",
                    steps: [.init(description: "Apply to three units", responsible: "client", dueOn: "2026-07-15")])
            ]), expectedVersion: nil, by: ActingUser(s ?? caseManager))
    }
}

// MARK: HTTP helpers

struct HTTPResult {
    var status: HTTPStatus
    var headers: HTTPHeaders
    var body: String
    func json() throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] ?? [:]
    }
    /// The body without ids and CSRF tokens, whose random hex could hold any four digits: what a test checks
    /// for the absence of a number (an SSN's last four, say) in.
    var text: String {
        body.replacingOccurrences(
            of: "[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}", with: "",
            options: .regularExpression)
    }
}

extension Application {
    /// A request as an API client: bearer token, JSON body.
    func api(
        _ method: HTTPMethod, _ path: String, as staff: StaffMember?, fixture: Fixture, json: String? = nil,
        headers extra: HTTPHeaders = [:]
    ) async throws -> HTTPResult {
        var headers = extra
        if let staff { headers.bearerAuthorization = BearerAuthorization(token: fixture.tokens[staff.id]!) }
        if json != nil { headers.contentType = .json }
        return try await send(method, path, headers: headers, body: json)
    }

    /// A request as a signed-in browser: session cookie, and the CSRF token on posts.
    func web(
        _ method: HTTPMethod, _ path: String, as staff: StaffMember?, fixture: Fixture, form: [(String, String)] = [],
        csrf: Bool = true
    ) async throws -> HTTPResult {
        var headers = HTTPHeaders()
        var fields = form
        if let staff, let s = fixture.sessions[staff.id] {
            headers.replaceOrAdd(name: .cookie, value: "\(SessionCookie.name)=\(s.cookie)")
            if csrf && method == .POST { fields.append(("_csrf", s.csrf)) }
        }
        var body: String? = nil
        if method == .POST {
            headers.contentType = .urlEncodedForm
            body = fields.map { k, v in
                let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
                return k.addingPercentEncoding(withAllowedCharacters: allowed)! + "=" + v.addingPercentEncoding(
                    withAllowedCharacters: allowed)!
            }.joined(separator: "&")
        }
        return try await send(method, path, headers: headers, body: body)
    }

    func send(_ method: HTTPMethod, _ path: String, headers: HTTPHeaders, body: String?) async throws -> HTTPResult {
        let res = try await testing().sendRequest(
            method, path, headers: headers,
            body: body.map { ByteBuffer(string: $0) }
        ) { req in
            req.url = URI(string: path)
        }
        return HTTPResult(status: res.status, headers: res.headers, body: res.body.string)
    }

    var sql: any SQLDatabase { db as! any SQLDatabase }

    func count(_ table: String) async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()!.decode(column: "n", as: Int.self)
    }
}
