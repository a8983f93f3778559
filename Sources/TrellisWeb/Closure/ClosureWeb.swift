import Crypto
import Foundation
import TrellisCore
import Vapor

enum ClosureWeb: WebHandlers {
    // MARK: Closure and transfer

    static func closeForm(_ req: Request, state: FormState? = nil, status: HTTPStatus = .ok) async throws -> Response {
        let actor = try req.actor()
        let detail = try await req.cases.detail(try req.uuid("caseID"), by: actor)
        try Policy.require(actor, .updateCase(primaryCaseManagerID: detail.case.primaryCaseManagerID))
        let work = try await req.closures.openWork(caseID: detail.case.id, by: actor)
        return req.page(
            ClosePage.render(
                req.pageContext, detail: detail, openWork: work,
                state: state ?? FormState(values: ["closedOn": req.deps.today.description])), status: status)
    }

    static func closeCase(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let id = try req.uuid("caseID")
        let form = FormBody(req)
        let input = ClosureInput(
            reason: form["reason"], destination: form.int("destination"), closedOn: form["closedOn"],
            checklist: form.all("checklist"),
            followUpDays: form.all("followUpDays").compactMap { Int($0) }, note: form["note"],
            confirmOpenWork: form["confirmOpenWork"] == "yes", openWorkReason: form["openWorkReason"])
        do {
            let r = try await req.closures.close(id, input, expectedVersion: form.int("version"), by: actor)
            return req.seeOther(
                Paths.case(id), flash: r.pendingRequest == nil ? "flash.caseClosed" : "flash.closureRequested")
        } catch {
            guard let (errs, status) = formFailure(error) else { throw error }
            return try await closeForm(
                req, state: FormState(values: form.values, multi: form.fields, errors: errs), status: status)
        }
    }

    static func reopenCase(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let id = try req.uuid("caseID")
        let form = FormBody(req)
        do {
            _ = try await req.closures.reopen(
                id, reason: form["reason"], expectedVersion: form.int("version"), by: actor)
            return req.seeOther(Paths.case(id), flash: "flash.caseReopened")
        } catch TrellisError.validation(let errs) {
            return req.seeOther(
                Paths.case(id) + "#s-history",
                flash: errs.contains { $0.message.contains("another open case") }
                    ? "flash.reopenConflict" : "flash.reopenNeedsReason")
        }
    }

    static func transferForm(_ req: Request, state: FormState? = nil, status: HTTPStatus = .ok) async throws -> Response
    {
        let actor = try req.actor()
        try Policy.require(actor, .transferCase)
        let detail = try await req.cases.detail(try req.uuid("caseID"), by: actor)
        return req.page(
            TransferPage.render(
                req.pageContext, detail: detail, staff: try await req.organization.staff(by: actor),
                programs: try await req.organization.programs(by: actor),
                state: state
                    ?? FormState(values: [
                        "toManagerID": detail.case.primaryCaseManagerID.uuidString.lowercased(),
                        "toProgramID": detail.case.programID.uuidString.lowercased()
                    ])), status: status)
    }

    static func transferCase(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let id = try req.uuid("caseID")
        let form = FormBody(req)
        do {
            _ = try await req.closures.transfer(
                id,
                TransferInput(
                    toManagerID: form.uuid("toManagerID"), toProgramID: form.uuid("toProgramID"), note: form["note"]),
                expectedVersion: form.int("version"), by: actor)
            return req.seeOther(Paths.case(id) + "#s-history", flash: "flash.caseTransferred")
        } catch {
            guard let (errs, status) = formFailure(error) else { throw error }
            return try await transferForm(req, state: FormState(values: form.values, errors: errs), status: status)
        }
    }
}
