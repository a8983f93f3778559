import Foundation

public enum ClosureReason: String, Sendable, Codable, CaseIterable {
    case goalsAchieved = "goals_achieved"
    case clientDeclined = "client_declined"
    case lostContact = "lost_contact"
    case moved, transferred, deceased, other
}

/// The questions asked before a case is closed: can the client carry on without us?
public enum ClosureCheck: String, Sendable, Codable, CaseIterable, CodingKeyRepresentable {
    case stableAccess = "stable_access"
    case supportSystem = "support_system"
    case independent
}

public struct ClosureDetails: Sendable, Codable, Equatable {
    public var reason: ClosureReason
    public var destination: Int
    public var checklist: [ClosureCheck: Bool]
    public var followUpDays: [Int]
    public var followUpTaskIDs: [UUID]
    /// What was still open when the case closed, as the worker confirmed it, and why.
    public var openWork: OpenWorkCounts?
    public var openWorkReason: String?
}

/// How much work was left open when a case closed.
public struct OpenWorkCounts: Sendable, Codable, Equatable {
    public var tasks: Int
    public var appointments: Int
    public var appeals: Int
    public var referrals: Int
    public var openGoals: Int
}

/// Work still open on a case, shown before it closes. Unacknowledged risk alerts stop a closure; the rest
/// may be left open only when the worker confirms it and says why.
public struct OpenWork: Sendable {
    /// Risk alerts no one has acknowledged: they must be acknowledged first.
    public var alerts: [RiskAlert]
    /// Open tasks and appointments.
    public var tasks: [CaseTask]
    /// Appeals and other advocacy not decided or withdrawn whose filing deadline or hearing is today or later.
    public var appeals: [AdvocacyAction]
    /// Referrals not yet at an end (draft, sent, waitlisted, accepted, connected).
    public var referrals: [Referral]
    /// The plan version in force, when it still has goals not started or in progress.
    public var plan: ServicePlan?
    public var openGoals: Int

    public var isEmpty: Bool { alerts.isEmpty && !needsConfirmation }
    public var needsConfirmation: Bool { !tasks.isEmpty || !appeals.isEmpty || !referrals.isEmpty || plan != nil }
    public var counts: OpenWorkCounts {
        let appointments = tasks.filter { $0.kind == .appointment }.count
        return OpenWorkCounts(
            tasks: tasks.count - appointments, appointments: appointments, appeals: appeals.count,
            referrals: referrals.count, openGoals: plan == nil ? 0 : openGoals)
    }

}

public enum CaseEventKind: String, Sendable, Codable { case closed, reopened, transferred }

/// A turn in a case's life, shown in its history: closed, reopened or handed to someone else.
public struct CaseEvent: StoredRecord, AgencyOwned, Equatable {
    public static let table = "case_events"
    public var id: UUID
    public var agencyID: UUID
    public var caseID: UUID
    public var clientID: UUID
    public var kind: CaseEventKind
    public var on: LocalDate
    public var at: Date
    public var by: UUID
    public var reason: String?
    /// The closing or reopening note, or the handoff note of a transfer.
    public var note: String?
    public var closure: ClosureDetails?
    public var fromManagerID: UUID?
    public var toManagerID: UUID?
    public var fromProgramID: UUID?
    public var toProgramID: UUID?
    public var version: Int
    public var index: [String: IndexValue] { ["agency_id": .uuid(agencyID), "case_id": .uuid(caseID)] }
}

public struct ClosureInput: Sendable, Codable, Equatable {
    public var reason: String?
    public var destination: Int?
    public var closedOn: String?
    public var checklist: [String]?
    public var followUpDays: [Int]?
    public var note: String?
    /// The worker confirms closing with open tasks, appeals, referrals or plan goals, and says why.
    public var confirmOpenWork: Bool?
    public var openWorkReason: String?
    public init(
        reason: String? = nil, destination: Int? = nil, closedOn: String? = nil, checklist: [String]? = nil,
        followUpDays: [Int]? = nil, note: String? = nil, confirmOpenWork: Bool? = nil, openWorkReason: String? = nil
    ) {
        self.reason = reason
        self.destination = destination
        self.closedOn = closedOn
        self.checklist = checklist
        self.followUpDays = followUpDays
        self.note = note
        self.confirmOpenWork = confirmOpenWork
        self.openWorkReason = openWorkReason
    }
}

public struct TransferInput: Sendable, Codable, Equatable {
    public var toManagerID: UUID?
    public var toProgramID: UUID?
    public var note: String?
    public init(toManagerID: UUID? = nil, toProgramID: UUID? = nil, note: String? = nil) {
        self.toManagerID = toManagerID
        self.toProgramID = toProgramID
        self.note = note
    }
}

/// A closure either happened or, where the program requires approval, waits for a supervisor.
public struct ClosureResult: Sendable {
    public var `case`: Case
    public var pendingRequest: ClosureRequest?
}

public struct ClosureService: Sendable {
    let store: any TrellisStore
    let deps: Dependencies
    public init(store: any TrellisStore, deps: Dependencies) {
        self.store = store
        self.deps = deps
    }

    public static let followUpChoices = [30, 90, 180, 365]

    /// The case at the version the actor edited, if they may change it (`permission`, by default the case update rule).
    func load(_ id: UUID, _ actor: ActingUser, expectedVersion: Int?, permission: Permission? = nil) async throws
        -> Case
    {
        guard let c = try await store.case(id: id) else { throw TrellisError.notFound("case") }
        try Policy.requireSameAgency(actor, c.agencyID, "case")
        try Policy.require(actor, permission ?? .updateCase(primaryCaseManagerID: c.primaryCaseManagerID))
        _ = try await store.requireCaseAccess(c, actor, .write, at: deps.now())
        guard let expectedVersion else { throw TrellisError.preconditionRequired("Send the version you edited.") }
        guard expectedVersion == c.version else {
            throw TrellisError.conflict("Someone else changed this case since you opened it.")
        }
        return c
    }

    /// What is still open on a case the actor may read: alerts, tasks, appeals, referrals and plan goals.
    public func openWork(caseID: UUID, by actor: ActingUser) async throws -> OpenWork {
        let c = try await store.readableCase(caseID, actor, at: deps.now())
        return try await openWork(of: c)
    }

    func openWork(of c: Case) async throws -> OpenWork {
        let today = deps.today
        let alerts = try await store.alerts(caseID: c.id).filter { $0.acknowledgedAt == nil }
        let tasks = try await store.records(
            CaseTask.self, [.equals("case_id", .uuid(c.id)), .equals("status", .text(TaskStatus.open.rawValue))],
            order: [RecordOrder("due_on")])
        let appeals = try await store.records(AdvocacyAction.self, [.equals("case_id", .uuid(c.id))]).filter { a in
            !a.status.isClosed && [a.filingDeadline, a.hearingOn].compactMap { $0 }.contains { $0 >= today }
        }
        let referrals = try await store.records(Referral.self, [.equals("case_id", .uuid(c.id))]).filter {
            !$0.status.isClosed
        }
        let inForce = try await store.planVersions(caseID: c.id).first { $0.status == .active }
        let openGoals = inForce?.goals.filter { $0.status == .notStarted || $0.status == .inProgress }.count ?? 0
        return OpenWork(
            alerts: alerts, tasks: tasks, appeals: appeals, referrals: referrals, plan: openGoals > 0 ? inForce : nil,
            openGoals: openGoals)
    }

    /// Closes a case with its reason, HUD destination and checklist; each planned follow-up becomes a
    /// task for the case manager, due that many days after closing. In a program that requires approval,
    /// a case manager's closure is instead kept as a request for a supervisor (the case stays open).
    public func close(_ id: UUID, _ input: ClosureInput, expectedVersion: Int?, by actor: ActingUser) async throws
        -> ClosureResult
    {
        let c = try await load(id, actor, expectedVersion: expectedVersion)
        let prepared = try prepareClose(c, input, openWork: try await openWork(of: c), by: actor)
        guard let program = try await store.program(id: c.programID) else { throw TrellisError.notFound("case") }
        if program.requiresClosureApproval && actor.role == .caseManager {
            let now = deps.now()
            let request = ClosureRequest(
                id: deps.newID(), agencyID: c.agencyID, caseID: c.id, clientID: c.clientID, programID: c.programID,
                caseManagerID: c.primaryCaseManagerID, requestedBy: actor.id, requestedAt: now, input: input,
                status: .pending, version: 1)
            try await store.transaction { tx in
                let earlier = try await tx.records(ClosureRequest.self, [.equals("case_id", .uuid(c.id))])
                if earlier.contains(where: { $0.status == .pending }) {
                    throw TrellisError.conflict("A closure of this case is already waiting for approval.")
                }
                try await tx.markAddressed(earlier)
                try await tx.insertRecord(request)
                try await tx.appendAudit([
                    deps.audit(actor, .closureRequest, "closure_request", request.id, clientID: c.clientID)
                ])
            }
            return ClosureResult(case: c, pendingRequest: request)
        }
        let expected = c.version
        try await store.transaction { tx in try await applyClose(prepared, expectedVersion: expected, by: actor, in: tx)
        }
        return ClosureResult(case: prepared.case, pendingRequest: nil)
    }

    public struct PreparedClosure: Sendable {
        var `case`: Case
        var event: CaseEvent
        var tasks: [CaseTask]
    }

    /// Validates a closure of `c` (every problem at once) and builds the closed case, its history event
    /// and its follow-up tasks, without writing anything.
    func prepareClose(_ c: Case, _ input: ClosureInput, openWork: OpenWork, by actor: ActingUser) throws
        -> PreparedClosure
    {
        var c = c
        guard c.status != .closed else { throw TrellisError.conflict("This case is already closed.") }
        var v = Validator()
        if !openWork.alerts.isEmpty {
            v.add("alerts", "acknowledge each open risk alert, and say what was done, before closing the case")
        }
        var openWorkReason: String? = nil
        if openWork.needsConfirmation {
            if input.confirmOpenWork != true {
                v.add("confirmOpenWork", "confirm that the case closes with this work still open")
            }
            openWorkReason = v.text("openWorkReason", input.openWorkReason, max: 2000)
            if openWorkReason == nil
                && input.openWorkReason?.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty != false
            {
                v.add("openWorkReason", "say why the case closes with this work still open")
            }
        }
        let reason = v.choice("reason", input.reason, as: ClosureReason.self)
        let destination = HUDDestination.find(input.destination)
        if input.destination == nil {
            v.add("destination", "is required")
        } else if destination == nil {
            v.add("destination", "is not one of HUD's destination codes")
        }
        let closedOn =
            input.closedOn?.isEmpty == false
            ? v.date(
                "closedOn", input.closedOn, today: deps.today, notBefore: c.openedOn,
                notBeforeMessage: "cannot be before the case opened (\(c.openedOn))")
            : deps.today
        var checklist: [ClosureCheck: Bool] = Dictionary(
            uniqueKeysWithValues: ClosureCheck.allCases.map { ($0, false) })
        for s in input.checklist ?? [] {
            if let k = ClosureCheck(rawValue: s) {
                checklist[k] = true
            } else {
                v.add("checklist", "is not one of the allowed values")
            }
        }
        let days = Array(Set(input.followUpDays ?? [])).sorted()
        for d in days where !(1...730).contains(d) { v.add("followUpDays", "must be between 1 and 730 days") }
        let note = v.text("note", input.note, max: 4000)
        try v.check()
        let now = deps.now()
        let tasks = days.map { d in
            CaseTask(
                id: deps.newID(), agencyID: c.agencyID, assigneeID: c.primaryCaseManagerID, caseID: c.id,
                clientID: c.clientID, kind: .task,
                title: "Follow-up \(d) days after closure: check in with the client", dueOn: closedOn!.adding(days: d),
                status: .open,
                source: .closureFollowUp, createdBy: actor.id, createdAt: now, version: 1)
        }
        let event = CaseEvent(
            id: deps.newID(), agencyID: c.agencyID, caseID: c.id, clientID: c.clientID, kind: .closed, on: closedOn!,
            at: now,
            by: actor.id, reason: reason!.rawValue, note: note,
            closure: ClosureDetails(
                reason: reason!, destination: destination!.code, checklist: checklist, followUpDays: days,
                followUpTaskIDs: tasks.map(\.id), openWork: openWork.needsConfirmation ? openWork.counts : nil,
                openWorkReason: openWorkReason), version: 1)
        c.status = .closed
        c.stage = .closing
        c.closedOn = closedOn
        c.closureReason = reason
        c.exitDestination = destination!.code
        c.version += 1
        c.updatedAt = now
        return PreparedClosure(case: c, event: event, tasks: tasks)
    }

    func applyClose(_ p: PreparedClosure, expectedVersion: Int, by actor: ActingUser, in tx: any TrellisStore)
        async throws
    {
        guard try await tx.updateCase(p.case, expectedVersion: expectedVersion) else {
            throw TrellisError.conflict("Someone else changed this case since you opened it.")
        }
        try await tx.insertRecord(p.event)
        for t in p.tasks { try await tx.insertRecord(t) }
        try await tx.appendAudit([
            deps.audit(
                actor, .caseClose, "case", p.case.id, clientID: p.case.clientID,
                changed: ["status", "closedOn", "closureReason", "exitDestination"])
        ])
    }

    public func reopen(_ id: UUID, reason: String?, expectedVersion: Int?, by actor: ActingUser) async throws -> Case {
        var c = try await load(id, actor, expectedVersion: expectedVersion)
        guard c.status == .closed else { throw TrellisError.conflict("This case is not closed.") }
        var v = Validator()
        let why = v.text("reason", reason, required: true, max: 2000)
        if try await store.cases(clientID: c.clientID).contains(where: {
            $0.id != c.id && $0.programID == c.programID && $0.status != .closed
        }) {
            v.add("reason", "this client already has another open case in this program")
        }
        try v.check()
        let now = deps.now()
        let event = CaseEvent(
            id: deps.newID(), agencyID: c.agencyID, caseID: c.id, clientID: c.clientID, kind: .reopened, on: deps.today,
            at: now,
            by: actor.id, reason: why, version: 1)
        c.status = .open
        c.stage = .reassessment
        c.closedOn = nil
        c.closureReason = nil
        c.exitDestination = nil
        c.version += 1
        c.updatedAt = now
        let saved = c
        try await store.transaction { tx in
            guard try await tx.updateCase(saved, expectedVersion: expectedVersion!) else {
                throw TrellisError.conflict("Someone else changed this case since you opened it.")
            }
            try await tx.insertRecord(event)
            try await tx.appendAudit([
                deps.audit(actor, .caseReopen, "case", saved.id, clientID: saved.clientID, changed: ["status"])
            ])
        }
        return saved
    }

    /// Hands a case to another case manager and/or program, with a handoff note kept in its history.
    /// The case's open tasks go with it.
    public func transfer(_ id: UUID, _ input: TransferInput, expectedVersion: Int?, by actor: ActingUser) async throws
        -> Case
    {
        let c = try await load(id, actor, expectedVersion: expectedVersion, permission: .transferCase)
        guard c.status != .closed else {
            throw TrellisError.conflict("A closed case cannot be transferred; reopen it first.")
        }
        var v = Validator()
        let note = v.text("note", input.note, required: true, max: 4000)
        var manager: StaffMember? = nil
        var program: Program? = nil
        if let mid = input.toManagerID {
            manager = try await store.staff(id: mid)
            if manager == nil || manager?.agencyID != actor.agencyID || manager?.active == false
                || manager?.role == .auditor
            {
                v.add("toManagerID", "is not an active staff member of your agency who can carry cases")
                manager = nil
            }
        }
        if let pid = input.toProgramID {
            program = try await store.program(id: pid)
            if program == nil || program?.agencyID != actor.agencyID || program?.active == false {
                v.add("toProgramID", "is not an open program of your agency")
                program = nil
            } else if pid != c.programID,
                try await store.cases(clientID: c.clientID).contains(where: {
                    $0.programID == pid && $0.status != .closed
                })
            {
                v.add("toProgramID", "this client already has an open case in that program")
            }
        }
        let newManager = manager?.id ?? c.primaryCaseManagerID
        let newProgram = program?.id ?? c.programID
        if v.errors.isEmpty && newManager == c.primaryCaseManagerID && newProgram == c.programID {
            v.add("toManagerID", "choose a different case manager or program")
        }
        try v.check()
        let from = c
        let toManager = newManager
        let toProgram = program
        return try await store.transaction { tx in
            try await Self.applyTransfer(
                from, toManager: toManager, toProgram: toProgram, note: note!, action: .caseTransfer, by: actor, in: tx,
                deps: deps)
        }
    }

    /// Moves a checked case to another manager and/or program inside `tx`: the case (guarded by its
    /// version), a history event with the handoff note, its open tasks, and the audit entry.
    static func applyTransfer(
        _ c: Case, toManager newManager: UUID, toProgram program: Program?, note: String, action: AuditAction,
        by actor: ActingUser, in tx: any TrellisStore, deps: Dependencies
    ) async throws -> Case {
        var c = c
        let now = deps.now()
        let expected = c.version
        let oldManager = c.primaryCaseManagerID
        let event = CaseEvent(
            id: deps.newID(), agencyID: c.agencyID, caseID: c.id, clientID: c.clientID, kind: .transferred,
            on: deps.today, at: now,
            by: actor.id, note: note, fromManagerID: c.primaryCaseManagerID, toManagerID: newManager,
            fromProgramID: c.programID, toProgramID: program?.id ?? c.programID, version: 1)
        c.primaryCaseManagerID = newManager
        if let program, program.id != event.fromProgramID {
            c.programID = program.id
            c.contactDueOn = (c.lastContactOn ?? c.openedOn).adding(days: program.contactFrequencyDays)
        }
        c.version += 1
        c.updatedAt = now
        guard try await tx.updateCase(c, expectedVersion: expected) else {
            throw TrellisError.conflict("Someone else changed this case since you opened it.")
        }
        try await tx.insertRecord(event)
        if newManager != oldManager {
            let open = try await tx.records(
                CaseTask.self,
                [
                    .equals("case_id", .uuid(c.id)), .equals("status", .text("open")),
                    .equals("assignee_id", .uuid(oldManager))
                ])
            for var t in open {
                let from = t.version
                t.assigneeID = newManager
                t.version += 1
                try await tx.update(t, from: from)
            }
        }
        try await tx.appendAudit([
            deps.audit(
                actor, action, "case", c.id, clientID: c.clientID, changed: ["primaryCaseManagerID", "programID"])
        ])
        return c
    }

    public func history(caseID: UUID, by actor: ActingUser) async throws -> [CaseEvent] {
        let (c, access) = try await store.readableCaseAccess(caseID, actor, at: deps.now())
        try await store.appendAudit([deps.listed(actor, "case_events", c, access)])
        return try await store.records(CaseEvent.self, [.equals("case_id", .uuid(c.id))]).sorted { $0.at > $1.at }
    }
}
