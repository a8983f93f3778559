import Foundation
import TrellisCore
import Vapor

struct HouseholdMemberDTO: Content {
    var clientID: UUID
    var displayName: String
    /// HUD 3.15: 1 self (head of household), 2 child, 3 spouse or partner, 4 other relative, 5 unrelated, 99.
    var relationship: Int
    var head: Bool
    /// Only for members the reader may open.
    var birthDate: String?
}

struct HouseholdDTO: Content {
    var id: UUID?
    var version: Int?
    var members: [HouseholdMemberDTO]
    /// Members the reader may not know of: counted, not named.
    var hiddenMembers: Int

    init(_ v: HouseholdView?) {
        id = v?.household.id
        version = v?.household.version
        members = (v?.members ?? []).map {
            HouseholdMemberDTO(
                clientID: $0.client.id, displayName: $0.client.displayName, relationship: $0.relationship.rawValue,
                head: $0.relationship == .selfHead, birthDate: $0.canRead ? $0.client.birthDate?.description : nil)
        }
        hiddenMembers = v?.hidden ?? 0
    }
}

struct HouseholdAddRequest: Decodable {
    var clientID: UUID
    var relationship: Int?
    var version: Int?
}

struct HouseholdRelationshipRequest: Decodable {
    var relationship: Int?
    var version: Int?
}

/// `/api/v1/clients/{clientID}/household`: the client's household; members added from the head's record.
enum HouseholdsAPI: APIHandlers {
    static func answer(_ req: Request, _ clientID: UUID, status: HTTPStatus = .ok) async throws -> Response {
        let v = try await req.households.view(of: clientID, by: try req.actor())
        return try json(HouseholdDTO(v), status: status, etag: v?.household.version)
    }

    static func get(_ req: Request) async throws -> Response {
        try await answer(req, try req.uuid("clientID"))
    }

    static func add(_ req: Request) async throws -> Response {
        let id = try req.uuid("clientID")
        try await req.households.requireChange(of: id, by: try req.actor())
        let body = try req.content.decode(HouseholdAddRequest.self)
        _ = try await req.households.add(
            body.clientID, relationship: body.relationship, to: id,
            expectedVersion: ifMatchVersion(req) ?? body.version, by: try req.actor())
        return try await answer(req, id, status: .created)
    }

    static func relate(_ req: Request) async throws -> Response {
        let id = try req.uuid("clientID")
        try await req.households.requireChange(of: id, by: try req.actor())
        let body = try req.content.decode(HouseholdRelationshipRequest.self)
        _ = try await req.households.setRelationship(
            of: try req.uuid("memberID"), in: id, to: body.relationship,
            expectedVersion: ifMatchVersion(req) ?? body.version, by: try req.actor())
        return try await answer(req, id)
    }

    static func remove(_ req: Request) async throws -> Response {
        let id = try req.uuid("clientID")
        try await req.households.requireChange(of: id, by: try req.actor())
        let member = try req.uuid("memberID")
        _ = try await req.households.remove(
            member, from: id, expectedVersion: ifMatchVersion(req) ?? (try intQuery(req, "version")),
            by: try req.actor())
        // The head leaving last ends the household: the answer then has no members.
        return try await answer(req, id)
    }
}
