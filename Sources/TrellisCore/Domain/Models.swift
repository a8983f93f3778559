import Foundation

public struct Agency: Sendable, Codable, Equatable {
    public var id: UUID
    public var name: String
    public var createdAt: Date
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
    public var active: Bool
    public var createdAt: Date
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

/// A client record with the HMIS universal data elements Trellis collects at intake.
public struct Client: Sendable, Codable, Equatable {
    public var id: UUID
    public var agencyID: UUID
    public var firstName: String?
    public var middleName: String?
    public var lastName: String?
    public var nameSuffix: String?
    public var nameDataQuality: DataQuality
    public var preferredName: String?
    public var pronouns: String?
    /// Nine digits, no dashes; shown masked everywhere but the edit form.
    public var ssn: String?
    public var ssnDataQuality: DataQuality
    public var birthDate: LocalDate?
    public var dobDataQuality: DataQuality
    public var sex: HUDSex
    public var races: [RaceEthnicity]
    public var raceNone: RaceNone?
    public var additionalRaceEthnicity: String?
    public var veteranStatus: NoYesMissing
    public var phone: String?
    public var email: String?
    public var address: String?
    public var preferredLanguage: String?
    public var createdAt: Date
    public var updatedAt: Date
    public var createdBy: UUID
    public var version: Int

    public var displayName: String {
        let given = preferredName ?? firstName
        let parts = [given, lastName].compactMap { $0 }
        return parts.isEmpty ? "(name not collected)" : parts.joined(separator: " ")
    }

    public var legalName: String {
        [firstName, middleName, lastName, nameSuffix].compactMap { $0 }.joined(separator: " ")
    }

    public var maskedSSN: String? {
        guard let s = ssn, s.count >= 4 else { return nil }
        return "XXX-XX-" + s.suffix(4)
    }

    public init(
        id: UUID, agencyID: UUID, firstName: String?, middleName: String?, lastName: String?, nameSuffix: String?,
        nameDataQuality: DataQuality, preferredName: String?, pronouns: String?, ssn: String?,
        ssnDataQuality: DataQuality, birthDate: LocalDate?, dobDataQuality: DataQuality, sex: HUDSex,
        races: [RaceEthnicity], raceNone: RaceNone?, additionalRaceEthnicity: String?, veteranStatus: NoYesMissing,
        phone: String?, email: String?, address: String?, preferredLanguage: String?, createdAt: Date, updatedAt: Date,
        createdBy: UUID, version: Int
    ) {
        self.id = id
        self.agencyID = agencyID
        self.firstName = firstName
        self.middleName = middleName
        self.lastName = lastName
        self.nameSuffix = nameSuffix
        self.nameDataQuality = nameDataQuality
        self.preferredName = preferredName
        self.pronouns = pronouns
        self.ssn = ssn
        self.ssnDataQuality = ssnDataQuality
        self.birthDate = birthDate
        self.dobDataQuality = dobDataQuality
        self.sex = sex
        self.races = races
        self.raceNone = raceNone
        self.additionalRaceEthnicity = additionalRaceEthnicity
        self.veteranStatus = veteranStatus
        self.phone = phone
        self.email = email
        self.address = address
        self.preferredLanguage = preferredLanguage
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.createdBy = createdBy
        self.version = version
    }
}

public struct HouseholdMember: Sendable, Codable, Equatable {
    public var id: UUID
    public var clientID: UUID
    public var firstName: String?
    public var lastName: String?
    public var birthDate: LocalDate?
    public var relationship: RelationshipToHoH
    public init(
        id: UUID, clientID: UUID, firstName: String?, lastName: String?, birthDate: LocalDate?,
        relationship: RelationshipToHoH
    ) {
        self.id = id
        self.clientID = clientID
        self.firstName = firstName
        self.lastName = lastName
        self.birthDate = birthDate
        self.relationship = relationship
    }
}

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

public struct CaseNote: Sendable, Codable, Equatable {
    public var id: UUID
    public var agencyID: UUID
    public var caseID: UUID
    public var clientID: UUID
    public var authorID: UUID
    public var contactType: ContactType
    public var contactDate: LocalDate
    public var durationMinutes: Int
    public var participants: [String]
    public var format: NoteFormat
    /// Section name → text, with names from `format.sections`.
    public var sections: [String: String]
    public var status: NoteStatus
    public var signedAt: Date?
    /// Set on an addendum: the signed note it corrects or adds to.
    public var addendumTo: UUID?
    public var createdAt: Date
    public var updatedAt: Date
    public var version: Int

    public init(
        id: UUID, agencyID: UUID, caseID: UUID, clientID: UUID, authorID: UUID, contactType: ContactType,
        contactDate: LocalDate, durationMinutes: Int, participants: [String], format: NoteFormat,
        sections: [String: String], status: NoteStatus, signedAt: Date?, addendumTo: UUID?, createdAt: Date,
        updatedAt: Date, version: Int
    ) {
        self.id = id
        self.agencyID = agencyID
        self.caseID = caseID
        self.clientID = clientID
        self.authorID = authorID
        self.contactType = contactType
        self.contactDate = contactDate
        self.durationMinutes = durationMinutes
        self.participants = participants
        self.format = format
        self.sections = sections
        self.status = status
        self.signedAt = signedAt
        self.addendumTo = addendumTo
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.version = version
    }
}

public struct AuditEntry: Sendable, Codable, Equatable {
    public var id: UUID
    public var at: Date
    public var actorID: UUID?
    public var agencyID: UUID?
    public var action: String
    public var recordType: String
    public var recordID: UUID?
    public var clientID: UUID?
    /// Names of the fields an update changed; never their values.
    public var changedFields: [String]
    public init(
        id: UUID, at: Date, actorID: UUID?, agencyID: UUID?, action: String, recordType: String,
        recordID: UUID?, clientID: UUID?, changedFields: [String] = []
    ) {
        self.id = id
        self.at = at
        self.actorID = actorID
        self.agencyID = agencyID
        self.action = action
        self.recordType = recordType
        self.recordID = recordID
        self.clientID = clientID
        self.changedFields = changedFields
    }
}

/// What a search result or duplicate candidate shows: enough to recognise a person, no more.
public struct ClientSummary: Sendable, Codable, Equatable {
    public var id: UUID
    public var firstName: String?
    public var lastName: String?
    public var preferredName: String?
    public var birthDate: LocalDate?
    public var displayName: String {
        let parts = [preferredName ?? firstName, lastName].compactMap { $0 }
        return parts.isEmpty ? "(name not collected)" : parts.joined(separator: " ")
    }
    public init(id: UUID, firstName: String?, lastName: String?, preferredName: String?, birthDate: LocalDate?) {
        self.id = id
        self.firstName = firstName
        self.lastName = lastName
        self.preferredName = preferredName
        self.birthDate = birthDate
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
