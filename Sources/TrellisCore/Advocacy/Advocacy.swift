import Foundation

public enum AdvocacyKind: String, Sendable, Codable, CaseIterable { case advocacy, appeal }

public enum AdvocacyIssue: String, Sendable, Codable, CaseIterable {
    case deniedBenefits = "denied_benefits"
    case housingDenial = "housing_denial"
    case eviction
    case schoolDiscipline = "school_discipline"
    case healthCoverage = "health_coverage"
    case employment, immigration
    case utilityShutoff = "utility_shutoff"
    case childWelfare = "child_welfare"
    case other
}

public enum AdvocacyStatus: String, Sendable, Codable, CaseIterable {
    case preparing, filed
    case hearingScheduled = "hearing_scheduled"
    case decided, withdrawn
    public var isClosed: Bool { self == .decided || self == .withdrawn }
}

public enum AdvocacyOutcome: String, Sendable, Codable, CaseIterable {
    case pending, granted
    case partiallyGranted = "partially_granted"
    case denied, settled, withdrawn
}

/// Advocacy on a client's behalf, or a formal appeal of a decision, with its deadlines.
public struct AdvocacyAction: StoredRecord, AgencyOwned, Equatable {
    public static let table = "advocacy_actions"
    public var id: UUID
    public var agencyID: UUID
    public var caseID: UUID
    public var clientID: UUID
    public var kind: AdvocacyKind
    public var issue: AdvocacyIssue
    /// Who made the decision or holds the power: the benefits office, landlord, school district.
    public var otherParty: String
    public var summary: String?
    public var filingDeadline: LocalDate?
    public var hearingOn: LocalDate?
    public var status: AdvocacyStatus
    public var outcome: AdvocacyOutcome
    public var outcomeNotes: String?
    public var createdBy: UUID
    public var createdAt: Date
    public var updatedAt: Date
    public var version: Int
    public var index: [String: IndexValue] {
        ["agency_id": .uuid(agencyID), "case_id": .uuid(caseID), "status": .text(status.rawValue)]
    }
}

public struct AdvocacyInput: Sendable, Codable, Equatable {
    public var kind: String?
    public var issue: String?
    public var otherParty: String?
    public var summary: String?
    public var filingDeadline: String?
    public var hearingOn: String?
    public var status: String?
    public var outcome: String?
    public var outcomeNotes: String?
    public init(
        kind: String? = nil, issue: String? = nil, otherParty: String? = nil, summary: String? = nil,
        filingDeadline: String? = nil,
        hearingOn: String? = nil, status: String? = nil, outcome: String? = nil, outcomeNotes: String? = nil
    ) {
        self.kind = kind
        self.issue = issue
        self.otherParty = otherParty
        self.summary = summary
        self.filingDeadline = filingDeadline
        self.hearingOn = hearingOn
        self.status = status
        self.outcome = outcome
        self.outcomeNotes = outcomeNotes
    }
}

public struct AdvocacyService: Sendable {
    let store: any TrellisStore
    let deps: Dependencies
    public init(store: any TrellisStore, deps: Dependencies) {
        self.store = store
        self.deps = deps
    }

    /// Records a new action (`id` nil) or changes one. Its filing deadline and hearing become tasks for
    /// the case manager, kept in step when the dates change and closed when the action is.
    public func save(caseID: UUID?, id: UUID?, _ input: AdvocacyInput, expectedVersion: Int?, by actor: ActingUser)
        async throws -> AdvocacyAction
    {
        var existing: AdvocacyAction? = nil
        let c: Case
        if let id {
            existing = try await store.agencyRecord(AdvocacyAction.self, id, actor, "advocacy action")
            try Policy.require(actor, .writeNote)
            c = try await store.caseForWrite(existing!.caseID, actor, at: deps.now())
            guard let expectedVersion else { throw TrellisError.preconditionRequired("Send the version you edited.") }
            guard expectedVersion == existing!.version else {
                throw TrellisError.conflict("Someone else changed this advocacy action since you opened it.")
            }
        } else {
            c = try await store.writableCase(caseID ?? UUID(), actor, "record advocacy", at: deps.now())
        }
        var v = Validator()
        let kind = v.choice("kind", input.kind, as: AdvocacyKind.self)
        let issue = v.choice("issue", input.issue, as: AdvocacyIssue.self)
        let party = v.text("otherParty", input.otherParty, required: true, max: 200)
        let summary = v.text("summary", input.summary, max: 4000)
        let deadline = v.anyDate("filingDeadline", input.filingDeadline, around: deps.today, years: 3)
        let hearing = v.anyDate("hearingOn", input.hearingOn, around: deps.today, years: 3)
        if kind == .appeal && deadline == nil && existing == nil
            && !v.errors.contains(where: { $0.field == "filingDeadline" })
        {
            v.add("filingDeadline", "an appeal needs its filing deadline")
        }
        let status = v.choice("status", input.status ?? AdvocacyStatus.preparing.rawValue, as: AdvocacyStatus.self)
        let outcome = v.choice("outcome", input.outcome ?? AdvocacyOutcome.pending.rawValue, as: AdvocacyOutcome.self)
        if status == .decided && outcome == .pending { v.add("outcome", "a decided action needs its outcome") }
        if status == .hearingScheduled && hearing == nil { v.add("hearingOn", "give the hearing date") }
        let notes = v.text("outcomeNotes", input.outcomeNotes, max: 4000)
        try v.check()
        let now = deps.now()
        var a =
            existing
            ?? AdvocacyAction(
                id: deps.newID(), agencyID: c.agencyID, caseID: c.id, clientID: c.clientID, kind: kind!, issue: issue!,
                otherParty: party!, status: .preparing, outcome: .pending, createdBy: actor.id, createdAt: now,
                updatedAt: now, version: 0)
        a.kind = kind!
        a.issue = issue!
        a.otherParty = party!
        a.summary = summary
        a.filingDeadline = deadline
        a.hearingOn = hearing
        a.status = status!
        a.outcome = outcome!
        a.outcomeNotes = notes
        a.updatedAt = now
        let from = a.version
        a.version += 1
        let saved = a
        let tasks = try await store.records(CaseTask.self, [.equals("source_id", .uuid(saved.id))])
        try await store.transaction { tx in
            if from == 0 {
                try await tx.insertRecord(saved)
            } else {
                try await tx.update(saved, from: from, "Someone else changed this advocacy action since you opened it.")
            }
            try await syncTasks(saved, c, tasks, in: tx, now: now)
            try await tx.appendAudit([deps.audit(actor, .advocacySave, "advocacy", saved.id, clientID: saved.clientID)])
        }
        return saved
    }

    func syncTasks(_ a: AdvocacyAction, _ c: Case, _ tasks: [CaseTask], in tx: any TrellisStore, now: Date) async throws
    {
        let what = a.kind == .appeal ? "appeal" : "advocacy"
        for (source, date, title) in [
            (TaskSource.filingDeadline, a.filingDeadline, "File \(what) with \(a.otherParty)"),
            (TaskSource.hearing, a.hearingOn, "Hearing: \(what) with \(a.otherParty)")
        ] {
            let existing = tasks.first { $0.source == source }
            let wanted = !a.status.isClosed && date != nil && !(source == .filingDeadline && a.status != .preparing)
            if var t = existing {
                let before = t
                if wanted, let date {
                    t.dueOn = date
                    t.title = title
                    if t.status == .cancelled { t.status = .open }
                } else if t.status == .open {
                    t.status = a.status.isClosed || source == .filingDeadline ? .done : .cancelled
                    t.completedAt = now
                }
                if t != before {
                    t.version += 1
                    try await tx.update(t, from: before.version)
                }
            } else if wanted, let date {
                try await tx.insertRecord(
                    CaseTask(
                        id: deps.newID(), agencyID: a.agencyID, assigneeID: c.primaryCaseManagerID, caseID: c.id,
                        clientID: c.clientID, kind: .task, title: title, dueOn: date, status: .open, source: source,
                        sourceID: a.id, createdBy: nil, createdAt: now, version: 1))
            }
        }
    }

    public func list(caseID: UUID, by actor: ActingUser) async throws -> [AdvocacyAction] {
        let (c, access) = try await store.readableCaseAccess(caseID, actor, at: deps.now())
        try await store.appendAudit([deps.listed(actor, "advocacy_actions", c, access)])
        return try await store.records(AdvocacyAction.self, [.equals("case_id", .uuid(c.id))]).sorted {
            $0.createdAt > $1.createdAt
        }
    }

    public func action(_ id: UUID, by actor: ActingUser) async throws -> AdvocacyAction {
        let a = try await store.agencyRecord(AdvocacyAction.self, id, actor, "advocacy action")
        let (_, access) = try await store.readableCaseAccess(a.caseID, actor, at: deps.now())
        try await store.appendAudit([
            deps.audit(actor, .advocacyView, "advocacy_action", a.id, clientID: a.clientID, access: access)
        ])
        return a
    }
}
