import Foundation

/// Who inside an agency may read a client's clinical record. Need-to-know is the default: the care team only.
public enum AccessPolicy: String, Sendable, Codable, CaseIterable {
    /// The care team of each case: its primary case manager, staff assigned to it, the case manager's
    /// supervisor, the program's managers and staff; administrators (read and write) and auditors (read).
    case needToKnow = "need_to_know"
    /// As need-to-know, and the whole team of the case manager.
    case team
    /// Everyone in the agency reads and writes every record that is not restricted.
    case open
}

/// Categories of records the law or good practice keeps to a program's own staff.
public enum RestrictedCategory: String, Sendable, Codable, CaseIterable {
    /// Substance-use disorder treatment records (42 CFR Part 2).
    case substanceUse = "substance_use"
    /// Domestic violence and victim services (VAWA): identifying data never leaves the program.
    case domesticViolence = "domestic_violence"
    /// HIV/AIDS (HOPWA).
    case hiv
    case mentalHealth = "mental_health"
    case legal
}

/// How far a staff member may go with a case or a client.
public enum AccessLevel: Int, Sendable, Comparable, Codable {
    /// Not even that the record exists (a restricted program's client, to others).
    case none = 0
    /// Name, birth date and the programs one may know of: what search and the duplicate check show.
    case identity
    case read
    case write
    public static func < (a: AccessLevel, b: AccessLevel) -> Bool { a.rawValue < b.rawValue }
}

/// Why a read happened, written on its audit entry. Care, supervision, administration and oversight are the
/// agency's own work; break-glass and consented disclosures appear in the client's accounting of disclosures.
public enum AccessPurpose: String, Sendable, Codable, CaseIterable {
    case care
    case supervision
    case administration
    case oversight
    case breakGlass = "break_glass"
    case consent
}

/// One decision: how far, why, and on what basis (a break-glass grant's id, or a release's).
public struct Access: Sendable, Equatable {
    public var level: AccessLevel
    public var purpose: AccessPurpose
    public var basisID: UUID?
    /// Records marked restricted are shown only to the program's own staff and the people on the case.
    public var seesRestricted: Bool
    public init(_ level: AccessLevel, _ purpose: AccessPurpose, basisID: UUID? = nil, seesRestricted: Bool = false) {
        self.level = level
        self.purpose = purpose
        self.basisID = basisID
        self.seesRestricted = seesRestricted
    }
    public static let identityOnly = Access(.identity, .care)
    public static let nothing = Access(.none, .care)
    public var canRead: Bool { level >= .read }
    public var canWrite: Bool { level >= .write }
}

/// What the decision needs to know about one case of the client, from the actor's side.
public struct CaseAccessFacts: Sendable, Equatable {
    public var caseID: UUID
    public var programID: UUID
    public var primaryCaseManagerID: UUID
    public var caseManagerTeamID: UUID?
    public var restriction: RestrictedCategory?
    /// The actor is assigned to this case.
    public var actorAssigned: Bool
    /// The actor manages the case's program.
    public var actorManagesProgram: Bool
    /// The actor is listed as staff of the case's program.
    public var actorWorksInProgram: Bool
    public init(
        caseID: UUID, programID: UUID, primaryCaseManagerID: UUID, caseManagerTeamID: UUID?,
        restriction: RestrictedCategory?, actorAssigned: Bool, actorManagesProgram: Bool, actorWorksInProgram: Bool
    ) {
        self.caseID = caseID
        self.programID = programID
        self.primaryCaseManagerID = primaryCaseManagerID
        self.caseManagerTeamID = caseManagerTeamID
        self.restriction = restriction
        self.actorAssigned = actorAssigned
        self.actorManagesProgram = actorManagesProgram
        self.actorWorksInProgram = actorWorksInProgram
    }
}

/// Everything about a client the decision reads, gathered in a few indexed queries.
public struct ClientAccessFacts: Sendable, Equatable {
    public var clientID: UUID
    public var agencyID: UUID
    public var policy: AccessPolicy
    /// Who registered the client: on the care team (with their supervisor) until a case is opened.
    public var createdBy: UUID
    public var creatorTeamID: UUID?
    public var cases: [CaseAccessFacts]
    /// The actor's break-glass grant on this client that has not ended, if any.
    public var grantID: UUID?
    public init(
        clientID: UUID, agencyID: UUID, policy: AccessPolicy, createdBy: UUID, creatorTeamID: UUID? = nil,
        cases: [CaseAccessFacts], grantID: UUID?
    ) {
        self.creatorTeamID = creatorTeamID
        self.clientID = clientID
        self.agencyID = agencyID
        self.policy = policy
        self.createdBy = createdBy
        self.cases = cases
        self.grantID = grantID
    }
}

/// A client as the actor may know them: the client-wide decision and one per case.
public struct ClientAccess: Sendable, Equatable {
    public var client: Access
    public var cases: [UUID: Access]
    public func forCase(_ id: UUID) -> Access { cases[id] ?? .nothing }
    /// Whether the actor may see records marked restricted that belong to the client (documents).
    public var seesRestricted: Bool { client.seesRestricted || cases.values.contains { $0.seesRestricted } }
}

/// The rules, as a pure function of the facts (tested combination by combination).
public enum CareTeam {
    public static func decide(_ f: CaseAccessFacts, policy: AccessPolicy, grantID: UUID?, actor: ActingUser) -> Access {
        let full: AccessLevel = actor.role == .auditor ? .read : .write
        let onCase = actor.id == f.primaryCaseManagerID || f.actorAssigned
        let programStaff = f.actorManagesProgram || f.actorWorksInProgram
        // A restricted program's records: its own staff and the people on the case, and no one else, whatever
        // their role, the agency's policy or a break-glass grant.
        if f.restriction != nil {
            if onCase { return Access(full, .care, seesRestricted: true) }
            if programStaff {
                return Access(full, f.actorManagesProgram ? .supervision : .care, seesRestricted: true)
            }
            return .nothing
        }
        if onCase { return Access(full, .care, seesRestricted: true) }
        if f.actorManagesProgram { return Access(full, .supervision, seesRestricted: true) }
        if f.actorWorksInProgram { return Access(full, .care, seesRestricted: true) }
        let sameTeam = actor.teamID != nil && actor.teamID == f.caseManagerTeamID
        if actor.role == .supervisor && sameTeam { return Access(full, .supervision) }
        if actor.role == .agencyAdmin { return Access(.write, .administration) }
        if actor.role == .auditor { return Access(.read, .oversight) }
        switch policy {
        case .open: return Access(full, .care)
        case .team where sameTeam: return Access(full, .care)
        default: break
        }
        if let grantID { return Access(full, .breakGlass, basisID: grantID) }
        return .identityOnly
    }

    /// The client-wide decision (identity, contact details, household, documents) is the best of the case
    /// decisions. A client with no case yet belongs to whoever registered them and their supervisor, and to the
    /// agency-wide roles.
    /// A client whose every case is in a restricted program the actor does not work in does not exist for them.
    public static func decide(_ f: ClientAccessFacts, actor: ActingUser) -> ClientAccess {
        guard actor.agencyID == f.agencyID else { return ClientAccess(client: .nothing, cases: [:]) }
        var cases: [UUID: Access] = [:]
        for c in f.cases { cases[c.caseID] = decide(c, policy: f.policy, grantID: f.grantID, actor: actor) }
        let full: AccessLevel = actor.role == .auditor ? .read : .write
        let client: Access
        if f.cases.isEmpty {
            let creatorsTeam = actor.teamID != nil && actor.teamID == f.creatorTeamID
            if actor.id == f.createdBy {
                client = Access(full, .care, seesRestricted: true)
            } else if actor.role == .supervisor && creatorsTeam {
                client = Access(full, .supervision)
            } else if actor.role == .agencyAdmin {
                client = Access(.write, .administration)
            } else if actor.role == .auditor {
                client = Access(.read, .oversight)
            } else if f.policy == .open || (f.policy == .team && creatorsTeam) {
                client = Access(full, .care)
            } else if let g = f.grantID {
                client = Access(full, .breakGlass, basisID: g)
            } else {
                client = .identityOnly
            }
        } else {
            let best = cases.values.max { a, b in
                (a.level, rank(a.purpose)) < (b.level, rank(b.purpose))
            }!
            if best.level == .none && f.cases.allSatisfy({ $0.restriction != nil }) {
                client = .nothing
            } else {
                client = best.level == .none ? .identityOnly : best
            }
        }
        return ClientAccess(client: client, cases: cases)
    }

    /// Among equal levels, the purpose closest to the care of the client names the read.
    private static func rank(_ p: AccessPurpose) -> Int {
        switch p {
        case .care: 5
        case .supervision: 4
        case .administration: 3
        case .oversight: 2
        case .consent: 1
        case .breakGlass: 0
        }
    }

    public static let notOnCareTeam =
        "You are not on this client's care team. Ask the case manager for access, or break the glass from the client's page if it cannot wait."
}
