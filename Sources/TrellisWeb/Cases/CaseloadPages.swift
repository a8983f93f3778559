import Foundation
import Plot
import TrellisCore

enum CaseloadPage {
    static func render(
        _ ctx: PageContext, caseload: Caseload, sort: CaseloadSort, descending: Bool, isOwn: Bool, basePath: String,
        alerts: [RiskAlert] = [], contact: ComplianceStatus? = nil, overdueTasks: Int = 0
    ) -> String {
        let t = ctx.t
        let filter = contact.map { "&contact=" + $0.rawValue } ?? ""
        let title = isOwn ? t("caseload.title") : t("caseload.of", ["name": caseload.staff.displayName])
        let columns: [(CaseloadSort?, String)] = [
            (.client, t("caseload.client")), (.program, t("caseload.program")), (.stage, t("caseload.stage")),
            (.priority, t("caseload.priority")), (.lastContact, t("caseload.lastContact")),
            (.daysSinceContact, t("caseload.days")), (.overdue, t("caseload.contactDue")),
            (.reassessment, t("caseload.reassessment")),
            (nil, t("caseload.contact"))
        ]
        let alertCases = Set(alerts.map(\.caseID))
        let head = H.el(
            "tr", [],
            columns.map { key, label in
                guard let key else { return H.el("th", [("scope", "col")], H.text(label)) }
                let active = key == sort
                let nextDesc = active ? !descending : false
                let href = basePath + "?sort=\(key.rawValue)" + (nextDesc ? "&dir=desc" : "") + filter
                return H.el(
                    "th", [("scope", "col"), ("aria-sort", active ? (descending ? "descending" : "ascending") : nil)],
                    H.a(href, label + (active ? (descending ? " ▼" : " ▲") : "")))
            })
        let rows = caseload.entries.map { e in
            H.el(
                "tr", [("class", e.contactOverdue ? "overdue" : nil)],
                H.el(
                    "th", [("scope", "row")], H.a(Paths.case(e.caseID), e.clientName),
                    alertCases.contains(e.caseID)
                        ? H.el("strong", [("class", "badge overdue")], H.text(" " + t("alert.badge"))) : H.group([])),
                H.el("td", [], H.text(e.programName)),
                H.el("td", [], H.text(t.label("stage", e.stage))),
                H.el("td", [], H.text(t.label("priority", e.priority))),
                H.el("td", [], H.text(e.lastContactOn?.description ?? t("caseload.never"))),
                H.el("td", [("class", "num")], H.text(e.daysSinceContact.map(String.init) ?? "—")),
                H.el(
                    "td", [],
                    e.contactOverdue
                        ? H.el(
                            "strong", [("class", "badge overdue")],
                            H.text(t("caseload.overdue", ["days": String(e.contactFrequencyDays)])))
                        : H.el("span", [("class", "badge ok")], H.text(t("caseload.ok")))),
                H.el("td", [], reassessmentCell(t, e)),
                H.el("td", [], complianceCell(t, e)))
        }
        var content: [HNode] = [
            H.el("h1", [], H.text(title)),
            H.p(
                t.plural("caseload.openCases", caseload.entries.count) + ", "
                    + t.plural("caseload.overdueContact", caseload.overdueCount),
                [("class", "lede")])
        ]
        content.append(AlertPage.list(t, alerts))
        if overdueTasks > 0 {
            content.append(
                H.el(
                    "p", [("class", "flash warn"), ("role", "status")],
                    H.a(Paths.tasks, t("task.overdueCount", ["n": String(overdueTasks)]))))
        }
        content.append(
            H.el(
                "form", [("method", "get"), ("action", basePath), ("class", "inline-fields no-print")],
                H.void("input", [("type", "hidden"), ("name", "sort"), ("value", sort.rawValue)]),
                H.el("label", [("for", "f-contact")], H.text(t("caseload.filter") + " ")),
                H.el(
                    "select", [("id", "f-contact"), ("name", "contact")],
                    [H.el("option", [("value", "")], H.text(t("caseload.filterAll")))]
                        + ComplianceStatus.allCases.map { c in
                            H.el(
                                "option", [("value", c.rawValue), ("selected", H.flag(c == contact))],
                                H.text(t("compliance.\(c.rawValue)")))
                        }),
                Layout.button(t("report.show"), [("class", "secondary")])))
        if isOwn {
            content.append(H.el("p", [], H.a(Paths.newClient, t("client.register"), [("class", "button")])))
        }
        if caseload.entries.isEmpty {
            content.append(H.el("div", [("class", "empty")], H.p(t("caseload.empty"))))
        } else {
            content.append(
                H.el(
                    "div", [("class", "table-wrap")],
                    H.el(
                        "table", [("class", "data")],
                        H.el("caption", [("class", "visually-hidden")], H.text(title)),
                        H.el("thead", [], head), H.el("tbody", [], rows))))
        }
        return Layout.page(ctx, title: title, content, wide: true)
    }
}

extension CaseloadPage {
    /// The worst of the program's contact rules, naming the rules that are not met.
    static func complianceCell(_ t: Strings, _ e: CaseloadEntry) -> HNode {
        let failing = e.contacts.filter { $0.status == e.contactStatus && $0.status != .compliant }
        let label = t("compliance.\(e.contactStatus.rawValue)")
        let detail = failing.map { CaseDetailPage.contactLabel(t, $0.requirement) }.joined(separator: "; ")
        return H.el(
            e.contactStatus == .overdue ? "strong" : "span",
            [("class", "badge compliance-" + e.contactStatus.rawValue)],
            H.text(detail.isEmpty ? label : label + ": " + detail))
    }

    /// The next reassessment's date, flagged when it is due soon or overdue.
    static func reassessmentCell(_ t: Strings, _ e: CaseloadEntry) -> HNode {
        guard let due = e.reassessmentDue, let status = e.reassessment else { return H.text("—") }
        switch status {
        case .overdue:
            return H.el(
                "strong", [("class", "badge overdue")], H.text(t("reassess.overdue", ["date": due.description])))
        case .dueSoon:
            return H.el("span", [("class", "badge due")], H.text(t("reassess.dueSoon", ["date": due.description])))
        case .onTime: return H.text(due.description)
        }
    }
}

enum TeamPage {
    static func render(_ ctx: PageContext, loads: [TeamMemberLoad], alerts: [RiskAlert] = []) -> String {
        let t = ctx.t
        let rows = loads.map { m in
            H.el(
                "tr", [],
                H.el("th", [("scope", "row")], H.a(Paths.staffCaseload(m.staffID), m.displayName)),
                H.el("td", [], H.text(t.label("role", m.role))),
                H.el("td", [("class", "num")], H.text(String(m.openCases))),
                H.el("td", [("class", "num")], H.text(String(m.overdueCases))))
        }
        let content: [HNode] = [
            H.el("h1", [], H.text(t("team.title"))),
            AlertPage.list(t, alerts),
            loads.isEmpty
                ? H.el("div", [("class", "empty")], H.p(t("team.empty")))
                : H.el(
                    "table", [("class", "data")],
                    H.el("caption", [("class", "visually-hidden")], H.text(t("team.title"))),
                    H.head([t("team.member"), t("team.role"), t("team.open"), t("team.overdue")]),
                    H.el("tbody", [], rows))
        ]
        return Layout.page(ctx, title: t("team.title"), content)
    }
}
