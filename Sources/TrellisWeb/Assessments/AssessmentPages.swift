import Foundation
import Plot
import TrellisCore

enum AssessmentFormPage {
    static func render(_ ctx: PageContext, detail: CaseDetail, def: InstrumentDefinition, state: FormState) -> String {
        let t = ctx.t
        let f = Fields(t: t, state: state)
        let title = t.instrumentTitle(def) + ": " + detail.client.displayName
        var fields: [HNode] = [
            H.void("input", [("type", "hidden"), ("name", "instrument"), ("value", def.code)]),
            f.input("completedOn", t("asmt.completedOn"), type: "date", required: true)
        ]
        if let stem = t.instrumentStem(def) { fields.append(H.p(stem, [("class", "stem")])) }
        for item in def.items { fields.append(itemField(t, item, state, def: def)) }
        fields.append(Layout.button(t("asmt.save")))
        return Layout.page(
            ctx, title: title,
            [
                H.el("h1", [], H.text(title)),
                H.el("p", [], H.a(Paths.case(detail.case.id), t("asmt.backToCase"))),
                def.loinc.map { H.p(t("asmt.loinc", ["code": $0]), [("class", "hint")]) } ?? H.group([]),
                Layout.errorSummary(t, state),
                Layout.form(
                    ctx, action: Paths.createAssessment(detail.case.id), [("novalidate", ""), ("class", "instrument")],
                    fields)
            ])
    }

    /// One item: radio buttons (with each level's description) for choices, checkboxes for multiple
    /// choice, an input for numbers, text and dates.
    static func itemField(_ t: Strings, _ item: InstrumentItem, _ state: FormState, def: InstrumentDefinition? = nil)
        -> HNode
    {
        let name = "a.\(item.id)"
        let id = Fields.id(name)
        let text = t.itemText(def, item)
        let label = text + (item.required ? " *" : "")
        let errs = state.errors[name] ?? []
        let errNode: HNode =
            errs.isEmpty
            ? H.group([])
            : H.el(
                "p", [("class", "field-error"), ("id", id + "-error")],
                H.text(errs.map(t.message).joined(separator: "; ")))
        let cls = errs.isEmpty ? "field item" : "field item has-error"
        switch item.kind {
        case .choice, .yesNo, .scale, .multipleChoice:
            let multi = item.kind == .multipleChoice
            let chosen = Set(multi ? (state.multi[name] ?? []) : [state[name]])
            var options = item.options.map { o in
                (
                    String(o.value),
                    item.kind == .yesNo ? t("asmt.\(o.value == 1 ? "yes" : "no")") : t.optionLabel(def, o),
                    t.optionDescription(def, item, o)
                )
            }
            if item.allowsNotApplicable { options.append(("na", t("asmt.notApplicable"), nil)) }
            state.note(name, label: text, anchor: id)
            return H.el(
                "fieldset",
                [
                    ("class", cls), ("id", id), ("tabindex", "-1"),
                    ("aria-describedby", errs.isEmpty ? nil : id + "-error")
                ],
                [H.el("legend", [], H.text(label)), errNode]
                    + options.enumerated().map { i, o in
                        let oid = id + "-" + String(i)
                        return H.el(
                            "div", [("class", multi ? "check" : "radio")],
                            H.void(
                                "input",
                                [
                                    ("type", multi ? "checkbox" : "radio"), ("id", oid), ("name", name), ("value", o.0),
                                    ("checked", H.flag(chosen.contains(o.0))),
                                    ("aria-describedby", o.2 == nil ? nil : oid + "-d")
                                ]),
                            H.el(
                                "label", [("for", oid)],
                                H.text(multi || item.kind == .yesNo || o.0 == "na" ? o.1 : "\(o.0) · \(o.1)")),
                            o.2.map { H.el("p", [("class", "hint level"), ("id", oid + "-d")], H.text($0)) }
                                ?? H.group([]))
                    })
        case .longText:
            return Fields(t: t, state: state).textarea(name, text, required: item.required, rows: 4)
        case .number:
            return Fields(t: t, state: state).input(
                name, text, type: "text", required: item.required, extra: [("inputmode", "decimal")])
        case .date:
            return Fields(t: t, state: state).input(name, text, type: "date", required: item.required)
        case .text:
            return Fields(t: t, state: state).input(name, text, required: item.required)
        }
    }
}

enum AssessmentPage {
    static func answerText(_ t: Strings, _ item: InstrumentItem?, _ a: Answer?, def: InstrumentDefinition? = nil)
        -> String
    {
        switch a {
        case nil: return "—"
        case .notApplicable?: return t("asmt.notApplicable")
        case .value(let v)?:
            if item?.kind == .yesNo { return t("asmt.\(v == 1 ? "yes" : "no")") }
            let label = item?.options.first { $0.value == v }.map { t.optionLabel(def, $0) }
            return label.map { item?.kind == .scale ? $0 : "\(v) · \($0)" } ?? String(v)
        case .values(let xs)?:
            return xs.map { v in item?.options.first { $0.value == v }.map { t.optionLabel(def, $0) } ?? String(v) }
                .joined(separator: ", ")
        case .number(let d)?: return d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)
        case .text(let s)?: return s
        }
    }

    static func render(_ ctx: PageContext, assessment a: Assessment, def: InstrumentDefinition?, canPlan: Bool)
        -> String
    {
        let t = ctx.t
        let title = (def.map(t.instrumentTitle) ?? a.result.instrumentCode) + " · " + a.completedOn.description
        var content: [HNode] = [
            H.el("h1", [], H.text(title)),
            H.el(
                "p", [], H.a(Paths.case(a.caseID), t("asmt.backToCase")), H.text(" · "),
                H.a(Paths.progress(a.caseID), t("progress.title"))),
            H.el(
                "dl", [("class", "summary")],
                H.pair(
                    t("asmt.instrument"),
                    (def.map(t.instrumentTitle) ?? a.result.instrumentCode) + " ("
                        + t("asmt.version", ["n": String(a.result.instrumentVersion)]) + ")"),
                H.pair(t("asmt.completedOn"), a.completedOn.description),
                H.pair(
                    t("asmt.total"),
                    a.result.total.map { total in
                        def.map { d in d.scoring == .domains ? String(total) : "\(total) / \(d.maximumTotal)" }
                            ?? String(total)
                    }),
                H.pair(t("asmt.band"), a.result.band.map { t.bandLabel(def, $0) }))
        ]
        if !a.result.alerts.isEmpty {
            content.append(
                H.el(
                    "div", [("class", "alert-box"), ("role", "alert")],
                    H.el("h2", [], H.text(t("alert.raised"))),
                    H.el("ul", [], a.result.alerts.map { H.el("li", [], H.text(t.alertReason($0.reason))) })))
        }
        let items = def?.items ?? a.result.answers.keys.sorted().map { InstrumentItem(id: $0, text: $0, options: []) }
        content.append(
            H.table(
                caption: t("asmt.answers"), [t("asmt.item"), t("asmt.answer")],
                items.map { item in
                    H.el(
                        "tr", [], H.el("th", [("scope", "row")], H.text(t.itemText(def, item))),
                        H.el("td", [], H.text(answerText(t, item, a.result.answers[item.id], def: def))))
                }))
        if let def, canPlan {
            let needs = ssmNeeds(a, def, t)
            if !needs.isEmpty { content.append(NeedsForm.render(t, caseID: a.caseID, needs: needs)) }
        }
        return Layout.page(ctx, title: title, content)
    }
}

/// Needs listed with checkboxes; choosing some opens the plan editor with a goal started for each.
enum NeedsForm {
    static func render(_ t: Strings, caseID: UUID, needs: [AssessedNeed]) -> HNode {
        H.el(
            "section", [("aria-labelledby", "s-needs"), ("class", "no-print")],
            H.el("h2", [("id", "s-needs")], H.text(t("needs.title"))),
            H.p(t("needs.hint"), [("class", "hint")]),
            H.el(
                "form", [("method", "get"), ("action", Paths.editPlan(caseID))],
                needs.enumerated().map { i, n in
                    H.el(
                        "div", [("class", "check")],
                        H.void(
                            "input", [("type", "checkbox"), ("id", "need-\(i)"), ("name", "need"), ("value", n.ref)]),
                        H.el("label", [("for", "need-\(i)")], H.text(n.text)))
                } + [Layout.button(t("needs.toPlan"))]))
    }
}

enum BiopsychosocialFormPage {
    static func render(_ ctx: PageContext, detail: CaseDetail, state: FormState) -> String {
        let t = ctx.t
        let f = Fields(t: t, state: state)
        let title = t("bps.title") + ": " + detail.client.displayName
        var fields: [HNode] = [f.input("completedOn", t("asmt.completedOn"), type: "date", required: true)]
        for d in BPSDomain.allCases {
            let p = "domains.\(d.rawValue)."
            fields.append(
                H.el(
                    "fieldset", [("class", "domain")],
                    H.el("legend", [], H.text(t("bps.domain.\(d.rawValue)"))),
                    f.textarea(p + "findings", t("bps.findings"), rows: 3),
                    f.textarea(p + "clientWords", t("bps.clientWords"), rows: 2, hint: t("bps.clientWords.hint")),
                    f.textarea(p + "needs", t("bps.needs"), rows: 2, hint: t("bps.onePerLine")),
                    f.textarea(p + "strengths", t("bps.strengths"), rows: 2, hint: t("bps.onePerLine"))))
        }
        fields.append(
            H.el(
                "fieldset", [("class", "domain")],
                [H.el("legend", [], H.text(t("bps.inventory"))), H.p(t("bps.inventory.hint"), [("class", "hint")])]
                    + StrengthArea.allCases.map { a in
                        f.textarea(
                            "strengths.\(a.rawValue)", t("bps.strength.\(a.rawValue)"), rows: 2,
                            hint: t("bps.onePerLine"))
                    }))
        fields.append(Layout.button(t("asmt.save")))
        return Layout.page(
            ctx, title: title,
            [
                H.el("h1", [], H.text(title)),
                H.el("p", [], H.a(Paths.case(detail.case.id), t("asmt.backToCase"))),
                Layout.errorSummary(t, state),
                Layout.form(ctx, action: Paths.createBiopsychosocial(detail.case.id), [("novalidate", "")], fields)
            ])
    }
}

enum BiopsychosocialPage {
    static func render(_ ctx: PageContext, bps b: BiopsychosocialAssessment, canPlan: Bool) -> String {
        let t = ctx.t
        let title = t("bps.title") + " · " + b.completedOn.description
        var content: [HNode] = [
            H.el("h1", [], H.text(title)),
            H.el("p", [], H.a(Paths.case(b.caseID), t("asmt.backToCase")))
        ]
        for d in b.domains {
            content.append(
                H.el(
                    "section", [("class", "domain")],
                    H.el("h2", [], H.text(t("bps.domain.\(d.domain.rawValue)"))),
                    H.el(
                        "dl", [("class", "summary")],
                        H.pair(t("bps.findings"), d.findings),
                        H.pair(t("bps.clientWords"), d.clientWords.map { "“" + $0 + "”" }),
                        H.pair(t("bps.needs"), d.needs.isEmpty ? nil : d.needs.joined(separator: "; ")),
                        H.pair(t("bps.strengths"), d.strengths.isEmpty ? nil : d.strengths.joined(separator: "; ")))))
        }
        if !b.strengths.isEmpty {
            content.append(
                H.el(
                    "section", [],
                    H.el("h2", [], H.text(t("bps.inventory"))),
                    H.el(
                        "dl", [("class", "summary")],
                        StrengthArea.allCases.compactMap { a in
                            b.strengths[a].map { H.pair(t("bps.strength.\(a.rawValue)"), $0.joined(separator: "; ")) }
                        })))
        }
        if canPlan && !b.needs.isEmpty {
            content.append(
                NeedsForm.render(
                    t, caseID: b.caseID,
                    needs: b.needs.map { n in
                        var n = n
                        n.text = t("bps.domain.\(n.domain)") + ": " + n.text
                        return n
                    }))
        }
        return Layout.page(ctx, title: title, content)
    }
}

enum AlertPage {
    static func render(
        _ ctx: PageContext, alert a: RiskAlert, client: ClientSummary, canAcknowledge: Bool, acknowledgedBy: String?,
        state: FormState
    ) -> String {
        let t = ctx.t
        let f = Fields(t: t, state: state)
        var content: [HNode] = [
            H.el("h1", [], H.text(t("alert.title") + ": " + client.displayName)),
            H.el(
                "dl", [("class", "summary")],
                H.el("dt", [], H.text(t("alert.client"))),
                H.el("dd", [], H.a(Paths.client(client.id), client.displayName)),
                H.pair(t("alert.reason"), t.alertReason(a.reason)),
                H.pair(t("alert.raisedAt"), t.dateTime(a.raisedAt)),
                H.pair(t("alert.status"), a.acknowledgedAt == nil ? t("alert.open") : t("alert.acknowledged")),
                H.pair(
                    t("alert.acknowledgedBy"),
                    a.acknowledgedAt.map { t.dateTime($0) + " · " + (acknowledgedBy ?? "—") }),
                H.pair(t("alert.actionTaken"), a.actionTaken)),
            H.el(
                "p", [], H.a(Paths.case(a.caseID), t("asmt.backToCase")), H.text(" · "),
                H.a(Paths.assessment(a.assessmentID), t("alert.assessment")))
        ]
        if a.acknowledgedAt == nil && canAcknowledge {
            content.append(
                H.el(
                    "section", [("aria-labelledby", "s-ack")],
                    H.el("h2", [("id", "s-ack")], H.text(t("alert.acknowledge"))),
                    Layout.errorSummary(t, state),
                    Layout.form(
                        ctx, action: Paths.acknowledgeAlert(a.id), [("novalidate", "")],
                        [
                            f.textarea(
                                "actionTaken", t("alert.actionTaken"), required: true, rows: 4,
                                hint: t("alert.actionTaken.hint")),
                            Layout.button(t("alert.acknowledge"))
                        ])))
        }
        return Layout.page(ctx, title: t("alert.title") + ": " + client.displayName, content)
    }

    /// The open alerts on a dashboard, most urgent (oldest) first.
    static func list(_ t: Strings, _ alerts: [RiskAlert]) -> HNode {
        guard !alerts.isEmpty else { return H.group([]) }
        return H.el(
            "section", [("aria-labelledby", "s-alerts"), ("class", "alert-box")],
            H.el("h2", [("id", "s-alerts")], H.text(t("alert.dashboard", ["n": String(alerts.count)]))),
            H.el(
                "ul", [],
                alerts.map { a in
                    H.el(
                        "li", [], H.a(Paths.alert(a.id), (a.clientName ?? "—") + ": " + t.alertReason(a.reason)),
                        H.text(" · " + t.dateTime(a.raisedAt)))
                }))
    }
}
