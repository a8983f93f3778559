import Foundation
import Plot
import TrellisCore

enum ReferralFormPage {
    static func render(
        _ ctx: PageContext, detail: CaseDetail, goals: [PlanGoal], service: ResourceListing?, state: FormState
    ) -> String {
        let t = ctx.t
        let f = Fields(t: t, state: state)
        let c = detail.case
        return Layout.page(
            ctx, title: t("ref.new"),
            [
                H.el("h1", [], H.text(t("ref.new"))),
                H.p(detail.client.displayName + " · " + detail.program.name),
                Bits.back(t, c.id),
                Layout.errorSummary(t, state),
                Layout.form(
                    ctx, action: Paths.createReferral(c.id), [("novalidate", "")],
                    [
                        goals.isEmpty
                            ? H.p(t("ref.noGoals"), [("class", "hint")])
                            : f.select(
                                "goalID", t("ref.goal"),
                                options: goals.map {
                                    (
                                        $0.id.uuidString.lowercased(),
                                        $0.goal + (domainLabel(t, $0.domain).map { " (" + $0 + ")" } ?? "")
                                    )
                                }, includeBlank: true),
                        service.map { s in
                            H.group([
                                Bits.hidden("serviceID", s.service.id.uuidString.lowercased()),
                                H.el(
                                    "dl", [("class", "summary")],
                                    H.pair(
                                        t("ref.provider"),
                                        [s.organization?.name, s.service.name].compactMap { $0 }.joined(
                                            separator: " — ")))
                            ])
                        }
                            ?? H.group([
                                H.p(t("ref.chooseOrType"), [("class", "hint")]),
                                H.el(
                                    "p", [],
                                    H.a(
                                        Paths.directory + "?case=" + c.id.uuidString.lowercased()
                                            + (state["need"].isEmpty ? "" : "&need=" + state["need"]),
                                        t("ref.findInDirectory"))),
                                f.input("providerName", t("ref.providerName"))
                            ]),
                        f.input("providerContact", t("ref.providerContact")),
                        f.textarea("reason", t("ref.reason"), required: true, rows: 3, hint: t("ref.reason.hint")),
                        f.input("consentOn", t("ref.consentOn"), type: "date", hint: t("ref.consentOn.hint")),
                        Layout.button(t("ref.send"), [("name", "send"), ("value", "1")]),
                        Layout.button(t("ref.saveDraft"), [("name", "send"), ("value", "0"), ("class", "secondary")])
                    ])
            ])
    }
}

enum ReferralPage {
    static func render(
        _ ctx: PageContext, detail d: ReferralDetail, names: [UUID: String], canWrite: Bool, state: FormState
    ) -> String {
        let t = ctx.t
        let r = d.referral
        let f = Fields(t: t, state: state)
        var content: [HNode] = [
            H.el("h1", [], H.text(t("ref.title") + ": " + r.providerName)),
            Bits.back(t, r.caseID),
            H.el(
                "p", [("class", "actions")],
                H.a(Paths.printReferral(r.id), t("ref.print"), [("class", "button secondary")])),
            H.el(
                "dl", [("class", "summary")],
                H.pair(t("ref.status"), t("refStatus.\(r.status.rawValue)")),
                H.pair(t("ref.client"), d.client.displayName),
                H.pair(t("ref.goal"), r.goalText),
                H.pair(t("plan.domain"), domainLabel(t, r.need)),
                H.pair(t("ref.provider"), r.providerName),
                H.pair(t("ref.providerContact"), r.providerContact),
                H.pair(t("ref.reason"), r.reason),
                H.pair(t("ref.consentOn"), r.consentOn?.description),
                H.pair(t("ref.sentOn"), r.sentOn?.description),
                H.pair(t("ref.responseDue"), r.status == .sent ? r.responseDueOn?.description : nil),
                H.pair(t("ref.connectedOn"), r.connectedOn?.description))
        ]
        if canWrite && !r.status.next.isEmpty {
            content.append(
                H.el(
                    "section", [("aria-labelledby", "s-move"), ("class", "no-print")],
                    H.el("h2", [("id", "s-move")], H.text(t("ref.move"))),
                    Layout.errorSummary(t, state),
                    Layout.form(
                        ctx, action: Paths.referralStatus(r.id), [("novalidate", "")],
                        [
                            f.select(
                                "status", t("ref.newStatus"),
                                options: r.status.next.map { ($0.rawValue, t("refStatus.\($0.rawValue)")) },
                                required: true),
                            f.input("on", t("ref.on"), type: "date"),
                            f.textarea("reason", t("ref.why"), rows: 2, hint: t("ref.why.hint")),
                            Bits.hidden("version", String(r.version)),
                            Layout.button(t("action.save"))
                        ])))
        }
        content.append(
            Bits.section(
                "s-steps", t("ref.steps"),
                [
                    H.table(
                        caption: t("ref.steps"), hiddenCaption: true,
                        [t("ref.status"), t("ref.on"), t("ref.by"), t("ref.why")],
                        r.events.map { e in
                            Bits.row([
                                H.text(t("refStatus.\(e.status.rawValue)")), H.text(e.on.description),
                                H.text(names[e.by] ?? "—"), H.text(e.reason ?? "—")
                            ])
                        })
                ]))
        return Layout.page(ctx, title: t("ref.title"), content)
    }
}

/// The referral as the provider receives it: a plain printable page.
enum ReferralPrintPage {
    static func render(_ ctx: PageContext, detail d: ReferralDetail) -> String {
        let t = ctx.t
        let r = d.referral
        let loc = d.service?.service.locations.first
        return Layout.page(
            ctx, title: t("ref.form"),
            [
                H.el("p", [("class", "no-print")], H.a(Paths.referral(r.id), t("ref.backToReferral"))),
                H.el(
                    "p", [("class", "no-print")],
                    H.el("button", [("type", "button"), ("onclick", "window.print()")], H.text(t("action.print")))),
                H.el(
                    "article", [("class", "printable")],
                    H.el("h1", [], H.text(t("ref.form"))),
                    H.p((d.agency?.name ?? "") + " · " + ((r.sentOn ?? r.events.first?.on)?.description ?? "")),
                    H.el("h2", [], H.text(t("ref.to"))),
                    H.el(
                        "dl", [("class", "summary")],
                        H.pair(t("ref.provider"), r.providerName),
                        H.pair(t("dir.address"), loc?.line.nilIfEmpty),
                        H.pair(t("ref.providerContact"), r.providerContact)),
                    H.el("h2", [], H.text(t("ref.about"))),
                    H.el(
                        "dl", [("class", "summary")],
                        H.pair(t("client.name"), d.client.legalName.nilIfEmpty ?? d.client.displayName),
                        H.pair(t("client.birthDate"), d.client.birthDate?.description),
                        H.pair(t("client.phone"), d.client.phone),
                        H.pair(t("client.preferredLanguage"), d.client.preferredLanguage),
                        H.pair(t("ref.reason"), r.reason),
                        H.pair(t("ref.goal"), r.goalText),
                        H.pair(t("ref.consentOn"), r.consentOn?.description ?? t("ref.noConsent"))),
                    H.el("h2", [], H.text(t("ref.from"))),
                    H.el(
                        "dl", [("class", "summary")],
                        H.pair(t("case.caseManager"), d.caseManager?.displayName),
                        H.pair(t("ref.agency"), d.agency?.name)),
                    H.p(t("ref.pleaseReply")))
            ])
    }
}

enum ServiceRecordFormPage {
    static func render(_ ctx: PageContext, detail: CaseDetail, referrals: [Referral], state: FormState) -> String {
        let t = ctx.t
        let f = Fields(t: t, state: state)
        let c = detail.case
        let current = state["typeCode"]
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
                            "optgroup", [("label", "\(rt) · \(types[0].recordLabel)")],
                            types.map { ty in
                                H.el(
                                    "option", [("value", ty.code), ("selected", H.flag(ty.code == current))],
                                    H.text(ty.label + (ty.isFinancialAssistance ? " ($)" : "")))
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

enum TasksPage {
    static func render(_ ctx: PageContext, tasks: [CaseTask], today: LocalDate, feedURL: String?, names: [UUID: String])
        -> String
    {
        let t = ctx.t
        let overdue = tasks.filter { $0.isOverdue(today) }
        var content: [HNode] = [
            H.el("h1", [], H.text(t("task.title"))),
            H.el("p", [("class", "actions")], H.a(Paths.newTask, t("task.new"), [("class", "button")]))
        ]
        if !overdue.isEmpty {
            content.append(
                H.el(
                    "p", [("class", "flash warn"), ("role", "status")],
                    H.text(t("task.overdueCount", ["n": String(overdue.count)]))))
        }
        content.append(tasks.isEmpty ? Bits.empty(t("task.none")) : taskTable(ctx, tasks, today: today, names: names))
        content.append(
            Bits.section(
                "s-feed", t("task.feed"),
                [
                    H.p(t("task.feed.hint"), [("class", "hint")]),
                    feedURL.map { H.el("p", [], H.el("code", [("class", "feed-url")], H.text($0))) } ?? H.group([]),
                    Layout.form(
                        ctx, action: Paths.calendarReset, [],
                        [
                            Layout.button(
                                feedURL == nil ? t("task.feed.make") : t("task.feed.reset"), [("class", "secondary")])
                        ])
                ]))
        return Layout.page(ctx, title: t("task.title"), content)
    }

    static func taskTable(
        _ ctx: PageContext, _ tasks: [CaseTask], today: LocalDate, names: [UUID: String], caption: String? = nil
    ) -> HNode {
        let t = ctx.t
        return H.table(
            caption: caption ?? t("task.title"), hiddenCaption: caption == nil,
            [t("task.due"), t("task.what"), t("task.kind"), t("task.assignee"), t("task.status")],
            tasks.map { k in
                let when = k.startsAt.map { Format.dateTime($0) } ?? k.dueOn.description
                return H.el(
                    "tr", [("class", k.isOverdue(today) ? "overdue" : nil)],
                    H.el(
                        "td", [], H.text(when),
                        k.isOverdue(today)
                            ? H.group([H.text(" "), Bits.badge(t("task.overdue"), "overdue")]) : H.group([])),
                    H.el("td", [], H.a(Paths.task(k.id), k.title)),
                    H.el(
                        "td", [],
                        H.text(
                            t("taskKind.\(k.kind.rawValue)")
                                + (k.source == .manual ? "" : " · " + t("taskSource.\(k.source.rawValue)")))),
                    H.el("td", [], H.text(names[k.assigneeID] ?? "—")),
                    H.el("td", [], H.text(t("taskStatus.\(k.status.rawValue)"))))
            })
    }
}

enum TaskFormPage {
    static func render(_ ctx: PageContext, staff: [StaffMember], state: FormState) -> String {
        let t = ctx.t
        let f = Fields(t: t, state: state)
        return Layout.page(
            ctx, title: t("task.new"),
            [
                H.el("h1", [], H.text(t("task.new"))),
                H.el(
                    "p", [],
                    H.a(state["caseID"].isEmpty ? Paths.tasks : "/cases/" + state["caseID"], t("action.cancel"))),
                Layout.errorSummary(t, state),
                Layout.form(
                    ctx, action: Paths.tasks, [("novalidate", "")],
                    [
                        f.select(
                            "kind", t("task.kind"),
                            options: TaskKind.allCases.map { ($0.rawValue, t("taskKind.\($0.rawValue)")) }),
                        f.input("title", t("task.what"), required: true, hint: t("task.what.hint")),
                        f.textarea("details", t("task.details"), rows: 2),
                        f.input("dueOn", t("task.dueOn"), type: "date", required: true),
                        f.input("startTime", t("task.startTime"), type: "time", hint: t("task.startTime.hint")),
                        f.input(
                            "durationMinutes", t("task.duration"), type: "number", extra: [("min", "5"), ("max", "720")]
                        ),
                        f.input("location", t("task.location")),
                        f.select(
                            "assigneeID", t("task.assignee"),
                            options: staff.filter { $0.active && $0.role != .auditor }.map {
                                ($0.id.uuidString.lowercased(), $0.displayName)
                            }),
                        Bits.hidden("caseID", state["caseID"]),
                        Layout.button(t("action.save"))
                    ])
            ])
    }
}

enum TaskPage {
    static func render(_ ctx: PageContext, task k: CaseTask, assignee: String?, canWrite: Bool) -> String {
        let t = ctx.t
        var content: [HNode] = [H.el("h1", [], H.text(k.title)), H.el("p", [], H.a(Paths.tasks, t("task.back")))]
        content.append(
            H.el(
                "dl", [("class", "summary")],
                H.pair(t("task.kind"), t("taskKind.\(k.kind.rawValue)")),
                H.pair(t("task.status"), t("taskStatus.\(k.status.rawValue)")),
                H.pair(t("task.dueOn"), k.dueOn.description),
                H.pair(
                    t("task.startTime"),
                    k.startsAt.map {
                        Format.dateTime($0) + (k.endsAt.map { "–" + Format.dateTime($0).suffix(5) } ?? "")
                    }),
                H.pair(t("task.location"), k.location),
                H.pair(t("task.assignee"), assignee),
                H.pair(t("task.source"), t("taskSource.\(k.source.rawValue)")),
                H.pair(t("task.details"), k.details)))
        if let cid = k.caseID { content.append(H.el("p", [], H.a(Paths.case(cid), t("task.openCase")))) }
        if canWrite {
            content.append(
                Layout.form(
                    ctx, action: Paths.taskStatus(k.id), [("class", "no-print")],
                    [
                        Bits.hidden("version", String(k.version)),
                        k.status == .open
                            ? H.group([
                                Layout.button(t("task.markDone"), [("name", "status"), ("value", "done")]),
                                Layout.button(
                                    t("task.cancel"),
                                    [("name", "status"), ("value", "cancelled"), ("class", "secondary")])
                            ])
                            : Layout.button(
                                t("task.reopen"), [("name", "status"), ("value", "open"), ("class", "secondary")])
                    ]))
        }
        return Layout.page(ctx, title: k.title, content)
    }
}

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
    static func render(_ ctx: PageContext, letter l: Letter) -> String {
        let t = ctx.t
        return Layout.page(
            ctx, title: l.title,
            [
                H.el("p", [("class", "no-print")], H.a(Paths.case(l.caseID), t("asmt.backToCase"))),
                H.el(
                    "p", [("class", "no-print")],
                    H.el("button", [("type", "button"), ("onclick", "window.print()")], H.text(t("action.print")))),
                H.el(
                    "article", [("class", "printable letter")],
                    [H.el("h1", [("class", "visually-hidden")], H.text(l.title))]
                        + l.body.components(separatedBy: "\n\n").map { para in
                            H.el(
                                "p", [],
                                para.components(separatedBy: "\n").enumerated().flatMap { i, line in
                                    i == 0 ? [H.text(line)] : [H.void("br", []), H.text(line)]
                                })
                        }),
                H.p(t("letter.kept", ["date": Format.dateTime(l.createdAt)]), [("class", "hint no-print")])
            ])
    }
}

enum TemplatesPage {
    static func render(_ ctx: PageContext, templates: [LetterTemplate], editing: LetterTemplate?, state: FormState)
        -> String
    {
        let t = ctx.t
        let f = Fields(t: t, state: state)
        var content: [HNode] = [H.el("h1", [], H.text(t("tmpl.title")))]
        content.append(
            templates.isEmpty
                ? Bits.empty(t("tmpl.none"))
                : H.table(
                    caption: t("tmpl.title"), hiddenCaption: true,
                    [t("tmpl.name"), t("tmpl.active"), t("tmpl.updated")],
                    templates.map { x in
                        Bits.row([
                            H.a(Paths.letterTemplate(x.id), x.name),
                            H.text(x.active ? t("answer.yes") : t("answer.no")), H.text(Format.dateTime(x.updatedAt))
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

enum DocumentsPage {
    static func render(
        _ ctx: PageContext, client: Client, cases: [Case], documents: [StoredDocument], names: [UUID: String],
        canWrite: Bool,
        canDelete: (StoredDocument) -> Bool, state: FormState
    ) -> String {
        let t = ctx.t
        let f = Fields(t: t, state: state)
        let title = t("doc.title") + " · " + client.displayName
        var content: [HNode] = [
            H.el("h1", [], H.text(title)), H.el("p", [], H.a(Paths.client(client.id), t("case.backToClient")))
        ]
        let live = documents.filter { $0.deletedAt == nil }
        let deleted = documents.filter { $0.deletedAt != nil }
        content.append(
            live.isEmpty
                ? Bits.empty(t("doc.none"))
                : H.table(
                    caption: t("doc.title"), hiddenCaption: true,
                    [t("doc.file"), t("doc.type"), t("doc.size"), t("doc.uploaded"), ""],
                    live.map { d in
                        Bits.row([
                            H.a(Paths.document(d.id), d.filename),
                            H.text(t("docType.\(d.type.rawValue)") + (d.description.map { " · " + $0 } ?? "")),
                            H.text(String(format: "%.1f KB", Double(d.size) / 1024)),
                            H.text(Format.dateTime(d.uploadedAt) + " · " + (names[d.uploadedBy] ?? "—")),
                            canDelete(d)
                                ? Layout.form(
                                    ctx, action: Paths.deleteDocument(d.id), [("class", "inline delete-doc")],
                                    [
                                        H.el(
                                            "label", [("for", "r-" + d.id.uuidString.lowercased())],
                                            H.text(t("doc.deleteReason"))),
                                        H.void(
                                            "input",
                                            [
                                                ("id", "r-" + d.id.uuidString.lowercased()), ("name", "reason"),
                                                ("required", "")
                                            ]),
                                        Bits.hidden("version", String(d.version)),
                                        Layout.button(t("doc.delete"), [("class", "secondary")])
                                    ]) : H.group([])
                        ])
                    }))
        if !deleted.isEmpty {
            content.append(
                Bits.section(
                    "s-deleted", t("doc.deleted"),
                    [
                        H.table(
                            caption: t("doc.deleted"), hiddenCaption: true,
                            [t("doc.file"), t("doc.type"), t("doc.deletedBy"), t("doc.deleteReason")],
                            deleted.map { d in
                                Bits.row([
                                    H.text(d.filename), H.text(t("docType.\(d.type.rawValue)")),
                                    H.text(
                                        (d.deletedAt.map(Format.dateTime) ?? "") + " · "
                                            + (d.deletedBy.flatMap { names[$0] } ?? "—")),
                                    H.text(d.deletionReason ?? "—")
                                ])
                            })
                    ]))
        }
        if canWrite {
            content.append(
                Bits.section(
                    "s-upload", t("doc.upload"),
                    [
                        H.p(t("doc.rules"), [("class", "hint")]),
                        Layout.errorSummary(t, state),
                        H.el(
                            "form",
                            [
                                ("method", "post"), ("action", Paths.documents(client.id)),
                                ("enctype", "multipart/form-data"), ("novalidate", "")
                            ],
                            [
                                Layout.csrfField(ctx),
                                f.select(
                                    "type", t("doc.type"),
                                    options: DocumentType.allCases.map { ($0.rawValue, t("docType.\($0.rawValue)")) },
                                    required: true),
                                f.select(
                                    "caseID", t("doc.case"),
                                    options: cases.map { ($0.id.uuidString.lowercased(), $0.openedOn.description) },
                                    includeBlank: true),
                                f.input("description", t("doc.description")),
                                f.input(
                                    "file", t("doc.file"), type: "file", required: true,
                                    extra: [("accept", ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg")]),
                                Layout.button(t("doc.upload"))
                            ])
                    ]))
        }
        return Layout.page(ctx, title: title, content)
    }
}

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
                        f.select(
                            "toManagerID", t("transfer.toManager"),
                            options: staff.filter { $0.active && $0.role != .auditor }.map {
                                ($0.id.uuidString.lowercased(), $0.displayName)
                            }),
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

enum ReportsPage {
    static func index(_ ctx: PageContext) -> String {
        let t = ctx.t
        return Layout.page(
            ctx, title: t("report.title"),
            [
                H.el("h1", [], H.text(t("report.title"))),
                H.el("h2", [], H.text(t("outcome.reports"))),
                H.el(
                    "ul", [],
                    OutcomeReport.allCases.map { r in
                        H.el(
                            "li", [], H.a(Paths.outcomes(r), t("outcome.\(r.rawValue)")),
                            H.text(" — " + t("outcome.\(r.rawValue).about")))
                    } + [H.el("li", [], H.a(Paths.dataQuality, t("dq.title")), H.text(" — " + t("dq.about")))]),
                H.el("h2", [], H.text(t("report.activity"))),
                H.el(
                    "ul", [], H.el("li", [], H.a(Paths.referralReport, t("report.referrals"))),
                    H.el("li", [], H.a(Paths.serviceReport, t("report.services"))))
            ], wide: true)
    }

    static func rangeForm(_ ctx: PageContext, _ path: String, _ state: FormState, period: Bool) -> HNode {
        let t = ctx.t
        let f = Fields(t: t, state: state)
        return H.el(
            "form", [("method", "get"), ("action", path), ("class", "inline-fields no-print")],
            [
                f.input("from", t("report.from"), type: "date"), f.input("to", t("report.to"), type: "date"),
                period
                    ? f.select(
                        "period", t("report.period"),
                        options: ReportPeriod.allCases.map { ($0.rawValue, t("period.\($0.rawValue)")) }) : H.group([]),
                Layout.button(t("report.show"), [("class", "secondary")])
            ])
    }

    static func referrals(_ ctx: PageContext, _ r: ReferralReport, state: FormState) -> String {
        let t = ctx.t
        let qs = "?from=\(r.from)&to=\(r.to)"
        func table(_ caption: String, _ first: String, _ rows: [ReferralReportRow], label: (String) -> String) -> HNode
        {
            H.table(
                caption: caption,
                [
                    first, t("report.made"), t("report.accepted"), t("report.connected"), t("report.completed"),
                    t("report.medianDays")
                ],
                (rows + [r.total]).enumerated().map { i, x in
                    let isTotal = i == rows.count
                    return H.el(
                        "tr", [("class", isTotal ? "total" : nil)],
                        H.el(
                            isTotal ? "th" : "td", isTotal ? [("scope", "row")] : [],
                            H.text(isTotal ? t("report.total") : label(x.key))),
                        H.el("td", [("class", "num")], H.text(String(x.made))),
                        H.el("td", [("class", "num")], H.text(String(x.accepted))),
                        H.el("td", [("class", "num")], H.text(String(x.connected))),
                        H.el("td", [("class", "num")], H.text(String(x.completed))),
                        H.el(
                            "td", [("class", "num")],
                            H.text(x.medianDaysToConnection.map { String(format: "%.1f", $0) } ?? "—")))
                })
        }
        return Layout.page(
            ctx, title: t("report.referrals"),
            [
                H.el("h1", [], H.text(t("report.referrals"))),
                H.el("p", [("class", "no-print")], H.a(Paths.reports, t("report.back"))),
                rangeForm(ctx, Paths.referralReport, state, period: false),
                H.p(
                    t("report.range", ["from": r.from.description, "to": r.to.description]) + " · "
                        + t("report.referralsNote"), [("class", "hint")]),
                H.el(
                    "p", [("class", "actions no-print")],
                    H.a(Paths.referralReport + qs + "&format=csv", t("report.csv"), [("class", "button secondary")])),
                r.total.made == 0
                    ? Bits.empty(t("report.noReferrals"))
                    : H.group([
                        table(t("report.byProvider"), t("ref.provider"), r.byProvider) { $0 },
                        table(t("report.byNeed"), t("plan.domain"), r.byNeed) {
                            domainLabel(t, $0.nilIfEmpty) ?? t("report.noNeed")
                        }
                    ])
            ], wide: true)
    }

    static func services(_ ctx: PageContext, _ r: ServiceReport, period: String, state: FormState) -> String {
        let t = ctx.t
        return Layout.page(
            ctx, title: t("report.services"),
            [
                H.el("h1", [], H.text(t("report.services"))),
                H.el("p", [("class", "no-print")], H.a(Paths.reports, t("report.back"))),
                rangeForm(ctx, Paths.serviceReport, state, period: true),
                H.p(t("report.range", ["from": r.from.description, "to": r.to.description]), [("class", "hint")]),
                H.el(
                    "p", [("class", "actions no-print")],
                    H.a(
                        Paths.serviceReport + "?from=\(r.from)&to=\(r.to)&period=\(period)&format=csv", t("report.csv"),
                        [("class", "button secondary")])),
                r.rows.isEmpty
                    ? Bits.empty(t("report.noServices"))
                    : H.table(
                        caption: t("report.servicesByType"),
                        [
                            t("report.periodCol"), t("svc.type"), t("report.count"), t("report.clients"),
                            t("svc.units"), t("svc.amount")
                        ],
                        r.rows.map { x in
                            H.el(
                                "tr", [], H.el("td", [], H.text(x.period)), H.el("td", [], H.text(x.typeLabel)),
                                H.el("td", [("class", "num")], H.text(String(x.count))),
                                H.el("td", [("class", "num")], H.text(String(x.clients))),
                                H.el(
                                    "td", [("class", "num")], H.text(x.units == 0 ? "—" : String(format: "%g", x.units))
                                ),
                                H.el(
                                    "td", [("class", "num")],
                                    H.text(x.amountCents == 0 ? "—" : "$" + Money.format(x.amountCents))))
                        } + [
                            H.el(
                                "tr", [("class", "total")],
                                H.el("th", [("scope", "row"), ("colspan", "2")], H.text(t("report.total"))),
                                H.el("td", [("class", "num")], H.text(String(r.totalCount))),
                                H.el("td", [], H.text("")), H.el("td", [], H.text("")),
                                H.el("td", [("class", "num")], H.text("$" + Money.format(r.totalAmountCents))))
                        ])
            ], wide: true)
    }
}
