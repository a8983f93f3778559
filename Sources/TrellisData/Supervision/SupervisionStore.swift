import Fluent
import Foundation
import SQLKit
import TrellisCore

extension SQLStore {
    /// `AND …` restricting cases aliased `c` to the scope (an empty list matches nothing).
    func scopeClause(_ s: CaseScope) -> SQLQueryString {
        var q: SQLQueryString = " AND c.agency_id = \(bind: s.agencyID)"
        for (column, ids) in [("program_id", s.programIDs), ("primary_case_manager_id", s.caseManagerIDs)] {
            guard let ids else { continue }
            if ids.isEmpty {
                q.appendLiteral(" AND 1 = 0")
            } else {
                Self.appendList(&q, " AND c.\(column) IN (", ids)
            }
        }
        if !s.hiddenProgramIDs.isEmpty { Self.appendList(&q, " AND c.program_id NOT IN (", s.hiddenProgramIDs) }
        return q
    }

    /// `opening` then the ids bound one by one and a closing parenthesis.
    private static func appendList(_ q: inout SQLQueryString, _ opening: String, _ ids: [UUID]) {
        q.appendLiteral(opening)
        for (i, id) in ids.enumerated() {
            if i > 0 { q.appendLiteral(", ") }
            q.appendInterpolation(bind: id)
        }
        q.appendLiteral(")")
    }

    /// Cases open at some time in the period.
    func activeIn(_ f: ReportFilter) -> SQLQueryString {
        " AND c.opened_on <= \(bind: f.to.description) AND (c.closed_on IS NULL OR c.closed_on >= \(bind: f.from.description))"
    }

    func int(_ row: any SQLRow, _ column: String) throws -> Int { try row.decode(column: column, as: Int?.self) ?? 0 }

    public func managedPrograms(staffID: UUID) async throws -> [UUID] {
        try await sql.raw(
            "SELECT program_id FROM program_managers WHERE staff_id = \(bind: staffID) ORDER BY program_id"
        ).all()
            .map { try $0.decode(column: "program_id", as: UUID.self) }
    }

    public func programManagers(agencyID: UUID) async throws -> [UUID: [UUID]] {
        let rows = try await sql.raw(
            """
            SELECT pm.program_id, pm.staff_id FROM program_managers pm JOIN programs p ON p.id = pm.program_id WHERE \
            p.agency_id = \(bind: agencyID)
            """
        ).all()
        var out: [UUID: [UUID]] = [:]
        for r in rows {
            out[try r.decode(column: "program_id", as: UUID.self), default: []].append(
                try r.decode(column: "staff_id", as: UUID.self))
        }
        return out
    }

    public func setProgramManagers(programID: UUID, staffIDs: [UUID]) async throws {
        try await sql.delete(from: "program_managers").where("program_id", .equal, programID).run()
        for id in Set(staffIDs) {
            try await sql.insert(into: "program_managers").columns("program_id", "staff_id").values(
                SQLBind(programID), SQLBind(id)
            ).run()
        }
    }

    public func workload(_ scope: CaseScope) async throws -> [WorkloadCell] {
        try await sql.raw(
            """
            SELECT c.primary_case_manager_id AS staff_id, c.program_id, c.acuity_severity, c.crisis_domains, \
            COUNT(*) AS n
            FROM cases c WHERE c.status <> 'closed'\(scopeClause(scope))
            GROUP BY c.primary_case_manager_id, c.program_id, c.acuity_severity, c.crisis_domains
            """
        ).all().map { r in
            WorkloadCell(
                staffID: try r.decode(column: "staff_id", as: UUID.self),
                programID: try r.decode(column: "program_id", as: UUID.self),
                severity: try int(r, "acuity_severity"), crisisDomains: try int(r, "crisis_domains"),
                count: try int(r, "n"))
        }
    }

    public func openCases(caseManagerID: UUID) async throws -> [Case] {
        try await sql.select().column("*").from("cases").where("primary_case_manager_id", .equal, caseManagerID)
            .where("status", .notEqual, "closed").orderBy("opened_on").orderBy("id").all(decoding: CaseRow.self).map(
                \.domain)
    }

    public func updateCaseSignals(caseID: UUID, _ s: CaseSignals) async throws {
        try await sql.update("cases").set("acuity_severity", to: s.severity).set("crisis_domains", to: s.crisisDomains)
            .set("ssm_first", to: s.ssmFirst).set("ssm_latest", to: s.ssmLatest).set(
                "ssm_latest_on", to: s.ssmLatestOn?.description
            )
            .where("id", .equal, caseID).run()
    }

    public func updateGoalCounts(caseID: UUID, total: Int, achieved: Int) async throws {
        try await sql.update("cases").set("goals_total", to: total).set("goals_achieved", to: achieved).where(
            "id", .equal, caseID
        ).run()
    }

    struct PlanReviewRow: Decodable {
        var case_id: UUID
        var client_id: UUID
        var first_name: String?
        var last_name: String?
        var preferred_name: String?
        var alias: String?
        var program_id: UUID
        var primary_case_manager_id: UUID
        var version: Int
        var created_by: UUID
        var created_at: Date
        var review_comment: String?
        var item: PlanReviewItem {
            PlanReviewItem(
                caseID: case_id, clientID: client_id,
                clientName: ClientSummary(
                    id: client_id, firstName: first_name, lastName: last_name, preferredName: preferred_name,
                    birthDate: nil, alias: alias
                ).displayName,
                programID: program_id, caseManagerID: primary_case_manager_id, version: version, createdBy: created_by,
                createdAt: created_at,
                comment: review_comment)
        }
    }

    static let planReviewColumns: SQLQueryString = """
        SELECT sp.case_id, sp.client_id, cl.first_name, cl.last_name, cl.preferred_name, cl.alias, c.program_id, \
        c.primary_case_manager_id,
               sp.version, sp.created_by, sp.created_at, sp.review_comment
        FROM service_plans sp JOIN cases c ON c.id = sp.case_id JOIN clients cl ON cl.id = sp.client_id
        """

    public func plansAwaitingReview(_ scope: CaseScope, limit: Int) async throws -> [PlanReviewItem] {
        try await sql.raw(
            """
            \(Self.planReviewColumns) WHERE sp.agency_id = \(bind: scope.agencyID) AND sp.status = \
            'pending_approval'\(scopeClause(scope))
            ORDER BY sp.created_at, sp.case_id LIMIT \(bind: limit)
            """
        ).all(decoding: PlanReviewRow.self).map(\.item)
    }

    public func returnedPlans(authorID: UUID) async throws -> [PlanReviewItem] {
        try await sql.raw(
            """
            \(Self.planReviewColumns) WHERE sp.created_by = \(bind: authorID) AND sp.status = 'returned'
              AND NOT EXISTS (SELECT 1 FROM service_plans s2 WHERE s2.case_id = sp.case_id AND s2.version > \
            sp.version)
            ORDER BY sp.created_at, sp.case_id
            """
        ).all(decoding: PlanReviewRow.self).map(\.item)
    }
}
