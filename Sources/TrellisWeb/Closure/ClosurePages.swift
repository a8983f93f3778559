import Foundation
import Plot
import TrellisCore

enum ClosePage {
    static func render(_ ctx: PageContext, detail: CaseDetail, state: FormState) -> String {
        let t = ctx.t
        let f = Fields(t: t, state: state)
        let c = detail.case
        let checked = Set(state.multi["checklist"] ?? [])
        let days = Set(state.multi["followUpDays"] ?? [])
        func checks(_ name: String, _ legend: String, _ opts: [(String, String)], _ on: Set<String>) -> HNode {
            H.el(
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
                            options: HUDDestination.all.map { (String($0.code), "\($0.code) · \($0.label)") },
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
