import Foundation
import Plot
import TrellisCore

enum ClosePage {
    /// What is still open on the case, each item linked; alerts first, since they stop the closure.
    static func openWork(_ ctx: PageContext, _ w: OpenWork, caseID: UUID, state: FormState) -> HNode {
        let t = ctx.t
        guard !w.isEmpty else { return H.p(t("close.nothingOpen"), [("class", "hint")]) }
        var parts: [HNode] = []
        if !w.alerts.isEmpty {
            state.note("alerts", label: t("close.open.alerts"))
            parts.append(
                H.el(
                    "div", [("class", "alert-box"), ("id", Fields.id("alerts"))],
                    H.el("h3", [], H.text(t("close.open.alerts"))),
                    H.p(t("close.open.alerts.hint")),
                    H.el(
                        "ul", [],
                        w.alerts.map { a in
                            H.el(
                                "li", [], H.a(Paths.alert(a.id), t.alertReason(a.reason)),
                                H.text(" · " + t.dateTime(a.raisedAt)))
                        })))
        }
        func list(_ title: String, _ items: [HNode]) {
            guard !items.isEmpty else { return }
            parts.append(H.el("h3", [], H.text(title)))
            parts.append(H.el("ul", [], items.map { H.el("li", [], $0) }))
        }
        list(
            t("close.open.tasks"),
            w.tasks.map { k in
                H.group([
                    H.a(Paths.task(k.id), k.title),
                    H.text(
                        " · " + t("taskKind.\(k.kind.rawValue)") + " · "
                            + (k.startsAt.map { t.dateTime($0) } ?? k.dueOn.description))
                ])
            })
        list(
            t("close.open.appeals"),
            w.appeals.map { a in
                H.group([
                    H.a(Paths.advocacy(a.id), t("advIssue.\(a.issue.rawValue)") + " · " + a.otherParty),
                    H.text(
                        " · " + t("advStatus.\(a.status.rawValue)")
                            + (a.filingDeadline.map { " · " + t("close.open.deadline", ["date": $0.description]) } ?? "")
                            + (a.hearingOn.map { " · " + t("close.open.hearing", ["date": $0.description]) } ?? ""))
                ])
            })
        list(
            t("close.open.referrals"),
            w.referrals.map { r in
                H.group([
                    H.a(Paths.referral(r.id), r.providerName), H.text(" · " + t("refStatus.\(r.status.rawValue)"))
                ])
            })
        if let plan = w.plan {
            list(
                t("close.open.plan"),
                [
                    H.a(
                        Paths.plan(caseID),
                        t("plan.versionOf", ["n": String(plan.version)]) + " · "
                            + t.plural("close.open.goals", w.openGoals))
                ])
        }
        if w.needsConfirmation {
            let f = Fields(t: t, state: state)
            parts.append(f.checkbox("confirmOpenWork", t("close.open.confirm")))
            parts.append(
                f.textarea(
                    "openWorkReason", t("close.open.reason"), required: true, rows: 2, hint: t("close.open.reason.hint")
                ))
        }
        return H.el(
            "section", [("class", "open-work"), ("aria-labelledby", "open-work")],
            [H.el("h2", [("id", "open-work")], H.text(t("close.open.title")))] + parts)
    }

    static func render(_ ctx: PageContext, detail: CaseDetail, openWork work: OpenWork, state: FormState) -> String {
        let t = ctx.t
        let f = Fields(t: t, state: state)
        let c = detail.case
        let checked = Set(state.multi["checklist"] ?? [])
        let days = Set(state.multi["followUpDays"] ?? [])
        func checks(_ name: String, _ legend: String, _ opts: [(String, String)], _ on: Set<String>) -> HNode {
            state.note(name, label: legend, anchor: opts.first.map { Fields.id(name + "-" + $0.0) })
            return H.el(
                "fieldset", [("class", state.errors[name] == nil ? "field" : "field has-error")],
                [H.el("legend", [], H.text(legend))]
                    + (state.errors[name].map {
                        [H.el("p", [("class", "field-error")], H.text($0.map(t.message).joined(separator: "; ")))]
                    } ?? [])
                    + opts.map { v, l in
                        let id = Fields.id(name + "-" + v)
                        return H.el(
                            "div", [("class", "check")],
                            H.void(
                                "input",
                                [
                                    ("type", "checkbox"), ("id", id), ("name", name), ("value", v),
                                    ("checked", H.flag(on.contains(v)))
                                ]),
                            H.el("label", [("for", id)], H.text(l)))
                    })
        }
        return Layout.page(
            ctx, title: t("close.title"),
            [
                H.el("h1", [], H.text(t("close.title"))),
                H.p(detail.client.displayName + " · " + detail.program.name),
                Bits.back(t, c.id),
                Layout.errorSummary(t, state),
                Layout.form(
                    ctx, action: Paths.closeCase(c.id), [("novalidate", "")],
                    [
                        f.select(
                            "reason", t("close.reason"),
                            options: ClosureReason.allCases.map { ($0.rawValue, t("closeReason.\($0.rawValue)")) },
                            required: true, includeBlank: true),
                        f.select(
                            "destination", t("close.destination"),
                            options: HUDDestination.all.map { (String($0.code), t.destination($0.code)) },
                            required: true, includeBlank: true,
                            hint: t("close.destination.hint")),
                        f.input("closedOn", t("case.closedOn"), type: "date"),
                        checks(
                            "checklist", t("close.checklist"),
                            ClosureCheck.allCases.map { ($0.rawValue, t("closeCheck.\($0.rawValue)")) }, checked),
                        checks(
                            "followUpDays", t("close.followUps"),
                            ClosureService.followUpChoices.map {
                                (String($0), t("close.afterDays", ["n": String($0)]))
                            }, days),
                        f.textarea("note", t("close.note"), rows: 3),
                        openWork(ctx, work, caseID: c.id, state: state),
                        Bits.hidden("version", String(c.version)),
                        Layout.button(t("close.submit"))
                    ])
            ])
    }
}

enum TransferPage {
    static func render(
        _ ctx: PageContext, detail: CaseDetail, staff: [StaffMember], programs: [Program], state: FormState
    ) -> String {
        let t = ctx.t
        let f = Fields(t: t, state: state)
        let c = detail.case
        return Layout.page(
            ctx, title: t("transfer.title"),
            [
                H.el("h1", [], H.text(t("transfer.title"))),
                H.p(
                    detail.client.displayName + " · " + detail.program.name + " · "
                        + (detail.caseManager?.displayName ?? "")),
                Bits.back(t, c.id),
                Layout.errorSummary(t, state),
                Layout.form(
                    ctx, action: Paths.transferCase(c.id), [("novalidate", "")],
                    [
                        f.staffSelect("toManagerID", t("transfer.toManager"), staff: staff),
                        f.select(
                            "toProgramID", t("transfer.toProgram"),
                            options: programs.filter(\.active).map { ($0.id.uuidString.lowercased(), $0.name) }),
                        f.textarea("note", t("transfer.note"), required: true, rows: 5, hint: t("transfer.note.hint")),
                        Bits.hidden("version", String(c.version)),
                        Layout.button(t("transfer.submit"))
                    ])
            ])
    }
}
