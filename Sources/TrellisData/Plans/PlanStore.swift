import Fluent
import Foundation
import SQLKit
import TrellisCore

struct PlanRow: Codable {
    var id: UUID
    var agency_id: UUID
    var case_id: UUID
    var client_id: UUID
    var version: Int
    var status: String
    var body: String
    var created_by: UUID
    var created_at: Date
    var reviewed_by: UUID?
    var reviewed_at: Date?
    var review_comment: String?
    struct Body: Codable {
        var goals: [PlanGoal]
        var agreedOn: LocalDate?
        var agreementMethod: AgreementMethod?
        var changeSummary: String?
    }
    init(_ p: ServicePlan) {
        id = p.id
        agency_id = p.agencyID
        case_id = p.caseID
        client_id = p.clientID
        version = p.version
        status = p.status.rawValue
        body = JSONText.encode(
            Body(
                goals: p.goals, agreedOn: p.agreedOn, agreementMethod: p.agreementMethod, changeSummary: p.changeSummary
            ))
        created_by = p.createdBy
        created_at = p.createdAt
        reviewed_by = p.reviewedBy
        reviewed_at = p.reviewedAt
        review_comment = p.reviewComment
    }
    var domain: ServicePlan? {
        guard let b = JSONText.decode(Body.self, body), let st = PlanStatus(rawValue: status) else { return nil }
        return ServicePlan(
            id: id, agencyID: agency_id, caseID: case_id, clientID: client_id, version: version, status: st,
            goals: b.goals,
            agreedOn: b.agreedOn, agreementMethod: b.agreementMethod, changeSummary: b.changeSummary,
            createdBy: created_by,
            createdAt: created_at, reviewedBy: reviewed_by, reviewedAt: reviewed_at, reviewComment: review_comment)
    }
}

extension SQLStore {
    public func planVersions(caseID: UUID) async throws -> [ServicePlan] {
        try await sql.select().column("*").from("service_plans").where("case_id", .equal, caseID)
            .orderBy("version", .descending).all(decoding: PlanRow.self).compactMap(\.domain)
    }

    public func insertPlanVersion(_ plan: ServicePlan) async throws {
        do { try await sql.insert(into: "service_plans").model(PlanRow(plan), with: Self.encoder).run() } catch let e
            as any DatabaseError where e.isConstraintFailure
        {
            throw TrellisError.conflict(
                "Someone saved a newer version of this plan. Reload it and make your changes again.")
        }
    }

    public func reviewPlanVersion(_ plan: ServicePlan) async throws -> Bool {
        let rows = try await sql.update("service_plans").set("status", to: plan.status.rawValue).set(
            "reviewed_by", to: plan.reviewedBy
        )
        .set("reviewed_at", to: plan.reviewedAt).set("review_comment", to: plan.reviewComment)
        .where("id", .equal, plan.id).where("status", .equal, PlanStatus.pendingApproval.rawValue).returning("id").all()
        return !rows.isEmpty
    }
}
