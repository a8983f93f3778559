import Foundation

/// Everything the case page shows, gathered by one call: the case with its client, program and notes, its
/// assessments and plan, and the coordination work around it. Each part is read through the service that
/// owns it, so each part keeps its own policy check and audit entry.
public struct CaseOverview: Sendable {
    public var detail: CaseDetail
    /// The notes' authors.
    public var authors: [UUID: StaffMember]
    public var instruments: [InstrumentDefinition]
    public var assessments: [Assessment]
    public var biopsychosocials: [BiopsychosocialAssessment]
    public var alerts: [RiskAlert]
    public var plan: PlanOverview
    public var compliance: [ContactCompliance]
    public var referrals: [Referral]
    public var services: [ServiceRecord]
    public var tasks: [CaseTask]
    public var advocacy: [AdvocacyAction]
    public var letters: [Letter]
    public var events: [CaseEvent]
    /// Display names of the staff named by the case's events and tasks.
    public var staffNames: [UUID: String]
    /// The agency's program names, for transfers between programs.
    public var programNames: [UUID: String]
    /// A closure waiting for a supervisor, and each note's co-signature review.
    public var pendingClosure: ClosureRequest?
    public var noteReviews: [UUID: NoteReview]
    public var careTeam: CareTeamMembers
    /// The household enrolled in the case, head first; empty when the client is enrolled alone.
    public var household: [CaseMemberView] = []
}

extension CaseService {
    /// A case the actor may read, for pages and forms about it that show nothing of it but its id.
    public func readable(_ id: UUID, by actor: ActingUser) async throws -> Case {
        try await store.readableCase(id, actor, at: deps.now())
    }

    /// The whole case page. The case, client and each part read are audited as their services audit them.
    public func overview(_ id: UUID, notesPage: Int = 1, by actor: ActingUser) async throws -> CaseOverview {
        let detail = try await detail(id, notesPage: notesPage, by: actor)
        let c = detail.case
        let authors = try await store.agencyStaff(ids: detail.notes.map(\.authorID), agencyID: actor.agencyID)
        let assessments = AssessmentService(store: store, deps: deps)
        let instruments = try await assessments.instruments(for: actor, programID: c.programID)
        let history = try await assessments.history(caseID: id, by: actor)
        let biopsychosocials = try await assessments.biopsychosocials(caseID: id, by: actor)
        let alerts = try await assessments.caseAlerts(caseID: id, by: actor)
        let plan = try await PlanService(store: store, deps: deps).overview(caseID: id, by: actor)
        let events = try await ClosureService(store: store, deps: deps).history(caseID: id, by: actor)
        let tasks = try await TaskService(store: store, deps: deps).forCase(id, by: actor)
        let latest = try await store.latestContacts(caseIDs: [id])[id] ?? [:]
        let programs = try await store.programs(agencyID: actor.agencyID)
        let referrals = try await ReferralService(store: store, deps: deps).list(caseID: id, by: actor)
        let services = try await ServiceRecordService(store: store, deps: deps).list(caseID: id, by: actor)
        let advocacy = try await AdvocacyService(store: store, deps: deps).list(caseID: id, by: actor)
        let letters = try await LetterService(store: store, deps: deps).list(caseID: id, by: actor)
        let named =
            events.flatMap { [$0.by] + [$0.fromManagerID, $0.toManagerID].compactMap { $0 } } + tasks.map(\.assigneeID)
        let names = try await store.staffNames(ids: named, agencyID: actor.agencyID)
        let reviews = ReviewService(store: store, deps: deps)
        return CaseOverview(
            detail: detail, authors: Dictionary(uniqueKeysWithValues: authors.map { ($0.id, $0) }),
            instruments: instruments, assessments: history, biopsychosocials: biopsychosocials, alerts: alerts,
            plan: plan,
            compliance: ContactRule.evaluate(detail.program, openedOn: c.openedOn, latest: latest, today: deps.today),
            referrals: referrals, services: services, tasks: tasks, advocacy: advocacy, letters: letters,
            events: events, staffNames: names,
            programNames: Dictionary(programs.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a }),
            pendingClosure: try await reviews.pendingClosure(caseID: id),
            noteReviews: try await reviews.noteReviews(caseID: id),
            careTeam: try await AccessService(store: store, deps: deps).careTeam(caseID: id, by: actor),
            household: try await household(ofCase: id, by: actor))
    }
}
