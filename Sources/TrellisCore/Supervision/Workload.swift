import Foundation

/// Open cases of one worker in one program at one acuity.
public struct WorkloadCell: Sendable, Equatable {
    public var staffID: UUID
    public var programID: UUID
    public var severity: Int
    public var crisisDomains: Int
    public var count: Int
    public init(staffID: UUID, programID: UUID, severity: Int, crisisDomains: Int, count: Int) {
        self.staffID = staffID
        self.programID = programID
        self.severity = severity
        self.crisisDomains = crisisDomains
        self.count = count
    }
    public var tier: AcuityTier { AcuityTier(severity: severity, crisisDomains: crisisDomains) }
}

/// One worker's caseload against the targets of the programs it spans. Each case takes
/// `tier weight / program target` of a full load, so 35 standard cases in a program with target 35,
/// or 10 high-acuity cases in one with target 20, are both a full (100 %) caseload.
public struct WorkerLoad: Sendable, Equatable {
    public var staff: StaffMember
    public var openCases: Int
    public var byTier: [AcuityTier: Int]
    /// Cases weighted by acuity (a high-acuity case counts 2).
    public var weightedCases: Double
    /// Share of a full caseload, 1.0 = at target.
    public var load: Double
    public var overTarget: Bool { load > 1.0 + 1e-9 }
    /// Standard-acuity cases of `program` the worker could still take before reaching the target.
    public func room(in program: Program) -> Int {
        max(0, Int(((1.0 - load) * Double(program.effectiveCaseloadTarget)).rounded(.down)))
    }
}

public struct TeamLoad: Sendable, Equatable {
    public var team: Team?
    public var workers: [WorkerLoad]
    public var openCases: Int { workers.reduce(0) { $0 + $1.openCases } }
    public var weightedCases: Double { workers.reduce(0) { $0 + $1.weightedCases } }
    /// Average share of a full caseload across the team's case managers.
    public var load: Double { workers.isEmpty ? 0 : workers.reduce(0) { $0 + $1.load } / Double(workers.count) }
}

public struct WorkloadOverview: Sendable {
    public var teams: [TeamLoad]
    public var programs: [Program]
}

public struct CaseManagerSuggestion: Sendable, Equatable {
    public var worker: WorkerLoad
    public var room: Int
}

/// One case of a bulk reassignment: where it goes and the handoff note.
public struct ReassignmentInput: Sendable, Codable, Equatable {
    public var caseID: UUID
    public var version: Int?
    public var toManagerID: UUID?
    public var note: String?
    public init(caseID: UUID, version: Int?, toManagerID: UUID?, note: String?) {
        self.caseID = caseID
        self.version = version
        self.toManagerID = toManagerID
        self.note = note
    }
}

public struct WorkloadService: Sendable {
    let store: any TrellisStore
    let deps: Dependencies
    public init(store: any TrellisStore, deps: Dependencies) {
        self.store = store
        self.deps = deps
    }

    static func loads(_ cells: [WorkloadCell], staff: [StaffMember], programs: [UUID: Program]) -> [WorkerLoad] {
        let byStaff = Dictionary(grouping: cells, by: \.staffID)
        return staff.map { s in
            var tiers: [AcuityTier: Int] = [:]
            var weighted = 0.0
            var load = 0.0
            var open = 0
            for c in byStaff[s.id] ?? [] {
                tiers[c.tier, default: 0] += c.count
                open += c.count
                weighted += Double(c.count) * c.tier.weight
                load +=
                    Double(c.count) * c.tier.weight
                    / Double(programs[c.programID]?.effectiveCaseloadTarget ?? Program.defaultCaseloadTarget)
            }
            return WorkerLoad(staff: s, openCases: open, byTier: tiers, weightedCases: weighted, load: load)
        }
    }

    /// Caseload sizes against targets, per worker and team, for what the actor supervises: a supervisor
    /// their team, a program manager the workers of their programs (counting those programs' cases),
    /// an admin or auditor the agency.
    public func overview(by actor: ActingUser) async throws -> WorkloadOverview {
        try Policy.require(actor, .viewWorkload)
        let scope = try await store.scope(for: actor)
        let programs = try await store.programs(agencyID: actor.agencyID)
        let byID = Dictionary(programs.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let cells = try await store.workload(scope)
        let carrying = Set(cells.map(\.staffID))
        let staff = try await
            (scope.caseManagerIDs != nil && actor.teamID != nil
            ? store.staff(teamID: actor.teamID!) : store.staff(agencyID: actor.agencyID))
            .filter { s in
                s.active && (s.role == .caseManager || carrying.contains(s.id))
                    && (scope.caseManagerIDs?.contains(s.id) ?? true)
                    && (scope.programIDs == nil || carrying.contains(s.id))
            }
        let loads = Self.loads(cells, staff: staff, programs: byID)
        let teams = Dictionary(
            try await store.teams(agencyID: actor.agencyID).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let grouped = Dictionary(grouping: loads) { $0.staff.teamID }
        let out = grouped.map { teamID, workers in
            TeamLoad(
                team: teamID.flatMap { teams[$0] },
                workers: workers.sorted {
                    ($0.staff.displayName, $0.staff.id.uuidString) < ($1.staff.displayName, $1.staff.id.uuidString)
                })
        }.sorted { ($0.team?.name ?? "\u{10FFFF}") < ($1.team?.name ?? "\u{10FFFF}") }
        return WorkloadOverview(teams: out, programs: programs)
    }

    /// Case managers who may take a new case in `programID`, most room first: those on teams serving the
    /// program (or every case manager when no team serves it), and for a supervisor their own team.
    public func suggestions(programID: UUID, by actor: ActingUser, limit: Int = 5) async throws
        -> [CaseManagerSuggestion]
    {
        guard let program = try await store.program(id: programID), program.agencyID == actor.agencyID else {
            return []
        }
        let teams = try await store.teams(agencyID: actor.agencyID)
        var teamIDs = teams.filter { $0.programID == programID }.map(\.id)
        if actor.role == .supervisor, let own = actor.teamID { teamIDs = [own] }
        var candidates: [StaffMember] = []
        if teamIDs.isEmpty {
            candidates = try await store.staff(agencyID: actor.agencyID)
        } else {
            for t in teamIDs { candidates += try await store.staff(teamID: t) }
        }
        candidates = candidates.filter { $0.active && $0.role == .caseManager && $0.agencyID == actor.agencyID }
        guard !candidates.isEmpty else { return [] }
        let programs = Dictionary(
            try await store.programs(agencyID: actor.agencyID).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let cells = try await store.workload(CaseScope(agencyID: actor.agencyID, caseManagerIDs: candidates.map(\.id)))
        return Self.loads(cells, staff: candidates, programs: programs)
            .map { CaseManagerSuggestion(worker: $0, room: $0.room(in: program)) }
            .sorted {
                ($0.worker.load, $0.worker.staff.displayName, $0.worker.staff.id.uuidString) < (
                    $1.worker.load, $1.worker.staff.displayName, $1.worker.staff.id.uuidString
                )
            }
            .prefix(limit).map { $0 }
    }

    /// The open cases of a worker whose cases the actor may reassign.
    public func reassignable(from staffID: UUID, by actor: ActingUser) async throws -> (StaffMember, [Case]) {
        try Policy.require(actor, .transferCase)
        guard let from = try await store.staff(id: staffID) else { throw TrellisError.notFound("staff member") }
        try Policy.requireSameAgency(actor, from.agencyID, "staff member")
        let scope = try await store.scope(for: actor)
        if let ids = scope.caseManagerIDs, !ids.contains(staffID) {
            throw TrellisError.forbidden("You can reassign the cases of your own team only.")
        }
        let cases = try await store.openCases(caseManagerID: staffID).filter {
            scope.includes(programID: $0.programID, caseManagerID: $0.primaryCaseManagerID)
        }
        return (from, cases)
    }

    /// What the reassignment form lists: the worker, their open cases in the actor's scope, and each case's
    /// client name (each client listed is audited as viewed).
    public func reassignment(from staffID: UUID, by actor: ActingUser) async throws -> (
        staff: StaffMember, cases: [Case], clientNames: [UUID: String]
    ) {
        let (from, cases) = try await reassignable(from: staffID, by: actor)
        var names: [UUID: String] = [:]
        for c in cases {
            if let cl = try await store.client(id: c.clientID) { names[c.clientID] = cl.displayName }
        }
        let listed = Array(Set(cases.map(\.clientID))).sorted { $0.uuidString < $1.uuidString }
        if !listed.isEmpty {
            try await store.appendAudit(listed.map { deps.audit(actor, .clientView, "client", $0, clientID: $0) })
        }
        return (from, cases, names)
    }

    /// Moves many cases of one worker to others, each with its handoff note, in one transaction: all of
    /// them move or none does. Every problem is reported at once, keyed by the case's position.
    public func reassign(from staffID: UUID, _ moves: [ReassignmentInput], by actor: ActingUser) async throws -> [Case]
    {
        let (_, open) = try await reassignable(from: staffID, by: actor)
        let byID = Dictionary(open.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var v = Validator()
        if moves.isEmpty { v.add("cases", "choose at least one case to reassign") }
        if Set(moves.map(\.caseID)).count != moves.count { v.add("cases", "a case is listed twice") }
        var targets: [UUID: StaffMember] = [:]
        var planned: [(Case, UUID, String)] = []
        for (i, m) in moves.enumerated() {
            let field = "cases.\(i)"
            guard let c = byID[m.caseID] else {
                v.add("\(field).caseID", "is not an open case of this worker that you may reassign")
                continue
            }
            let note = v.text("\(field).note", m.note, required: true, max: 4000)
            var target: StaffMember? = nil
            if let to = m.toManagerID {
                if let t = targets[to] {
                    target = t
                } else {
                    target = try await store.staff(id: to)
                    if let t = target { targets[to] = t }
                }
            }
            if m.toManagerID == nil {
                v.add("\(field).toManagerID", "is required")
            } else if let t = target, t.agencyID == actor.agencyID, t.active, t.role != .auditor {
                if t.id == staffID {
                    v.add("\(field).toManagerID", "choose someone other than the current case manager")
                }
            } else {
                v.add("\(field).toManagerID", "is not an active staff member of your agency who can carry cases")
            }
            if m.version == nil {
                v.add("\(field).version", "is required")
            } else if m.version != c.version {
                v.add("\(field).version", "this case changed since the list was opened; reload it")
            }
            if let note, let t = target { planned.append((c, t.id, note)) }
        }
        try v.check()
        let plan = planned
        return try await store.transaction { tx in
            var moved: [Case] = []
            for (c, to, note) in plan {
                moved.append(
                    try await ClosureService.applyTransfer(
                        c, toManager: to, toProgram: nil, note: note, action: .caseReassign,
                        by: actor, in: tx, deps: deps))
            }
            return moved
        }
    }
}
