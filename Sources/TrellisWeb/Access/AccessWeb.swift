import Foundation
import TrellisCore
import Vapor

/// Pages for need-to-know: a client's page for someone off the care team, asking for access, breaking the
/// glass, the case's care team, and the administrator's access settings.
enum AccessWeb: WebHandlers {
    /// The identity page, answered with 403: the record itself is refused, the page shows the ways in.
    static func identityPage(
        _ req: Request, _ identity: ClientIdentity, state: FormState = FormState(values: ["hours": "4"]),
        status: HTTPStatus = .forbidden
    ) async throws -> Response {
        let actor = try req.actor()
        let programs = try await req.organization.programs(by: actor)
        return req.page(
            ClientIdentityPage.render(
                req.pageContext, identity: identity,
                programs: Dictionary(uniqueKeysWithValues: programs.map { ($0.id, $0) }), state: state,
                canWrite: Policy.allows(actor, .writeNote)), status: status)
    }

    static func breakGlass(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let id = try req.uuid("clientID")
        let form = FormBody(req)
        do {
            let hours = form["hours"].flatMap { Int($0) }
            if let h = form["hours"], !h.isEmpty, hours == nil {
                throw TrellisError.validation([FieldError("hours", "must be one of 1, 4, 8 or 24")])
            }
            _ = try await req.access.breakGlass(clientID: id, reason: form["reason"], hours: hours, by: actor)
            return req.seeOther(Paths.client(id), flash: "flash.glassBroken")
        } catch {
            guard let (errs, status) = formFailure(error, conflictField: "reason") else { throw error }
            return try await identityPage(
                req, try await req.clients.identity(id, by: actor), state: FormState(values: form.values, errors: errs),
                status: status)
        }
    }

    static func requestAccess(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let id = try req.uuid("clientID")
        let form = FormBody(req)
        do {
            _ = try await req.access.requestAccess(clientID: id, note: form["note"], by: actor)
            return req.seeOther(Paths.clients, flash: "flash.accessRequested")
        } catch {
            guard let (errs, status) = formFailure(error, conflictField: "note") else { throw error }
            return try await identityPage(
                req, try await req.clients.identity(id, by: actor), state: FormState(values: form.values, errors: errs),
                status: status)
        }
    }

    static func addToCareTeam(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let id = try req.uuid("caseID")
        let form = FormBody(req)
        do {
            var errors: [FieldError] = []
            let staffID = uuidField(form, "staffID", &errors)
            if !errors.isEmpty { throw TrellisError.validation(errors) }
            try await req.access.addToCase(caseID: id, staffID: staffID, by: actor)
            return req.seeOther(Paths.case(id) + "#s-team", flash: "flash.careTeamAdded")
        } catch {
            guard let (errs, status) = formFailure(error, conflictField: "staffID") else { throw error }
            return try await CasesWeb.renderCase(
                req, id: id, state: FormState(values: form.values, errors: errs), status: status)
        }
    }

    static func removeFromCareTeam(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let id = try req.uuid("caseID")
        try await req.access.removeFromCase(caseID: id, staffID: try req.uuid("staffID"), by: actor)
        return req.seeOther(Paths.case(id) + "#s-team", flash: "flash.careTeamRemoved")
    }

    static func settings(
        _ req: Request, state: FormState = FormState(), program: UUID? = nil, status: HTTPStatus = .ok
    ) async throws -> Response {
        let s = try await req.access.settings(by: try req.actor())
        return req.page(
            AdminAccessPage.render(
                req.pageContext, agency: s.agency, programs: s.programs, staff: s.staff, programStaff: s.programStaff,
                state: state, stateProgram: program), status: status)
    }

    static func savePolicy(_ req: Request) async throws -> Response {
        let form = FormBody(req)
        do {
            try await req.access.setPolicy(form["policy"], by: try req.actor())
            return req.seeOther(Paths.adminAccess, flash: "flash.saved")
        } catch {
            guard let (errs, status) = formFailure(error, conflictField: "policy") else { throw error }
            return try await settings(req, state: FormState(values: form.values, errors: errs), status: status)
        }
    }

    static func saveProgramAccess(_ req: Request) async throws -> Response {
        let id = try req.uuid("programID")
        let short = String(id.uuidString.lowercased().prefix(8))
        let form = FormBody(req)
        let chosen = form.all("staff-\(short)[]")
        do {
            let ids = try chosen.map { text in
                guard let u = UUID(uuidString: text) else {
                    throw TrellisError.validation([FieldError("staff-\(short)", "must name staff of your agency")])
                }
                return u
            }
            try await req.access.setProgramAccess(
                programID: id, restriction: form["restriction-\(short)"], staffIDs: ids, by: try req.actor())
            return req.seeOther(Paths.adminAccess + "#p-\(short)", flash: "flash.saved")
        } catch {
            guard let (found, status) = formFailure(error) else { throw error }
            let errs = found.map { e in
                FieldError(
                    e.field == "restriction"
                        ? "restriction-\(short)" : e.field == "staffIDs" ? "staff-\(short)" : e.field,
                    e.message)
            }
            return try await settings(
                req, state: FormState(values: form.values, multi: ["staff-\(short)": chosen], errors: errs),
                program: id, status: status)
        }
    }
}
