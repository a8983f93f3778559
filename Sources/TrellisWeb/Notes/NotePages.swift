import Foundation
import Plot
import TrellisCore

enum NoteFormPage {
    enum Mode {
        case new(caseID: UUID)
        case edit(noteID: UUID, version: Int)
        case addendum(noteID: UUID)
    }

    static func render(_ ctx: PageContext, mode: Mode, clientName: String, state: FormState) -> String {
        let t = ctx.t
        let f = Fields(t: t, state: state)
        let (title, action): (String, String) =
            switch mode {
            case .new(let id): (t("note.new"), Paths.createNote(id))
            case .edit(let id, _): (t("note.edit"), Paths.editNote(id))
            case .addendum(let id): (t("note.addAddendum"), Paths.addendum(id))
            }
        var fields: [HNode] = [
            f.select(
                "contactType", t("note.contactType"),
                options: ContactType.allCases.map { ($0.rawValue, t.label("contact", $0)) }, required: true),
            f.input("contactDate", t("note.contactDate"), type: "date", required: true),
            f.input("durationMinutes", t("note.duration"), type: "number", extra: [("min", "0"), ("max", "1440")]),
            f.input("participants", t("note.participants"), hint: t("note.participants.hint")),
            f.select(
                "format", t("note.format"), options: NoteFormat.allCases.map { ($0.rawValue, t.label("format", $0)) },
                required: true,
                hint: t("note.format.hint"))
        ]
        // Every section of every format is on the page, so switching format needs no script; the
        // service keeps only the sections of the chosen format and says if one was left over.
        for fmt in NoteFormat.allCases {
            fields.append(
                H.el(
                    "fieldset", [("class", "sections sections-\(fmt.rawValue)")],
                    [H.el("legend", [], H.text(t("note.sectionsOf", ["format": t.label("format", fmt)])))]
                        + fmt.sections.map { s in
                            f.textarea(
                                "sections.\(fmt.rawValue).\(s)", t("section.\(s)"), rows: fmt == .narrative ? 8 : 4)
                        }))
        }
        if case .edit(_, let v) = mode {
            fields.append(H.void("input", [("type", "hidden"), ("name", "version"), ("value", String(v))]))
        }
        fields.append(Layout.button(t("note.saveDraft")))
        return Layout.page(
            ctx, title: title,
            [
                H.el("h1", [], H.text(title + ": " + clientName)),
                Layout.errorSummary(t, state),
                Layout.form(ctx, action: action, [("novalidate", "")], fields)
            ])
    }
}

enum NoteDetailPage {
    static func render(
        _ ctx: PageContext, detail: NoteDetail, canSign: Bool, canEdit: Bool, canAddend: Bool,
        signState: FormState = FormState()
    ) -> String {
        let t = ctx.t
        let n = detail.note
        var content: [HNode] = [
            H.el("h1", [], H.text(t("note.title") + ": " + detail.client.displayName)),
            H.el("p", [], H.a(Paths.case(n.caseID), t("note.backToCase")))
        ]
        if let original = detail.original {
            content.append(
                H.el(
                    "p", [("class", "notice")], H.text(t("note.isAddendumTo") + " "),
                    H.a(Paths.note(original.id), original.contactDate.description)))
        }
        content.append(
            H.el(
                "dl", [("class", "summary")],
                H.pair(
                    t("note.status"),
                    t.label("noteStatus", n.status)
                        + (n.signedAt.map { " " + t.dateTime($0) } ?? "")),
                H.pair(t("note.author"), detail.author?.displayName),
                H.pair(t("note.contactType"), t.label("contact", n.contactType)),
                H.pair(t("note.contactDate"), n.contactDate.description),
                H.pair(t("note.duration"), n.durationMinutes == 0 ? "—" : String(n.durationMinutes)),
                H.pair(t("note.participants"), n.participants.isEmpty ? nil : n.participants.joined(separator: ", ")),
                H.pair(t("note.format"), t.label("format", n.format)),
                cosignature(t, detail)))
        for s in n.format.sections {
            content.append(
                H.el(
                    "section", [("class", "note-section")],
                    H.el("h2", [], H.text(t("section.\(s)"))),
                    H.el("div", [("class", "note-text")], H.text(n.sections[s] ?? "—"))))
        }
        var actions: [HNode] = []
        if n.status == .draft && canEdit {
            actions.append(H.a(Paths.editNote(n.id), t("note.edit"), [("class", "button secondary")]))
        }
        if n.status == .draft && canSign {
            // Signing is for good: the worker confirms before the note is sealed.
            let f = Fields(t: t, state: signState)
            actions.append(
                Layout.form(
                    ctx, action: Paths.signNote(n.id), [("class", "sign-note"), ("novalidate", "")],
                    [
                        H.void("input", [("type", "hidden"), ("name", "version"), ("value", String(n.version))]),
                        H.p(t("note.sign.warning"), [("class", "hint")]),
                        f.checkboxes("confirm", t("note.sign.confirmLegend"), options: [("1", t("note.sign.confirm"))]),
                        Layout.button(t("note.sign"))
                    ]))
        }
        if n.status == .signed && canAddend {
            actions.append(H.a(Paths.addendum(n.id), t("note.addAddendum"), [("class", "button secondary")]))
        }
        content.append(H.el("div", [("class", "actions no-print")], actions))
        if !detail.addenda.isEmpty {
            content.append(
                H.el(
                    "section", [],
                    H.el("h2", [], H.text(t("note.addenda"))),
                    H.el(
                        "ol", [("class", "addenda")],
                        detail.addenda.map { a in
                            // Each addendum's text under the note it corrects, so the record reads as one.
                            H.el(
                                "li", [],
                                [
                                    H.el(
                                        "p", [],
                                        H.a(
                                            Paths.note(a.id),
                                            a.contactDate.description + " · " + t.label("noteStatus", a.status)
                                                + " · " + (detail.names[a.authorID] ?? "—")))
                                ]
                                    + a.format.sections.compactMap { s in
                                        a.sections[s].map { H.el("div", [("class", "note-text")], H.text($0)) }
                                    })
                        })))
        }
        return Layout.page(ctx, title: t("note.title"), content)
    }

    /// Who co-signed the note and when, or that it waits for (or was returned from) co-signature.
    static func cosignature(_ t: Strings, _ detail: NoteDetail) -> HNode {
        guard let r = detail.review else { return H.group([]) }
        let value: String
        switch r.status {
        case .approved:
            value =
                (r.reviewedBy.flatMap { detail.names[$0] } ?? "—") + (r.reviewedAt.map { ", " + t.dateTime($0) } ?? "")
        case .pending: value = t("note.cosign.pending")
        case .returned, .addressed: value = t("note.cosign.returned")
        }
        return H.pair(t("note.cosignedBy"), value)
    }
}
