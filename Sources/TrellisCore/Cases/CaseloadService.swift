import Foundation

public enum CaseloadSort: String, Sendable, CaseIterable {
    case client, program, stage, priority
    case lastContact = "last_contact"
    case daysSinceContact = "days"
    case overdue, reassessment
}

public struct Caseload: Sendable {
    public var staff: StaffMember
    public var entries: [CaseloadEntry]
    public var overdueCount: Int { entries.filter(\.contactOverdue).count }
}

public struct CaseloadService: Sendable {
    let store: any TrellisStore
    let deps: Dependencies
    public init(store: any TrellisStore, deps: Dependencies) {
        self.store = store
        self.deps = deps
    }

    /// A staff member's open cases. Anyone may see their own; supervisors, program managers and
    /// admins may see those of their agency's staff (a supervisor only their team's).
    public func caseload(
        of staffID: UUID, by actor: ActingUser, sort: CaseloadSort = .overdue, descending: Bool = false,
        contact: ComplianceStatus? = nil
    ) async throws -> Caseload {
        guard let staff = try await store.staff(id: staffID) else { throw TrellisError.notFound("staff member") }
        try Policy.requireSameAgency(actor, staff.agencyID, "staff member")
        if staffID != actor.id {
            try Policy.require(actor, .viewTeamCaseloads)
            if actor.role == .supervisor && (actor.teamID == nil || staff.teamID != actor.teamID) {
                throw TrellisError.forbidden("You can see the caseloads of your own team only.")
            }
        }
        let today = deps.today
        var entries = try await store.caseload(staffID: staffID).map { e -> CaseloadEntry in
            var e = e
            e.daysSinceContact = ContactRule.daysSinceContact(lastContact: e.lastContactOn, today: today)
            e.contactOverdue = ContactRule.isOverdue(
                lastContact: e.lastContactOn, openedOn: e.openedOn,
                frequencyDays: e.contactFrequencyDays, today: today)
            e.reassessmentDue = ReassessmentRule.due(
                lastAssessed: e.lastAssessedOn, openedOn: e.openedOn, intervalDays: e.reassessmentDays)
            e.reassessment = ReassessmentRule.status(due: e.reassessmentDue, today: today)
            return e
        }
        let programs = Dictionary(
            try await store.programs(agencyID: staff.agencyID).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let latest = try await store.latestContacts(caseIDs: entries.map(\.caseID))
        for i in entries.indices {
            guard let p = entries[i].programID.flatMap({ programs[$0] }) else { continue }
            entries[i].contacts = ContactRule.evaluate(
                p, openedOn: entries[i].openedOn, latest: latest[entries[i].caseID] ?? [:], today: today)
            entries[i].contactStatus = ContactRule.overall(entries[i].contacts)
        }
        if let contact { entries = entries.filter { $0.contactStatus == contact } }
        if staffID != actor.id {
            // Someone else's caseload shows only the cases the viewer's management views cover: a program manager
            // their programs', and no one a restricted program's they do not work in.
            let scope = try await store.scope(for: actor)
            entries = entries.filter { e in
                e.programID.map { scope.includes(programID: $0, caseManagerID: staffID) } ?? false
            }
        }
        entries.sort(by: Self.order(sort))
        if descending { entries.reverse() }
        // A caseload names its clients: each listed is audited, as any list that names clients.
        let listed = Array(Set(entries.map(\.clientID))).sorted { $0.uuidString < $1.uuidString }
        if !listed.isEmpty {
            try await store.appendAudit(listed.map { deps.audit(actor, .caseloadList, "client", $0, clientID: $0) })
        }
        return Caseload(staff: staff, entries: entries)
    }

    static func order(_ sort: CaseloadSort) -> (CaseloadEntry, CaseloadEntry) -> Bool {
        let tiebreak: (CaseloadEntry, CaseloadEntry) -> Bool = {
            ($0.clientName, $0.caseID.uuidString) < ($1.clientName, $1.caseID.uuidString)
        }
        func by<T: Comparable>(_ key: @escaping (CaseloadEntry) -> T) -> (CaseloadEntry, CaseloadEntry) -> Bool {
            { a, b in key(a) != key(b) ? key(a) < key(b) : tiebreak(a, b) }
        }
        switch sort {
        case .client: return tiebreak
        case .program: return by { $0.programName }
        case .stage: return by { CaseStage.allCases.firstIndex(of: $0.stage)! }
        case .priority: return by { -$0.priority.rank }
        case .lastContact: return by { $0.lastContactOn?.dayNumber ?? Int.min }
        case .daysSinceContact: return by { -($0.daysSinceContact ?? Int.max) }
        case .reassessment: return by { $0.reassessmentDue?.dayNumber ?? Int.max }
        // Overdue first, then those longest without contact, then by priority.
        case .overdue:
            let key = { (e: CaseloadEntry) in
                (e.contactOverdue ? 0 : 1, -(e.daysSinceContact ?? 100_000), -e.priority.rank)
            }
            return { a, b in key(a) != key(b) ? key(a) < key(b) : tiebreak(a, b) }
        }
    }

    /// Each member's caseload size, for a supervisor (their team), a program manager or an admin (the agency).
    public func teamLoads(by actor: ActingUser) async throws -> [TeamMemberLoad] {
        try Policy.require(actor, .viewTeamCaseloads)
        let counts = try await store.caseloadCounts(agencyID: actor.agencyID, today: deps.today)
        let staff = try await store.staff(agencyID: actor.agencyID).filter { s in
            s.active && (actor.role != .supervisor || (actor.teamID != nil && s.teamID == actor.teamID))
        }
        return staff.filter { [.caseManager, .supervisor].contains($0.role) || counts[$0.id] != nil }
            .map { s in
                TeamMemberLoad(
                    staffID: s.id, displayName: s.displayName, role: s.role,
                    openCases: counts[s.id]?.open ?? 0, overdueCases: counts[s.id]?.overdue ?? 0)
            }
            .sorted { ($0.displayName, $0.staffID.uuidString) < ($1.displayName, $1.staffID.uuidString) }
    }
}
