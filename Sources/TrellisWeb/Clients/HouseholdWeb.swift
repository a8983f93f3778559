import Foundation
import TrellisCore
import Vapor

/// `/clients/{id}/household`: who is in the client's household, and (from the head's record) adding a client
/// already registered, changing a member's relationship to the head, and taking a member out.
enum HouseholdWeb: WebHandlers {
    static func page(_ req: Request, state: FormState = FormState(), status: HTTPStatus = .ok) async throws
        -> Response
    {
        let actor = try req.actor()
        let id = try req.uuid("clientID")
        let model = try await req.households.page(of: id, by: actor)
        // A failed add shows the search it was made from again (its form carries the query).
        let q = (state.values["q"] ?? (try? req.query.get(String.self, at: "q")) ?? "").prefix(200).description
        var found: [ClientSummary] = []
        var inHousehold: Set<UUID> = []
        if model.canChange && model.isHead && !q.trimmingCharacters(in: .whitespaces).isEmpty {
            found = try await req.clients.search(q, by: actor, limit: 10)
            inHousehold = try await req.households.inHouseholds(found.map(\.id), by: actor)
        }
        var shown = state
        if shown.values["q"] == nil { shown.values["q"] = q }
        // Each member's relationship select starts at the relationship they have.
        for m in model.view?.members ?? [] {
            let field = "relationship-\(m.client.id.uuidString.lowercased())"
            if shown.values[field] == nil { shown.values[field] = String(m.relationship.rawValue) }
        }
        return req.page(
            HouseholdPages.render(
                req.pageContext, client: model.client, view: model.view, query: q, found: found,
                inHousehold: inHousehold, isHead: model.isHead && model.canChange, state: shown), status: status)
    }

    static func show(_ req: Request) async throws -> Response { try await page(req) }

    /// The version field: empty (no household yet) is no version.
    static func version(_ form: FormBody) -> Int? { form.int("version") }

    static func add(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let id = try req.uuid("clientID")
        try await req.households.requireChange(of: id, by: actor)
        let form = FormBody(req)
        let memberText = form["clientID"] ?? ""
        guard let member = UUID(uuidString: memberText) else {
            return try await page(
                req, state: FormState(errors: [FieldError("clientID", "choose a client to add")]),
                status: .unprocessableEntity)
        }
        let field = "relationship-\(member.uuidString.lowercased())"
        do {
            _ = try await req.households.add(
                member, relationship: form.int(field), to: id, expectedVersion: version(form), by: actor)
            return req.seeOther(Paths.household(id), flash: "flash.householdAdded")
        } catch {
            return try await failed(req, error, field: field)
        }
    }

    static func relate(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let id = try req.uuid("clientID")
        try await req.households.requireChange(of: id, by: actor)
        let member = try req.uuid("memberID")
        let form = FormBody(req)
        let field = "relationship-\(member.uuidString.lowercased())"
        do {
            _ = try await req.households.setRelationship(
                of: member, in: id, to: form.int(field), expectedVersion: version(form), by: actor)
            return req.seeOther(Paths.household(id), flash: "flash.householdSaved")
        } catch {
            return try await failed(req, error, field: field)
        }
    }

    static func remove(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let id = try req.uuid("clientID")
        try await req.households.requireChange(of: id, by: actor)
        let member = try req.uuid("memberID")
        let form = FormBody(req)
        let confirm = "confirm-\(member.uuidString.lowercased())"
        do {
            guard form[confirm] == "yes" else {
                throw TrellisError.validation([
                    FieldError(confirm, "tick to confirm: the member leaves the household (their record stays)")
                ])
            }
            _ = try await req.households.remove(member, from: id, expectedVersion: version(form), by: actor)
            return req.seeOther(
                member == id ? Paths.client(id) : Paths.household(id), flash: "flash.householdRemoved")
        } catch {
            return try await failed(req, error, field: "clientID")
        }
    }

    /// The page again with the problem beside the field it concerns (a relationship error beside that member's).
    static func failed(_ req: Request, _ error: any Error, field: String) async throws -> Response {
        guard let (errs, status) = formFailure(error, conflictField: "version") else { throw error }
        return try await page(
            req,
            state: FormState(
                values: FormBody(req).values,
                errors: errs.map { $0.field == "relationship" ? FieldError(field, $0.message) : $0 }),
            status: status)
    }
}
