import Foundation
import Plot
import TrellisCore

enum FormListPage {
    static func render(_ ctx: PageContext, forms: [InstrumentDefinition], programs: [Program]) -> String {
        let t = ctx.t
        let names = Dictionary(uniqueKeysWithValues: programs.map { ($0.id, $0.name) })
        return Layout.page(
            ctx, title: t("forms.title"),
            [
                H.el("h1", [], H.text(t("forms.title"))),
                H.p(t("forms.lede"), [("class", "lede")]),
                H.el("p", [], H.a(Paths.newForm, t("forms.new"), [("class", "button")])),
                forms.isEmpty
                    ? H.el("div", [("class", "empty")], H.p(t("forms.empty")))
                    : H.table(
                        caption: t("forms.title"), hiddenCaption: true,
                        [
                            t("forms.name"), t("forms.purpose"), t("forms.programs"), t("forms.fields"),
                            t("forms.scoring"), t("plan.version")
                        ],
                        forms.map { d in
                            H.el(
                                "tr", [],
                                H.el("th", [("scope", "row")], H.a(Paths.form(d.code), d.title)),
                                H.el("td", [], H.text(t("purpose.\(d.purpose.rawValue)"))),
                                H.el(
                                    "td", [],
                                    H.text(
                                        d.programIDs.isEmpty
                                            ? t("forms.allPrograms")
                                            : d.programIDs.compactMap { names[$0] }.joined(separator: ", "))),
                                H.el("td", [("class", "num")], H.text(String(d.items.count))),
                                H.el("td", [], H.text(d.scoring == .sum ? t("forms.scored") : "—")),
                                H.el("td", [("class", "num")], H.text(String(d.version))))
                        })
            ])
    }
}

enum FormBuilderPage {
    static func render(
        _ ctx: PageContext, code: String?, version: Int?, rows: Int, programs: [Program], state: FormState
    ) -> String {
        let t = ctx.t
        let f = Fields(t: t, state: state)
        let title = code == nil ? t("forms.new") : t("forms.edit")
        var fields: [HNode] = [
            H.void("input", [("type", "hidden"), ("name", "version"), ("value", version.map(String.init))]),
            f.input("title", t("forms.name"), required: true),
            f.select(
                "purpose", t("forms.purpose"),
                options: InstrumentPurpose.allCases.map { ($0.rawValue, t("purpose.\($0.rawValue)")) }, required: true),
            f.checkboxes(
                "programIDs", t("forms.programs") + " — " + t("forms.programs.hint"),
                options: programs.map { ($0.id.uuidString.lowercased(), $0.name) })
        ]
        let kinds = ItemKind.allCases.map { ($0.rawValue, t("kind.\($0.rawValue)")) }
        for i in 0..<rows {
            let p = "fields.\(i)."
            fields.append(
                H.el(
                    "fieldset", [("class", "form-field inline-fields")],
                    H.el("legend", [], H.text(t("forms.fieldN", ["n": String(i + 1)]))),
                    H.void("input", [("type", "hidden"), ("name", p + "id"), ("value", state[p + "id"])]),
                    f.input(p + "label", t("forms.label")),
                    f.select(p + "kind", t("forms.kind"), options: kinds),
                    H.el(
                        "div", [("class", "check")],
                        H.void(
                            "input",
                            [
                                ("type", "checkbox"), ("id", Fields.id(p + "required")), ("name", p + "required"),
                                ("value", "on"),
                                ("checked", H.flag(state[p + "required"] == "on"))
                            ]),
                        H.el("label", [("for", Fields.id(p + "required"))], H.text(t("forms.required")))),
                    f.textarea(p + "options", t("forms.options"), rows: 3, hint: t("forms.options.hint")),
                    f.input(p + "scaleMin", t("forms.scaleMin"), type: "number"),
                    f.input(p + "scaleMax", t("forms.scaleMax"), type: "number")))
        }
        fields += [
            H.el(
                "fieldset", [],
                H.el("legend", [], H.text(t("forms.scoring"))),
                H.el(
                    "div", [("class", "check")],
                    H.void(
                        "input",
                        [
                            ("type", "checkbox"), ("id", "f-scored"), ("name", "scored"), ("value", "on"),
                            ("checked", H.flag(state["scored"] == "on"))
                        ]),
                    H.el("label", [("for", "f-scored")], H.text(t("forms.scoredLabel")))),
                f.textarea("bands", t("forms.bands"), rows: 3, hint: t("forms.bands.hint"))),
            Layout.button(t("forms.save"))
        ]
        return Layout.page(
            ctx, title: title,
            [
                H.el("h1", [], H.text(title)),
                H.el("p", [], H.a(Paths.adminForms, t("forms.back"))),
                H.p(t("forms.builder.hint"), [("class", "hint")]),
                Layout.errorSummary(t, state),
                Layout.form(ctx, action: code.map(Paths.form) ?? Paths.adminForms, [("novalidate", "")], fields)
            ], wide: true)
    }
}
