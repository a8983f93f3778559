import Foundation
import TrellisCore
import TrellisData
import Vapor

enum CasesWeb: WebHandlers {
    // MARK: Caseloads

    static func sortParams(_ req: Request) -> (CaseloadSort, Bool) {
        let sort = (try? req.query.get(String.self, at: "sort")).flatMap(CaseloadSort.init(rawValue:)) ?? .overdue
        let desc = (try? req.query.get(String.self, at: "dir")) == "desc"
        return (sort, desc)
    }

    static func caseload(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let (sort, desc) = sortParams(req)
        let contact = req.queryString("contact").flatMap(ComplianceStatus.init(rawValue:))
        let load = try await req.caseloads.caseload(
            of: actor.id, by: actor, sort: sort, descending: desc, contact: contact)
        let alerts = try await req.assessments.openAlerts(for: actor)
        let today = req.deps.today
        let overdueTasks = try await req.tasks.open(for: actor.id, by: actor).filter { $0.isOverdue(today) }.count
        return req.page(
            CaseloadPage.render(
                req.pageContext, caseload: load, sort: sort, descending: desc, isOwn: true, basePath: Paths.caseload,
                alerts: alerts, contact: contact, overdueTasks: overdueTasks))
    }

    static func staffCaseload(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let id = try req.uuid("staffID")
        let (sort, desc) = sortParams(req)
        let contact = req.queryString("contact").flatMap(ComplianceStatus.init(rawValue:))
        let load = try await req.caseloads.caseload(of: id, by: actor, sort: sort, descending: desc, contact: contact)
        return req.page(
            CaseloadPage.render(
                req.pageContext, caseload: load, sort: sort, descending: desc,
                isOwn: id == actor.id, basePath: Paths.staffCaseload(id), contact: contact))
    }

    static func team(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let loads = try await req.caseloads.teamLoads(by: actor)
        return req.page(
            TeamPage.render(req.pageContext, loads: loads, alerts: try await req.assessments.openAlerts(for: actor)))
    }

    // MARK: Cases

    static func newCase(_ req: Request, state: FormState? = nil, status: HTTPStatus = .ok) async throws -> Response {
        let actor = try req.actor()
        let id = try req.uuid("clientID")
        let client = try await req.clients.summary(id, by: actor)
        try Policy.require(actor, .openCase)
        let programs = try await req.organization.programs(by: actor)
        var staff = try await req.organization.staff(by: actor).filter(\.active)
        // With a program chosen, the case managers with the most room in it are suggested, the first preselected.
        let program = req.queryUUID("program").flatMap { id in programs.first { $0.id == id } }
        var suggestions: [CaseManagerSuggestion] = []
        if let program { suggestions = try await req.workload.suggestions(programID: program.id, by: actor) }
        // A large agency's whole staff is no list to choose from: offer one's team, the suggestions, oneself
        // and whoever was already chosen.
        if staff.filter(\.carriesCases).count > 300 {
            let keep = Set(
                suggestions.map(\.worker.staff.id) + [actor.id]
                    + (state.flatMap { UUID(uuidString: $0["primaryCaseManagerID"]) }.map { [$0] } ?? []))
            staff = staff.filter { keep.contains($0.id) || (actor.teamID != nil && $0.teamID == actor.teamID) }
        }
        // The head's household is enrolled with them unless the worker unticks someone.
        let household = try await req.households.enrollable(with: id, by: actor)
        let defaults = FormState(
            values: [
                "primaryCaseManagerID": (suggestions.first?.worker.staff.id ?? actor.id).uuidString.lowercased(),
                "priority": "medium",
                "stage": "engagement", "openedOn": req.deps.today.description,
                "programID": program?.id.uuidString.lowercased() ?? ""
            ], multi: ["memberIDs": household.map { $0.client.id.uuidString.lowercased() }])
        return req.page(
            CaseFormPage.render(
                req.pageContext, client: client, programs: programs, staff: staff, state: state ?? defaults,
                suggestions: suggestions, household: household), status: status)
    }

    static func createCase(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let id = try req.uuid("clientID")
        let form = FormBody(req)
        var parseErrors: [FieldError] = []
        let input = CaseInput(
            programID: uuidField(form, "programID", &parseErrors),
            primaryCaseManagerID: uuidField(form, "primaryCaseManagerID", &parseErrors),
            priority: form["priority"], stage: form["stage"], openedOn: form["openedOn"],
            memberIDs: clientIDs(form.all("memberIDs[]"), field: "memberIDs", &parseErrors))
        do {
            if !parseErrors.isEmpty {
                // Still ask the service, so every other problem is reported too; nothing is written either way.
                do { _ = try await req.cases.check(clientID: id, input, by: actor) } catch TrellisError.validation(
                    let e)
                {
                    throw TrellisError.validation(
                        parseErrors + e.filter { f in !parseErrors.contains { $0.field == f.field } })
                }
                throw TrellisError.validation(parseErrors)
            }
            let c = try await req.cases.open(clientID: id, input, by: actor)
            return req.seeOther(Paths.case(c.id), flash: "flash.caseOpened")
        } catch {
            guard let errs = validationErrors(error) else { throw error }
            return try await newCase(
                req,
                state: FormState(values: form.values, multi: ["memberIDs": form.all("memberIDs[]")], errors: errs),
                status: .unprocessableEntity)
        }
    }

    static func renderCase(_ req: Request, id: UUID, state: FormState? = nil, status: HTTPStatus = .ok) async throws
        -> Response
    {
        let actor = try req.actor()
        let o: CaseOverview
        do {
            o = try await req.cases.overview(id, notesPage: (try? req.query.get(Int.self, at: "notes")) ?? 1, by: actor)
        } catch TrellisError.forbidden(CareTeam.notOnCareTeam) {
            return try await AccessWeb.identityPage(req, try await req.clients.identity(ofCase: id, by: actor))
        }
        let c = o.detail.case
        let s =
            state
            ?? FormState(values: [
                "stage": c.stage.rawValue, "status": c.status.rawValue, "priority": c.priority.rawValue,
                "closedOn": c.closedOn?.description ?? ""
            ])
        let info = CaseAssessments(
            instruments: o.instruments, assessments: o.assessments, biopsychosocials: o.biopsychosocials,
            alerts: o.alerts, plan: o.plan)
        let coordination = CaseCoordination(
            compliance: o.compliance, referrals: o.referrals, services: o.services, tasks: o.tasks,
            advocacy: o.advocacy, letters: o.letters, events: o.events, names: o.staffNames,
            programs: o.programNames, canTransfer: Policy.allows(actor, .transferCase),
            pendingClosure: o.pendingClosure, noteReviews: o.noteReviews)
        return req.page(
            CaseDetailPage.render(
                req.pageContext, detail: o.detail, info: info, coordination: coordination, careTeam: o.careTeam,
                authors: o.authors,
                canUpdate: Policy.allows(actor, .updateCase(primaryCaseManagerID: c.primaryCaseManagerID)),
                canWrite: Policy.allows(actor, .writeNote), state: s, today: req.deps.today, household: o.household),
            status: status)
    }

    static func caseDetail(_ req: Request) async throws -> Response {
        try await renderCase(req, id: try req.uuid("caseID"))
    }

    static func updateCase(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let id = try req.uuid("caseID")
        let form = FormBody(req)
        let update = CaseUpdate(
            stage: form["stage"], status: form["status"], priority: form["priority"], closedOn: form["closedOn"])
        do {
            _ = try await req.cases.update(id, update, expectedVersion: form["version"].flatMap { Int($0) }, by: actor)
            return req.seeOther(Paths.case(id), flash: "flash.caseSaved")
        } catch {
            guard let (errs, status) = formFailure(error) else { throw error }
            return try await renderCase(
                req, id: id, state: FormState(values: form.values, errors: errs), status: status)
        }
    }
}
