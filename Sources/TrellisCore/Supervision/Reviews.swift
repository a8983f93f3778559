import Foundation

public enum ReviewStatus: String, Sendable, Codable, CaseIterable {
    case pending, approved, returned
    /// A returned item the worker has since dealt with (a new closure request, an addendum).
    case addressed
}

/// A record a reviewer approves or returns.
public protocol Reviewed: StoredRecord {
    var status: ReviewStatus { get set }
    var version: Int { get set }
}

extension TrellisStore {
    /// Marks returned items as dealt with (the worker asked again, or answered with an addendum).
    func markAddressed<R: Reviewed>(_ records: [R]) async throws {
        for var r in records where r.status == .returned {
            let from = r.version
            r.status = .addressed
            r.version += 1
            try await update(r, from: from)
        }
    }
}

/// A case manager's closure in a program that requires approval: the closing details wait here until
/// a supervisor, program manager or admin approves (the case then closes) or returns them.
public struct ClosureRequest: Reviewed, AgencyOwned, Equatable {
    public static let table = "closure_requests"
    public var id: UUID
    public var agencyID: UUID
    public var caseID: UUID
    public var clientID: UUID
    public var programID: UUID
    public var caseManagerID: UUID
    public var requestedBy: UUID
    public var requestedAt: Date
    public var input: ClosureInput
    public var status: ReviewStatus
    public var reviewedBy: UUID?
    public var reviewedAt: Date?
    public var comment: String?
    public var version: Int
    public var index: [String: IndexValue] {
        [
            "agency_id": .uuid(agencyID), "case_id": .uuid(caseID), "program_id": .uuid(programID),
            "case_manager_id": .uuid(caseManagerID), "requested_by": .uuid(requestedBy),
            "status": .text(status.rawValue)
        ]
    }
}

/// A signed note in a program that requires co-signature, waiting for (or given) a supervisor's.
public struct NoteReview: Reviewed, AgencyOwned, Equatable {
    public static let table = "note_reviews"
    public var id: UUID
    public var agencyID: UUID
    public var caseID: UUID
    public var clientID: UUID
    public var noteID: UUID
    public var programID: UUID
    public var authorID: UUID
    public var submittedAt: Date
    public var status: ReviewStatus
    public var reviewedBy: UUID?
    public var reviewedAt: Date?
    public var comment: String?
    public var version: Int
    public init(
        id: UUID, agencyID: UUID, caseID: UUID, clientID: UUID, noteID: UUID, programID: UUID, authorID: UUID,
        submittedAt: Date,
        status: ReviewStatus, reviewedBy: UUID? = nil, reviewedAt: Date? = nil, comment: String? = nil, version: Int
    ) {
        self.id = id
        self.agencyID = agencyID
        self.caseID = caseID
        self.clientID = clientID
        self.noteID = noteID
        self.programID = programID
        self.authorID = authorID
        self.submittedAt = submittedAt
        self.status = status
        self.reviewedBy = reviewedBy
        self.reviewedAt = reviewedAt
        self.comment = comment
        self.version = version
    }
    public var index: [String: IndexValue] {
        [
            "agency_id": .uuid(agencyID), "case_id": .uuid(caseID), "note_id": .uuid(noteID),
            "program_id": .uuid(programID),
            "author_id": .uuid(authorID), "status": .text(status.rawValue)
        ]
    }
}

public struct ReviewQueue: Sendable {
    public var plans: [PlanReviewItem]
    public var closures: [ClosureRequest]
    public var notes: [NoteReview]
    /// Client and staff names for display.
    public var clientNames: [UUID: String]
    public var staffNames: [UUID: String]
    public var isEmpty: Bool { plans.isEmpty && closures.isEmpty && notes.isEmpty }
    public var count: Int { plans.count + closures.count + notes.count }
}

public struct ReviewService: Sendable {
    let store: any TrellisStore
    let deps: Dependencies
    public init(store: any TrellisStore, deps: Dependencies) {
        self.store = store
        self.deps = deps
    }

    static let limit = 200

    func scopeFilters(_ scope: CaseScope, managerColumn: String) -> [RecordFilter] {
        var f: [RecordFilter] = [.equals("agency_id", .uuid(scope.agencyID))]
        if let p = scope.programIDs { f.append(.oneOf("program_id", p.map { .uuid($0) })) }
        if let m = scope.caseManagerIDs { f.append(.oneOf(managerColumn, m.map { .uuid($0) })) }
        return f
    }

    /// What waits for the actor's decision: plans and closures to approve, notes to co-sign, on the
    /// cases they supervise. Items the actor wrote themselves are left for someone else.
    public func queue(by actor: ActingUser) async throws -> ReviewQueue {
        try Policy.require(actor, .reviewWork)
        let scope = try await store.scope(for: actor)
        let plans = try await store.plansAwaitingReview(scope, limit: Self.limit).filter { $0.createdBy != actor.id }
        let closures = try await store.records(
            ClosureRequest.self,
            scopeFilters(scope, managerColumn: "case_manager_id") + [.equals("status", .text("pending"))],
            order: [RecordOrder("id")], limit: Self.limit
        )
        .filter { $0.requestedBy != actor.id && !scope.hiddenProgramIDs.contains($0.programID) }
        .sorted { $0.requestedAt < $1.requestedAt }
        let notes = try await store.records(
            NoteReview.self, scopeFilters(scope, managerColumn: "author_id") + [.equals("status", .text("pending"))],
            order: [RecordOrder("id")], limit: Self.limit
        )
        .filter { $0.authorID != actor.id && !scope.hiddenProgramIDs.contains($0.programID) }
        .sorted { $0.submittedAt < $1.submittedAt }
        return try await named(
            ReviewQueue(plans: plans, closures: closures, notes: notes, clientNames: [:], staffNames: [:]), by: actor)
    }

    /// Items returned to this worker with comments that they have not dealt with yet.
    public func returned(to actor: ActingUser) async throws -> ReviewQueue {
        let plans = try await store.returnedPlans(authorID: actor.id)
        let closures = try await store.records(
            ClosureRequest.self, [.equals("requested_by", .uuid(actor.id)), .equals("status", .text("returned"))])
        let notes = try await store.records(
            NoteReview.self, [.equals("author_id", .uuid(actor.id)), .equals("status", .text("returned"))])
        return try await named(
            ReviewQueue(plans: plans, closures: closures, notes: notes, clientNames: [:], staffNames: [:]), by: actor)
    }

    func named(_ q: ReviewQueue, by actor: ActingUser) async throws -> ReviewQueue {
        var q = q
        for p in q.plans { q.clientNames[p.clientID] = p.clientName }
        for id in Set(q.closures.map(\.clientID) + q.notes.map(\.clientID)).subtracting(q.clientNames.keys) {
            if let c = try await store.client(id: id) { q.clientNames[id] = c.alias ?? c.displayName }
        }
        let staff = Set(
            q.plans.map(\.createdBy) + q.closures.map(\.requestedBy) + q.notes.map(\.authorID)
                + q.closures.compactMap(\.reviewedBy) + q.notes.compactMap(\.reviewedBy))
        for s in try await store.staff(ids: Array(staff)) { q.staffNames[s.id] = s.displayName }
        // The queue names clients: each is audited, as any list that names clients.
        if !q.clientNames.isEmpty {
            try await store.appendAudit(
                q.clientNames.keys.sorted { $0.uuidString < $1.uuidString }.map {
                    deps.audit(actor, .clientListed, "review_queue", $0, clientID: $0)
                })
        }
        return q
    }

    /// The pending closure request of a case, if any (shown on the case page).
    public func pendingClosure(caseID: UUID) async throws -> ClosureRequest? {
        try await store.records(
            ClosureRequest.self, [.equals("case_id", .uuid(caseID)), .equals("status", .text("pending"))]
        ).first
    }

    /// A case's note reviews, by note (shown beside each note).
    public func noteReviews(caseID: UUID) async throws -> [UUID: NoteReview] {
        let list = try await store.records(
            NoteReview.self, [.equals("case_id", .uuid(caseID))], order: [RecordOrder("id")])
        return Dictionary(
            list.map { ($0.noteID, $0) }, uniquingKeysWith: { a, b in a.submittedAt > b.submittedAt ? a : b })
    }

    static func decision(_ raw: String?, comment: String?, into v: inout Validator) -> (ReviewDecision?, String?) {
        let d = v.choice("decision", raw, as: ReviewDecision.self)
        let c = v.text("comment", comment, required: d == .return, max: 4000)
        return (d, c)
    }

    /// Approves a closure (the case closes with the requested details, as of the approval) or returns it.
    public func decideClosure(
        _ id: UUID, decision raw: String?, comment: String?, expectedVersion: Int?, by actor: ActingUser
    ) async throws -> ClosureRequest {
        try Policy.require(actor, .reviewWork)
        guard var r = try await store.record(ClosureRequest.self, id: id) else {
            throw TrellisError.notFound("closure request")
        }
        try Policy.requireSameAgency(actor, r.agencyID, "closure request")
        guard let c = try await store.case(id: r.caseID) else { throw TrellisError.notFound("closure request") }
        try await store.requireInScope(c, actor)
        _ = try await store.requireCaseAccess(c, actor, .write, at: deps.now())
        guard r.requestedBy != actor.id else {
            throw TrellisError.forbidden("Someone other than the person who asked must approve a closure.")
        }
        var v = Validator()
        let (decision, note) = Self.decision(raw, comment: comment, into: &v)
        try v.check()
        guard let expectedVersion else { throw TrellisError.preconditionRequired("Send the version you reviewed.") }
        guard r.status == .pending, r.version == expectedVersion else {
            throw TrellisError.conflict("This closure was already decided.")
        }
        let from = r.version
        r.status = decision == .approve ? .approved : .returned
        r.reviewedBy = actor.id
        r.reviewedAt = deps.now()
        r.comment = note
        r.version += 1
        let closure = ClosureService(store: store, deps: deps)
        // The approver stands behind the request: where it was made without confirming open work (before the
        // check existed, or before that work appeared), approving confirms it, with the approver's comment as
        // the reason. Open risk alerts still stop the closure.
        var input = r.input
        if input.confirmOpenWork != true {
            input.confirmOpenWork = true
            input.openWorkReason = input.openWorkReason ?? note ?? "Approved by a supervisor."
        }
        let prepared =
            decision == .approve
            ? try closure.prepareClose(c, input, openWork: try await closure.openWork(of: c), by: actor) : nil
        let saved = r
        try await store.transaction { tx in
            try await tx.update(saved, from: from)
            if let prepared { try await closure.applyClose(prepared, expectedVersion: c.version, by: actor, in: tx) }
            try await tx.appendAudit([
                deps.audit(
                    actor, .closureReview, "closure_request", saved.id, clientID: saved.clientID,
                    changed: [decision == .approve ? "approved" : "returned"])
            ])
        }
        return saved
    }

    /// Co-signs a note or returns it with comments; the author answers a return with an addendum.
    public func decideNote(
        _ id: UUID, decision raw: String?, comment: String?, expectedVersion: Int?, by actor: ActingUser
    ) async throws -> NoteReview {
        try Policy.require(actor, .reviewWork)
        guard var r = try await store.record(NoteReview.self, id: id) else {
            throw TrellisError.notFound("note review")
        }
        try Policy.requireSameAgency(actor, r.agencyID, "note review")
        guard let c = try await store.case(id: r.caseID) else { throw TrellisError.notFound("note review") }
        try await store.requireInScope(c, actor)
        _ = try await store.requireCaseAccess(c, actor, .write, at: deps.now())
        guard r.authorID != actor.id else {
            throw TrellisError.forbidden("A note is co-signed by someone other than its author.")
        }
        var v = Validator()
        let (decision, note) = Self.decision(raw, comment: comment, into: &v)
        try v.check()
        guard let expectedVersion else { throw TrellisError.preconditionRequired("Send the version you reviewed.") }
        guard r.status == .pending, r.version == expectedVersion else {
            throw TrellisError.conflict("This note was already reviewed.")
        }
        let from = r.version
        r.status = decision == .approve ? .approved : .returned
        r.reviewedBy = actor.id
        r.reviewedAt = deps.now()
        r.comment = note
        r.version += 1
        let saved = r
        try await store.transaction { tx in
            try await tx.update(saved, from: from)
            try await tx.appendAudit([
                deps.audit(
                    actor, .noteCosign, "note", saved.noteID, clientID: saved.clientID,
                    changed: [decision == .approve ? "cosigned" : "returned"])
            ])
        }
        return saved
    }

    /// Called when a note is signed: in a program that requires it, a case manager's note waits for a
    /// co-signature; an addendum to a returned note answers that return.
    static func noteSigned(
        _ note: CaseNote, program: Program, by actor: ActingUser, in tx: any TrellisStore, deps: Dependencies
    ) async throws {
        if let original = note.addendumTo {
            try await tx.markAddressed(
                try await tx.records(
                    NoteReview.self, [.equals("note_id", .uuid(original)), .equals("status", .text("returned"))]))
        }
        guard program.requiresNoteCosign, actor.role == .caseManager else { return }
        try await tx.insertRecord(
            NoteReview(
                id: deps.newID(), agencyID: note.agencyID, caseID: note.caseID, clientID: note.clientID,
                noteID: note.id,
                programID: program.id, authorID: note.authorID, submittedAt: deps.now(), status: .pending, version: 1))
    }
}
