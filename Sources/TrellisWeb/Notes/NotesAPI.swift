import Foundation
import SQLKit
import TrellisCore
import TrellisData
import Vapor

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

enum NotesAPI: APIHandlers {
    static func createNote(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let input = try req.content.decode(NoteInput.self)
        let n = try await req.notes.create(caseID: try req.uuid("caseID"), input, by: actor)
        return try json(
            NoteDTO(n), status: .created, etag: n.version, location: path("notes", n.id))
    }

    static func listNotes(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let (limit, offset) = try limits(req)
        let notes = try await req.notes.list(caseID: try req.uuid("caseID"), limit: limit, offset: offset, by: actor)
        return try json(Page(items: notes.map(NoteDTO.init), limit: limit, offset: offset))
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
}
