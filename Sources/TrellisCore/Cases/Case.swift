import Foundation

/// One client's enrollment in one program.
public struct Case: Sendable, Codable, Equatable {
    public var id: UUID
    public var agencyID: UUID
    public var clientID: UUID
    public var programID: UUID
    public var primaryCaseManagerID: UUID
    public var status: CaseStatus
    public var stage: CaseStage
    public var priority: CasePriority
    public var openedOn: LocalDate
    public var closedOn: LocalDate?
    /// The latest contact that counts toward the program's contact frequency (kept by the note service).
    public var lastContactOn: LocalDate?
    /// The date by which the next contact is due under the program's frequency; kept with
    /// `lastContactOn` so "overdue" is an indexed comparison, not arithmetic per row.
    public var contactDueOn: LocalDate
    /// Set when the case is closed: why, and where the client went (HUD list 3.12).
    public var closureReason: ClosureReason? = nil
    public var exitDestination: Int? = nil
    public var createdAt: Date
    public var updatedAt: Date
    public var version: Int

    public init(
        id: UUID, agencyID: UUID, clientID: UUID, programID: UUID, primaryCaseManagerID: UUID, status: CaseStatus,
        stage: CaseStage, priority: CasePriority, openedOn: LocalDate, closedOn: LocalDate?, lastContactOn: LocalDate?,
        contactDueOn: LocalDate, closureReason: ClosureReason? = nil, exitDestination: Int? = nil, createdAt: Date,
        updatedAt: Date, version: Int
    ) {
        self.closureReason = closureReason
        self.exitDestination = exitDestination
        self.id = id
        self.agencyID = agencyID
        self.clientID = clientID
        self.programID = programID
        self.primaryCaseManagerID = primaryCaseManagerID
        self.status = status
        self.stage = stage
        self.priority = priority
        self.openedOn = openedOn
        self.closedOn = closedOn
        self.lastContactOn = lastContactOn
        self.contactDueOn = contactDueOn
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.version = version
    }
}

/// One open case on a caseload, joined with what the list shows.
public struct CaseloadEntry: Sendable, Codable, Equatable {
    public var caseID: UUID
    public var clientID: UUID
    public var clientName: String
    public var programID: UUID? = nil
    public var programName: String
    public var contactFrequencyDays: Int
    public var stage: CaseStage
    public var priority: CasePriority
    public var openedOn: LocalDate
    public var lastContactOn: LocalDate?
    public var daysSinceContact: Int?
    public var contactOverdue: Bool
    public var reassessmentDays: Int?
    public var lastAssessedOn: LocalDate?
    /// When the next (re)assessment is due under the program's schedule, and how that stands today.
    public var reassessmentDue: LocalDate?
    public var reassessment: ReassessmentStatus?
    /// The program's contact rules evaluated from the case's notes, and the worst of them.
    public var contacts: [ContactCompliance] = []
    public var contactStatus: ComplianceStatus = .compliant
    /// The most severe band (a `Severity` raw value) among the latest results of each instrument, and
    /// the Self-Sufficiency Matrix domains in crisis at the latest one; kept on the case.
    public var acuitySeverity = 0
    public var crisisDomains = 0
    public var acuity: AcuityTier { AcuityTier(severity: acuitySeverity, crisisDomains: crisisDomains) }
    public init(
        caseID: UUID, clientID: UUID, clientName: String, programName: String, contactFrequencyDays: Int,
        stage: CaseStage, priority: CasePriority, openedOn: LocalDate, lastContactOn: LocalDate?,
        daysSinceContact: Int? = nil, contactOverdue: Bool = false, reassessmentDays: Int? = nil,
        lastAssessedOn: LocalDate? = nil
    ) {
        self.reassessmentDays = reassessmentDays
        self.lastAssessedOn = lastAssessedOn
        self.caseID = caseID
        self.clientID = clientID
        self.clientName = clientName
        self.programName = programName
        self.contactFrequencyDays = contactFrequencyDays
        self.stage = stage
        self.priority = priority
        self.openedOn = openedOn
        self.lastContactOn = lastContactOn
        self.daysSinceContact = daysSinceContact
        self.contactOverdue = contactOverdue
    }
}

public struct TeamMemberLoad: Sendable, Codable, Equatable {
    public var staffID: UUID
    public var displayName: String
    public var role: Role
    public var openCases: Int
    public var overdueCases: Int
    public init(staffID: UUID, displayName: String, role: Role, openCases: Int, overdueCases: Int) {
        self.staffID = staffID
        self.displayName = displayName
        self.role = role
        self.openCases = openCases
        self.overdueCases = overdueCases
    }
}

public protocol CaseRepository: Sendable {
    func insertCase(_ c: Case) async throws
    func updateCase(_ c: Case, expectedVersion: Int) async throws -> Bool
    func `case`(id: UUID) async throws -> Case?
    func cases(clientID: UUID) async throws -> [Case]
    /// These cases of the agency; ids of other agencies are left out.
    func cases(ids: [UUID], agencyID: UUID) async throws -> [Case]
    /// Open cases whose primary case manager is `staffID`, joined with client and program.
    func caseload(staffID: UUID) async throws -> [CaseloadEntry]
    /// Open and overdue (contact due before `today`) case counts per case manager of an agency.
    func caseloadCounts(agencyID: UUID, today: LocalDate) async throws -> [UUID: (open: Int, overdue: Int)]
}
