import Foundation
import TrellisCore
import Vapor

struct ClosureRequestDTO: Content {
    var id: UUID
    var caseID: UUID
    var clientID: UUID
    var programID: UUID
    var requestedBy: UUID
    var requestedAt: Date
    var status: String
    var reason: String?
    var destination: Int?
    var closedOn: String?
    var reviewedBy: UUID?
    var comment: String?
    var version: Int
    init(_ r: ClosureRequest) {
        id = r.id
        caseID = r.caseID
        clientID = r.clientID
        programID = r.programID
        requestedBy = r.requestedBy
        requestedAt = r.requestedAt
        status = r.status.rawValue
        reason = r.input.reason
        destination = r.input.destination
        closedOn = r.input.closedOn
        reviewedBy = r.reviewedBy
        comment = r.comment
        version = r.version
    }
}

struct NoteReviewDTO: Content {
    var id: UUID
    var noteID: UUID
    var caseID: UUID
    var clientID: UUID
    var authorID: UUID
    var submittedAt: Date
    var status: String
    var reviewedBy: UUID?
    var comment: String?
    var version: Int
    init(_ r: NoteReview) {
        id = r.id
        noteID = r.noteID
        caseID = r.caseID
        clientID = r.clientID
        authorID = r.authorID
        submittedAt = r.submittedAt
        status = r.status.rawValue
        reviewedBy = r.reviewedBy
        comment = r.comment
        version = r.version
    }
}

struct PlanReviewDTO: Content {
    var caseID: UUID
    var clientID: UUID
    var version: Int
    var createdBy: UUID
    var createdAt: Date
    var comment: String?
    init(_ p: PlanReviewItem) {
        caseID = p.caseID
        clientID = p.clientID
        version = p.version
        createdBy = p.createdBy
        createdAt = p.createdAt
        comment = p.comment
    }
}

struct ReviewQueueDTO: Content {
    var plans: [PlanReviewDTO]
    var closures: [ClosureRequestDTO]
    var notes: [NoteReviewDTO]
    init(_ q: ReviewQueue) {
        plans = q.plans.map(PlanReviewDTO.init)
        closures = q.closures.map(ClosureRequestDTO.init)
        notes = q.notes.map(NoteReviewDTO.init)
    }
}

struct TodayDTO: Content {
    struct Reason: Content {
        var kind: String
        var points: Int
        var count: Int
        var detail: [String]
    }
    struct Item: Content {
        var caseID: UUID
        var clientID: UUID
        var clientName: String
        var programID: UUID?
        var score: Int
        var reasons: [Reason]
    }
    var staffID: UUID
    var cases: [Item]
    var awaitingReview: Int?
    var overdueTasks: Int
    init(_ v: TodayView) {
        staffID = v.staff.id
        awaitingReview = v.awaitingReview
        overdueTasks = v.overdueTasks
        cases = v.cases.map { p in
            Item(
                caseID: p.entry.caseID, clientID: p.entry.clientID, clientName: p.entry.clientName,
                programID: p.entry.programID, score: p.score,
                reasons: p.reasons.map {
                    Reason(kind: $0.kind.rawValue, points: $0.points, count: $0.count, detail: $0.detail)
                })
        }
    }
}

struct WorkloadDTO: Content {
    struct Worker: Content {
        var staffID: UUID
        var teamID: UUID?
        var openCases: Int
        var highAcuity: Int
        var moderateAcuity: Int
        var weightedCases: Double
        var load: Double
    }
    var workers: [Worker]
    init(_ o: WorkloadOverview) {
        workers = o.teams.flatMap(\.workers).map { w in
            Worker(
                staffID: w.staff.id, teamID: w.staff.teamID, openCases: w.openCases, highAcuity: w.byTier[.high] ?? 0,
                moderateAcuity: w.byTier[.moderate] ?? 0, weightedCases: w.weightedCases, load: w.load)
        }
    }
}

struct ReviewDecisionBody: Content {
    var decision: String?
    var comment: String?
}

struct ReassignBody: Content {
    var from: UUID?
    var cases: [ReassignmentInput]?
}

enum SupervisionAPI: APIHandlers {
    static func today(_ req: Request) async throws -> Response {
        try json(TodayDTO(try await req.today.today(by: try req.actor())))
    }

    static func workload(_ req: Request) async throws -> Response {
        try json(WorkloadDTO(try await req.workload.overview(by: try req.actor())))
    }

    static func reassign(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        try Policy.require(actor, .transferCase)
        let b = try body(req, ReassignBody.self)
        guard let from = b.from else { throw TrellisError.validation([FieldError("from", "is required")]) }
        let moved = try await req.workload.reassign(from: from, b.cases ?? [], by: actor)
        return try json(Items(items: moved.map(CaseDTO.init)))
    }

    static func reviews(_ req: Request) async throws -> Response {
        try json(ReviewQueueDTO(try await req.reviews.queue(by: try req.actor())))
    }

    static func decideClosure(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let b = try body(req, ReviewDecisionBody.self)
        let r = try await req.reviews.decideClosure(
            try req.uuid("closureRequestID"), decision: b.decision, comment: b.comment,
            expectedVersion: ifMatchVersion(req), by: actor)
        return try json(ClosureRequestDTO(r), etag: r.version)
    }

    static func decideNote(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let b = try body(req, ReviewDecisionBody.self)
        let r = try await req.reviews.decideNote(
            try req.uuid("noteReviewID"), decision: b.decision, comment: b.comment,
            expectedVersion: ifMatchVersion(req), by: actor)
        return try json(NoteReviewDTO(r), etag: r.version)
    }
}
