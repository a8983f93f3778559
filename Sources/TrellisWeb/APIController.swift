import Foundation
import TrellisCore
import TrellisData
import SQLKit
import Vapor

// API representations. Their own types, so the wire format changes only on purpose.

struct HouseholdMemberDTO: Content {
    var id: UUID
    var firstName: String?
    var lastName: String?
    var birthDate: String?
    var relationship: Int
}

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
    var household: [HouseholdMemberDTO]
    var createdAt: Date
    var updatedAt: Date
    var version: Int

    init(_ c: Client, household: [HouseholdMember]) {
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
        self.household = household.map {
            HouseholdMemberDTO(
                id: $0.id, firstName: $0.firstName, lastName: $0.lastName,
                birthDate: $0.birthDate?.description, relationship: $0.relationship.rawValue)
        }
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

struct Page<T: Content>: Content {
    var items: [T]
    var limit: Int
    var offset: Int
}

struct CaseDTO: Content {
    var id: UUID
    var clientID: UUID
    var programID: UUID
    var primaryCaseManagerID: UUID
    var status: String
    var stage: String
    var priority: String
    var openedOn: String
    var closedOn: String?
    var lastContactOn: String?
    var contactDueOn: String
    var version: Int
    init(_ c: Case) {
        id = c.id
        clientID = c.clientID
        programID = c.programID
        primaryCaseManagerID = c.primaryCaseManagerID
        status = c.status.rawValue
        stage = c.stage.rawValue
        priority = c.priority.rawValue
        openedOn = c.openedOn.description
        closedOn = c.closedOn?.description
        lastContactOn = c.lastContactOn?.description
        contactDueOn = c.contactDueOn.description
        version = c.version
    }
}

struct NoteDTO: Content {
    var id: UUID
    var caseID: UUID
    var clientID: UUID
    var authorID: UUID
    var contactType: String
    var contactDate: String
    var durationMinutes: Int
    var participants: [String]
    var format: String
    var sections: [String: String]
    var status: String
    var signedAt: Date?
    var addendumTo: UUID?
    var version: Int
    init(_ n: CaseNote) {
        id = n.id
        caseID = n.caseID
        clientID = n.clientID
        authorID = n.authorID
        contactType = n.contactType.rawValue
        contactDate = n.contactDate.description
        durationMinutes = n.durationMinutes
        participants = n.participants
        format = n.format.rawValue
        sections = n.sections
        status = n.status.rawValue
        signedAt = n.signedAt
        addendumTo = n.addendumTo
        version = n.version
    }
}

struct CaseloadEntryDTO: Content {
    var caseID: UUID
    var clientID: UUID
    var clientName: String
    var programName: String
    var stage: String
    var priority: String
    var lastContactOn: String?
    var daysSinceContact: Int?
    var contactFrequencyDays: Int
    var contactOverdue: Bool
    var reassessmentDue: String?
    var reassessmentStatus: String?
    init(_ e: CaseloadEntry) {
        reassessmentDue = e.reassessmentDue?.description
        reassessmentStatus = e.reassessment?.rawValue
        caseID = e.caseID
        clientID = e.clientID
        clientName = e.clientName
        programName = e.programName
        stage = e.stage.rawValue
        priority = e.priority.rawValue
        lastContactOn = e.lastContactOn?.description
        daysSinceContact = e.daysSinceContact
        contactFrequencyDays = e.contactFrequencyDays
        contactOverdue = e.contactOverdue
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

struct VersionField: Decodable { var version: Int? }

enum APIController {
    static func json<T: Encodable>(_ value: T, status: HTTPStatus = .ok, etag: Int? = nil, location: String? = nil)
        throws -> Response
    {
        let enc = JSONEncoder()
        enc.dateEncodingStrategy = .iso8601
        enc.outputFormatting = [.sortedKeys]
        let r = Response(
            status: status, headers: ["Content-Type": "application/json; charset=utf-8"],
            body: .init(data: try enc.encode(value)))
        if let etag { r.headers.replaceOrAdd(name: .eTag, value: "\"\(etag)\"") }
        if let location { r.headers.replaceOrAdd(name: .location, value: location) }
        return r
    }

    static func health(_ req: Request) async throws -> Response {
        let sql = req.db as! any SQLDatabase
        _ = try await sql.raw("SELECT 1 AS ok").first()
        return try json(["status": "ok", "database": sql.dialect.name == "sqlite" ? "sqlite" : "postgresql"])
    }

    static func openAPI(_ req: Request) async throws -> Response {
        guard
            let url = Bundle.module.url(forResource: "openapi", withExtension: "json", subdirectory: "Resources")
                ?? Bundle.module.url(forResource: "openapi", withExtension: "json")
        else { throw Abort(.notFound) }
        return Response(
            status: .ok, headers: ["Content-Type": "application/json"], body: .init(data: try Data(contentsOf: url)))
    }

    /// The version named by If-Match (`"3"` or `W/"3"`), if the header is there and readable.
    static func ifMatchVersion(_ req: Request) -> Int? {
        req.headers.first(name: .ifMatch).flatMap {
            Int($0.trimmingCharacters(in: CharacterSet(charactersIn: "\" W/")))
        }
    }

    /// The version a PATCH was made against: If-Match wins over a `version` in the body.
    static func expectedVersion(_ req: Request) -> (Int?, fromHeader: Bool) {
        if req.headers.first(name: .ifMatch) != nil { return (ifMatchVersion(req), true) }
        return ((try? req.content.decode(VersionField.self))?.version, false)
    }

    static func limits(_ req: Request) -> (Int, Int) {
        let limit = max(1, min((try? req.query.get(Int.self, at: "limit")) ?? 25, 100))
        let offset = max(0, (try? req.query.get(Int.self, at: "offset")) ?? 0)
        return (limit, offset)
    }

    static func createClient(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let body = try req.content.decode(ClientCreateRequest.self)
        switch try await req.clients.register(
            body.client, by: actor, duplicatesAcknowledged: body.acknowledgeDuplicates)
        {
        case .created(let c):
            let household = try await req.store.household(clientID: c.id)
            return try json(
                ClientDTO(c, household: household), status: .created, etag: c.version,
                location: "/api/v1/clients/\(c.id.uuidString.lowercased())")
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
        let (limit, offset) = limits(req)
        let q = (try? req.query.get(String.self, at: "q")) ?? ""
        guard q.count <= 200 else { throw TrellisError.validation([FieldError("q", "must be at most 200 characters")]) }
        let results = try await req.clients.search(q, by: actor, limit: limit, offset: offset)
        return try json(Page(items: results.map(ClientSummaryDTO.init), limit: limit, offset: offset))
    }

    static func getClient(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let d = try await req.clients.detail(try req.uuid("clientID"), by: actor)
        return try json(ClientDTO(d.client, household: d.household), etag: d.client.version)
    }

    static func patchClient(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let id = try req.uuid("clientID")
        let patch = try req.content.decode(ClientInput.self)
        let (version, fromHeader) = expectedVersion(req)
        do {
            let c = try await req.clients.patch(id, with: patch, expectedVersion: version, by: actor)
            return try json(ClientDTO(c, household: try await req.store.household(clientID: id)), etag: c.version)
        } catch TrellisError.conflict(let m) where fromHeader {
            // A stale If-Match is a failed precondition (RFC 9110); a stale body version is a conflict.
            return TrellisErrorMiddleware.problemResponse(
                Problem(
                    type: "https://trellis.example/problems/precondition-failed",
                    title: "Precondition Failed", status: 412, detail: m, errors: nil, duplicates: nil),
                status: .preconditionFailed)
        }
    }

    static func openCase(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let input = try req.content.decode(CaseInput.self)
        let c = try await req.cases.open(clientID: try req.uuid("clientID"), input, by: actor)
        return try json(
            CaseDTO(c), status: .created, etag: c.version, location: "/api/v1/cases/\(c.id.uuidString.lowercased())")
    }

    static func getCase(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let d = try await req.cases.detail(try req.uuid("caseID"), by: actor)
        return try json(CaseDTO(d.case), etag: d.case.version)
    }

    static func createNote(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let input = try req.content.decode(NoteInput.self)
        let n = try await req.notes.create(caseID: try req.uuid("caseID"), input, by: actor)
        return try json(
            NoteDTO(n), status: .created, etag: n.version, location: "/api/v1/notes/\(n.id.uuidString.lowercased())")
    }

    static func listNotes(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let notes = try await req.notes.list(caseID: try req.uuid("caseID"), by: actor)
        return try json(Page(items: notes.map(NoteDTO.init), limit: notes.count, offset: 0))
    }

    static func getNote(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let d = try await req.notes.detail(try req.uuid("noteID"), by: actor)
        return try json(NoteDTO(d.note), etag: d.note.version)
    }

    static func signNote(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let n = try await req.notes.sign(try req.uuid("noteID"), expectedVersion: ifMatchVersion(req), by: actor)
        return try json(NoteDTO(n), etag: n.version)
    }

    static func caseload(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let sort = (try? req.query.get(String.self, at: "sort")).flatMap(CaseloadSort.init(rawValue:)) ?? .overdue
        let load = try await req.caseloads.caseload(of: actor.id, by: actor, sort: sort)
        return try json(Page(items: load.entries.map(CaseloadEntryDTO.init), limit: load.entries.count, offset: 0))
    }
}
