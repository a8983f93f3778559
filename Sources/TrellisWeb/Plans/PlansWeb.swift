import Foundation
import TrellisCore
import Vapor

enum PlansWeb: WebHandlers {
    // MARK: Service plan

    static func plan(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let o = try await req.plans.overview(caseID: try req.uuid("caseID"), by: actor)
        let shown =
            (try? req.query.get(Int.self, at: "version")).flatMap { v in o.versions.first { $0.version == v } }
            ?? o.latest
        let names = try await req.organization.staffNames(
            o.versions.flatMap { [$0.createdBy] + ($0.reviewedBy.map { [$0] } ?? []) }, by: actor)
        return req.page(
            PlanPage.render(
                req.pageContext, overview: o, shown: shown,
                names: names,
                canEdit: Policy.allows(actor, .updateCase(primaryCaseManagerID: o.case.primaryCaseManagerID))
                    && o.case.status != .closed,
                canReview: Policy.allows(actor, .approvePlan), actorID: actor.id))
    }

    /// The needs named in the query (`need=` repeated), found in the case's assessments.
    static func requestedNeeds(_ req: Request, caseID: UUID, actor: ActingUser) async throws -> [AssessedNeed] {
        let refs = FormBody(text: req.url.query ?? "").all("need").prefix(20)
        var out: [AssessedNeed] = []
        for ref in refs {
            let parts = ref.split(separator: ":").map(String.init)
            guard parts.count >= 3, let id = UUID(uuidString: parts[1]) else { continue }
            if parts[0] == "bps" {
                let b = try await req.assessments.biopsychosocial(id: id, by: actor)
                if b.caseID == caseID, let n = b.needs.first(where: { $0.ref == ref }) { out.append(n) }
            } else if parts[0] == "ssm" {
                let (a, def) = try await req.assessments.assessment(id: id, by: actor)
                if a.caseID == caseID, let def, let n = ssmNeeds(a, def, req.strings).first(where: { $0.ref == ref }) {
                    out.append(n)
                }
            }
        }
        return out
    }

    static func editPlan(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let caseID = try req.uuid("caseID")
        let o = try await req.plans.overview(caseID: caseID, by: actor)
        try Policy.require(actor, .updateCase(primaryCaseManagerID: o.case.primaryCaseManagerID))
        let needs = try await requestedNeeds(req, caseID: caseID, actor: actor)
        var values: [String: String] = ["version": String(o.latest?.version ?? 0)]
        var goals = 0
        var steps: [Int] = []
        for g in o.latest?.goals ?? [] {
            let p = "goals.\(goals)."
            values[p + "id"] = g.id.uuidString.lowercased()
            values[p + "domain"] = g.domain ?? ""
            values[p + "need"] = g.need ?? ""
            values[p + "needRef"] = g.needRef ?? ""
            values[p + "clientWords"] = g.clientWords ?? ""
            values[p + "goal"] = g.goal
            values[p + "target"] = g.target
            values[p + "targetDate"] = g.targetDate.description
            values[p + "status"] = g.status.rawValue
            for (i, s) in g.steps.enumerated() {
                let sp = p + "steps.\(i)."
                values[sp + "id"] = s.id.uuidString.lowercased()
                values[sp + "description"] = s.description
                values[sp + "responsible"] = s.responsible.rawValue
                values[sp + "responsibleName"] = s.responsibleName ?? ""
                values[sp + "dueOn"] = s.dueOn.description
                values[sp + "completedOn"] = s.completedOn?.description ?? ""
            }
            steps.append(g.steps.count)
            goals += 1
        }
        for n in needs {
            let p = "goals.\(goals)."
            values[p + "domain"] = n.domain
            values[p + "need"] = n.text
            values[p + "needRef"] = n.ref
            steps.append(0)
            goals += 1
        }
        if needs.isEmpty {
            steps.append(0)
            goals += 1
        }
        if let l = o.latest {
            values["agreedOn"] = l.agreedOn?.description ?? ""
            values["agreementMethod"] = l.agreementMethod?.rawValue ?? ""
        }
        return req.page(
            PlanFormPage.render(req.pageContext, overview: o, goalSteps: steps, state: FormState(values: values)))
    }

    static func planInput(_ form: FormBody) -> (PlanInput, [Int]) {
        var goals: [PlanInput.Goal] = []
        var counts: [Int] = []
        var gi = 0
        while gi < 60, form.fields.keys.contains(where: { $0.hasPrefix("goals.\(gi).") }) {
            let p = "goals.\(gi)."
            var steps: [PlanInput.Step] = []
            var si = 0
            while si < 40, form.fields.keys.contains(where: { $0.hasPrefix(p + "steps.\(si).") }) {
                let sp = p + "steps.\(si)."
                steps.append(
                    PlanInput.Step(
                        id: form[sp + "id"].flatMap(UUID.init(uuidString:)), description: form[sp + "description"],
                        responsible: form[sp + "responsible"], responsibleName: form[sp + "responsibleName"],
                        dueOn: form[sp + "dueOn"], completedOn: form[sp + "completedOn"]))
                si += 1
            }
            goals.append(
                PlanInput.Goal(
                    id: form[p + "id"].flatMap(UUID.init(uuidString:)),
                    domain: form[p + "domain"].flatMap { $0.isEmpty ? nil : $0 },
                    need: form[p + "need"], needRef: form[p + "needRef"], clientWords: form[p + "clientWords"],
                    goal: form[p + "goal"], target: form[p + "target"], targetDate: form[p + "targetDate"],
                    status: form[p + "status"], steps: steps))
            counts.append(max(0, si - 2))
            gi += 1
        }
        return (
            PlanInput(
                goals: goals, agreedOn: form["agreedOn"],
                agreementMethod: form["agreementMethod"].flatMap { $0.isEmpty ? nil : $0 },
                changeSummary: form["changeSummary"]), counts
        )
    }

    static func savePlan(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let caseID = try req.uuid("caseID")
        let form = FormBody(req)
        let (input, counts) = planInput(form)
        do {
            let p = try await req.plans.save(
                caseID: caseID, input, expectedVersion: form["version"].flatMap { Int($0) }, by: actor)
            return req.seeOther(
                Paths.plan(caseID), flash: p.status == .pendingApproval ? "flash.planPending" : "flash.planSaved")
        } catch {
            guard let (errs, status) = formFailure(error) else { throw error }
            let o = try await req.plans.overview(caseID: caseID, by: actor)
            return req.page(
                PlanFormPage.render(
                    req.pageContext, overview: o, goalSteps: counts, state: FormState(values: form.values, errors: errs)
                ),
                status: status)
        }
    }

    static func reviewPlan(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let caseID = try req.uuid("caseID")
        let form = FormBody(req)
        do {
            let p = try await req.plans.review(
                caseID: caseID, version: form["version"].flatMap { Int($0) },
                decision: form["decision"], comment: form["comment"], by: actor)
            return req.seeOther(
                Paths.plan(caseID), flash: p.status == .active ? "flash.planApproved" : "flash.planReturned")
        } catch {
            guard let errs = validationErrors(error) else { throw error }
            return req.seeOther(
                Paths.plan(caseID) + "?error=" + (errs.first?.field ?? ""), flash: "flash.reviewNeedsComment")
        }
    }
}
