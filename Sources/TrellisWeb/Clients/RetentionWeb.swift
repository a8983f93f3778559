import Foundation
import TrellisCore
import Vapor

/// `/admin/retention`: how long the agency keeps closed clients' personal data, who is due, and the confirmed
/// removal (`RetentionService`).
enum RetentionWeb: WebHandlers {
    static func service(_ req: Request) -> RetentionService { RetentionService(store: req.store, deps: req.deps) }

    static func page(
        _ req: Request, years: FormState? = nil, purge: FormState = FormState(), status: HTTPStatus = .ok
    ) async throws -> Response {
        let actor = try req.actor()
        let page = (try? req.query.get(Int.self, at: "page")) ?? 1
        let due = try await service(req).due(page: page, by: actor)
        return req.page(
            RetentionPage.render(
                req.pageContext, due: due, years: years ?? FormState(values: ["years": String(due.years)]),
                purge: purge),
            status: status)
    }

    static func show(_ req: Request) async throws -> Response { try await page(req) }

    static func saveYears(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let form = FormBody(req)
        do {
            try await service(req).setYears(form["years"], by: actor)
            return req.seeOther(Paths.adminRetention, flash: "flash.retentionSaved")
        } catch {
            guard let errs = validationErrors(error) else { throw error }
            return try await page(
                req, years: FormState(values: form.values, errors: errs), status: .unprocessableEntity)
        }
    }

    static func purge(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let form = FormBody(req)
        var errors: [FieldError] = []
        let ids = clientIDs(form.all("clients[]") + form.all("clients"), field: "clients", &errors)
        do {
            if !errors.isEmpty { throw TrellisError.validation(errors) }
            let n = try await service(req).purge(ids, confirmed: form["confirm"] == "yes", by: actor)
            return req.seeOther(Paths.adminRetention, flash: n == 1 ? "flash.purgedOne" : "flash.purgedMany")
        } catch {
            guard let (errs, status) = formFailure(error, conflictField: "clients") else { throw error }
            return try await page(req, purge: FormState(errors: errs), status: status)
        }
    }
}
