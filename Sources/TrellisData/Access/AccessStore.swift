import Fluent
import Foundation
import SQLKit
import TrellisCore

extension SQLStore {
    // MARK: Access

    /// Three indexed queries whatever the number of clients (in chunks of 500): the clients with their agency's
    /// policy, their cases (their own, and those they are enrolled in as a household member) with what the actor
    /// is to each, and the actor's grants on them.
    public func accessFacts(clientIDs: [UUID], actor: ActingUser, at now: Date) async throws
        -> [UUID: ClientAccessFacts]
    {
        var out: [UUID: ClientAccessFacts] = [:]
        for chunk in clientIDs.chunked(500) {
            let ids = SQLGroupExpression(chunk.map { SQLBind($0) })
            for r in try await sql.raw(
                """
                SELECT cl.id, cl.agency_id, cl.created_by, a.access_policy, s.team_id FROM clients cl \
                JOIN agencies a ON a.id = cl.agency_id LEFT JOIN staff s ON s.id = cl.created_by \
                WHERE cl.id IN \(ids)
                """
            ).all() {
                let id = try r.decode(column: "id", as: UUID.self)
                out[id] = ClientAccessFacts(
                    clientID: id, agencyID: try r.decode(column: "agency_id", as: UUID.self),
                    policy: AccessPolicy(rawValue: try r.decode(column: "access_policy", as: String.self))
                        ?? .needToKnow,
                    createdBy: try r.decode(column: "created_by", as: UUID.self),
                    creatorTeamID: try r.decode(column: "team_id", as: UUID?.self), cases: [], grantID: nil)
            }
            let me = actor.id
            for r in try await sql.raw(
                """
                SELECT c.id, k.subject AS client_id, c.program_id, c.primary_case_manager_id, s.team_id, p.restriction, \
                EXISTS (SELECT 1 FROM case_staff cs WHERE cs.case_id = c.id AND cs.staff_id = \(bind: me)) AS assigned, \
                EXISTS (SELECT 1 FROM program_managers pm WHERE pm.program_id = c.program_id \
                AND pm.staff_id = \(bind: me)) AS manages, \
                EXISTS (SELECT 1 FROM program_staff ps WHERE ps.program_id = c.program_id \
                AND ps.staff_id = \(bind: me)) AS works \
                FROM (SELECT id AS case_id, client_id AS subject FROM cases WHERE client_id IN \(ids) \
                UNION ALL SELECT case_id, client_id FROM case_members WHERE client_id IN \(ids)) k \
                JOIN cases c ON c.id = k.case_id JOIN programs p ON p.id = c.program_id \
                LEFT JOIN staff s ON s.id = c.primary_case_manager_id
                """
            ).all() {
                let clientID = try r.decode(column: "client_id", as: UUID.self)
                out[clientID]?.cases.append(
                    CaseAccessFacts(
                        caseID: try r.decode(column: "id", as: UUID.self),
                        programID: try r.decode(column: "program_id", as: UUID.self),
                        primaryCaseManagerID: try r.decode(column: "primary_case_manager_id", as: UUID.self),
                        caseManagerTeamID: try r.decode(column: "team_id", as: UUID?.self),
                        restriction: try r.decode(column: "restriction", as: String?.self).flatMap(
                            RestrictedCategory.init(rawValue:)),
                        actorAssigned: try flag(r, "assigned"), actorManagesProgram: try flag(r, "manages"),
                        actorWorksInProgram: try flag(r, "works")))
            }
            for grant in try await records(
                AccessGrant.self, [.equals("staff_id", .uuid(me)), .oneOf("client_id", chunk.map { .uuid($0) })],
                order: [], limit: nil)
            where grant.active(at: now) {
                out[grant.clientID]?.grantID = grant.id
            }
        }
        for (id, f) in out { out[id]?.cases = f.cases.sorted { $0.caseID.uuidString < $1.caseID.uuidString } }
        return out
    }

    /// EXISTS answers an integer in SQLite and a boolean in PostgreSQL.
    private func flag(_ r: any SQLRow, _ column: String) throws -> Bool {
        if let b = try? r.decode(column: column, as: Bool.self) { return b }
        return try r.decode(column: column, as: Int.self) != 0
    }

    public func caseStaff(caseID: UUID) async throws -> [UUID] {
        try await sql.select().column("staff_id").from("case_staff").where("case_id", .equal, caseID)
            .orderBy("added_at").all().map { try $0.decode(column: "staff_id", as: UUID.self) }
    }

    public func addCaseStaff(caseID: UUID, staffID: UUID, addedBy: UUID, at: Date) async throws {
        try await sql.insert(into: "case_staff").columns("case_id", "staff_id", "added_by", "added_at")
            .values(SQLBind(caseID), SQLBind(staffID), SQLBind(addedBy), SQLBind(at)).run()
    }

    public func removeCaseStaff(caseID: UUID, staffID: UUID) async throws {
        try await sql.delete(from: "case_staff").where("case_id", .equal, caseID).where("staff_id", .equal, staffID)
            .run()
    }

    public func programStaff(programID: UUID) async throws -> [UUID] {
        try await sql.select().column("staff_id").from("program_staff").where("program_id", .equal, programID)
            .all().map { try $0.decode(column: "staff_id", as: UUID.self) }
    }

    public func staffPrograms(staffID: UUID) async throws -> [UUID] {
        try await sql.select().column("program_id").from("program_staff").where("staff_id", .equal, staffID)
            .all().map { try $0.decode(column: "program_id", as: UUID.self) }
    }

    public func setProgramStaff(programID: UUID, staffIDs: [UUID]) async throws {
        try await sql.delete(from: "program_staff").where("program_id", .equal, programID).run()
        for id in Set(staffIDs) {
            try await sql.insert(into: "program_staff").columns("program_id", "staff_id")
                .values(SQLBind(programID), SQLBind(id)).run()
        }
    }

    public func agencies() async throws -> [Agency] {
        try await sql.select().column("*").from("agencies").orderBy("name").all(decoding: AgencyRow.self).map(\.domain)
    }

    public func setContinuum(agencyID: UUID, _ code: String?) async throws {
        try await sql.update("agencies").set("continuum_code", to: code).where("id", .equal, agencyID).run()
    }

    public func setAccessPolicy(agencyID: UUID, _ policy: AccessPolicy) async throws {
        try await sql.update("agencies").set("access_policy", to: policy.rawValue).where("id", .equal, agencyID).run()
    }

    public func setProgramRestriction(programID: UUID, _ restriction: RestrictedCategory?) async throws {
        try await sql.update("programs").set("restriction", to: restriction?.rawValue)
            .where("id", .equal, programID).run()
    }
}
