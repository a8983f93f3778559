import Foundation
import TrellisCore
import Vapor

enum AdvocacyAPI: APIHandlers {
    // Advocacy
    static func listAdvocacy(_ req: Request) async throws -> Response {
        try await paged(req) { try await req.advocacy.list(caseID: try req.uuid("caseID"), by: try req.actor()) }
    }

    static func createAdvocacy(_ req: Request) async throws -> Response {
        let a = try await req.advocacy.save(
            caseID: try req.uuid("caseID"), id: nil, try body(req, AdvocacyInput.self), expectedVersion: nil,
            by: try req.actor())
        return try json(a, status: .created, etag: a.version)
    }

    static func putAdvocacy(_ req: Request) async throws -> Response {
        let a = try await req.advocacy.save(
            caseID: nil, id: try req.uuid("advocacyID"), try body(req, AdvocacyInput.self),
            expectedVersion: ifMatchVersion(req), by: try req.actor())
        return try json(a, etag: a.version)
    }

    // Letters
    static func letterTemplates(_ req: Request) async throws -> Response {
        try await paged(req) { try await req.letters.templates(by: try req.actor()) }
    }

    static func listLetters(_ req: Request) async throws -> Response {
        try await paged(req) { try await req.letters.list(caseID: try req.uuid("caseID"), by: try req.actor()) }
    }

    struct LetterBody: Decodable {
        var templateID: UUID?
        var advocacyID: UUID?
        var title: String?
        var body: String?
    }

    /// With `body`, keeps it as written; without, merges the template and keeps the result.
    static func createLetter(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        try Policy.require(actor, .writeNote)
        let caseID = try req.uuid("caseID")
        _ = try await req.cases.readable(caseID, by: actor)
        let b = try body(req, LetterBody.self)
        var title = b.title
        var text = b.body
        if text == nil {
            let (t, merged) = try await req.letters.preview(
                caseID: caseID, templateID: b.templateID, advocacyID: b.advocacyID, by: actor)
            text = merged
            title = title ?? t.name
        }
        let l = try await req.letters.keep(
            caseID: caseID, templateID: b.templateID, advocacyID: b.advocacyID, title: title, body: text, by: actor)
        return try json(l, status: .created, location: path("letters", l.id))
    }

    static func getLetter(_ req: Request) async throws -> Response {
        try json(try await req.letters.letter(try req.uuid("letterID"), by: try req.actor()))
    }
}
