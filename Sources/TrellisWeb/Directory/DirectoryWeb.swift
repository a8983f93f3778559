import Crypto
import Foundation
import TrellisCore
import Vapor

enum DirectoryWeb: WebHandlers {
    // MARK: Directory

    static func directory(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let q = ResourceQuery(
            text: req.queryString("q"), need: req.queryString("need"), category: req.queryString("category"),
            place: req.queryString("place"))
        let page = max(1, (try? req.query.get(Int.self, at: "page")) ?? 1)
        let size = 25
        let results = try await req.directory.search(q, by: actor, limit: size + 1, offset: (page - 1) * size)
        return req.page(
            DirectoryPage.render(
                req.pageContext, query: q, results: Array(results.prefix(size)),
                canEdit: Policy.allows(actor, .editDirectory),
                canImport: Policy.allows(actor, .importDirectory), page: page, hasMore: results.count > size,
                referFor: req.queryUUID("case")))
    }

    static func resource(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let l = try await req.directory.service(try req.uuid("serviceID"), by: actor)
        return req.page(
            ResourcePage.render(
                req.pageContext, listing: l, canEdit: Policy.allows(actor, .editDirectory),
                referFor: req.queryUUID("case")))
    }

    static func resourceForm(_ req: Request, id: UUID?, state: FormState, status: HTTPStatus = .ok) async throws
        -> Response
    {
        let actor = try req.actor()
        try Policy.require(actor, .editDirectory)
        return req.page(
            ResourceFormPage.render(
                req.pageContext, id: id, organizations: try await req.directory.organizations(by: actor), state: state),
            status: status)
    }

    static func newResource(_ req: Request) async throws -> Response {
        try await resourceForm(req, id: nil, state: FormState(values: ["status": "active"]))
    }

    static func editResource(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let s = try await req.directory.service(try req.uuid("serviceID"), by: actor).service
        let l = s.locations.first
        return try await resourceForm(
            req, id: s.id,
            state: FormState(
                values: [
                    "organizationID": s.organizationID.uuidString.lowercased(), "name": s.name,
                    "description": s.description ?? "", "status": s.status,
                    "categories": s.categories.joined(separator: ", "), "eligibility": s.eligibility ?? "",
                    "fees": s.fees ?? "", "hours": s.hours ?? "",
                    "languages": s.languages.joined(separator: ", "), "applicationProcess": s.applicationProcess ?? "",
                    "phone": s.phone ?? "", "email": s.email ?? "",
                    "url": s.url ?? "", "contactName": s.contacts.first?.name ?? "", "locationName": l?.name ?? "",
                    "address": l?.address ?? "", "city": l?.city ?? "",
                    "region": l?.region ?? "", "postalCode": l?.postalCode ?? "", "version": String(s.version)
                ], multi: ["needs": s.needs]))
    }

    static func saveResource(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let id = req.parameters.get("serviceID").flatMap(UUID.init(uuidString:))
        let form = FormBody(req)
        var input = ResourceServiceInput()
        input.organizationID = form.uuid("organizationID")
        input.organizationName = form["organizationName"]
        input.name = form["name"]
        input.description = form["description"]
        input.status = form["status"]
        input.categories = form.list("categories")
        input.needs = form.all("needs")
        input.eligibility = form["eligibility"]
        input.fees = form["fees"]
        input.hours = form["hours"]
        input.languages = form.list("languages")
        input.applicationProcess = form["applicationProcess"]
        input.phone = form["phone"]
        input.email = form["email"]
        input.url = form["url"]
        input.contactName = form["contactName"]
        input.locationName = form["locationName"]
        input.address = form["address"]
        input.city = form["city"]
        input.region = form["region"]
        input.postalCode = form["postalCode"]
        do {
            let s = try await req.directory.save(id, input, expectedVersion: form.int("version"), by: actor)
            return req.seeOther(Paths.resource(s.id), flash: "flash.saved")
        } catch {
            guard let (errs, status) = formFailure(error) else { throw error }
            return try await resourceForm(
                req, id: id, state: FormState(values: form.values, multi: ["needs": form.all("needs")], errors: errs),
                status: status)
        }
    }

    static func importForm(_ req: Request) async throws -> Response {
        try Policy.require(try req.actor(), .importDirectory)
        return req.page(ImportPage.render(req.pageContext, report: nil, error: nil))
    }

    struct ImportUpload: Content { var files: [File]? }

    /// The uploaded CSV files by name, for the importer.
    static func csvFiles(_ files: [File]) throws -> [String: String] {
        var out: [String: String] = [:]
        for f in files where f.data.readableBytes > 0 {
            guard let text = f.data.getString(at: f.data.readerIndex, length: f.data.readableBytes) else {
                throw TrellisError.validation([FieldError("files", "\(f.filename) is not UTF-8 text")])
            }
            out[DocumentRules.safeName(f.filename)] = text
        }
        return out
    }

    static func runImport(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let files = (try? req.content.decode(ImportUpload.self))?.files ?? []
        do {
            let report = try await req.hsdsImporter.run(
                files: try csvFiles(files), by: actor)
            return req.page(ImportPage.render(req.pageContext, report: report, error: nil))
        } catch TrellisError.validation(let errs) {
            return req.page(
                ImportPage.render(req.pageContext, report: nil, error: errs.map(\.message).joined(separator: "; ")),
                status: .unprocessableEntity)
        }
    }
}
