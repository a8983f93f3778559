import Foundation

/// "Who needs me today": a worker's open cases ranked by priority with the reasons, what was returned
/// to them, and for a reviewer how much waits for their decision.
public struct TodayView: Sendable {
    public var staff: StaffMember
    public var cases: [PrioritizedCase]
    public var returned: ReviewQueue?
    public var awaitingReview: Int?
    public var overdueTasks: Int
    /// The viewer's own clients' releases of information that end within 30 days.
    public var expiringReleases: [ExpiringRelease] = []
}

public struct TodayService: Sendable {
    let store: any TrellisStore
    let deps: Dependencies
    public init(store: any TrellisStore, deps: Dependencies) {
        self.store = store
        self.deps = deps
    }

    public func today(of staffID: UUID? = nil, by actor: ActingUser) async throws -> TodayView {
        let id = staffID ?? actor.id
        let load = try await CaseloadService(store: store, deps: deps).caseload(of: id, by: actor)
        let today = deps.today
        var signals: [UUID: PriorityRanker.Signals] = [:]
        for a in try await store.openAlerts(agencyID: actor.agencyID, caseManagers: [id]) {
            signals[a.caseID, default: .init()].alertReasons.append(a.reason)
        }
        let tasks = try await TaskService(store: store, deps: deps).open(for: id, by: actor).filter {
            $0.isOverdue(today)
        }
        for t in tasks { if let c = t.caseID { signals[c, default: .init()].overdueTasks += 1 } }
        let weights = Dictionary(
            try await store.programs(agencyID: load.staff.agencyID).map { ($0.id, $0.priorityWeights) },
            uniquingKeysWith: { a, _ in a })
        let ranked = PriorityRanker.rank(
            load.entries, signals: signals, weights: { $0.flatMap { weights[$0] } ?? .standard }, today: today)
        let reviews = ReviewService(store: store, deps: deps)
        return TodayView(
            staff: load.staff, cases: ranked,
            returned: id == actor.id ? try await reviews.returned(to: actor) : nil,
            awaitingReview: id == actor.id && Policy.allows(actor, .reviewWork)
                ? try await reviews.queue(by: actor).count : nil,
            overdueTasks: tasks.count,
            expiringReleases: id == actor.id
                ? try await ReleaseService(store: store, deps: deps).expiring(for: actor, caseload: load) : [])
    }
}
