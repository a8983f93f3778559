import Foundation
import Plot
import TrellisCore

/// A need's label from the one vocabulary (`Needs`); a former code (a Self-Sufficiency Matrix item id) reads as
/// the need it became.
func domainLabel(_ t: Strings, _ code: String?) -> String? {
    guard let code else { return nil }
    return t.entry("need.\(Needs.canonical(code))") ?? code
}

enum PlanPage {
    static func render(
        _ ctx: PageContext, overview o: PlanOverview, shown: ServicePlan?, names: [UUID: String],
        canEdit: Bool, canReview: Bool, actorID: UUID
    ) -> String {
        let t = ctx.t
        let title = t("plan.title")
        var content: [HNode] = [
            H.el("h1", [], H.text(title)),
            H.el("p", [], H.a(Paths.case(o.case.id), t("asmt.backToCase")))
        ]
        if o.program.requiresPlanApproval { content.append(H.p(t("plan.approvalRequired"), [("class", "hint")])) }
        if canEdit {
            content.append(
                H.el(
                    "p", [],
                    H.a(
                        Paths.editPlan(o.case.id), o.latest == nil ? t("plan.create") : t("plan.edit"),
                        [("class", "button")])))
        }
        guard let plan = shown else {
            content.append(H.el("div", [("class", "empty")], H.p(t("plan.none"))))
            return Layout.page(ctx, title: title, content)
        }
        if let active = o.active, active.version != plan.version {
            content.append(H.p(t("plan.activeIs", ["n": String(active.version)]), [("class", "hint")]))
        }
        content.append(H.el("h2", [], H.text(t("plan.versionOf", ["n": String(plan.version)]))))
        content.append(
            H.el(
                "dl", [("class", "summary")],
                H.pair(
                    t("plan.status"),
                    t(o.case.status == .closed ? "planStatus.closed" : "planStatus.\(plan.status.rawValue)")),
                H.pair(t("plan.savedBy"), (names[plan.createdBy] ?? "—") + " · " + t.dateTime(plan.createdAt)),
                H.pair(
                    t("plan.agreement"),
                    plan.agreedOn.map {
                        $0.description + " · " + t("agreement.\(plan.agreementMethod?.rawValue ?? "")")
                    } ?? t("plan.notAgreed")),
                H.pair(t("plan.changeSummary"), plan.changeSummary),
                H.pair(
                    t("plan.review"),
                    plan.reviewedAt.map {
                        t.dateTime($0) + " · " + (plan.reviewedBy.flatMap { names[$0] } ?? "—")
                            + (plan.reviewComment.map { ": " + $0 } ?? "")
                    })))
        if plan.status == .pendingApproval && canReview && plan.version == o.latest?.version {
            if plan.createdBy == actorID {
                content.append(H.p(t("plan.cannotApproveOwn"), [("class", "hint")]))
            } else {
                let f = Fields(t: t, state: FormState())
                content.append(
                    H.el(
                        "section", [("aria-labelledby", "s-review"), ("class", "no-print")],
                        H.el("h3", [("id", "s-review")], H.text(t("plan.reviewTitle"))),
                        Layout.form(
                            ctx, action: Paths.reviewPlan(o.case.id), [("novalidate", "")],
                            [
                                H.void(
                                    "input", [("type", "hidden"), ("name", "version"), ("value", String(plan.version))]),
                                f.textarea(
                                    "comment", t("plan.reviewComment"), rows: 3, hint: t("plan.reviewComment.hint")),
                                Layout.button(t("plan.approve"), [("name", "decision"), ("value", "approve")]),
                                Layout.button(
                                    t("plan.return"),
                                    [("name", "decision"), ("value", "return"), ("class", "secondary")])
                            ])))
            }
        }
        for (i, g) in plan.goals.enumerated() {
            content.append(
                H.el(
                    "section", [("class", "goal")],
                    H.el("h3", [], H.text(t("plan.goalN", ["n": String(i + 1)]) + ": " + g.goal)),
                    H.el(
                        "dl", [("class", "summary")],
                        H.pair(t("plan.domain"), domainLabel(t, g.domain)),
                        H.pair(t("plan.need"), g.need),
                        H.pair(t("plan.clientWords"), g.clientWords.map { "“" + $0 + "”" }),
                        H.pair(t("plan.target"), g.target),
                        H.pair(t("plan.targetDate"), g.targetDate.description),
                        H.pair(t("plan.goalStatus"), t("goalStatus.\(g.status.rawValue)"))),
                    g.steps.isEmpty
                        ? H.group([])
                        : H.table(
                            caption: t("plan.steps"),
                            [t("plan.step"), t("plan.responsible"), t("plan.dueOn"), t("plan.completedOn")],
                            g.steps.map { s in
                                H.el(
                                    "tr", [], H.el("td", [], H.text(s.description)),
                                    H.el(
                                        "td", [],
                                        H.text(
                                            t("party.\(s.responsible.rawValue)")
                                                + (s.responsibleName.map { " (" + $0 + ")" } ?? ""))),
                                    H.el("td", [], H.text(s.dueOn.description)),
                                    H.el("td", [], H.text(s.completedOn?.description ?? "—")))
                            })))
        }
        content.append(
            H.el(
                "section", [("aria-labelledby", "s-history")],
                H.el("h2", [("id", "s-history")], H.text(t("plan.history"))),
                H.table(
                    caption: t("plan.history"), hiddenCaption: true,
                    [t("plan.version"), t("plan.savedBy"), t("plan.status"), t("plan.goals"), t("plan.changeSummary")],
                    o.versions.map { v in
                        H.el(
                            "tr", [("aria-current", v.version == plan.version ? "true" : nil)],
                            H.el("td", [], H.a(Paths.plan(o.case.id) + "?version=\(v.version)", String(v.version))),
                            H.el("td", [], H.text((names[v.createdBy] ?? "—") + " · " + t.dateTime(v.createdAt))),
                            H.el("td", [], H.text(t("planStatus.\(v.status.rawValue)"))),
                            H.el("td", [("class", "num")], H.text(String(v.goals.count))),
                            H.el("td", [], H.text(v.changeSummary ?? "—")))
                    })))
        return Layout.page(ctx, title: title, content)
    }
}

enum PlanFormPage {
    /// `goalSteps` gives, per goal shown, how many filled steps it has; two blank steps follow each.
    static func render(_ ctx: PageContext, overview o: PlanOverview, goalSteps: [Int], state: FormState) -> String {
        let t = ctx.t
        let f = Fields(t: t, state: state)
        let title = o.latest == nil ? t("plan.create") : t("plan.edit")
        var fields: [HNode] = [H.void("input", [("type", "hidden"), ("name", "version"), ("value", state["version"])])]
        let domains = Bits.needOptions(t)
        for (gi, stepCount) in goalSteps.enumerated() {
            let p = "goals.\(gi)."
            var goal: [HNode] = [
                H.el("legend", [], H.text(t("plan.goalN", ["n": String(gi + 1)]))),
                H.void("input", [("type", "hidden"), ("name", p + "id"), ("value", state[p + "id"])]),
                H.void("input", [("type", "hidden"), ("name", p + "needRef"), ("value", state[p + "needRef"])]),
                f.select(p + "domain", t("plan.domain"), options: domains, includeBlank: true),
                f.input(p + "need", t("plan.need"), hint: t("plan.need.hint")),
                f.textarea(p + "clientWords", t("plan.clientWords"), rows: 2, hint: t("plan.clientWords.hint")),
                f.input(p + "goal", t("plan.goal"), required: true),
                f.input(p + "target", t("plan.target"), required: true, hint: t("plan.target.hint")),
                f.input(p + "targetDate", t("plan.targetDate"), type: "date", required: true),
                f.select(
                    p + "status", t("plan.goalStatus"),
                    options: GoalStatus.allCases.map { ($0.rawValue, t("goalStatus.\($0.rawValue)")) })
            ]
            var rows: [HNode] = []
            for si in 0..<(stepCount + 2) {
                let sp = p + "steps.\(si)."
                rows.append(
                    H.el(
                        "fieldset", [("class", "step inline-fields")],
                        H.el("legend", [], H.text(t("plan.stepN", ["n": String(si + 1)]))),
                        H.void("input", [("type", "hidden"), ("name", sp + "id"), ("value", state[sp + "id"])]),
                        f.input(sp + "description", t("plan.step")),
                        f.select(
                            sp + "responsible", t("plan.responsible"),
                            options: ResponsibleParty.allCases.map { ($0.rawValue, t("party.\($0.rawValue)")) }),
                        f.input(sp + "responsibleName", t("plan.responsibleName")),
                        f.input(sp + "dueOn", t("plan.dueOn"), type: "date"),
                        f.input(sp + "completedOn", t("plan.completedOn"), type: "date")))
            }
            goal.append(
                H.el(
                    "div", [("class", "steps")],
                    [
                        H.el("p", [("class", "steps-title")], H.el("strong", [], H.text(t("plan.steps")))),
                        H.p(t("plan.steps.hint"), [("class", "hint")])
                    ] + rows))
            fields.append(H.el("fieldset", [("class", "goal")], goal))
        }
        fields += [
            H.el(
                "fieldset", [],
                H.el("legend", [], H.text(t("plan.agreement"))),
                f.input("agreedOn", t("plan.agreedOn"), type: "date"),
                f.select(
                    "agreementMethod", t("plan.agreementMethod"),
                    options: AgreementMethod.allCases.map { ($0.rawValue, t("agreement.\($0.rawValue)")) },
                    includeBlank: true)),
            f.textarea("changeSummary", t("plan.changeSummary"), rows: 2, hint: t("plan.changeSummary.hint")),
            Layout.button(t("plan.save"))
        ]
        return Layout.page(
            ctx, title: title,
            [
                H.el("h1", [], H.text(title)),
                H.el("p", [], H.a(Paths.plan(o.case.id), t("plan.back"))),
                H.p(t("plan.form.hint"), [("class", "hint")]),
                Layout.errorSummary(t, state),
                Layout.form(ctx, action: Paths.plan(o.case.id), [("novalidate", "")], fields)
            ], wide: true)
    }
}
