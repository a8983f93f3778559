import Crypto
import Foundation
import TrellisCore
import Vapor

enum AdvocacyWeb: WebHandlers {
    // MARK: Advocacy

    static func advocacyInput(_ form: FormBody) -> AdvocacyInput {
        AdvocacyInput(
            kind: form["kind"], issue: form["issue"], otherParty: form["otherParty"], summary: form["summary"],
            filingDeadline: form["filingDeadline"],
            hearingOn: form["hearingOn"], status: form["status"], outcome: form["outcome"],
            outcomeNotes: form["outcomeNotes"])
    }

    static func newAdvocacy(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        try Policy.require(actor, .writeNote)
        let caseID = try req.uuid("caseID")
        _ = try await req.cases.readable(caseID, by: actor)
        return req.page(
            AdvocacyFormPage.render(
                req.pageContext, caseID: caseID, action: nil,
                state: FormState(values: ["kind": "appeal", "status": "preparing", "outcome": "pending"])))
    }

    static func createAdvocacy(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let caseID = try req.uuid("caseID")
        let form = FormBody(req)
        do {
            let a = try await req.advocacy.save(
                caseID: caseID, id: nil, advocacyInput(form), expectedVersion: nil, by: actor)
            return req.seeOther(Paths.advocacy(a.id), flash: "flash.advocacySaved")
        } catch {
            guard let (errs, status) = formFailure(error) else { throw error }
            return req.page(
                AdvocacyFormPage.render(
                    req.pageContext, caseID: caseID, action: nil, state: FormState(values: form.values, errors: errs)),
                status: status)
        }
    }

    static func advocacyAction(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let a = try await req.advocacy.action(try req.uuid("advocacyID"), by: actor)
        return req.page(
            AdvocacyFormPage.render(
                req.pageContext, caseID: a.caseID, action: a,
                state: FormState(values: [
                    "kind": a.kind.rawValue, "issue": a.issue.rawValue, "otherParty": a.otherParty,
                    "summary": a.summary ?? "",
                    "filingDeadline": a.filingDeadline?.description ?? "", "hearingOn": a.hearingOn?.description ?? "",
                    "status": a.status.rawValue,
                    "outcome": a.outcome.rawValue, "outcomeNotes": a.outcomeNotes ?? "", "version": String(a.version)
                ])))
    }

    static func updateAdvocacy(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let id = try req.uuid("advocacyID")
        let form = FormBody(req)
        do {
            let a = try await req.advocacy.save(
                caseID: nil, id: id, advocacyInput(form), expectedVersion: form.int("version"), by: actor)
            return req.seeOther(Paths.advocacy(a.id), flash: "flash.advocacySaved")
        } catch {
            guard let (errs, status) = formFailure(error) else { throw error }
            let a = try await req.advocacy.action(id, by: actor)
            return req.page(
                AdvocacyFormPage.render(
                    req.pageContext, caseID: a.caseID, action: a, state: FormState(values: form.values, errors: errs)),
                status: status)
        }
    }

    // MARK: Letters

    static func newLetter(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        try Policy.require(actor, .writeNote)
        let caseID = try req.uuid("caseID")
        let templates = try await req.letters.templates(by: actor)
        var state = FormState(values: [
            "advocacy": req.queryString("advocacy") ?? "", "template": req.queryString("template") ?? ""
        ])
        var preview = false
        if let tid = req.queryUUID("template") {
            let (t, body) = try await req.letters.preview(
                caseID: caseID, templateID: tid, advocacyID: req.queryUUID("advocacy"), by: actor)
            state.values["title"] = t.name
            state.values["body"] = body
            preview = true
            let unfilled = LetterMerge.fieldsUsed(body)
            if !unfilled.isEmpty {
                state.errors["body"] = [
                    "has merge fields with no value: " + unfilled.map { "{{\($0)}}" }.joined(separator: ", ")
                        + "; fill them in or take them out before keeping the letter"
                ]
            }
        } else {
            _ = try await req.cases.readable(caseID, by: actor)
        }
        return req.page(
            LetterFormPage.render(req.pageContext, caseID: caseID, templates: templates, state: state, preview: preview)
        )
    }

    static func createLetter(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let caseID = try req.uuid("caseID")
        let form = FormBody(req)
        do {
            let l = try await req.letters.keep(
                caseID: caseID, templateID: form.uuid("templateID"), advocacyID: form.uuid("advocacyID"),
                title: form["title"], body: form["body"], by: actor)
            return req.seeOther(Paths.letter(l.id), flash: "flash.letterKept")
        } catch {
            guard let (errs, status) = formFailure(error) else { throw error }
            var values = form.values
            values["template"] = form["templateID"] ?? ""
            values["advocacy"] = form["advocacyID"] ?? ""
            return req.page(
                LetterFormPage.render(
                    req.pageContext, caseID: caseID, templates: try await req.letters.templates(by: actor),
                    state: FormState(values: values, errors: errs), preview: true), status: status)
        }
    }

    static func letter(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let l = try await req.letters.letter(try req.uuid("letterID"), by: actor)
        return req.page(
            LetterPage.render(req.pageContext, letter: l, agency: try await req.organization.letterhead(by: actor)))
    }

    /// The letter as a PDF, printed on the server by Chromium; reading it is audited as reading the letter.
    static func letterPDF(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let l = try await req.letters.letter(try req.uuid("letterID"), by: actor)
        let html = LetterPage.printable(
            req.strings, letter: l, agency: try await req.organization.letterhead(by: actor))
        let made: Data?
        do { made = try await PDFRenderer.render(html: html) } catch is PDFRenderer.Busy {
            throw Abort(
                .serviceUnavailable, headers: ["Retry-After": "5"],
                reason: "Other PDFs are being made. Try again in a few seconds.")
        }
        guard let pdf = made else {
            throw Abort(
                .serviceUnavailable,
                reason: "This server cannot make PDFs (it has no Chromium). Use Print and choose Save as PDF.")
        }
        // An ASCII file name for the header (a title such as "Notificación" loses its accent there).
        let name = l.title.folding(options: .diacriticInsensitive, locale: nil)
            .filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == " " || $0 == "-") }.prefix(60)
        return Response(
            status: .ok,
            headers: [
                "Content-Type": "application/pdf", "Cache-Control": "private, no-store",
                "Content-Disposition": "attachment; filename=\"\(name.isEmpty ? "letter" : String(name)).pdf\""
            ], body: .init(data: pdf))
    }

    static func saveLetterhead(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let form = FormBody(req)
        do {
            _ = try await req.organization.updateLetterhead(address: form["address"], phone: form["phone"], by: actor)
            return req.seeOther(Paths.adminLetters + "#s-letterhead", flash: "flash.letterheadSaved")
        } catch {
            guard let (errs, status) = formFailure(error) else { throw error }
            return try await letterTemplates(
                req, letterhead: FormState(values: form.values, errors: errs), status: status)
        }
    }

    static func letterTemplates(
        _ req: Request, editing: LetterTemplate? = nil, state: FormState? = nil, letterhead: FormState? = nil,
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let actor = try req.actor()
        try Policy.require(actor, .manageTemplates)
        var editing = editing
        if editing == nil, let id = req.parameters.get("templateID").flatMap(UUID.init(uuidString:)) {
            editing = try await req.letters.templates(by: actor).first { $0.id == id }
            if editing == nil { throw TrellisError.notFound("template") }
        }
        let s =
            state ?? editing.map {
                FormState(values: [
                    "name": $0.name, "body": $0.body, "active": $0.active ? "1" : "0", "version": String($0.version)
                ])
            }
            ?? FormState(values: ["active": "1"])
        let agency = try await req.organization.letterhead(by: actor)
        return req.page(
            TemplatesPage.render(
                req.pageContext, templates: try await req.letters.templates(by: actor), editing: editing, state: s,
                letterhead: letterhead
                    ?? FormState(values: [
                        "address": agency.letterheadAddress ?? "", "phone": agency.letterheadPhone ?? ""
                    ]),
                agencyName: agency.name),
            status: status)
    }

    static func saveLetterTemplate(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let id = req.parameters.get("templateID").flatMap(UUID.init(uuidString:))
        let form = FormBody(req)
        do {
            _ = try await req.letters.saveTemplate(
                id, name: form["name"], body: form["body"], active: form["active"] != "0",
                expectedVersion: form.int("version"), by: actor)
            return req.seeOther(Paths.adminLetters, flash: "flash.saved")
        } catch {
            guard let (errs, status) = formFailure(error) else { throw error }
            let editing =
                try await id.asyncMap { tid in try await req.letters.templates(by: actor).first { $0.id == tid } }
                ?? nil
            return try await letterTemplates(
                req, editing: editing, state: FormState(values: form.values, errors: errs), status: status)
        }
    }
}
