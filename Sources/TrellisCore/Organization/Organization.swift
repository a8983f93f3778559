import Foundation

public struct Agency: Sendable, Codable, Equatable {
    public var id: UUID
    public var name: String
    public var createdAt: Date
    /// What letters print under the agency's name: its postal address (lines) and phone.
    public var letterheadAddress: String? = nil
    public var letterheadPhone: String? = nil
    /// Who inside the agency reads a client's clinical record (need-to-know unless an administrator widens it).
    public var accessPolicy: AccessPolicy = .needToKnow
    /// The HUD Continuum of Care the agency belongs to (e.g. "CA-600"): agencies of one continuum in this
    /// Trellis learn that a person is known to another of them, and share what a release allows.
    public var continuumCode: String? = nil
    public init(id: UUID, name: String, createdAt: Date) {
        self.id = id
        self.name = name
        self.createdAt = createdAt
    }
}

public struct Program: Sendable, Codable, Equatable {
    public var id: UUID
    public var agencyID: UUID
    public var name: String
    public var type: ProgramType
    /// A case in this program needs a contact at least this often.
    public var contactFrequencyDays: Int
    /// Every case is reassessed at least this often; nil when the program sets no schedule.
    public var reassessmentDays: Int?
    /// New plan versions wait for a supervisor's approval before they are in force.
    public var requiresPlanApproval: Bool
    /// Contact rules beyond the frequency above, such as a home visit every 180 days.
    public var contactRules: [ContactRequirement] = []
    /// Days a sent referral may wait for the provider's answer before a follow-up task is made.
    public var referralResponseDays: Int? = nil
    /// Full caseload for one worker in this program, in standard-acuity cases (nil: the default of 35).
    public var caseloadTarget: Int? = nil
    /// How "Who needs me today" ranks this program's cases.
    public var priorityWeights: PriorityWeights = .standard
    /// A case manager's closure waits for a supervisor's approval before the case closes.
    public var requiresClosureApproval = false
    /// Signed notes wait for a supervisor's co-signature.
    public var requiresNoteCosign = false
    /// Set for a program whose records only its own staff may see (42 CFR Part 2, VAWA, HOPWA, …).
    public var restriction: RestrictedCategory? = nil
    public var active: Bool
    public var createdAt: Date
    /// Changed by each edit of the program's name, type or contact frequency, for optimistic concurrency.
    public var version = 1
    public init(
        id: UUID, agencyID: UUID, name: String, type: ProgramType, contactFrequencyDays: Int,
        reassessmentDays: Int? = nil,
        requiresPlanApproval: Bool = false, contactRules: [ContactRequirement] = [], referralResponseDays: Int? = nil,
        active: Bool = true, createdAt: Date
    ) {
        self.contactRules = contactRules
        self.referralResponseDays = referralResponseDays
        self.id = id
        self.agencyID = agencyID
        self.name = name
        self.type = type
        self.contactFrequencyDays = contactFrequencyDays
        self.reassessmentDays = reassessmentDays
        self.requiresPlanApproval = requiresPlanApproval
        self.active = active
        self.createdAt = createdAt
    }
}

extension Program {
    public static let defaultCaseloadTarget = 35
    public var effectiveCaseloadTarget: Int { caseloadTarget ?? Self.defaultCaseloadTarget }
}

public struct Team: Sendable, Codable, Equatable {
    public var id: UUID
    public var agencyID: UUID
    public var programID: UUID?
    public var name: String
    public var createdAt: Date
    public init(id: UUID, agencyID: UUID, programID: UUID?, name: String, createdAt: Date) {
        self.id = id
        self.agencyID = agencyID
        self.programID = programID
        self.name = name
        self.createdAt = createdAt
    }
}

/// A person who works at an agency and signs in to Trellis.
public struct StaffMember: Sendable, Codable, Equatable {
    public var id: UUID
    public var agencyID: UUID
    public var teamID: UUID?
    public var username: String
    public var displayName: String
    public var role: Role
    public var language: Language
    public var passwordHash: String
    public var active: Bool
    public var createdAt: Date
    /// Changed by each edit, for optimistic concurrency.
    public var version = 1
    /// Set when an administrator resets the password: the user must choose a new one at sign-in.
    public var mustChangePassword = false
    public init(
        id: UUID, agencyID: UUID, teamID: UUID?, username: String, displayName: String, role: Role,
        language: Language, passwordHash: String, active: Bool = true, createdAt: Date
    ) {
        self.id = id
        self.agencyID = agencyID
        self.teamID = teamID
        self.username = username
        self.displayName = displayName
        self.role = role
        self.language = language
        self.passwordHash = passwordHash
        self.active = active
        self.createdAt = createdAt
    }
}

/// Who is acting. Every service call takes one; the policy decides from it.
public struct ActingUser: Sendable, Equatable {
    public let id: UUID
    public let agencyID: UUID
    public let teamID: UUID?
    public let role: Role
    public let language: Language
    public init(id: UUID, agencyID: UUID, teamID: UUID?, role: Role, language: Language = .en) {
        self.id = id
        self.agencyID = agencyID
        self.teamID = teamID
        self.role = role
        self.language = language
    }
    public init(_ s: StaffMember) {
        self.init(id: s.id, agencyID: s.agencyID, teamID: s.teamID, role: s.role, language: s.language)
    }
}

public protocol OrganizationRepository: Sendable {
    func insertAgency(_ agency: Agency) async throws
    func agency(id: UUID) async throws -> Agency?
    func agency(named name: String) async throws -> Agency?
    func updateLetterhead(agencyID: UUID, address: String?, phone: String?) async throws
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
    func updateStaffPassword(id: UUID, passwordHash: String, mustChange: Bool) async throws
    /// Writes the staff member's name, role, team, language and active flag if the stored version is
    /// `expectedVersion`; false means someone else changed them.
    func updateStaff(_ staff: StaffMember, expectedVersion: Int) async throws -> Bool
    /// Writes the program's name, type and contact frequency if the stored version is `expectedVersion`.
    func updateProgram(_ program: Program, expectedVersion: Int) async throws -> Bool
    /// Sets each open case's next contact due to its last contact (or opening) plus `frequencyDays`; returns
    /// how many cases it changed.
    func rescheduleContacts(programID: UUID, frequencyDays: Int) async throws -> Int
    func staffCount() async throws -> Int
}

extension StaffMember {
    /// Offered as a case manager or assignee: active case managers and supervisors (admins, program managers
    /// and auditors do not carry cases).
    public var carriesCases: Bool { active && (role == .caseManager || role == .supervisor) }
}

extension TrellisStore {
    /// The staff members among `ids` who belong to the agency; anyone else's id finds nobody.
    public func agencyStaff(ids: [UUID], agencyID: UUID) async throws -> [StaffMember] {
        try await staff(ids: ids).filter { $0.agencyID == agencyID }
    }

    /// Display names of the agency's staff among `ids`, for pages that name who did what.
    public func staffNames(ids: [UUID], agencyID: UUID) async throws -> [UUID: String] {
        Dictionary(
            try await agencyStaff(ids: ids, agencyID: agencyID).map { ($0.id, $0.displayName) },
            uniquingKeysWith: { a, _ in a })
    }
}
