import Foundation

/// Time-limited access to a client's record taken by someone outside the care team, with a stated reason.
/// The client's case managers and their supervisors are told at once.
public struct AccessGrant: StoredRecord, AgencyOwned, Equatable {
    public static let table = "access_grants"
    public var id: UUID
    public var agencyID: UUID
    public var staffID: UUID
    public var clientID: UUID
    public var reason: String
    public var createdAt: Date
    public var expiresAt: Date
    public var version: Int
    public init(
        id: UUID, agencyID: UUID, staffID: UUID, clientID: UUID, reason: String, createdAt: Date, expiresAt: Date,
        version: Int = 1
    ) {
        self.id = id
        self.agencyID = agencyID
        self.staffID = staffID
        self.clientID = clientID
        self.reason = reason
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.version = version
    }
    public var index: [String: IndexValue] {
        ["agency_id": .uuid(agencyID), "staff_id": .uuid(staffID), "client_id": .uuid(clientID)]
    }
    public func active(at now: Date) -> Bool { now < expiresAt }
}

/// What the care-team decision reads, and the assignments it is made from.
public protocol AccessRepository: Sendable {
    /// The facts for each of `clientIDs` (of any agency; the decision refuses other agencies), from `actor`'s side.
    func accessFacts(clientIDs: [UUID], actor: ActingUser, at now: Date) async throws -> [UUID: ClientAccessFacts]
    /// Staff assigned to a case besides its primary case manager.
    func caseStaff(caseID: UUID) async throws -> [UUID]
    func addCaseStaff(caseID: UUID, staffID: UUID, addedBy: UUID, at: Date) async throws
    func removeCaseStaff(caseID: UUID, staffID: UUID) async throws
    /// Staff of a program besides its managers (who see its restricted records).
    func programStaff(programID: UUID) async throws -> [UUID]
    func setProgramStaff(programID: UUID, staffIDs: [UUID]) async throws
    /// The programs a staff member is listed as staff of.
    func staffPrograms(staffID: UUID) async throws -> [UUID]
    func setAccessPolicy(agencyID: UUID, _ policy: AccessPolicy) async throws
    /// Every agency in this Trellis.
    func agencies() async throws -> [Agency]
    func setContinuum(agencyID: UUID, _ code: String?) async throws
    func setProgramRestriction(programID: UUID, _ restriction: RestrictedCategory?) async throws
}

extension TrellisStore {
    /// How far the actor may go with each of these clients; clients of another agency, or that do not exist,
    /// come back as `.nothing`.
    public func access(toClients ids: [UUID], _ actor: ActingUser, at now: Date) async throws -> [UUID: ClientAccess] {
        guard !ids.isEmpty else { return [:] }
        let memo = ReadMemo.current
        let (known, missing) = memo?.access(ids, actorID: actor.id) ?? ([:], Array(Set(ids)))
        guard !missing.isEmpty else { return known }
        let facts = try await accessFacts(clientIDs: missing, actor: actor, at: now)
        var decided: [UUID: ClientAccess] = [:]
        for id in missing {
            decided[id] =
                facts[id].map { CareTeam.decide($0, actor: actor) } ?? ClientAccess(client: .nothing, cases: [:])
        }
        memo?.remember(decided, actorID: actor.id)
        return known.merging(decided) { a, _ in a }
    }

    public func access(toClient id: UUID, _ actor: ActingUser, at now: Date) async throws -> ClientAccess {
        try await access(toClients: [id], actor, at: now)[id]!
    }

    /// The client-wide access the actor needs for `level`: a client they may not know of is not found; one they
    /// know only by name is forbidden with a way in.
    public func requireClientAccess(_ id: UUID, _ actor: ActingUser, _ level: AccessLevel, at now: Date) async throws
        -> Access
    {
        let a = try await access(toClient: id, actor, at: now).client
        return try AccessCheck.require(a, level, "client")
    }

    /// A case's access for `level` (see `requireClientAccess`).
    public func requireCaseAccess(_ c: Case, _ actor: ActingUser, _ level: AccessLevel, at now: Date) async throws
        -> Access
    {
        try Policy.requireSameAgency(actor, c.agencyID, "case")
        let a = try await access(toClient: c.clientID, actor, at: now).forCase(c.id)
        return try AccessCheck.require(a, level, "case")
    }

    /// A case by id the actor may change (same agency, care team with write), for writes that start from
    /// another record (a note, a referral, a task).
    @discardableResult
    public func caseForWrite(_ caseID: UUID, _ actor: ActingUser, at now: Date) async throws -> Case {
        guard let c = try await `case`(id: caseID) else { throw TrellisError.notFound("case") }
        _ = try await requireCaseAccess(c, actor, .write, at: now)
        return c
    }

}

enum AccessCheck {
    /// Not found below identity, so a restricted program's client does not exist for others; forbidden, with
    /// the way in, below what `level` needs.
    static func require(_ a: Access, _ level: AccessLevel, _ what: String) throws -> Access {
        if a.level == .none { throw TrellisError.notFound(what) }
        if a.level < .read && level >= .read { throw TrellisError.forbidden(CareTeam.notOnCareTeam) }
        if a.level < level { throw TrellisError.forbidden("Your role does not allow this.") }
        return a
    }
}

/// The people on a case's care team, by why they are on it.
public struct CareTeamMembers: Sendable {
    public var primaryCaseManager: StaffMember?
    public var assigned: [StaffMember]
    public var supervisors: [StaffMember]
    public var programManagers: [StaffMember]
    public var programStaff: [StaffMember]
    /// Whether the actor may add and remove colleagues (the people who may change the case).
    public var canChange: Bool
    /// Whom the actor may add from the page: active colleagues of the case manager's and the actor's teams and the
    /// program's staff not on the care team yet (the API takes any colleague of the agency).
    public var addable: [StaffMember]
    public var policy: AccessPolicy
    public var restriction: RestrictedCategory?
}

/// Joining a care team, breaking the glass, and what an administrator sets: the agency's policy, a program's
/// restriction and staff.
public struct AccessService: Sendable {
    let store: any TrellisStore
    let deps: Dependencies
    public init(store: any TrellisStore, deps: Dependencies) {
        self.store = store
        self.deps = deps
    }

    public static let breakGlassHours = [1, 4, 8, 24]

    /// Access for `hours` to a client's records outside restricted programs, with a reason the client's case
    /// managers and their supervisors read in the task they are given at once.
    public func breakGlass(clientID: UUID, reason: String?, hours: Int?, by actor: ActingUser) async throws
        -> AccessGrant
    {
        guard let client = try await store.client(id: clientID) else { throw TrellisError.notFound("client") }
        try Policy.requireSameAgency(actor, client.agencyID, "client")
        let access = try await store.access(toClient: clientID, actor, at: deps.now())
        guard access.client.level != .none else { throw TrellisError.notFound("client") }
        var v = Validator()
        let why = v.text("reason", reason, required: true, max: 500)
        if let why, why.count < 10 { v.add("reason", "must say why in at least 10 characters") }
        let h = hours ?? 4
        if !Self.breakGlassHours.contains(h) { v.add("hours", "must be one of 1, 4, 8 or 24") }
        try v.check()
        if access.client.canRead && access.client.purpose != .breakGlass {
            throw TrellisError.conflict("You are already on this client's care team; there is no glass to break.")
        }
        let now = deps.now()
        let grant = AccessGrant(
            id: deps.newID(), agencyID: actor.agencyID, staffID: actor.id, clientID: clientID, reason: why!,
            createdAt: now, expiresAt: now.addingTimeInterval(Double(h) * 3600))
        let notices = try await noticeRecipients(clientID: clientID, except: actor.id)
        let name = try await store.staff(id: actor.id)?.displayName ?? "A colleague"
        let tasks = notices.map { (assignee, caseID) in
            CaseTask(
                id: deps.newID(), agencyID: actor.agencyID, assigneeID: assignee, caseID: caseID, clientID: clientID,
                kind: .task, title: "Review break-glass access by \(name)", details: "Reason given: \(why!)",
                dueOn: deps.today, status: .open, source: .breakGlass, sourceID: grant.id, createdBy: nil,
                createdAt: now, version: 1)
        }
        let audit = deps.audit(
            actor, .breakGlass, "access_grant", grant.id, clientID: clientID,
            access: Access(.read, .breakGlass, basisID: grant.id))
        try await store.transaction { tx in
            try await tx.insertRecord(grant)
            for t in tasks { try await tx.insertRecord(t) }
            try await tx.appendAudit([audit])
        }
        return grant
    }

    /// Asks the client's case manager to add the actor to the care team (a task for them, nothing opened yet).
    public func requestAccess(clientID: UUID, note: String?, by actor: ActingUser) async throws -> Int {
        guard let client = try await store.client(id: clientID) else { throw TrellisError.notFound("client") }
        try Policy.requireSameAgency(actor, client.agencyID, "client")
        let access = try await store.access(toClient: clientID, actor, at: deps.now())
        guard access.client.level != .none else { throw TrellisError.notFound("client") }
        var v = Validator()
        let why = v.text("note", note, max: 500)
        try v.check()
        if access.client.canRead && access.client.purpose != .breakGlass {
            throw TrellisError.conflict("You are already on this client's care team.")
        }
        let name = try await store.staff(id: actor.id)?.displayName ?? "A colleague"
        let now = deps.now()
        let managers = try await primaryCaseManagers(clientID: clientID)
        guard !managers.isEmpty else {
            throw TrellisError.conflict(
                "This client has no open case; ask an administrator or the person who registered them.")
        }
        let tasks = managers.map { (assignee, caseID) in
            CaseTask(
                id: deps.newID(), agencyID: actor.agencyID, assigneeID: assignee, caseID: caseID, clientID: clientID,
                kind: .task, title: "\(name) asks to join the care team", details: why, dueOn: deps.today,
                status: .open, source: .accessRequest, sourceID: actor.id, createdBy: actor.id, createdAt: now,
                version: 1)
        }
        try await store.transaction { tx in
            for t in tasks { try await tx.insertRecord(t) }
            try await tx.appendAudit([deps.audit(actor, .accessRequest, "client", clientID, clientID: clientID)])
        }
        return tasks.count
    }

    /// Primary case managers of the client's open cases outside restricted programs, with the case.
    private func primaryCaseManagers(clientID: UUID) async throws -> [(UUID, UUID)] {
        var seen = Set<UUID>()
        var out: [(UUID, UUID)] = []
        for c in try await store.cases(clientID: clientID) where c.status != .closed {
            guard let p = try await store.program(id: c.programID), p.restriction == nil else { continue }
            if seen.insert(c.primaryCaseManagerID).inserted { out.append((c.primaryCaseManagerID, c.id)) }
        }
        return out
    }

    /// The primary case managers and the supervisors of their teams, each once.
    private func noticeRecipients(clientID: UUID, except: UUID) async throws -> [(UUID, UUID)] {
        var out: [(UUID, UUID)] = []
        var seen: Set<UUID> = [except]
        for (cm, caseID) in try await primaryCaseManagers(clientID: clientID) {
            if seen.insert(cm).inserted { out.append((cm, caseID)) }
            guard let team = try await store.staff(id: cm)?.teamID else { continue }
            for s in try await store.staff(teamID: team) where s.role == .supervisor && s.active {
                if seen.insert(s.id).inserted { out.append((s.id, caseID)) }
            }
        }
        return out
    }

    /// The case's care team, for its page: who is on it and why, and whom the actor may add.
    public func careTeam(caseID: UUID, by actor: ActingUser) async throws -> CareTeamMembers {
        let c = try await store.readableCase(caseID, actor, at: deps.now())
        // Only the people concerned are read (an agency can have thousands of staff): the case manager and their
        // team, the actor's team, the assigned staff and the program's managers and staff.
        let primary = try await store.staff(id: c.primaryCaseManagerID)
        let caseManagersTeam = try await primary?.teamID.asyncMap { try await store.staff(teamID: $0) } ?? []
        let actorsTeam =
            actor.teamID == primary?.teamID
            ? [] : try await actor.teamID.asyncMap { try await store.staff(teamID: $0) } ?? []
        let assignedIDs = try await store.caseStaff(caseID: caseID)
        let managerIDs = try await store.programManagers(agencyID: actor.agencyID)[c.programID] ?? []
        let programStaffIDs = try await store.programStaff(programID: c.programID)
        let named = try await store.agencyStaff(
            ids: Array(Set(assignedIDs + managerIDs + programStaffIDs)), agencyID: actor.agencyID)
        let byID = Dictionary(
            (named + caseManagersTeam + actorsTeam).filter { $0.agencyID == actor.agencyID }.map { ($0.id, $0) },
            uniquingKeysWith: { a, _ in a })
        let supervisors = caseManagersTeam.filter {
            $0.role == .supervisor && $0.active && $0.agencyID == actor.agencyID
        }
        let program = try await store.program(id: c.programID)
        let agency = try await store.agency(id: actor.agencyID)
        var addable: [StaffMember] = []
        let writes = try await store.access(toClient: c.clientID, actor, at: deps.now()).forCase(c.id).canWrite
        let canChange = writes && Policy.allows(actor, .updateCase(primaryCaseManagerID: c.primaryCaseManagerID))
        if canChange {
            let on = Set(assignedIDs + [c.primaryCaseManagerID])
            addable = byID.values.filter { $0.active && !on.contains($0.id) && $0.role != .auditor }
                .sorted { ($0.displayName, $0.id.uuidString) < ($1.displayName, $1.id.uuidString) }
        }
        return CareTeamMembers(
            primaryCaseManager: primary,
            assigned: assignedIDs.compactMap { byID[$0] }.sorted { $0.displayName < $1.displayName },
            supervisors: supervisors, programManagers: managerIDs.compactMap { byID[$0] },
            programStaff: programStaffIDs.compactMap { byID[$0] }, canChange: canChange, addable: addable,
            policy: agency?.accessPolicy ?? .needToKnow, restriction: program?.restriction)
    }

    /// Adds a colleague to a case's care team (the primary case manager, a supervisor, program manager or admin).
    public func addToCase(caseID: UUID, staffID: UUID?, by actor: ActingUser) async throws {
        let c = try await store.readableCase(caseID, actor, at: deps.now())
        try Policy.require(actor, .updateCase(primaryCaseManagerID: c.primaryCaseManagerID))
        _ = try await store.requireCaseAccess(c, actor, .write, at: deps.now())
        guard let staffID else { throw TrellisError.validation([FieldError("staffID", "is required")]) }
        guard let s = try await store.staff(id: staffID), s.agencyID == actor.agencyID, s.active else {
            throw TrellisError.validation([FieldError("staffID", "is not an active colleague in your agency")])
        }
        let assigned = try await store.caseStaff(caseID: caseID)
        if s.id == c.primaryCaseManagerID || assigned.contains(s.id) {
            throw TrellisError.validation([FieldError("staffID", "is already on this case's care team")])
        }
        let now = deps.now()
        try await store.transaction { tx in
            try await tx.addCaseStaff(caseID: caseID, staffID: staffID, addedBy: actor.id, at: now)
            try await tx.appendAudit([
                deps.audit(actor, .careTeamAdd, "case", caseID, clientID: c.clientID, changed: ["staff"])
            ])
        }
    }

    public func removeFromCase(caseID: UUID, staffID: UUID, by actor: ActingUser) async throws {
        let c = try await store.readableCase(caseID, actor, at: deps.now())
        try Policy.require(actor, .updateCase(primaryCaseManagerID: c.primaryCaseManagerID))
        _ = try await store.requireCaseAccess(c, actor, .write, at: deps.now())
        guard try await store.caseStaff(caseID: caseID).contains(staffID) else {
            throw TrellisError.notFound("care team member")
        }
        try await store.transaction { tx in
            try await tx.removeCaseStaff(caseID: caseID, staffID: staffID)
            try await tx.appendAudit([
                deps.audit(actor, .careTeamRemove, "case", caseID, clientID: c.clientID, changed: ["staff"])
            ])
        }
    }

    /// The agency's access policy (administrators).
    public func setPolicy(_ value: String?, by actor: ActingUser) async throws {
        try Policy.require(actor, .manageUsers)
        guard let value, let policy = AccessPolicy(rawValue: value) else {
            throw TrellisError.validation([FieldError("policy", "must be one of need_to_know, team or open")])
        }
        try await store.transaction { tx in
            try await tx.setAccessPolicy(agencyID: actor.agencyID, policy)
            try await tx.appendAudit([
                deps.audit(actor, .accessPolicySave, "agency", actor.agencyID, clientID: nil, changed: ["policy"])
            ])
        }
    }

    /// The agency's HUD Continuum of Care code ("CA-600"); empty leaves the agency out of the shared index.
    public func setContinuum(_ value: String?, by actor: ActingUser) async throws {
        try Policy.require(actor, .manageUsers)
        let code = value?.trimmingCharacters(in: .whitespaces).uppercased() ?? ""
        if !code.isEmpty && code.wholeMatch(of: /[A-Z]{2}-[0-9]{3}/) == nil {
            throw TrellisError.validation([FieldError("continuumCode", "must be a HUD CoC code such as CA-600")])
        }
        try await store.transaction { tx in
            try await tx.setContinuum(agencyID: actor.agencyID, code.isEmpty ? nil : code)
            try await tx.appendAudit([
                deps.audit(
                    actor, .accessPolicySave, "agency", actor.agencyID, clientID: nil, changed: ["continuumCode"])
            ])
        }
    }

    /// A program's restriction and the staff who, with its managers, see its records (administrators).
    public func setProgramAccess(programID: UUID, restriction: String?, staffIDs: [UUID], by actor: ActingUser)
        async throws
    {
        try Policy.require(actor, .managePrograms)
        guard let p = try await store.program(id: programID) else { throw TrellisError.notFound("program") }
        try Policy.requireSameAgency(actor, p.agencyID, "program")
        var v = Validator()
        var category: RestrictedCategory? = nil
        if let r = restriction?.trimmingCharacters(in: .whitespaces), !r.isEmpty {
            category = RestrictedCategory(rawValue: r)
            if category == nil { v.add("restriction", "is not one of the restricted categories") }
        }
        let colleagues = Set(try await store.staff(agencyID: actor.agencyID).map(\.id))
        if staffIDs.contains(where: { !colleagues.contains($0) }) {
            v.add("staffIDs", "must name staff of your agency")
        }
        try v.check()
        let restricted = category
        try await store.transaction { tx in
            try await tx.setProgramRestriction(programID: programID, restricted)
            try await tx.setProgramStaff(programID: programID, staffIDs: staffIDs)
            try await tx.appendAudit([
                deps.audit(
                    actor, .programUpdate, "program", programID, clientID: nil, changed: ["restriction", "staff"])
            ])
        }
    }

    /// What the administrator's access page shows: the policy, each program's restriction and staff.
    public func settings(by actor: ActingUser) async throws -> AccessSettings {
        try Policy.require(actor, .managePrograms)
        guard let agency = try await store.agency(id: actor.agencyID) else { throw TrellisError.notFound("agency") }
        let programs = try await store.programs(agencyID: actor.agencyID).sorted { $0.name < $1.name }
        var staffOf: [UUID: [UUID]] = [:]
        for p in programs { staffOf[p.id] = try await store.programStaff(programID: p.id) }
        return AccessSettings(
            agency: agency, programs: programs,
            staff: try await store.staff(agencyID: actor.agencyID).sorted { $0.displayName < $1.displayName },
            programStaff: staffOf)
    }
}

public struct AccessSettings: Sendable {
    public var agency: Agency
    public var programs: [Program]
    public var staff: [StaffMember]
    public var programStaff: [UUID: [UUID]]
}
