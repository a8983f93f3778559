import Foundation
import SQLKit
import TrellisCore
import TrellisData
import Vapor

// API representations. Their own types, so the wire format changes only on purpose.

struct ClientDTO: Content {
    var id: UUID
    var firstName: String?
    var middleName: String?
    var lastName: String?
    var nameSuffix: String?
    var nameDataQuality: Int
    var preferredName: String?
    var pronouns: String?
    /// Only the masked form leaves the server.
    var ssnMasked: String?
    var ssnDataQuality: Int
    var birthDate: String?
    var dobDataQuality: Int
    var sex: Int
    var races: [String]
    var raceNone: Int?
    var additionalRaceEthnicity: String?
    var veteranStatus: Int
    var phone: String?
    var email: String?
    var address: String?
    var preferredLanguage: String?
    /// A confidential client's name in lists.
    var alias: String?
    var createdAt: Date
    var updatedAt: Date
    var version: Int

    init(_ c: Client) {
        id = c.id
        firstName = c.firstName
        middleName = c.middleName
        lastName = c.lastName
        nameSuffix = c.nameSuffix
        nameDataQuality = c.nameDataQuality.rawValue
        preferredName = c.preferredName
        pronouns = c.pronouns
        ssnMasked = c.maskedSSN
        ssnDataQuality = c.ssnDataQuality.rawValue
        birthDate = c.birthDate?.description
        dobDataQuality = c.dobDataQuality.rawValue
        sex = c.sex.rawValue
        races = c.races.map(\.rawValue)
        raceNone = c.raceNone?.rawValue
        additionalRaceEthnicity = c.additionalRaceEthnicity
        veteranStatus = c.veteranStatus.rawValue
        phone = c.phone
        email = c.email
        address = c.address
        preferredLanguage = c.preferredLanguage
        alias = c.alias
        createdAt = c.createdAt
        updatedAt = c.updatedAt
        version = c.version
    }
}

struct ClientSummaryDTO: Content {
    var id: UUID
    var displayName: String
    var firstName: String?
    var lastName: String?
    var birthDate: String?
    init(_ c: ClientSummary) {
        id = c.id
        displayName = c.displayName
        firstName = c.firstName
        lastName = c.lastName
        birthDate = c.birthDate?.description
    }
}

struct ClientCreateRequest: Decodable {
    var client: ClientInput
    var acknowledgeDuplicates: Bool
    init(from decoder: any Decoder) throws {
        client = try ClientInput(from: decoder)
        let c = try decoder.container(keyedBy: K.self)
        acknowledgeDuplicates = try c.decodeIfPresent(Bool.self, forKey: .acknowledgeDuplicates) ?? false
    }
    enum K: String, CodingKey { case acknowledgeDuplicates }
}

enum ClientsAPI: APIHandlers {
    static func createClient(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let body = try req.content.decode(ClientCreateRequest.self)
        switch try await req.clients.register(
            body.client, by: actor, duplicatesAcknowledged: body.acknowledgeDuplicates)
        {
        case .created(let c):
            return try json(
                ClientDTO(c), status: .created, etag: c.version,
                location: path("clients", c.id))
        case .possibleDuplicates(let d):
            return TrellisErrorMiddleware.problemResponse(
                Problem(
                    type: "https://trellis.example/problems/possible-duplicate", title: "Conflict", status: 409,
                    detail:
                        "Existing clients look like the same person. Open one of them, or send acknowledgeDuplicates: true to register anyway.",
                    errors: nil, duplicates: d), status: .conflict)
        }
    }

    static func searchClients(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let (limit, offset) = try limits(req)
        let q = try queryValue(req, "q") ?? ""
        guard q.count <= 200 else { throw TrellisError.validation([FieldError("q", "must be at most 200 characters")]) }
        let results = try await req.clients.search(q, by: actor, limit: limit, offset: offset)
        return try json(Page(items: results.map(ClientSummaryDTO.init), limit: limit, offset: offset))
    }

    static func getClient(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let d = try await req.clients.detail(try req.uuid("clientID"), by: actor)
        return try json(ClientDTO(d.client), etag: d.client.version)
    }

    static func patchClient(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let id = try req.uuid("clientID")
        let patch = try req.content.decode(ClientInput.self)
        let (version, fromHeader) = expectedVersion(req)
        do {
            let c = try await req.clients.patch(id, with: patch, expectedVersion: version, by: actor)
            return try json(ClientDTO(c), etag: c.version)
        } catch TrellisError.conflict(let m) where fromHeader && m != ClientService.purgedMessage {
            // A stale If-Match is a failed precondition (RFC 9110); a stale body version is a conflict.
            return TrellisErrorMiddleware.problemResponse(
                Problem(
                    type: "https://trellis.example/problems/precondition-failed",
                    title: "Precondition Failed", status: 412, detail: m, errors: nil, duplicates: nil),
                status: .preconditionFailed)
        }
    }
}
