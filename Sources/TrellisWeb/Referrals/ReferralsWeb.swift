import Crypto
import Foundation
import TrellisCore
import Vapor

enum ReferralsWeb: WebHandlers {
    // MARK: Referrals

    static func newReferral(_ req: Request, state: FormState? = nil, status: HTTPStatus = .ok) async throws -> Response
    {
        let actor = try req.actor()
        try Policy.require(actor, .writeNote)
        let caseID = try req.uuid("caseID")
        let detail = try await req.cases.detail(caseID, by: actor)
        let goals = try await req.plans.overview(caseID: caseID, by: actor).latest?.goals ?? []
        let form =
            state
            ?? FormState(values: [
                "goalID": req.queryString("goal") ?? "", "serviceID": req.queryString("service") ?? ""
            ])
        let service = try await UUID(uuidString: form["serviceID"]).asyncMap {
            try await req.directory.service($0, by: actor)
        }
        var s = form
        if s["need"].isEmpty, let g = goals.first(where: { $0.id.uuidString.lowercased() == s["goalID"] }),
            let d = g.domain
        {
            s.values["need"] = d
        }
        let today = req.deps.today
        let releases = try await req.releases.list(clientID: detail.client.id, by: actor).filter {
            $0.active(on: today) && $0.covers(.identity)
        }
        return req.page(
            ReferralFormPage.render(
                req.pageContext, detail: detail, goals: goals, service: service, state: s, releases: releases),
            status: status)
    }

    static func createReferral(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let caseID = try req.uuid("caseID")
        let form = FormBody(req)
        let input = ReferralInput(
            goalID: form.uuid("goalID"), serviceID: form.uuid("serviceID"), providerName: form["providerName"],
            providerContact: form["providerContact"], reason: form["reason"], consentOn: form["consentOn"],
            send: form["send"] == "1", releaseID: form.uuid("releaseID"))
        do {
            let r = try await req.referrals.create(caseID: caseID, input, by: actor)
            return req.seeOther(Paths.referral(r.id), flash: r.status == .sent ? "flash.referralSent" : "flash.saved")
        } catch {
            guard let (errs, status) = formFailure(error) else { throw error }
            return try await newReferral(req, state: FormState(values: form.values, errors: errs), status: status)
        }
    }

    static func referral(_ req: Request, state: FormState = FormState(), status: HTTPStatus = .ok) async throws
        -> Response
    {
        let actor = try req.actor()
        let d = try await req.referrals.detail(try req.uuid("referralID"), by: actor)
        let names = try await staffNames(req, d.referral.events.map(\.by))
        return req.page(
            ReferralPage.render(
                req.pageContext, detail: d, names: names, canWrite: Policy.allows(actor, .writeNote), state: state),
            status: status)
    }

    static func moveReferral(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let id = try req.uuid("referralID")
        let form = FormBody(req)
        do {
            _ = try await req.referrals.move(
                id, to: form["status"], on: form["on"], reason: form["reason"], expectedVersion: form.int("version"),
                by: actor)
            return req.seeOther(Paths.referral(id), flash: "flash.saved")
        } catch {
            guard let (errs, status) = formFailure(error, conflictField: "status") else { throw error }
            return try await referral(req, state: FormState(values: form.values, errors: errs), status: status)
        }
    }

    static func printReferral(_ req: Request) async throws -> Response {
        let d = try await req.referrals.detail(try req.uuid("referralID"), by: try req.actor())
        return req.page(ReferralPrintPage.render(req.pageContext, detail: d))
    }
}
