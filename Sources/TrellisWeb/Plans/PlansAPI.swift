import Foundation
import TrellisCore
import Vapor

struct ReviewRequest: Decodable {
    var version: Int?
    var decision: String?
    var comment: String?
}

struct PlanDTO: Content {
    var id: UUID
    var caseID: UUID
    var version: Int
    var status: String
    var goals: [PlanGoal]
    var agreedOn: String?
    var agreementMethod: String?
    var changeSummary: String?
    var createdBy: UUID
    var createdAt: Date
    var reviewedBy: UUID?
    var reviewedAt: Date?
    var reviewComment: String?
    init(_ p: ServicePlan) {
        id = p.id
        caseID = p.caseID
        version = p.version
        status = p.status.rawValue
        goals = p.goals
        agreedOn = p.agreedOn?.description
        agreementMethod = p.agreementMethod?.rawValue
        changeSummary = p.changeSummary
        createdBy = p.createdBy
        createdAt = p.createdAt
        reviewedBy = p.reviewedBy
        reviewedAt = p.reviewedAt
        reviewComment = p.reviewComment
    }
}

enum PlansAPI: APIHandlers {
    static func getPlan(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let o = try await req.plans.overview(caseID: try req.uuid("caseID"), by: actor)
        guard let latest = o.latest else { throw TrellisError.notFound("plan") }
        return try json(PlanDTO(latest), etag: latest.version)
    }

    static func planVersions(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        return try await paged(req) {
            try await req.plans.overview(caseID: try req.uuid("caseID"), by: actor).versions.map(PlanDTO.init)
        }
    }

    /// Saves a new plan version. If-Match names the version edited; a case's first plan may omit it.
    static func putPlan(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let caseID = try req.uuid("caseID")
        let body = try req.content.decode(PlanInput.self)
        let p = try await req.plans.save(caseID: caseID, body, expectedVersion: ifMatchVersion(req), by: actor)
        return try json(PlanDTO(p), status: p.version == 1 ? .created : .ok, etag: p.version)
    }

    static func reviewPlan(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let body = try req.content.decode(ReviewRequest.self)
        let p = try await req.plans.review(
            caseID: try req.uuid("caseID"), version: body.version, decision: body.decision,
            comment: body.comment, by: actor)
        return try json(PlanDTO(p), etag: p.version)
    }
}
