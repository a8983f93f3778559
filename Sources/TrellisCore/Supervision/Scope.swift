import Foundation

/// Which cases a staff member's management views cover: a case manager their own, a supervisor their
/// team's, a program manager the programs they manage, an admin or auditor the whole agency.
public struct CaseScope: Sendable, Equatable {
    public var agencyID: UUID
    /// nil: every program.
    public var programIDs: [UUID]?
    /// nil: every worker.
    public var caseManagerIDs: [UUID]?
    /// Restricted programs the actor does not work in: their cases never appear in the actor's lists, pages or
    /// drill-downs (aggregate counts, which name no one, still include them).
    public var hiddenProgramIDs: [UUID] = []
    public init(
        agencyID: UUID, programIDs: [UUID]? = nil, caseManagerIDs: [UUID]? = nil, hiddenProgramIDs: [UUID] = []
    ) {
        self.hiddenProgramIDs = hiddenProgramIDs
        self.agencyID = agencyID
        self.programIDs = programIDs
        self.caseManagerIDs = caseManagerIDs
    }

    /// Narrowed to one program, which must be in scope (another program is simply outside it: empty).
    public func narrowed(toProgram id: UUID?) -> CaseScope {
        guard let id else { return self }
        var s = self
        s.programIDs = (programIDs ?? [id]).contains(id) ? [id] : []
        return s
    }

    public func includes(programID: UUID, caseManagerID: UUID) -> Bool {
        (programIDs?.contains(programID) ?? true) && (caseManagerIDs?.contains(caseManagerID) ?? true)
            && !hiddenProgramIDs.contains(programID)
    }

    /// The scope for counts that name no one: restricted programs included.
    public var forAggregates: CaseScope {
        var s = self
        s.hiddenProgramIDs = []
        return s
    }
}

/// Staff to program assignments for program managers, and per-team staff lists.
public protocol SupervisionRepository: Sendable {
    func staff(teamID: UUID) async throws -> [StaffMember]
    func managedPrograms(staffID: UUID) async throws -> [UUID]
    /// Program id → the program managers assigned to it.
    func programManagers(agencyID: UUID) async throws -> [UUID: [UUID]]
    func setProgramManagers(programID: UUID, staffIDs: [UUID]) async throws
    /// Open-case counts per worker, program and acuity (severity, crisis domains) in the scope.
    func workload(_ scope: CaseScope) async throws -> [WorkloadCell]
    /// Open cases of one worker, oldest first.
    func openCases(caseManagerID: UUID) async throws -> [Case]
    /// Keeps the acuity signals and the first and latest Self-Sufficiency Matrix on the case.
    func updateCaseSignals(caseID: UUID, _ signals: CaseSignals) async throws
    /// Keeps the goal counts of the plan in force on the case.
    func updateGoalCounts(caseID: UUID, total: Int, achieved: Int) async throws
    /// Plan versions waiting for approval on cases in the scope, oldest first.
    func plansAwaitingReview(_ scope: CaseScope, limit: Int) async throws -> [PlanReviewItem]
    /// The latest plan version of each case when it was returned and written by `authorID`.
    func returnedPlans(authorID: UUID) async throws -> [PlanReviewItem]
}

/// What the case keeps from its assessments, for ranking, caseload weights and outcome reports.
public struct CaseSignals: Sendable, Equatable {
    public var severity: Int
    public var crisisDomains: Int
    /// One character per Self-Sufficiency Matrix domain in the instrument's order: 1–5, or "-".
    public var ssmFirst: String?
    public var ssmLatest: String?
    public var ssmLatestOn: LocalDate?
    public init(severity: Int, crisisDomains: Int, ssmFirst: String?, ssmLatest: String?, ssmLatestOn: LocalDate?) {
        self.severity = severity
        self.crisisDomains = crisisDomains
        self.ssmFirst = ssmFirst
        self.ssmLatest = ssmLatest
        self.ssmLatestOn = ssmLatestOn
    }

    /// From a case's assessments: the latest result of each instrument sets the severity; the SSM's
    /// first and latest are kept as score strings.
    public static func from(_ assessments: [Assessment]) -> CaseSignals {
        let sorted = assessments.sorted { ($0.completedOn, $0.createdAt) < ($1.completedOn, $1.createdAt) }
        var latest: [String: Assessment] = [:]
        for a in sorted { latest[a.result.instrumentCode] = a }
        let severity = latest.values.compactMap { $0.result.band?.severity.rawValue }.max() ?? 0
        let ssm = sorted.filter { $0.result.instrumentCode == "ssm" }
        let domains = BuiltInInstruments.selfSufficiencyMatrix.items.map(\.id)
        func code(_ a: Assessment) -> String {
            String(
                domains.map { d -> Character in
                    if case .value(let x)? = a.result.answers[d], (1...5).contains(x) { return Character(String(x)) }
                    return "-"
                })
        }
        let crisis =
            ssm.last.map { a in
                domains.filter { if case .value(1)? = a.result.answers[$0] { true } else { false } }.count
            } ?? 0
        return CaseSignals(
            severity: severity, crisisDomains: crisis, ssmFirst: ssm.first.map(code),
            ssmLatest: ssm.count > 1 ? ssm.last.map(code) : nil,
            ssmLatestOn: ssm.count > 1 ? ssm.last?.completedOn : nil)
    }
}

public struct PlanReviewItem: Sendable, Equatable {
    public var caseID: UUID
    public var clientID: UUID
    public var clientName: String
    public var programID: UUID
    public var caseManagerID: UUID
    public var version: Int
    public var createdBy: UUID
    public var createdAt: Date
    public var comment: String?
    public init(
        caseID: UUID, clientID: UUID, clientName: String, programID: UUID, caseManagerID: UUID, version: Int,
        createdBy: UUID, createdAt: Date, comment: String?
    ) {
        self.caseID = caseID
        self.clientID = clientID
        self.clientName = clientName
        self.programID = programID
        self.caseManagerID = caseManagerID
        self.version = version
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.comment = comment
    }
}

extension TrellisStore {
    /// The cases an actor's management views cover (see `CaseScope`).
    public func scope(for actor: ActingUser) async throws -> CaseScope {
        var s = try await roleScope(for: actor)
        if actor.role != .caseManager {
            let restricted = try await programs(agencyID: actor.agencyID).filter { $0.restriction != nil }.map(\.id)
            if !restricted.isEmpty {
                let mine = Set(
                    try await managedPrograms(staffID: actor.id) + (try await staffPrograms(staffID: actor.id)))
                s.hiddenProgramIDs = restricted.filter { !mine.contains($0) }
            }
        }
        return s
    }

    private func roleScope(for actor: ActingUser) async throws -> CaseScope {
        switch actor.role {
        case .caseManager:
            return CaseScope(agencyID: actor.agencyID, caseManagerIDs: [actor.id])
        case .supervisor:
            guard let team = actor.teamID else {
                return CaseScope(agencyID: actor.agencyID, caseManagerIDs: [actor.id])
            }
            let members = try await staff(teamID: team).filter { $0.agencyID == actor.agencyID }.map(\.id)
            return CaseScope(
                agencyID: actor.agencyID,
                caseManagerIDs: Array(Set(members + [actor.id])).sorted { $0.uuidString < $1.uuidString })
        case .programManager:
            return CaseScope(agencyID: actor.agencyID, programIDs: try await managedPrograms(staffID: actor.id))
        case .agencyAdmin, .auditor:
            return CaseScope(agencyID: actor.agencyID)
        }
    }

    /// Whether the actor's management views cover this case; another agency's case is not found.
    func requireInScope(_ c: Case, _ actor: ActingUser, what: String = "case") async throws {
        try Policy.requireSameAgency(actor, c.agencyID, what)
        let s = try await scope(for: actor)
        guard s.includes(programID: c.programID, caseManagerID: c.primaryCaseManagerID) else {
            throw TrellisError.forbidden(
                actor.role == .programManager
                    ? "This case is in a program you do not manage."
                    : "This case is not on your team's caseloads.")
        }
    }
}
