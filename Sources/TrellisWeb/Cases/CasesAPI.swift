import Foundation
import SQLKit
import TrellisCore
import TrellisData
import Vapor

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

enum CasesAPI: APIHandlers {
    static func openCase(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let input = try req.content.decode(CaseInput.self)
        let c = try await req.cases.open(clientID: try req.uuid("clientID"), input, by: actor)
        return try json(
            CaseDTO(c), status: .created, etag: c.version, location: path("cases", c.id))
    }

    static func getCase(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let d = try await req.cases.detail(try req.uuid("caseID"), by: actor)
        return try json(CaseDTO(d.case), etag: d.case.version)
    }

    static func caseload(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let sort = try enumQuery(req, "sort", CaseloadSort.self) ?? .overdue
        return try await paged(req) {
            try await req.caseloads.caseload(of: actor.id, by: actor, sort: sort).entries.map(CaseloadEntryDTO.init)
        }
    }
}
