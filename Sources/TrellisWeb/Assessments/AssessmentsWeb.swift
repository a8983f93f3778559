import Foundation
import TrellisCore
import Vapor

enum AssessmentsWeb: WebHandlers {
    // MARK: Instruments

    static func newAssessment(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        try Policy.require(actor, .writeNote)
        let caseID = try req.uuid("caseID")
        let def = try await req.assessments.instrument(
            code: (try? req.query.get(String.self, at: "instrument")) ?? "", for: actor)
        return try await renderAssessmentForm(
            req, caseID: caseID, def: def, state: FormState(values: ["completedOn": req.deps.today.description]))
    }

    static func renderAssessmentForm(
        _ req: Request, caseID: UUID, def: InstrumentDefinition, state: FormState,
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let actor = try req.actor()
        let detail = try await req.cases.detail(caseID, by: actor)
        return req.page(
            AssessmentFormPage.render(req.pageContext, detail: detail, def: def, state: state), status: status)
    }

    /// Reads the answers of an instrument form: `a.<item>` per item, repeated for multiple choice.
    static func answers(_ form: FormBody, _ def: InstrumentDefinition) -> [String: Answer] {
        var out: [String: Answer] = [:]
        for item in def.items {
            let key = "a.\(item.id)"
            switch item.kind {
            case .multipleChoice:
                let all = form.all(key)
                if !all.isEmpty { out[item.id] = .values(all.map { Int($0) ?? Int.min }) }
            case .number:
                guard let s = form[key]?.trimmingCharacters(in: .whitespaces), !s.isEmpty else { continue }
                out[item.id] = Double(s).map(Answer.number) ?? .text(s)
            case .text, .longText, .date:
                if let s = form[key] { out[item.id] = .text(s) }
            case .choice, .yesNo, .scale:
                guard let s = form[key], !s.isEmpty else { continue }
                out[item.id] = s == "na" ? .notApplicable : .value(Int(s) ?? Int.min)
            }
        }
        return out
    }

    static func createAssessment(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let caseID = try req.uuid("caseID")
        let form = FormBody(req)
        // An unknown instrument is reported by the service, after it has checked who is asking.
        let def = try? await req.assessments.instrument(code: form["instrument"] ?? "", for: actor)
        do {
            let (a, alerts) = try await req.assessments.record(
                caseID: caseID, instrument: def?.code ?? "", answers: def.map { answers(form, $0) } ?? [:],
                completedOn: form["completedOn"], by: actor)
            return req.seeOther(
                Paths.assessment(a.id), flash: alerts.isEmpty ? "flash.assessmentSaved" : "flash.assessmentAlert")
        } catch {
            guard let errs = validationErrors(error), let def else { throw error }
            let state = FormState(
                values: form.values, multi: form.fields,
                errors: errs.renamed { $0.hasPrefix("answers.") ? "a." + $0.dropFirst(8) : $0 })
            return try await renderAssessmentForm(
                req, caseID: caseID, def: def, state: state, status: .unprocessableEntity)
        }
    }

    static func assessment(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let (a, def) = try await req.assessments.assessment(id: try req.uuid("assessmentID"), by: actor)
        return req.page(
            AssessmentPage.render(
                req.pageContext, assessment: a, def: def,
                canPlan: Policy.allows(actor, .writeNote)))
    }

    // MARK: Biopsychosocial

    static func newBiopsychosocial(_ req: Request) async throws -> Response {
        try Policy.require(try req.actor(), .writeNote)
        return try await renderBiopsychosocialForm(
            req, caseID: try req.uuid("caseID"), state: FormState(values: ["completedOn": req.deps.today.description]))
    }

    static func renderBiopsychosocialForm(_ req: Request, caseID: UUID, state: FormState, status: HTTPStatus = .ok)
        async throws -> Response
    {
        let actor = try req.actor()
        let detail = try await req.cases.detail(caseID, by: actor)
        return req.page(BiopsychosocialFormPage.render(req.pageContext, detail: detail, state: state), status: status)
    }

    static func createBiopsychosocial(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let caseID = try req.uuid("caseID")
        let form = FormBody(req)
        var domains: [BPSDomain: BiopsychosocialInput.Domain] = [:]
        for d in BPSDomain.allCases {
            let p = "domains.\(d.rawValue)."
            domains[d] = .init(
                findings: form[p + "findings"], clientWords: form[p + "clientWords"], needs: form[p + "needs"],
                strengths: form[p + "strengths"])
        }
        var strengths: [StrengthArea: String] = [:]
        for a in StrengthArea.allCases { strengths[a] = form["strengths.\(a.rawValue)"] }
        do {
            let b = try await req.assessments.recordBiopsychosocial(
                caseID: caseID,
                BiopsychosocialInput(
                    completedOn: form["completedOn"],
                    domains: domains, strengths: strengths), by: actor)
            return req.seeOther(Paths.biopsychosocial(b.id), flash: "flash.assessmentSaved")
        } catch {
            guard let errs = validationErrors(error) else { throw error }
            return try await renderBiopsychosocialForm(
                req, caseID: caseID, state: FormState(values: form.values, errors: errs), status: .unprocessableEntity)
        }
    }

    static func biopsychosocial(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let b = try await req.assessments.biopsychosocial(id: try req.uuid("bpsID"), by: actor)
        return req.page(BiopsychosocialPage.render(req.pageContext, bps: b, canPlan: Policy.allows(actor, .writeNote)))
    }

    // MARK: Progress

    static func progress(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let p = try await req.assessments.progress(caseID: try req.uuid("caseID"), by: actor)
        return req.page(ProgressPage.render(req.pageContext, progress: p))
    }

    // MARK: Alerts

    static func alert(_ req: Request, state: FormState = FormState(), status: HTTPStatus = .ok) async throws -> Response
    {
        let actor = try req.actor()
        let a = try await req.assessments.alert(id: try req.uuid("alertID"), by: actor)
        let c = try await req.cases.readable(a.caseID, by: actor)
        let canAck = Policy.allows(actor, .updateCase(primaryCaseManagerID: c.primaryCaseManagerID))
        let names = try await req.organization.staffMembers(ids: a.acknowledgedBy.map { [$0] } ?? [], by: actor)
        let client = try await req.clients.summary(c.clientID, by: actor)
        return req.page(
            AlertPage.render(
                req.pageContext, alert: a, client: client, canAcknowledge: canAck,
                acknowledgedBy: names.first?.displayName, state: state),
            status: status)
    }

    static func acknowledgeAlert(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let form = FormBody(req)
        do {
            _ = try await req.assessments.acknowledge(
                alertID: try req.uuid("alertID"), actionTaken: form["actionTaken"], by: actor)
            return req.seeOther(Paths.home(for: actor.role), flash: "flash.alertAcknowledged")
        } catch {
            guard let (errs, status) = formFailure(error, conflictField: "actionTaken") else { throw error }
            return try await alert(req, state: FormState(values: form.values, errors: errs), status: status)
        }
    }

    // MARK: Agency forms

    static func forms(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        try Policy.require(actor, .manageForms)
        return req.page(
            FormListPage.render(
                req.pageContext, forms: try await req.forms.forms(by: actor),
                programs: try await req.organization.programs(by: actor)))
    }

    static func newForm(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        try Policy.require(actor, .manageForms)
        return req.page(
            FormBuilderPage.render(
                req.pageContext, code: nil, version: nil, rows: 8,
                programs: try await req.organization.programs(by: actor),
                state: FormState(values: ["purpose": InstrumentPurpose.assessment.rawValue])))
    }

    static func editForm(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        try Policy.require(actor, .manageForms)
        let def = try await req.forms.form(code: req.parameters.get("code") ?? "", by: actor)
        let draft = FormDraft(def)
        var values: [String: String] = [
            "title": draft.title ?? "", "purpose": draft.purpose ?? "", "bands": draft.bands ?? "",
            "scored": draft.scored ? "on" : ""
        ]
        for (i, f) in draft.fields.enumerated() {
            let p = "fields.\(i)."
            values[p + "id"] = f.id ?? ""
            values[p + "label"] = f.label ?? ""
            values[p + "kind"] = f.kind ?? ""
            values[p + "required"] = f.required ? "on" : ""
            values[p + "options"] = f.options ?? ""
            values[p + "scaleMin"] = f.scaleMin ?? ""
            values[p + "scaleMax"] = f.scaleMax ?? ""
        }
        return req.page(
            FormBuilderPage.render(
                req.pageContext, code: def.code, version: def.version, rows: draft.fields.count + 3,
                programs: try await req.organization.programs(by: actor),
                state: FormState(
                    values: values, multi: ["programIDs": def.programIDs.map { $0.uuidString.lowercased() }])))
    }

    static func formDraft(_ form: FormBody) -> (FormDraft, Int, [FieldError]) {
        var fields: [FormDraft.Field] = []
        var i = 0
        while i < 120, form.fields.keys.contains(where: { $0.hasPrefix("fields.\(i).") }) {
            let p = "fields.\(i)."
            fields.append(
                FormDraft.Field(
                    id: form[p + "id"].flatMap { $0.isEmpty ? nil : $0 }, label: form[p + "label"],
                    kind: form[p + "kind"],
                    required: form[p + "required"] == "on", options: form[p + "options"],
                    scaleMin: form[p + "scaleMin"], scaleMax: form[p + "scaleMax"]))
            i += 1
        }
        var errors: [FieldError] = []
        let ids = form.all("programIDs[]").compactMap { s -> UUID? in
            guard let id = UUID(uuidString: s) else {
                errors.append(FieldError("programIDs", "is not a program of your agency"))
                return nil
            }
            return id
        }
        return (
            FormDraft(
                title: form["title"], purpose: form["purpose"], programIDs: ids, scored: form["scored"] == "on",
                bands: form["bands"], fields: fields), i, errors
        )
    }

    static func saveForm(_ req: Request, code: String?) async throws -> Response {
        let actor = try req.actor()
        let form = FormBody(req)
        let (draft, rows, parseErrors) = formDraft(form)
        do {
            if !parseErrors.isEmpty { throw TrellisError.validation(parseErrors) }
            _ = try await req.forms.save(
                code: code, draft, expectedVersion: form["version"].flatMap { Int($0) }, by: actor)
            return req.seeOther(Paths.adminForms, flash: "flash.formSaved")
        } catch {
            guard let (errs, status) = formFailure(error) else { throw error }
            return req.page(
                FormBuilderPage.render(
                    req.pageContext, code: code, version: form["version"].flatMap { Int($0) }, rows: rows,
                    programs: try await req.organization.programs(by: actor),
                    state: FormState(values: form.values, multi: ["programIDs": form.all("programIDs[]")], errors: errs)
                ),
                status: status)
        }
    }

    static func createForm(_ req: Request) async throws -> Response { try await saveForm(req, code: nil) }

    static func updateForm(_ req: Request) async throws -> Response {
        try await saveForm(req, code: req.parameters.get("code"))
    }
}

/// The Self-Sufficiency Matrix domains an assessment found at In Crisis or Vulnerable, as needs a
/// plan goal can be built from.
func ssmNeeds(_ a: Assessment, _ def: InstrumentDefinition, _ t: Strings) -> [AssessedNeed] {
    guard def.code == BuiltInInstruments.selfSufficiencyMatrix.code else { return [] }
    return def.items.compactMap { item in
        guard case .value(let v)? = a.result.answers[item.id], v <= 2,
            let level = item.options.first(where: { $0.value == v })
        else { return nil }
        return AssessedNeed(
            ref: "ssm:\(a.id.uuidString.lowercased()):\(item.id)", domain: Needs.forSSMDomain(item.id),
            text:
                "\(t.itemText(def, item)): \(t.optionLabel(def, level)) — \(t.optionDescription(def, item, level) ?? "")"
        )
    }
}
