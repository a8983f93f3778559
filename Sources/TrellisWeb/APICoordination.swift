import Foundation
import TrellisCore
import Vapor

// API for the directory, referrals, services, tasks, advocacy, letters, documents, closure and reports.
// Records are returned as the domain stores them; writes that change a record take its version in If-Match.

struct Items<T: Encodable>: Encodable { var items: [T] }

extension APIController {
    static func body<T: Decodable>(_ req: Request, _ t: T.Type) throws -> T {
        do { return try req.content.decode(T.self) } catch {
            throw TrellisError.validation([FieldError("body", "is not valid JSON of the expected shape")])
        }
    }
    static func path(_ kind: String, _ id: UUID) -> String { "/api/v1/\(kind)/\(id.uuidString.lowercased())" }

    // Directory
    static func searchDirectory(_ req: Request) async throws -> Response {
        let (limit, offset) = limits(req)
        let q = ResourceQuery(
            text: req.queryString("q"), need: req.queryString("need"), category: req.queryString("category"),
            place: req.queryString("place"))
        let list = try await req.directory.search(q, by: try req.actor(), limit: limit, offset: offset)
        return try json(Items(items: list.map(\.service)))
    }
    static func getDirectoryService(_ req: Request) async throws -> Response {
        let l = try await req.directory.service(try req.uuid("serviceID"), by: try req.actor())
        return try json(l.service, etag: l.service.version)
    }
    static func createDirectoryService(_ req: Request) async throws -> Response {
        let s = try await req.directory.save(
            nil, try body(req, ResourceServiceInput.self), expectedVersion: nil, by: try req.actor())
        return try json(s, status: .created, etag: s.version, location: path("directory/services", s.id))
    }
    static func putDirectoryService(_ req: Request) async throws -> Response {
        let s = try await req.directory.save(
            try req.uuid("serviceID"), try body(req, ResourceServiceInput.self), expectedVersion: ifMatchVersion(req),
            by: try req.actor())
        return try json(s, etag: s.version)
    }
    struct ImportBody: Decodable { var files: [String: String] }
    static func importDirectory(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        try Policy.require(actor, .importDirectory)
        let files = try body(req, ImportBody.self).files
        return try json(try await HSDSImporter(store: req.store, deps: req.deps).run(files: files, by: actor))
    }

    // Referrals
    static func listReferrals(_ req: Request) async throws -> Response {
        try json(Items(items: try await req.referrals.list(caseID: try req.uuid("caseID"), by: try req.actor())))
    }
    static func createReferral(_ req: Request) async throws -> Response {
        let r = try await req.referrals.create(
            caseID: try req.uuid("caseID"), try body(req, ReferralInput.self), by: try req.actor())
        return try json(r, status: .created, etag: r.version, location: path("referrals", r.id))
    }
    static func getReferral(_ req: Request) async throws -> Response {
        let d = try await req.referrals.detail(try req.uuid("referralID"), by: try req.actor())
        return try json(d.referral, etag: d.referral.version)
    }
    struct StatusBody: Decodable {
        var status: String?
        var on: String?
        var reason: String?
    }
    static func moveReferral(_ req: Request) async throws -> Response {
        let b = try body(req, StatusBody.self)
        let r = try await req.referrals.move(
            try req.uuid("referralID"), to: b.status, on: b.on, reason: b.reason, expectedVersion: ifMatchVersion(req),
            by: try req.actor())
        return try json(r, etag: r.version)
    }

    // Services delivered
    static func listServiceRecords(_ req: Request) async throws -> Response {
        try json(Items(items: try await req.serviceRecords.list(caseID: try req.uuid("caseID"), by: try req.actor())))
    }
    static func createServiceRecord(_ req: Request) async throws -> Response {
        let s = try await req.serviceRecords.record(
            caseID: try req.uuid("caseID"), try body(req, ServiceRecordInput.self), by: try req.actor())
        return try json(s, status: .created)
    }

    // Tasks
    static func myTasks(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        return try json(Items(items: try await req.tasks.open(for: actor.id, by: actor)))
    }
    static func createTask(_ req: Request) async throws -> Response {
        let t = try await req.tasks.create(try body(req, TaskInput.self), by: try req.actor())
        return try json(t, status: .created, etag: t.version)
    }
    static func setTaskStatus(_ req: Request) async throws -> Response {
        let t = try await req.tasks.setStatus(
            try req.uuid("taskID"), try body(req, StatusBody.self).status, expectedVersion: ifMatchVersion(req),
            by: try req.actor())
        return try json(t, etag: t.version)
    }

    // Advocacy
    static func listAdvocacy(_ req: Request) async throws -> Response {
        try json(Items(items: try await req.advocacy.list(caseID: try req.uuid("caseID"), by: try req.actor())))
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
        try json(Items(items: try await req.letters.templates(by: try req.actor())))
    }
    static func listLetters(_ req: Request) async throws -> Response {
        try json(Items(items: try await req.letters.list(caseID: try req.uuid("caseID"), by: try req.actor())))
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
        _ = try await req.store.readableCase(caseID, actor)
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

    // Documents
    static func listDocuments(_ req: Request) async throws -> Response {
        try json(Items(items: try await req.documents.list(clientID: try req.uuid("clientID"), by: try req.actor())))
    }
    static func uploadDocument(_ req: Request) async throws -> Response {
        let d = try await req.documents.upload(
            clientID: try req.uuid("clientID"), try WebController.documentUpload(req), by: try req.actor())
        return try json(d, status: .created, etag: d.version, location: path("documents", d.id))
    }
    static func downloadDocument(_ req: Request) async throws -> Response {
        try await WebController.downloadDocument(req)
    }
    static func deleteDocument(_ req: Request) async throws -> Response {
        let reason = req.queryString("reason") ?? (try? req.content.decode(StatusBody.self))?.reason
        let d = try await req.documents.delete(
            try req.uuid("documentID"), reason: reason, expectedVersion: ifMatchVersion(req), by: try req.actor())
        return try json(d, etag: d.version)
    }

    // Closure, reopening, transfer
    static func closeCase(_ req: Request) async throws -> Response {
        let r = try await req.closures.close(
            try req.uuid("caseID"), try body(req, ClosureInput.self), expectedVersion: ifMatchVersion(req),
            by: try req.actor())
        if let pending = r.pendingRequest {
            // Accepted, not done: the closure waits for a supervisor's approval.
            let res = try json(ClosureRequestDTO(pending), etag: pending.version)
            res.status = .accepted
            return res
        }
        return try json(CaseDTO(r.case), etag: r.case.version)
    }
    static func reopenCase(_ req: Request) async throws -> Response {
        let c = try await req.closures.reopen(
            try req.uuid("caseID"), reason: try body(req, StatusBody.self).reason, expectedVersion: ifMatchVersion(req),
            by: try req.actor())
        return try json(CaseDTO(c), etag: c.version)
    }
    static func transferCase(_ req: Request) async throws -> Response {
        let c = try await req.closures.transfer(
            try req.uuid("caseID"), try body(req, TransferInput.self), expectedVersion: ifMatchVersion(req),
            by: try req.actor())
        return try json(CaseDTO(c), etag: c.version)
    }
    static func caseHistory(_ req: Request) async throws -> Response {
        try json(Items(items: try await req.closures.history(caseID: try req.uuid("caseID"), by: try req.actor())))
    }

    // Reports
    static func referralReport(_ req: Request) async throws -> Response {
        let csv = req.queryString("format") == "csv"
        let r = try await req.reports.referrals(
            from: req.queryString("from"), to: req.queryString("to"), by: try req.actor(), export: csv)
        return csv ? WebController.csv("referrals-\(r.from)-\(r.to)", WebController.referralCSV(r)) : try json(r)
    }
    static func serviceReport(_ req: Request) async throws -> Response {
        let csv = req.queryString("format") == "csv"
        let r = try await req.reports.services(
            from: req.queryString("from"), to: req.queryString("to"), period: req.queryString("period"),
            by: try req.actor(), export: csv)
        return csv ? WebController.csv("services-\(r.from)-\(r.to)", WebController.serviceCSV(r)) : try json(r)
    }
}
