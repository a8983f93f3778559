import Foundation

public enum GoalStatus: String, Sendable, Codable, CaseIterable {
    case notStarted = "not_started"
    case inProgress = "in_progress"
    case achieved, revised, discontinued
}

public enum ResponsibleParty: String, Sendable, Codable, CaseIterable {
    case client
    case caseManager = "case_manager"
    case provider, other
}

/// How the client agreed to the plan.
public enum AgreementMethod: String, Sendable, Codable, CaseIterable {
    case signedInPerson = "signed_in_person"
    case signedElectronically = "signed_electronically"
    case verbalInPerson = "verbal_in_person"
    case verbalByPhone = "verbal_by_phone"
}

/// A plan version's standing. Where the program requires it, a new version waits for a supervisor,
/// who approves it (it becomes the active plan) or returns it with comments.
public enum PlanStatus: String, Sendable, Codable, CaseIterable {
    case active
    case pendingApproval = "pending_approval"
    case returned
}

public struct ActionStep: Sendable, Codable, Equatable {
    public var id: UUID
    public var description: String
    public var responsible: ResponsibleParty
    /// Who exactly, where the party is a provider or someone else.
    public var responsibleName: String?
    public var dueOn: LocalDate
    public var completedOn: LocalDate?
}

extension ServicePlan {
    /// Goals that count toward "share of goals achieved": all but those replaced by a revision.
    public var goalCounts: (total: Int, achieved: Int) {
        let counted = goals.filter { $0.status != .revised }
        return (counted.count, counted.filter { $0.status == .achieved }.count)
    }
}

public struct PlanGoal: Sendable, Codable, Equatable {
    /// Stable across plan versions, so a goal's history can be followed.
    public var id: UUID
    /// The life area, from the one vocabulary of needs (`Needs`).
    public var domain: String?
    /// The assessed need the goal answers, and where it was found.
    public var need: String?
    public var needRef: String?
    public var clientWords: String?
    public var goal: String
    /// What will show the goal is met, measurably.
    public var target: String
    public var targetDate: LocalDate
    public var status: GoalStatus
    public var steps: [ActionStep]
    public init(
        id: UUID, domain: String?, need: String?, needRef: String? = nil, clientWords: String? = nil, goal: String,
        target: String,
        targetDate: LocalDate, status: GoalStatus, steps: [ActionStep] = []
    ) {
        self.id = id
        self.domain = domain
        self.need = need
        self.needRef = needRef
        self.clientWords = clientWords
        self.goal = goal
        self.target = target
        self.targetDate = targetDate
        self.status = status
        self.steps = steps
    }
}

/// One version of a case's service plan. Versions are never changed except for a supervisor's review.
public struct ServicePlan: Sendable, Codable, Equatable {
    public var id: UUID
    public var agencyID: UUID
    public var caseID: UUID
    public var clientID: UUID
    public var version: Int
    public var status: PlanStatus
    public var goals: [PlanGoal]
    public var agreedOn: LocalDate?
    public var agreementMethod: AgreementMethod?
    public var changeSummary: String?
    public var createdBy: UUID
    public var createdAt: Date
    public var reviewedBy: UUID?
    public var reviewedAt: Date?
    public var reviewComment: String?
    public init(
        id: UUID, agencyID: UUID, caseID: UUID, clientID: UUID, version: Int, status: PlanStatus, goals: [PlanGoal],
        agreedOn: LocalDate?, agreementMethod: AgreementMethod?, changeSummary: String?, createdBy: UUID,
        createdAt: Date,
        reviewedBy: UUID? = nil, reviewedAt: Date? = nil, reviewComment: String? = nil
    ) {
        self.id = id
        self.agencyID = agencyID
        self.caseID = caseID
        self.clientID = clientID
        self.version = version
        self.status = status
        self.goals = goals
        self.agreedOn = agreedOn
        self.agreementMethod = agreementMethod
        self.changeSummary = changeSummary
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.reviewedBy = reviewedBy
        self.reviewedAt = reviewedAt
        self.reviewComment = reviewComment
    }
}

/// The plan content a worker submits.
public struct PlanInput: Sendable, Codable {
    public struct Step: Sendable, Codable {
        public var id: UUID?
        public var description: String?, responsible: String?, responsibleName: String?, dueOn: String?,
            completedOn: String?
        public init(
            id: UUID? = nil, description: String?, responsible: String?, responsibleName: String? = nil, dueOn: String?,
            completedOn: String? = nil
        ) {
            self.id = id
            self.description = description
            self.responsible = responsible
            self.responsibleName = responsibleName
            self.dueOn = dueOn
            self.completedOn = completedOn
        }
        var isBlank: Bool {
            [description, responsibleName, dueOn, completedOn].allSatisfy {
                ($0 ?? "").trimmingCharacters(in: .whitespaces).isEmpty
            }
        }
    }
    public struct Goal: Sendable, Codable {
        public var id: UUID?
        public var domain: String?, need: String?, needRef: String?, clientWords: String?, goal: String?,
            target: String?
        public var targetDate: String?, status: String?
        public var steps: [Step]
        enum CodingKeys: String, CodingKey {
            case id, domain, need, needRef, clientWords, goal, target, targetDate, status, steps
        }
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try c.decodeIfPresent(UUID.self, forKey: .id)
            domain = try c.decodeIfPresent(String.self, forKey: .domain)
            need = try c.decodeIfPresent(String.self, forKey: .need)
            needRef = try c.decodeIfPresent(String.self, forKey: .needRef)
            clientWords = try c.decodeIfPresent(String.self, forKey: .clientWords)
            goal = try c.decodeIfPresent(String.self, forKey: .goal)
            target = try c.decodeIfPresent(String.self, forKey: .target)
            targetDate = try c.decodeIfPresent(String.self, forKey: .targetDate)
            status = try c.decodeIfPresent(String.self, forKey: .status)
            steps = try c.decodeIfPresent([Step].self, forKey: .steps) ?? []
        }
        public init(
            id: UUID? = nil, domain: String? = nil, need: String? = nil, needRef: String? = nil,
            clientWords: String? = nil,
            goal: String?, target: String?, targetDate: String?, status: String? = nil, steps: [Step] = []
        ) {
            self.id = id
            self.domain = domain
            self.need = need
            self.needRef = needRef
            self.clientWords = clientWords
            self.goal = goal
            self.target = target
            self.targetDate = targetDate
            self.status = status
            self.steps = steps
        }
        var isBlank: Bool {
            [need, clientWords, goal, target, targetDate].allSatisfy {
                ($0 ?? "").trimmingCharacters(in: .whitespaces).isEmpty
            }
                && steps.allSatisfy(\.isBlank)
        }
    }
    public var goals: [Goal]
    public var agreedOn: String?
    public var agreementMethod: String?
    public var changeSummary: String?
    public init(goals: [Goal], agreedOn: String? = nil, agreementMethod: String? = nil, changeSummary: String? = nil) {
        self.goals = goals
        self.agreedOn = agreedOn
        self.agreementMethod = agreementMethod
        self.changeSummary = changeSummary
    }
    enum CodingKeys: String, CodingKey { case goals, agreedOn, agreementMethod, changeSummary }
    /// Missing lists read as empty, so a bare `{}` reaches validation (and its field messages).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        goals = try c.decodeIfPresent([Goal].self, forKey: .goals) ?? []
        agreedOn = try c.decodeIfPresent(String.self, forKey: .agreedOn)
        agreementMethod = try c.decodeIfPresent(String.self, forKey: .agreementMethod)
        changeSummary = try c.decodeIfPresent(String.self, forKey: .changeSummary)
    }
}

public enum ReviewDecision: String, Sendable {
    case approve, `return`
}

public struct PlanOverview: Sendable {
    public var `case`: Case
    public var program: Program
    /// Newest first.
    public var versions: [ServicePlan]
    public var latest: ServicePlan? { versions.first }
    /// The newest version in force: approved, or saved where no approval is needed.
    public var active: ServicePlan? { versions.first { $0.status == .active } }
}

extension Validator {
    /// A date that may lie in the future (targets, due dates), never before `notBefore`.
    mutating func plannedDate(_ field: String, _ value: String?, required: Bool, notBefore: LocalDate, message: String)
        -> LocalDate?
    {
        let t = value?.trimmingCharacters(in: .whitespaces) ?? ""
        if t.isEmpty {
            if required { add(field, "is required") }
            return nil
        }
        guard let d = LocalDate(t) else {
            add(field, "must be a real date (YYYY-MM-DD)")
            return nil
        }
        if d < notBefore {
            add(field, message)
            return nil
        }
        if d.year > notBefore.year + 20 {
            add(field, "is too far in the future")
            return nil
        }
        return d
    }
}

public struct PlanService: Sendable {
    let store: any TrellisStore
    let deps: Dependencies
    public init(store: any TrellisStore, deps: Dependencies) {
        self.store = store
        self.deps = deps
    }

    func load(_ caseID: UUID, _ actor: ActingUser, _ level: AccessLevel = .write) async throws -> (Case, Program) {
        let (c, p, _) = try await loadAccess(caseID, actor, level)
        return (c, p)
    }

    func loadAccess(_ caseID: UUID, _ actor: ActingUser, _ level: AccessLevel) async throws -> (Case, Program, Access) {
        guard let c = try await store.case(id: caseID) else { throw TrellisError.notFound("case") }
        let access = try await store.requireCaseAccess(c, actor, level, at: deps.now())
        guard let p = try await store.program(id: c.programID) else { throw TrellisError.notFound("case") }
        return (c, p, access)
    }

    /// Every version of the case's plan; the read is audited.
    public func overview(caseID: UUID, by actor: ActingUser) async throws -> PlanOverview {
        let (c, p, access) = try await loadAccess(caseID, actor, .read)
        let versions = try await store.planVersions(caseID: caseID)
        if let latest = versions.first {
            try await store.appendAudit([
                deps.audit(actor, .planView, "service_plan", latest.id, clientID: c.clientID, access: access)
            ])
        }
        return PlanOverview(case: c, program: p, versions: versions)
    }

    /// Validates the whole plan (every problem at once) and saves it as a new version. `expectedVersion`
    /// is the version the worker edited (0 for a first plan); another save in between is a conflict.
    public func save(caseID: UUID, _ input: PlanInput, expectedVersion: Int?, by actor: ActingUser) async throws
        -> ServicePlan
    {
        let (c, program) = try await load(caseID, actor)
        try Policy.require(actor, .updateCase(primaryCaseManagerID: c.primaryCaseManagerID))
        guard c.status != .closed else {
            throw TrellisError.conflict("This case is closed; reopen it to change the plan.")
        }
        let previous = try await store.planVersions(caseID: caseID).first
        // A first plan needs no version; changing one does.
        guard let expectedVersion = expectedVersion ?? (previous == nil ? 0 : nil) else {
            throw TrellisError.preconditionRequired("Send the plan version you edited.")
        }
        guard expectedVersion == (previous?.version ?? 0) else {
            throw TrellisError.conflict(
                "Someone saved a newer version of this plan (version \(previous?.version ?? 0)). Reload it and make your changes again."
            )
        }
        var v = Validator()
        let opened = c.openedOn
        let beforeOpen = "cannot be before the case was opened (\(c.openedOn))"
        let goalsIn = input.goals.filter { !$0.isBlank }
        if goalsIn.isEmpty { v.add("goals", "add at least one goal") }
        if goalsIn.count > 50 { v.add("goals", "can have at most 50 goals") }
        let known = Set(previous?.goals.map(\.id) ?? [])
        var goals: [PlanGoal] = []
        for (gi, g) in input.goals.enumerated() where !g.isBlank {
            let p = "goals.\(gi)."
            let domain = v.text(p + "domain", g.domain, max: 60).map(Needs.canonical)
            if let domain, !Needs.contains(domain) { v.add(p + "domain", "is not one of the allowed values") }
            let need = v.text(p + "need", g.need, max: 300)
            if domain == nil && need == nil { v.add(p + "need", "link the goal to an assessed need or a domain") }
            let text = v.text(p + "goal", g.goal, required: true, max: 500)
            let target = v.text(p + "target", g.target, required: true, max: 500)
            let date = v.plannedDate(
                p + "targetDate", g.targetDate, required: true, notBefore: opened, message: beforeOpen)
            let status =
                g.status.map { $0.isEmpty ? GoalStatus.notStarted.rawValue : $0 } ?? GoalStatus.notStarted.rawValue
            let st = v.choice(p + "status", status, as: GoalStatus.self)
            var steps: [ActionStep] = []
            for (si, s) in g.steps.enumerated() where !s.isBlank {
                let sp = p + "steps.\(si)."
                let d = v.text(sp + "description", s.description, required: true, max: 500)
                let r = v.choice(sp + "responsible", s.responsible, as: ResponsibleParty.self)
                let name = v.text(sp + "responsibleName", s.responsibleName, max: 200)
                let due = v.plannedDate(sp + "dueOn", s.dueOn, required: true, notBefore: opened, message: beforeOpen)
                let done = v.date(
                    sp + "completedOn", s.completedOn, today: deps.today, notBefore: opened,
                    notBeforeMessage: beforeOpen)
                if let d, let r, let due {
                    steps.append(
                        ActionStep(
                            id: s.id.flatMap { id in
                                previous?.goals.flatMap(\.steps).contains { $0.id == id } == true ? id : nil
                            } ?? deps.newID(),
                            description: d, responsible: r, responsibleName: name, dueOn: due, completedOn: done))
                }
            }
            if let text, let target, let date, let st {
                goals.append(
                    PlanGoal(
                        id: g.id.flatMap { known.contains($0) ? $0 : nil } ?? deps.newID(), domain: domain, need: need,
                        needRef: v.text(p + "needRef", g.needRef, max: 200),
                        clientWords: v.text(p + "clientWords", g.clientWords, max: 1000),
                        goal: text, target: target, targetDate: date, status: st, steps: steps))
            }
        }
        let agreedOn = v.date(
            "agreedOn", input.agreedOn, today: deps.today, notBefore: opened, notBeforeMessage: beforeOpen)
        let method = v.choice(
            "agreementMethod", input.agreementMethod, as: AgreementMethod.self, required: agreedOn != nil)
        if method != nil && agreedOn == nil && (input.agreedOn ?? "").isEmpty {
            v.add("agreedOn", "is required when the client's agreement is recorded")
        }
        let summary = v.text("changeSummary", input.changeSummary, max: 1000)
        try v.check()
        let plan = ServicePlan(
            id: deps.newID(), agencyID: c.agencyID, caseID: c.id, clientID: c.clientID, version: expectedVersion + 1,
            status: program.requiresPlanApproval ? .pendingApproval : .active, goals: goals,
            agreedOn: agreedOn, agreementMethod: agreedOn == nil ? nil : method, changeSummary: summary,
            createdBy: actor.id, createdAt: deps.now())
        try await store.transaction { tx in
            try await tx.insertPlanVersion(plan)
            if plan.status == .active {
                try await tx.updateGoalCounts(
                    caseID: c.id, total: plan.goalCounts.total, achieved: plan.goalCounts.achieved)
            }
            try await tx.appendAudit([deps.audit(actor, .planSave, "service_plan", plan.id, clientID: c.clientID)])
        }
        return plan
    }

    /// A supervisor approves a plan version waiting for it, or returns it with comments.
    public func review(caseID: UUID, version: Int?, decision: String?, comment: String?, by actor: ActingUser)
        async throws -> ServicePlan
    {
        let (c, _) = try await load(caseID, actor)
        try Policy.require(actor, .approvePlan)
        var v = Validator()
        let d = v.choice("decision", decision, as: ReviewDecision.self)
        let approve = d == .approve
        let note = v.text("comment", comment, required: d == .return, max: 2000)
        if version == nil { v.add("version", "is required") }
        try v.check()
        guard var plan = try await store.planVersions(caseID: caseID).first(where: { $0.version == version }) else {
            throw TrellisError.notFound("plan version")
        }
        guard plan.status == .pendingApproval else {
            throw TrellisError.conflict("This plan version is not waiting for approval.")
        }
        guard plan.createdBy != actor.id else {
            throw TrellisError.forbidden("A plan needs the approval of someone other than its author.")
        }
        let now = deps.now()
        plan.status = approve ? .active : .returned
        plan.reviewedBy = actor.id
        plan.reviewedAt = now
        plan.reviewComment = note
        let done = plan
        try await store.transaction { tx in
            guard try await tx.reviewPlanVersion(done) else {
                throw TrellisError.conflict("This plan version is not waiting for approval.")
            }
            if done.status == .active {
                try await tx.updateGoalCounts(
                    caseID: c.id, total: done.goalCounts.total, achieved: done.goalCounts.achieved)
            }
            try await tx.appendAudit([
                deps.audit(
                    actor, .planReview, "service_plan", done.id, clientID: c.clientID,
                    changed: [approve ? "approved" : "returned"])
            ])
        }
        return plan
    }
}
