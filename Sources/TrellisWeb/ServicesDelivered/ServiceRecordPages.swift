import Foundation
import Plot
import TrellisCore

enum ServiceRecordFormPage {
    static func render(_ ctx: PageContext, detail: CaseDetail, referrals: [Referral], state: FormState) -> String {
        let t = ctx.t
        let f = Fields(t: t, state: state)
        let c = detail.case
        let current = state["typeCode"]
        state.note("typeCode", label: t("svc.type"))
        let groups = Dictionary(grouping: HUDServiceTypes.all, by: \.recordType).sorted { $0.key < $1.key }
        let typeSelect = H.el(
            "div", [("class", state.errors["typeCode"] == nil ? "field" : "field has-error")],
            H.el("label", [("for", "f-typeCode")], H.text(t("svc.type") + " *")),
            H.p(t("svc.type.hint"), [("class", "hint"), ("id", "f-typeCode-hint")]),
            state.errors["typeCode"].map {
                H.el(
                    "p", [("class", "field-error"), ("id", "f-typeCode-error")],
                    H.text($0.map(t.message).joined(separator: "; ")))
            } ?? H.group([]),
            H.el(
                "select",
                [
                    ("id", "f-typeCode"), ("name", "typeCode"), ("required", ""),
                    (
                        "aria-describedby",
                        "f-typeCode-hint" + (state.errors["typeCode"] == nil ? "" : " f-typeCode-error")
                    )
                ],
                [H.el("option", [("value", "")], H.text("—"))]
                    + groups.map { rt, types in
                        H.el(
                            "optgroup", [("label", "\(rt) · " + t.recordType(rt, fallback: types[0].recordLabel))],
                            types.map { ty in
                                H.el(
                                    "option", [("value", ty.code), ("selected", H.flag(ty.code == current))],
                                    H.text(t.serviceType(ty) + (ty.isFinancialAssistance ? " ($)" : "")))
                            })
                    }))
        return Layout.page(
            ctx, title: t("svc.new"),
            [
                H.el("h1", [], H.text(t("svc.new"))),
                H.p(detail.client.displayName + " · " + detail.program.name),
                Bits.back(t, c.id),
                Layout.errorSummary(t, state),
                Layout.form(
                    ctx, action: Paths.createServiceRecord(c.id), [("novalidate", "")],
                    [
                        typeSelect,
                        f.input("providedOn", t("svc.providedOn"), type: "date", required: true),
                        f.input("units", t("svc.units"), type: "number", extra: [("min", "0"), ("step", "any")]),
                        f.input("unitLabel", t("svc.unitLabel"), hint: t("svc.unitLabel.hint")),
                        referrals.isEmpty
                            ? H.group([])
                            : f.select(
                                "referralID", t("svc.referral"),
                                options: referrals.map { ($0.id.uuidString.lowercased(), $0.providerName) },
                                includeBlank: true),
                        f.input("providerName", t("svc.provider")),
                        H.el(
                            "fieldset", [("class", "field")],
                            H.el("legend", [], H.text(t("svc.fa"))),
                            H.p(t("svc.fa.hint"), [("class", "hint")]),
                            f.input("amount", t("svc.amount"), extra: [("inputmode", "decimal")]),
                            f.input("periodStart", t("svc.periodStart"), type: "date"),
                            f.input("periodEnd", t("svc.periodEnd"), type: "date"),
                            f.input("payee", t("svc.payee"), hint: t("svc.payee.hint"))),
                        f.textarea("notes", t("svc.notes"), rows: 2),
                        Layout.button(t("action.save"))
                    ])
            ])
    }
}
