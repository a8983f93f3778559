import Foundation
import Plot
import TrellisCore

enum AdvocacyFormPage {
    static func render(
        _ ctx: PageContext, caseID: UUID, action: AdvocacyAction?, state: FormState, letters: [Letter] = []
    ) -> String {
        let t = ctx.t
        let f = Fields(t: t, state: state)
        let title = action.map { t("advKind.\($0.kind.rawValue)") + ": " + $0.otherParty } ?? t("adv.new")
        var content: [HNode] = [H.el("h1", [], H.text(title)), Bits.back(t, caseID)]
        if let a = action {
            content.append(
                H.el(
                    "p", [("class", "actions")],
                    H.a(
                        Paths.newLetter(caseID) + "?advocacy=" + a.id.uuidString.lowercased(), t("letter.write"),
                        [("class", "button secondary")])))
        }
        content.append(Layout.errorSummary(t, state))
        content.append(
            Layout.form(
                ctx, action: action.map { Paths.advocacy($0.id) } ?? Paths.createAdvocacy(caseID), [("novalidate", "")],
                [
                    f.select(
                        "kind", t("adv.kind"),
                        options: AdvocacyKind.allCases.map { ($0.rawValue, t("advKind.\($0.rawValue)")) },
                        required: true),
                    f.select(
                        "issue", t("adv.issue"),
                        options: AdvocacyIssue.allCases.map { ($0.rawValue, t("advIssue.\($0.rawValue)")) },
                        required: true, includeBlank: true),
                    f.input("otherParty", t("adv.otherParty"), required: true, hint: t("adv.otherParty.hint")),
                    f.textarea("summary", t("adv.summary"), rows: 3),
                    f.input(
                        "filingDeadline", t("adv.filingDeadline"), type: "date", hint: t("adv.filingDeadline.hint")),
                    f.input("hearingOn", t("adv.hearingOn"), type: "date"),
                    f.select(
                        "status", t("adv.status"),
                        options: AdvocacyStatus.allCases.map { ($0.rawValue, t("advStatus.\($0.rawValue)")) }),
                    f.select(
                        "outcome", t("adv.outcome"),
                        options: AdvocacyOutcome.allCases.map { ($0.rawValue, t("advOutcome.\($0.rawValue)")) }),
                    f.textarea("outcomeNotes", t("adv.outcomeNotes"), rows: 2),
                    Bits.hidden("version", state["version"]),
                    Layout.button(t("action.save"))
                ]))
        return Layout.page(ctx, title: title, content)
    }
}

enum LetterFormPage {
    static func render(_ ctx: PageContext, caseID: UUID, templates: [LetterTemplate], state: FormState, preview: Bool)
        -> String
    {
        let t = ctx.t
        let f = Fields(t: t, state: state)
        var content: [HNode] = [H.el("h1", [], H.text(t("letter.new"))), Bits.back(t, caseID)]
        if templates.isEmpty {
            content.append(Bits.empty(t("letter.noTemplates")))
            return Layout.page(ctx, title: t("letter.new"), content)
        }
        content.append(
            H.el(
                "form", [("method", "get"), ("action", Paths.newLetter(caseID)), ("class", "inline-fields")],
                [
                    f.select(
                        "template", t("letter.template"),
                        options: templates.filter(\.active).map { ($0.id.uuidString.lowercased(), $0.name) },
                        required: true),
                    Bits.hidden("advocacy", state["advocacy"]),
                    Layout.button(t("letter.merge"), [("class", "secondary")])
                ]))
        if preview {
            content.append(Layout.errorSummary(t, state))
            content.append(
                Layout.form(
                    ctx, action: Paths.createLetter(caseID), [("novalidate", "")],
                    [
                        f.input("title", t("letter.titleField"), required: true),
                        f.textarea("body", t("letter.body"), required: true, rows: 16, hint: t("letter.body.hint")),
                        Bits.hidden("templateID", state["template"]), Bits.hidden("advocacyID", state["advocacy"]),
                        Layout.button(t("letter.keep"))
                    ]))
        }
        return Layout.page(ctx, title: t("letter.new"), content)
    }
}

enum LetterPage {
    /// Lines kept as lines, paragraphs as paragraphs.
    static func lines(_ text: String) -> [HNode] {
        LetterMerge.paragraphs(text).map { lines in
            H.el(
                "p", [],
                lines.enumerated().flatMap { i, line in i == 0 ? [H.text(line)] : [H.void("br", []), H.text(line)] })
        }
    }

    /// The agency's name, address and phone at the head of the letter.
    static func letterhead(_ t: Strings, _ agency: Agency) -> HNode {
        H.el(
            "header", [("class", "letterhead")], H.el("p", [("class", "agency-name")], H.text(agency.name)),
            agency.letterheadAddress.map { H.el("div", [("class", "agency-address")], lines($0)) } ?? H.group([]),
            agency.letterheadPhone.map { H.p(t("letterhead.phone", ["phone": $0])) } ?? H.group([]))
    }

    static func article(_ t: Strings, _ l: Letter, _ agency: Agency) -> HNode {
        H.el(
            "article", [("class", "printable letter")],
            [letterhead(t, agency), H.el("h1", [("class", "visually-hidden")], H.text(l.title))] + lines(l.body))
    }

    static func render(_ ctx: PageContext, letter l: Letter, agency: Agency) -> String {
        let t = ctx.t
        return Layout.page(
            ctx, title: l.title,
            [
                H.el("p", [("class", "no-print")], H.a(Paths.case(l.caseID), t("asmt.backToCase"))),
                H.el(
                    "p", [("class", "no-print actions")],
                    H.el("button", [("type", "button"), ("data-print", "")], H.text(t("action.print"))),
                    H.text(" "), H.a(Paths.letterPDF(l.id), t("letter.pdf"), [("class", "button secondary")])),
                article(t, l, agency),
                H.p(t("letter.kept", ["date": t.dateTime(l.createdAt)]), [("class", "hint no-print")])
            ])
    }

    /// The letter alone, with its own styles, as Chromium prints it to PDF.
    static func printable(_ t: Strings, letter l: Letter, agency: Agency) -> String {
        let style = """
            @page { size: letter; margin: 2cm 2.2cm; }
            body { font-family: "Liberation Serif", "Times New Roman", serif; font-size: 12pt; line-height: 1.4; color: #000; }
            .letterhead { border-bottom: 1px solid #000; margin-bottom: 1.5em; padding-bottom: .5em; }
            .letterhead p { margin: 0; } .agency-name { font-size: 15pt; font-weight: bold; }
            .agency-address p { margin: 0; } p { margin: 0 0 .9em; }
            .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
            """
        let head: HNode = H.el(
            "head", [], H.void("meta", [("charset", "utf-8")]), H.el("title", [], H.text(l.title)),
            H.el("style", [], .raw(style)))
        return "<!DOCTYPE html>"
            + H.el("html", [("lang", t.language.rawValue)], head, H.el("body", [], article(t, l, agency))).render()
    }
}

enum TemplatesPage {
    static func render(
        _ ctx: PageContext, templates: [LetterTemplate], editing: LetterTemplate?, state: FormState,
        letterhead: FormState = FormState(), agencyName: String = ""
    ) -> String {
        let t = ctx.t
        let f = Fields(t: t, state: state)
        let lf = Fields(t: t, state: letterhead)
        var content: [HNode] = [H.el("h1", [], H.text(t("tmpl.title")))]
        content.append(
            Bits.section(
                "s-letterhead", t("letterhead.title"),
                [
                    H.p(t("letterhead.hint", ["name": agencyName]), [("class", "hint")]),
                    Layout.errorSummary(t, letterhead),
                    Layout.form(
                        ctx, action: Paths.adminLetterhead, [("novalidate", "")],
                        [
                            lf.textarea(
                                "address", t("letterhead.address"), rows: 3, hint: t("letterhead.address.hint")),
                            lf.input("phone", t("letterhead.phoneLabel"), type: "tel"),
                            Layout.button(t("action.save"), [("class", "secondary")])
                        ])
                ]))
        content.append(
            templates.isEmpty
                ? Bits.empty(t("tmpl.none"))
                : H.table(
                    caption: t("tmpl.title"), hiddenCaption: true,
                    [t("tmpl.name"), t("tmpl.active"), t("tmpl.updated")],
                    templates.map { x in
                        Bits.row([
                            H.a(Paths.letterTemplate(x.id), x.name),
                            H.text(x.active ? t("answer.yes") : t("answer.no")), H.text(t.dateTime(x.updatedAt))
                        ])
                    }))
        content.append(
            Bits.section(
                "s-tmpl", editing == nil ? t("tmpl.new") : t("tmpl.edit"),
                [
                    H.p(
                        t("tmpl.fields") + " " + LetterMerge.fields.map { "{{\($0)}}" }.joined(separator: " "),
                        [("class", "hint")]),
                    Layout.errorSummary(t, state),
                    Layout.form(
                        ctx, action: editing.map { Paths.letterTemplate($0.id) } ?? Paths.adminLetters,
                        [("novalidate", "")],
                        [
                            f.input("name", t("tmpl.name"), required: true),
                            f.textarea("body", t("tmpl.body"), required: true, rows: 14),
                            f.select(
                                "active", t("tmpl.active"), options: [("1", t("answer.yes")), ("0", t("answer.no"))]),
                            Bits.hidden("version", state["version"]),
                            Layout.button(t("action.save"))
                        ])
                ]))
        return Layout.page(ctx, title: t("tmpl.title"), content)
    }
}
