import Foundation
import TrellisCore
import Vapor

struct BreakGlassBody: Decodable {
    var reason: String?
    var hours: Int?
}

struct AccessRequestBody: Decodable { var note: String? }

struct CareTeamAddBody: Decodable { var staffID: UUID? }

/// A break-glass grant as the API answers it (the reason is the caller's own words).
struct GrantDTO: Encodable {
    var id: UUID
    var clientID: UUID
    var reason: String
    var createdAt: Date
    var expiresAt: Date
}

struct CareTeamMemberDTO: Encodable {
    var staffID: UUID
    var displayName: String
    /// primary_case_manager, assigned, supervisor, program_manager or program_staff.
    var role: String
}

struct CareTeamDTO: Encodable {
    var policy: String
    var restriction: String?
    var members: [CareTeamMemberDTO]
}

enum AccessAPI: APIHandlers {
    static func breakGlass(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let b = try body(req, BreakGlassBody.self)
        let g = try await req.access.breakGlass(
            clientID: try req.uuid("clientID"), reason: b.reason, hours: b.hours, by: actor)
        return try json(
            GrantDTO(id: g.id, clientID: g.clientID, reason: g.reason, createdAt: g.createdAt, expiresAt: g.expiresAt),
            status: .created)
    }

    static func requestAccess(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let n = try await req.access.requestAccess(
            clientID: try req.uuid("clientID"), note: try body(req, AccessRequestBody.self).note, by: actor)
        return try json(["notified": n], status: .accepted)
    }

    static func careTeam(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let team = try await req.access.careTeam(caseID: try req.uuid("caseID"), by: actor)
        var members: [CareTeamMemberDTO] = []
        func add(_ list: [StaffMember], _ role: String) {
            members += list.map { CareTeamMemberDTO(staffID: $0.id, displayName: $0.displayName, role: role) }
        }
        add(team.primaryCaseManager.map { [$0] } ?? [], "primary_case_manager")
        add(team.assigned, "assigned")
        add(team.supervisors, "supervisor")
        add(team.programManagers, "program_manager")
        add(team.programStaff, "program_staff")
        return try json(
            CareTeamDTO(policy: team.policy.rawValue, restriction: team.restriction?.rawValue, members: members))
    }

    static func addToCareTeam(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        try await req.access.addToCase(
            caseID: try req.uuid("caseID"), staffID: try body(req, CareTeamAddBody.self).staffID, by: actor)
        return Response(status: .noContent)
    }

    static func removeFromCareTeam(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        try await req.access.removeFromCase(
            caseID: try req.uuid("caseID"), staffID: try req.uuid("staffID"), by: actor)
        return Response(status: .noContent)
    }
}
