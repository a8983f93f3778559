import Foundation
import Plot
import TrellisCore

enum CaseFormPage {
    static func render(
        _ ctx: PageContext, client: ClientSummary, programs: [Program], staff: [StaffMember], state: FormState,
        suggestions: [CaseManagerSuggestion] = [], household: [HouseholdMemberView] = []
    ) -> String {
        let t = ctx.t
        let f = Fields(t: t, state: state)
        let title = t("case.open") + ": " + client.displayName
        let active = programs.filter(\.active)
        let chosen = active.first { $0.id.uuidString.lowercased() == state["programID"] }
        return Layout.page(
            ctx, title: title,
            [
                H.el("h1", [], H.text(title)),
                Layout.errorSummary(t, state),
                // Without script: choose the program first to see who has the most room in it.
                H.el(
                    "form",
                    [("method", "get"), ("action", Paths.newCase(client.id)), ("class", "inline-fields no-print")],
                    H.el("label", [("for", "f-suggest")], H.text(t("case.suggestFor") + " ")),
                    H.el(
                        "select", [("id", "f-suggest"), ("name", "program")],
                        active.map { p in
                            H.el(
                                "option",
                                [("value", p.id.uuidString.lowercased()), ("selected", H.flag(p.id == chosen?.id))],
                                H.text(p.name))
                        }),
                    Layout.button(t("case.suggest"), [("class", "secondary")])),
                chosen.map { WorkloadPage.suggestions(t, suggestions, program: $0.name) } ?? H.group([]),
                programs.isEmpty
                    ? H.el("div", [("class", "empty")], H.p(t("case.noPrograms")))
                    : Layout.form(
                        ctx, action: Paths.createCase(client.id), [("novalidate", "")],
                        [
                            f.select(
                                "programID", t("case.program"),
                                options: programs.filter(\.active).map {
                                    (
                                        $0.id.uuidString.lowercased(),
                                        $0.name + " (" + t("programType.\($0.type.rawValue)") + ")"
                                    )
                                }, required: true),
                            f.staffSelect("primaryCaseManagerID", t("case.caseManager"), staff: staff, required: true),
                            f.select(
                                "priority", t("case.priority"),
                                options: CasePriority.allCases.map { ($0.rawValue, t.label("priority", $0)) },
                                required: true),
                            f.select(
                                "stage", t("case.stage"),
                                options: CaseStage.allCases.map { ($0.rawValue, t.label("stage", $0)) }, required: true),
                            f.input("openedOn", t("case.openedOn"), type: "date", required: true),
                            household.isEmpty
                                ? H.group([])
                                : f.checkboxes(
                                    "memberIDs", t("case.household"),
                                    options: household.map {
                                        (
                                            $0.client.id.uuidString.lowercased(),
                                            t.name($0.client) + " (" + t("rel.\($0.relationship.rawValue)") + ")"
                                        )
                                    }),
                            Layout.button(t("case.open"))
                        ])
            ])
    }
}

enum CaseDetailPage {
    static func render(
        _ ctx: PageContext, detail: CaseDetail, info: CaseAssessments, coordination: CaseCoordination,
        careTeam: CareTeamMembers, authors: [UUID: StaffMember],
        canUpdate: Bool, canWrite: Bool, state: FormState, today: LocalDate, household: [CaseMemberView] = []
    ) -> String {
        let t = ctx.t
        let c = detail.case
        let f = Fields(t: t, state: state)
        let overdue =
            c.status != .closed
            && ContactRule.isOverdue(
                lastContact: c.lastContactOn, openedOn: c.openedOn,
                frequencyDays: detail.program.contactFrequencyDays, today: today)
        let title = detail.client.displayName + " · " + detail.program.name
        let openAlerts = info.alerts.filter { $0.acknowledgedAt == nil }.count
        var facts: [HNode] = []
        func fact(_ label: String, _ value: HNode) {
            facts.append(H.el("li", [], H.el("span", [("class", "fact-label")], H.text(label + ": ")), value))
        }
        if let dob = detail.client.birthDate { fact(t("record.age"), H.text(String(dob.age(on: today)))) }
        fact(t("case.program"), H.text(detail.program.name))
        fact(
            t("case.stage"),
            H.text(t.label("stage", c.stage) + (c.status == .closed ? " · " + t.label("status", c.status) : "")))
        fact(t("case.caseManager"), H.text(detail.caseManager?.displayName ?? "—"))
        if c.status != .closed {
            fact(
                t("case.contactDue"),
                H.group([
                    H.text(c.contactDueOn.description),
                    overdue ? H.group([H.text(" "), Bits.badge(t("task.overdue"), "overdue")]) : H.group([])
                ]))
        }
        if openAlerts > 0 {
            facts.append(
                H.el(
                    "li", [], H.a("#s-assess", t.plural("record.openAlerts", openAlerts), [("class", "badge overdue")]))
            )
        }
        let sections: [(String, String)] = [
            ("s-overview", t("record.overview")), ("s-team", t("careTeam.title")), ("s-notes", t("note.list")),
            ("s-assess", t("asmt.section")),
            ("s-plan", t("plan.title")), ("s-referrals", t("record.referralsServices")),
            ("s-tasks", t("task.caseTasks")),
            ("s-letters", t("record.documents")), ("s-history", t("history.title"))
        ]
        var content: [HNode] = [
            H.el(
                "header", [("class", "record-header")], H.el("h1", [], H.text(title)),
                H.el("ul", [("class", "record-facts")], facts)),
            H.el(
                "nav", [("class", "record-nav no-print"), ("aria-label", t("record.onThisPage"))],
                H.el("ul", [], sections.map { id, label in H.el("li", [], H.a("#" + id, label)) })),
            H.el("h2", [("id", "s-overview"), ("class", "visually-hidden")], H.text(t("record.overview"))),
            H.el("p", [], H.a(Paths.client(detail.client.id), t("case.backToClient"))),
            H.el(
                "dl", [("class", "summary")],
                H.pair(t("case.status"), t.label("status", c.status)),
                H.pair(t("case.priority"), t.label("priority", c.priority)),
                H.pair(t("case.openedOn"), c.openedOn.description),
                H.pair(t("case.closedOn"), c.closedOn?.description),
                H.pair(t("case.lastContact"), c.lastContactOn?.description ?? t("caseload.never")),
                H.pair(
                    t("case.contactDue"),
                    c.status == .closed
                        ? nil
                        : c.contactDueOn.description
                            + (overdue
                                ? " — " + t("caseload.overdue", ["days": String(detail.program.contactFrequencyDays)])
                                : "")))
        ]
        content.append(complianceSection(ctx, c, coordination))
        content.append(CareTeamSection.render(ctx, caseID: c.id, team: careTeam))
        if canUpdate && c.status != .closed {
            content.append(
                H.el(
                    "section", [("aria-labelledby", "s-update"), ("class", "no-print")],
                    H.el("h2", [("id", "s-update")], H.text(t("case.update"))),
                    Layout.errorSummary(t, state),
                    Layout.form(
                        ctx, action: Paths.case(c.id), [("class", "inline-fields"), ("novalidate", "")],
                        [
                            f.select(
                                "stage", t("case.stage"),
                                options: CaseStage.allCases.map { ($0.rawValue, t.label("stage", $0)) }),
                            f.select(
                                "status", t("case.status"),
                                options: [CaseStatus.open, .onHold].map { ($0.rawValue, t.label("status", $0)) }),
                            f.select(
                                "priority", t("case.priority"),
                                options: CasePriority.allCases.map { ($0.rawValue, t.label("priority", $0)) }),
                            H.void("input", [("type", "hidden"), ("name", "version"), ("value", String(c.version))]),
                            Layout.button(t("action.save"))
                        ])))
        }
        let notes = detail.notes
        var notesSection: [HNode] = [H.el("h2", [("id", "s-notes")], H.text(t("note.list")))]
        if canWrite && c.status != .closed {
            notesSection.append(H.el("p", [], H.a(Paths.newNote(c.id), t("note.new"), [("class", "button")])))
        }
        notesSection.append(
            notes.isEmpty
                ? H.el("div", [("class", "empty")], H.p(t("note.none")))
                : H.table(
                    caption: t("note.list"), hiddenCaption: true,
                    [
                        t("note.contactDate"), t("note.contactType"), t("note.firstLine"), t("note.author"),
                        t("note.status")
                    ],
                    notes.map { n in
                        H.el(
                            "tr", [],
                            H.el(
                                "td", [],
                                H.a(
                                    Paths.note(n.id),
                                    n.contactDate.description
                                        + (n.addendumTo != nil ? " (" + t("note.addendum") + ")" : ""))),
                            H.el("td", [], H.text(t.label("contact", n.contactType))),
                            H.el("td", [("class", "first-line")], H.text(firstLine(n))),
                            H.el("td", [], H.text(authors[n.authorID]?.displayName ?? "—")),
                            H.el(
                                "td", [],
                                H.el(
                                    "span", [("class", "badge " + n.status.rawValue)],
                                    H.text(t.label("noteStatus", n.status))),
                                coordination.noteReviews[n.id].map { r in
                                    H.el(
                                        "span", [("class", "badge review-" + r.status.rawValue)],
                                        H.text(" " + t("cosign.\(r.status.rawValue)")))
                                } ?? H.group([])))
                    }))
        if detail.noteCount > CaseDetail.notesPerPage {
            // A case with years of notes shows them a page at a time, the newest first.
            let first = (detail.notesPage - 1) * CaseDetail.notesPerPage + 1
            notesSection.append(
                H.p(
                    t(
                        "note.showing",
                        [
                            "from": String(first), "to": String(first + max(0, notes.count - 1)),
                            "n": String(detail.noteCount)
                        ]), [("class", "hint")]))
            notesSection.append(
                Bits.pager(
                    t, page: detail.notesPage, hasMore: detail.notesPage < detail.notePages,
                    link: { Paths.case(c.id) + "?notes=\($0)#s-notes" }))
        }
        if !household.isEmpty { content.append(householdSection(ctx, household)) }
        let notesNode = H.el("section", [("aria-labelledby", "s-notes")], notesSection)
        content.append(notesNode)
        content.append(
            assessmentSection(ctx, c, detail.program, info, canWrite: canWrite && c.status != .closed, today: today))
        content.append(planSection(ctx, c, info.plan))
        content += coordinationSections(
            ctx, detail, coordination, canUpdate: canUpdate, canWrite: canWrite, today: today)
        return Layout.page(ctx, title: title, content)
    }
}

extension CaseDetailPage {
    /// Who is enrolled together in the case (one HMIS household), head first, with each one's entry and exit.
    static func householdSection(_ ctx: PageContext, _ members: [CaseMemberView]) -> HNode {
        let t = ctx.t
        return H.el(
            "section", [("aria-labelledby", "s-case-household")],
            H.el("h2", [("id", "s-case-household")], H.text(t("case.household"))),
            H.el(
                "table", [("class", "data")],
                H.head([t("client.name"), t("household.relationship"), t("case.entered"), t("case.exited")]),
                H.el(
                    "tbody", [],
                    members.map { m in
                        H.el(
                            "tr", [],
                            H.el(
                                "td", [],
                                m.canRead ? H.a(Paths.client(m.client.id), t.name(m.client)) : H.text(t.name(m.client))),
                            H.el("td", [], H.text(t("rel.\(m.relationship.rawValue)"))),
                            H.el("td", [], H.text(m.enteredOn.description)),
                            H.el("td", [], H.text(m.exitedOn?.description ?? "—")))
                    })))
    }

    /// A note's first line of text, for the list of notes: the first section the format writes, up to 120 characters.
    static func firstLine(_ n: CaseNote) -> String {
        let text =
            n.format.sections.compactMap { n.sections[$0] }.first {
                !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            } ?? ""
        let line =
            text.split(whereSeparator: \.isNewline).first.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
        return line.count > 120 ? String(line.prefix(119)) + "…" : (line.isEmpty ? "—" : line)
    }

    /// The plan in force: its version and status, how many goals are still open, and the way to it.
    static func planSection(_ ctx: PageContext, _ c: Case, _ plan: PlanOverview) -> HNode {
        let t = ctx.t
        guard let latest = plan.latest else {
            return Bits.section(
                "s-plan", t("plan.title"),
                [Bits.empty(t("plan.none")), H.el("p", [], H.a(Paths.plan(c.id), t("plan.title")))])
        }
        let open = latest.goals.filter { $0.status == .notStarted || $0.status == .inProgress }.count
        return Bits.section(
            "s-plan", t("plan.title"),
            [
                H.el(
                    "dl", [("class", "summary")],
                    H.pair(
                        t("plan.status"),
                        t("plan.versionOf", ["n": String(latest.version)]) + " · "
                            + t(c.status == .closed ? "planStatus.closed" : "planStatus.\(latest.status.rawValue)")),
                    H.pair(
                        t("plan.goals"), t("record.goalsOpen", ["open": String(open), "n": String(latest.goals.count)]))
                ),
                H.el("p", [], H.a(Paths.plan(c.id), t("record.openPlan")))
            ])
    }
}

/// What the case page shows of assessment and planning.
struct CaseAssessments {
    var instruments: [InstrumentDefinition]
    var assessments: [Assessment]
    var biopsychosocials: [BiopsychosocialAssessment]
    var alerts: [RiskAlert]
    var plan: PlanOverview
}

extension CaseDetailPage {
    static func assessmentSection(
        _ ctx: PageContext, _ c: Case, _ program: Program, _ info: CaseAssessments, canWrite: Bool, today: LocalDate
    ) -> HNode {
        let t = ctx.t
        let defs = Dictionary(info.instruments.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        var nodes: [HNode] = [H.el("h2", [("id", "s-assess")], H.text(t("asmt.section")))]
        let open = info.alerts.filter { $0.acknowledgedAt == nil }
        if !open.isEmpty {
            nodes.append(
                H.el(
                    "div", [("class", "alert-box"), ("role", "alert")],
                    H.el("h3", [], H.text(t("alert.dashboard", ["n": String(open.count)]))),
                    H.el("ul", [], open.map { H.el("li", [], H.a(Paths.alert($0.id), t.alertReason($0.reason))) })))
        }
        let last = ([c.openedOn] + info.assessments.map(\.completedOn) + info.biopsychosocials.map(\.completedOn)).max()
        let lastAssessed = info.assessments.isEmpty && info.biopsychosocials.isEmpty ? nil : last
        let due = ReassessmentRule.due(
            lastAssessed: lastAssessed, openedOn: c.openedOn, intervalDays: program.reassessmentDays)
        let status = c.status == .closed ? nil : ReassessmentRule.status(due: due, today: today)
        nodes.append(
            H.el(
                "dl", [("class", "summary")],
                H.pair(
                    t("reassess.schedule"),
                    program.reassessmentDays.map { t("reassess.every", ["n": String($0)]) } ?? t("reassess.none")),
                H.pair(t("reassess.lastAssessed"), lastAssessed?.description),
                H.pair(
                    t("reassess.next"),
                    c.status == .closed
                        ? t("reassess.closedCase")
                        : due.map { d in
                            d.description
                                + (status == .overdue
                                    ? " — " + t("reassess.overdueShort")
                                    : status == .dueSoon ? " — " + t("reassess.dueSoonShort") : "")
                        }),
                H.pair(
                    t("plan.title"),
                    info.plan.latest.map {
                        t("plan.versionOf", ["n": String($0.version)]) + " · "
                            + t(c.status == .closed ? "planStatus.closed" : "planStatus.\($0.status.rawValue)")
                    } ?? t("plan.none"))))
        var links: [HNode] = [
            H.a(Paths.plan(c.id), t("plan.title")), H.text(" · "), H.a(Paths.progress(c.id), t("progress.title"))
        ]
        if canWrite {
            links += [H.text(" · "), H.a(Paths.newBiopsychosocial(c.id), t("bps.new"))]
        }
        nodes.append(H.el("p", [], links))
        if canWrite {
            nodes.append(
                H.el(
                    "nav", [("aria-label", t("asmt.record")), ("class", "instrument-links")],
                    H.el("h3", [], H.text(t("asmt.record"))),
                    H.el(
                        "ul", [],
                        info.instruments.map { d in
                            H.el(
                                "li", [],
                                H.a(
                                    Paths.newAssessment(c.id, d.code),
                                    t.instrumentTitle(d)
                                        + (d.purpose == .intakeSupplement
                                            ? " (" + t("purpose.intake_supplement") + ")" : "")))
                        })))
        }
        var rows: [(LocalDate, HNode)] = info.assessments.map { a in
            (
                a.completedOn,
                H.el(
                    "tr", [],
                    H.el("td", [], H.a(Paths.assessment(a.id), a.completedOn.description)),
                    H.el(
                        "td", [],
                        H.text(defs[a.result.instrumentCode].map(t.instrumentTitle) ?? a.result.instrumentCode)),
                    H.el("td", [("class", "num")], H.text(a.result.total.map(String.init) ?? "—")),
                    H.el(
                        "td", [], H.text(a.result.band.map { t.bandLabel(defs[a.result.instrumentCode], $0) } ?? "—")))
            )
        }
        rows += info.biopsychosocials.map { b in
            (
                b.completedOn,
                H.el(
                    "tr", [],
                    H.el("td", [], H.a(Paths.biopsychosocial(b.id), b.completedOn.description)),
                    H.el("td", [], H.text(t("bps.title"))),
                    H.el("td", [("class", "num")], H.text("—")),
                    H.el("td", [], H.text(t("bps.needsCount", ["n": String(b.needs.count)]))))
            )
        }
        nodes.append(
            rows.isEmpty
                ? H.el("div", [("class", "empty")], H.p(t("asmt.none")))
                : H.table(
                    caption: t("asmt.completed"),
                    [t("asmt.completedOn"), t("asmt.instrument"), t("asmt.total"), t("asmt.band")],
                    rows.sorted { $0.0 > $1.0 }.map(\.1)))
        return H.el("section", [("aria-labelledby", "s-assess")], nodes)
    }
}
