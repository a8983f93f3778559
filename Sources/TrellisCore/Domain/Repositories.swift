import Foundation

/// Storage the services need. The data layer implements these on SQLite and PostgreSQL; the core
/// never sees SQL. `transaction` gives a store whose every call is in one database transaction.
public protocol TrellisStore: OrganizationRepository, ClientRepository, CaseRepository, NoteRepository,
    AuditRepository, AuthRepository, AssessmentRepository, RecordRepository, SupervisionRepository, ReportingRepository
{
    func transaction<T: Sendable>(_ body: @escaping @Sendable (any TrellisStore) async throws -> T) async throws -> T
}

public protocol OrganizationRepository: Sendable {
    func insertAgency(_ agency: Agency) async throws
    func agency(id: UUID) async throws -> Agency?
    func agency(named name: String) async throws -> Agency?
    func insertProgram(_ program: Program) async throws
    func program(id: UUID) async throws -> Program?
    func programs(agencyID: UUID) async throws -> [Program]
    func updateProgramSettings(_ program: Program) async throws
    func insertTeam(_ team: Team) async throws
    func team(id: UUID) async throws -> Team?
    func teams(agencyID: UUID) async throws -> [Team]
    func insertStaff(_ staff: StaffMember) async throws
    func staff(id: UUID) async throws -> StaffMember?
    func staff(username: String) async throws -> StaffMember?
    func staff(agencyID: UUID) async throws -> [StaffMember]
    func staff(ids: [UUID]) async throws -> [StaffMember]
    func updateStaffLanguage(id: UUID, language: Language) async throws
    func updateStaffPassword(id: UUID, passwordHash: String) async throws
    func staffCount() async throws -> Int
}

public protocol ClientRepository: Sendable {
    func insertClient(_ client: Client) async throws
    /// Writes the client only if its stored version is `expectedVersion`; false means someone else won.
    func updateClient(_ client: Client, expectedVersion: Int) async throws -> Bool
    func client(id: UUID) async throws -> Client?
    func household(clientID: UUID) async throws -> [HouseholdMember]
    func replaceHousehold(clientID: UUID, members: [HouseholdMember]) async throws
    func searchClients(agencyID: UUID, query: ClientQuery, limit: Int, offset: Int) async throws -> [ClientSummary]
    /// Clients of the agency whose date of birth is one of `birthDates` or whose surname sounds or
    /// reads like `lastName`: the pool the duplicate matcher scores.
    func duplicatePool(agencyID: UUID, lastName: String?, birthDates: [LocalDate], limit: Int) async throws
        -> [ClientSummary]
}

public protocol CaseRepository: Sendable {
    func insertCase(_ c: Case) async throws
    func updateCase(_ c: Case, expectedVersion: Int) async throws -> Bool
    func `case`(id: UUID) async throws -> Case?
    func cases(clientID: UUID) async throws -> [Case]
    /// Open cases whose primary case manager is `staffID`, joined with client and program.
    func caseload(staffID: UUID) async throws -> [CaseloadEntry]
    /// Open and overdue (contact due before `today`) case counts per case manager of an agency.
    func caseloadCounts(agencyID: UUID, today: LocalDate) async throws -> [UUID: (open: Int, overdue: Int)]
}

public protocol NoteRepository: Sendable {
    func insertNote(_ note: CaseNote) async throws
    func updateNote(_ note: CaseNote, expectedVersion: Int) async throws -> Bool
    func note(id: UUID) async throws -> CaseNote?
    func notes(caseID: UUID) async throws -> [CaseNote]
    /// The latest contact date on the case among notes whose contact type counts as a contact.
    func latestContactDate(caseID: UUID) async throws -> LocalDate?
}

public protocol AuditRepository: Sendable {
    func appendAudit(_ entries: [AuditEntry]) async throws
    func auditEntries(clientID: UUID, limit: Int, offset: Int) async throws -> [AuditEntry]
    func auditCount(clientID: UUID) async throws -> Int
}

public struct StaffSession: Sendable, Equatable {
    public var tokenHash: String
    public var staffID: UUID
    public var csrfToken: String
    public var createdAt: Date
    public var expiresAt: Date
    public init(tokenHash: String, staffID: UUID, csrfToken: String, createdAt: Date, expiresAt: Date) {
        self.tokenHash = tokenHash
        self.staffID = staffID
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

public struct APITokenRecord: Sendable, Equatable {
    public var id: UUID
    public var tokenHash: String
    public var staffID: UUID
    public var createdAt: Date
    public init(id: UUID, tokenHash: String, staffID: UUID, createdAt: Date) {
        self.id = id
        self.tokenHash = tokenHash
        self.staffID = staffID
        self.createdAt = createdAt
    }
}

/// Sessions, API tokens and sign-in throttling live in the database so several app instances share them.
public protocol AuthRepository: Sendable {
    func insertSession(_ s: StaffSession) async throws
    func session(tokenHash: String) async throws -> StaffSession?
    func deleteSession(tokenHash: String) async throws
    func deleteExpiredSessions(before: Date) async throws
    /// Ends a user's sessions, except the one named (the session that made the change).
    func deleteSessions(staffID: UUID, except tokenHash: String?) async throws
    func insertAPIToken(_ t: APITokenRecord) async throws
    func apiToken(tokenHash: String) async throws -> APITokenRecord?
    func recordFailedSignIn(username: String, at: Date) async throws
    func failedSignIns(username: String, since: Date) async throws -> Int
    func clearFailedSignIns(username: String) async throws
}

/// Hashes and verifies passwords; the web layer supplies bcrypt, run off the request threads.
public protocol PasswordHasher: Sendable {
    func hash(_ password: String) async throws -> String
    func verify(_ password: String, hash: String) async throws -> Bool
}

/// Side effects the domain depends on, injected so tests are deterministic.
public struct Dependencies: Sendable {
    public var now: @Sendable () -> Date
    public var newID: @Sendable () -> UUID
    public var timeZone: TimeZone

    public init(
        now: @escaping @Sendable () -> Date = { Date() },
        newID: @escaping @Sendable () -> UUID = { UUID() },
        timeZone: TimeZone = .current
    ) {
        self.now = now
        self.newID = newID
        self.timeZone = timeZone
    }

    /// Today's date where the agency works.
    public var today: LocalDate { localDate(of: now()) }

    /// The calendar date of a moment where the agency works.
    public func localDate(of date: Date) -> LocalDate {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = timeZone
        return LocalDate(date, calendar: cal)
    }
}
