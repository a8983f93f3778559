import Foundation
import TrellisCore
import Vapor

/// Releases of information: recording a client's consent, reading and printing it, revoking it.
enum ReleasesWeb: WebHandlers {
    static func input(_ form: FormBody, _ errors: inout [FieldError]) -> ReleaseInput {
        ReleaseInput(
            recipientKind: form["recipientKind"], recipientAgencyID: uuidField(form, "recipientAgencyID", &errors),
            recipientName: form["recipientName"], categories: form.all("categories[]"), purpose: form["purpose"],
            startsOn: form["startsOn"], endsOn: form["endsOn"], method: form["method"],
            documentID: uuidField(form, "documentID", &errors), witnessName: form["witnessName"])
    }

    static func newRelease(_ req: Request, state: FormState? = nil, status: HTTPStatus = .ok) async throws
        -> Response
    {
        let ctx = try await req.releases.formContext(clientID: try req.uuid("clientID"), by: try req.actor())
        let today = req.deps.today
        return req.page(
            ReleasePages.form(
                req.pageContext, client: ctx.client, agencies: ctx.agencies, documents: ctx.documents,
                state: state
                    ?? FormState(values: [
                        "startsOn": today.description, "endsOn": today.adding(days: 364).description,
                        "method": ConsentMethod.signedForm.rawValue
                    ])), status: status)
    }

    static func createRelease(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let clientID = try req.uuid("clientID")
        let form = FormBody(req)
        var errors: [FieldError] = []
        do {
            let input = input(form, &errors)
            if !errors.isEmpty { throw TrellisError.validation(errors) }
            let r = try await req.releases.create(clientID: clientID, input, by: actor)
            return req.seeOther(Paths.release(r.id), flash: "flash.releaseSaved")
        } catch {
            guard let (errs, status) = formFailure(error) else { throw error }
            return try await newRelease(
                req,
                state: FormState(values: form.values, multi: ["categories": form.all("categories[]")], errors: errs),
                status: status)
        }
    }

    static func release(_ req: Request, state: FormState = FormState(), status: HTTPStatus = .ok) async throws
        -> Response
    {
        let actor = try req.actor()
        let r = try await req.releases.release(try req.uuid("releaseID"), by: actor)
        let client = try await req.clients.summary(r.clientID, by: actor)
        let names = try await staffNames(req, [r.createdBy] + (r.revokedBy.map { [$0] } ?? []))
        let canWrite = Policy.allows(actor, .writeClient)
        return req.page(
            ReleasePages.detail(
                req.pageContext, release: r, client: client, names: names, state: state, canWrite: canWrite,
                today: req.deps.today), status: status)
    }

    static func revoke(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let id = try req.uuid("releaseID")
        let form = FormBody(req)
        do {
            guard form["confirm"] == "yes" else {
                throw TrellisError.validation([FieldError("confirm", "tick the box to revoke the release")])
            }
            _ = try await req.releases.revoke(
                id, reason: form["reason"], expectedVersion: form.int("version"), by: actor)
            return req.seeOther(Paths.release(id), flash: "flash.releaseRevoked")
        } catch {
            guard let (errs, status) = formFailure(error, conflictField: "confirm") else { throw error }
            return try await release(req, state: FormState(values: form.values, errors: errs), status: status)
        }
    }
}

struct RevokeBody: Decodable { var reason: String? }

enum ReleasesAPI: APIHandlers {
    static func list(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        return try await paged(req) { try await req.releases.list(clientID: try req.uuid("clientID"), by: actor) }
    }

    static func create(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let r = try await req.releases.create(
            clientID: try req.uuid("clientID"), try body(req, ReleaseInput.self), by: actor)
        return try json(r, status: .created, etag: r.version, location: path("releases", r.id))
    }

    static func get(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let r = try await req.releases.release(try req.uuid("releaseID"), by: actor)
        return try json(r, etag: r.version)
    }

    static func revoke(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let r = try await req.releases.revoke(
            try req.uuid("releaseID"), reason: try body(req, RevokeBody.self).reason,
            expectedVersion: ifMatchVersion(req), by: actor)
        return try json(r, etag: r.version)
    }
}

/// What other agencies of the Continuum of Care share with this one.
enum SharedWeb: WebHandlers {
    static func list(_ req: Request, state: FormState = FormState(), status: HTTPStatus = .ok) async throws -> Response
    {
        let actor = try req.actor()
        let shares = try await req.shared.incoming(by: actor)
        let referrals = try await req.shared.incomingReferrals(by: actor)
        let programs = try await req.organization.programs(by: actor)
        return req.page(
            SharedPages.list(req.pageContext, shares: shares, referrals: referrals, programs: programs, state: state),
            status: status)
    }

    static func record(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        return req.page(
            SharedPages.record(
                req.pageContext, try await req.shared.shared(try req.uuid("releaseID"), by: actor)))
    }

    static func accept(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let id = try req.uuid("referralID")
        let field = "programID-\(id.uuidString.prefix(8).lowercased())"
        let form = FormBody(req)
        do {
            var errors: [FieldError] = []
            let program = uuidField(form, field, &errors)
            if !errors.isEmpty { throw TrellisError.validation(errors) }
            let kase = try await req.shared.acceptReferral(id, programID: program, by: actor)
            return req.seeOther(Paths.case(kase.id), flash: "flash.referralAccepted")
        } catch {
            guard let (errs, status) = formFailure(error, conflictField: field) else { throw error }
            return try await list(
                req,
                state: FormState(
                    values: form.values,
                    errors: errs.map { FieldError($0.field == "programID" ? field : $0.field, $0.message) }),
                status: status)
        }
    }

    static func saveContinuum(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let form = FormBody(req)
        do {
            try await req.access.setContinuum(form["continuumCode"], by: actor)
            return req.seeOther(Paths.adminAccess, flash: "flash.saved")
        } catch {
            guard let (errs, status) = formFailure(error, conflictField: "continuumCode") else { throw error }
            return try await AccessWeb.settings(
                req, state: FormState(values: form.values, errors: errs), status: status)
        }
    }
}

struct AcceptBody: Decodable { var programID: UUID? }

enum SharedAPI: APIHandlers {
    static func record(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let r = try await req.shared.shared(try req.uuid("releaseID"), by: actor)
        return try json(SharedRecordDTO(r))
    }

    static func accept(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let c = try await req.shared.acceptReferral(
            try req.uuid("referralID"), programID: try body(req, AcceptBody.self).programID, by: actor)
        return try json(c, status: .created, etag: c.version, location: path("cases", c.id))
    }
}

/// A shared record as the API gives it: the release, and only the parts it covers.
struct SharedRecordDTO: Encodable {
    struct CaseDTO: Encodable {
        var programName: String
        var openedOn: LocalDate
        var closedOn: LocalDate?
        var notes: [CaseNote]
        var assessments: [Assessment]
        var plan: ServicePlan?
    }
    var releaseID: UUID
    var agencyName: String
    var categories: [ReleaseCategory]
    var endsOn: LocalDate
    var client: ClientSummary?
    var cases: [CaseDTO]
    init(_ r: SharedRecord) {
        releaseID = r.release.id
        agencyName = r.agencyName
        categories = r.release.categories
        endsOn = r.release.endsOn
        client = r.client?.summary
        cases = r.cases.map {
            CaseDTO(
                programName: $0.programName, openedOn: $0.openedOn, closedOn: $0.closedOn, notes: $0.notes,
                assessments: $0.assessments, plan: $0.plan)
        }
    }
}

enum DisclosuresWeb {
    static func page(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let a = try await req.accounting.accounting(clientID: try req.uuid("clientID"), by: actor)
        return req.page(DisclosuresPage.render(req.pageContext, a))
    }
}

struct DisclosureDTO: Encodable {
    var at: Date
    var staffName: String
    var agencyName: String
    var action: String
    var recordType: String
    var purpose: String
    var basis: String
}

struct AccountingDTO: Encodable {
    var client: ClientSummary
    var disclosures: [DisclosureDTO]
    var releases: [Release]
    var referrals: [Referral]
}

enum DisclosuresAPI: APIHandlers {
    static func get(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let a = try await req.accounting.accounting(clientID: try req.uuid("clientID"), by: actor)
        return try json(
            AccountingDTO(
                client: a.client,
                disclosures: a.disclosures.map {
                    DisclosureDTO(
                        at: $0.at, staffName: $0.staffName, agencyName: $0.agencyName, action: $0.action,
                        recordType: $0.recordType, purpose: $0.purpose.rawValue, basis: $0.basis)
                }, releases: a.releases, referrals: a.referrals))
    }
}
