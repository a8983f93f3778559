import Crypto
import Foundation
import TrellisCore
import Vapor

enum ServicesDeliveredWeb: WebHandlers {
    // MARK: Services delivered

    static func newServiceRecord(_ req: Request, state: FormState? = nil, status: HTTPStatus = .ok) async throws
        -> Response
    {
        let actor = try req.actor()
        try Policy.require(actor, .writeNote)
        let caseID = try req.uuid("caseID")
        let detail = try await req.cases.detail(caseID, by: actor)
        let refs = try await req.referrals.list(caseID: caseID, by: actor)
        return req.page(
            ServiceRecordFormPage.render(
                req.pageContext, detail: detail, referrals: refs,
                state: state ?? FormState(values: ["providedOn": req.deps.today.description])), status: status)
    }

    static func createServiceRecord(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let caseID = try req.uuid("caseID")
        let form = FormBody(req)
        var units: Double? = nil
        var parse: [FieldError] = []
        if let u = form["units"]?.trimmingCharacters(in: .whitespaces), !u.isEmpty {
            if let d = Double(u) { units = d } else { parse.append(FieldError("units", "must be a number")) }
        }
        let input = ServiceRecordInput(
            typeCode: form["typeCode"], providedOn: form["providedOn"], units: units, unitLabel: form["unitLabel"],
            providerName: form["providerName"], referralID: form.uuid("referralID"), amount: form["amount"],
            periodStart: form["periodStart"], periodEnd: form["periodEnd"], payee: form["payee"], notes: form["notes"])
        do {
            if !parse.isEmpty { throw TrellisError.validation(parse) }
            _ = try await req.serviceRecords.record(caseID: caseID, input, by: actor)
            return req.seeOther(Paths.case(caseID) + "#s-services", flash: "flash.serviceRecorded")
        } catch {
            guard let (errs, status) = formFailure(error) else { throw error }
            return try await newServiceRecord(req, state: FormState(values: form.values, errors: errs), status: status)
        }
    }
}
