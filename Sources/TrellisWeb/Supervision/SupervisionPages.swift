import Foundation
import Plot
import TrellisCore

enum TodayPage {
    static func reason(_ t: Strings, _ r: PriorityReason) -> String {
        switch r.kind {
        case .riskAlert:
            return t.plural("today.why.alert", r.count)
                + (r.detail.isEmpty ? "" : ": " + r.detail.joined(separator: "; "))
        case .contactOverdue:
            let rules = r.rules.map { CaseDetailPage.contactLabel(t, $0) }.joined(separator: "; ")
            return t("today.why.contactOverdue") + (rules.isEmpty ? "" : ": " + rules)
        case .sinceContact: return t.plural("today.why.sinceContact", r.count)
        case .noContactYet: return t.plural("today.why.noContact", r.count)
        case .reassessmentOverdue: return t.plural("today.why.reassessment", r.count)
        case .overdueTasks: return t.plural("today.why.tasks", r.count)
        case .acuity: return t("today.why.acuity." + (AcuityTier(rawValue: r.count) ?? .standard).label)
        case .crisisDomains: return t.plural("today.why.crisis", r.count)
        }
    }

    static func render(_ ctx: PageContext, _ v: TodayView, isOwn: Bool, limit: Int, showAll: Bool) -> String {
        let t = ctx.t
        let title = isOwn ? t("today.title") : t("today.of", ["name": v.staff.displayName])
        var content: [HNode] = [
            H.el("h1", [], H.text(title)),
            H.p(t.plural("today.lede", v.cases.count), [("class", "lede")])
        ]
        if let n = v.awaitingReview, n > 0 {
            content.append(
                H.el(
                    "p", [("class", "flash warn"), ("role", "status")],
                    H.a(Paths.reviews, t.plural("today.awaitingReview", n))))
        }
        if v.overdueTasks > 0 {
            content.append(
                H.el(
                    "p", [("class", "flash warn"), ("role", "status")],
                    H.a(Paths.tasks, t("task.overdueCount", ["n": String(v.overdueTasks)]))))
        }
        if isOwn {
            content.append(
                H.el("p", [("class", "actions")], H.a(Paths.newClient, t("client.register"), [("class", "button")])))
        }
        if let r = v.returned, !r.isEmpty { content.append(returnedSection(t, r)) }
        if !v.expiringReleases.isEmpty {
            content.append(
                H.el(
                    "section", [("aria-labelledby", "s-consents"), ("class", "flash warn")],
                    H.el("h2", [("id", "s-consents")], H.text(t("release.expiring.title"))),
                    H.el(
                        "ul", [],
                        v.expiringReleases.map { e in
                            H.el(
                                "li", [],
                                H.a(
                                    Paths.release(e.release.id), e.client.displayName + " → " + e.release.recipientName),
                                H.text(" · " + t("release.expiring.on", ["date": e.release.endsOn.description])))
                        })))
        }
        if v.cases.isEmpty {
            content.append(Bits.empty(t("today.empty")))
        } else {
            let shown = showAll ? v.cases : Array(v.cases.prefix(limit))
            content.append(
                H.el(
                    "ol", [("class", "priority-list")],
                    shown.map { p in
                        H.el(
                            "li", [("class", p.reasons.contains { $0.kind == .riskAlert } ? "urgent" : nil)],
                            H.el(
                                "div", [("class", "priority-head")],
                                H.a(Paths.case(p.entry.caseID), p.entry.clientName, [("class", "who")]),
                                H.el("span", [("class", "hint")], H.text(" · " + p.entry.programName + " · ")),
                                H.el(
                                    "span", [("class", "score"), ("title", t("today.scoreHint"))],
                                    H.text(t("today.score", ["n": String(p.score)])))),
                            p.reasons.isEmpty
                                ? H.p(t("today.why.none"), [("class", "hint")])
                                : H.el(
                                    "ul", [("class", "why"), ("aria-label", t("today.whyLabel"))],
                                    p.reasons.map { r in
                                        H.el(
                                            "li", [], H.text(reason(t, r)),
                                            H.el("span", [("class", "points")], H.text(" +\(r.points)")))
                                    }))
                    }))
            if !showAll && v.cases.count > limit {
                content.append(
                    H.el(
                        "p", [],
                        H.a(
                            (isOwn ? Paths.today : Paths.staffToday(v.staff.id)) + "?all=1",
                            t("today.showAll", ["n": String(v.cases.count)]))))
            }
        }
        content.append(H.el("p", [("class", "hint")], H.text(t("today.weightsHint"))))
        return Layout.page(ctx, title: title, content, wide: true)
    }

    static func returnedSection(_ t: Strings, _ r: ReviewQueue) -> HNode {
        var items: [HNode] = []
        for p in r.plans {
            items.append(
                H.el(
                    "li", [],
                    H.a(
                        Paths.plan(p.caseID), t("review.planReturned", ["client": p.clientName, "v": String(p.version)])
                    ),
                    H.text(p.comment.map { " — " + $0 } ?? "")))
        }
        for c in r.closures {
            items.append(
                H.el(
                    "li", [],
                    H.a(
                        Paths.closeCase(c.caseID),
                        t("review.closureReturned", ["client": r.clientNames[c.clientID] ?? ""])),
                    H.text(c.comment.map { " — " + $0 } ?? "")))
        }
        for n in r.notes {
            items.append(
                H.el(
                    "li", [],
                    H.a(
                        Paths.addendum(n.noteID), t("review.noteReturned", ["client": r.clientNames[n.clientID] ?? ""])),
                    H.text(n.comment.map { " — " + $0 } ?? "")))
        }
        return Bits.section(
            "returned", t("review.returnedTitle"),
            [H.p(t("review.returnedHint"), [("class", "hint")]), H.el("ul", [], items)])
    }
}

extension AcuityTier {
    var label: String {
        switch self {
        case .standard: "standard"
        case .moderate: "moderate"
        case .high: "high"
        }
    }
}

enum WorkloadPage {
    static func percent(_ x: Double) -> String { String(format: "%.0f %%", x * 100) }

    static func render(_ ctx: PageContext, _ o: WorkloadOverview, canReassign: Bool) -> String {
        let t = ctx.t
        var content: [HNode] = [
            H.el("h1", [], H.text(t("workload.title"))),
            H.p(t("workload.lede"), [("class", "lede")])
        ]
        content.append(
            H.table(
                caption: t("workload.targets"), [t("caseload.program"), t("workload.target")],
                o.programs.map { p in
                    H.el(
                        "tr", [], H.el("td", [], H.text(p.name)),
                        H.el("td", [("class", "num")], H.text(String(p.effectiveCaseloadTarget))))
                }))
        if o.teams.isEmpty { content.append(Bits.empty(t("workload.empty"))) }
        for (i, team) in o.teams.enumerated() {
            let name = team.team?.name ?? t("workload.noTeam")
            content.append(
                Bits.section(
                    "team-\(i)", name,
                    [
                        H.p(
                            t(
                                "workload.teamSummary",
                                [
                                    "open": String(team.openCases),
                                    "weighted": String(format: "%.1f", team.weightedCases),
                                    "load": percent(team.load)
                                ]), [("class", "hint")]),
                        H.el(
                            "div", [("class", "table-wrap")],
                            H.table(
                                caption: name, hiddenCaption: true,
                                [
                                    t("workload.worker"), t("workload.open"), t("workload.high"),
                                    t("workload.moderate"), t("workload.weighted"), t("workload.load"),
                                    t("workload.actions")
                                ],
                                team.workers.map { w in
                                    H.el(
                                        "tr", [("class", w.overTarget ? "overdue" : nil)],
                                        H.el(
                                            "th", [("scope", "row")],
                                            H.a(Paths.staffCaseload(w.staff.id), w.staff.displayName)),
                                        H.el("td", [("class", "num")], H.text(String(w.openCases))),
                                        H.el("td", [("class", "num")], H.text(String(w.byTier[.high] ?? 0))),
                                        H.el("td", [("class", "num")], H.text(String(w.byTier[.moderate] ?? 0))),
                                        H.el("td", [("class", "num")], H.text(String(format: "%.1f", w.weightedCases))),
                                        H.el(
                                            "td", [("class", "num")],
                                            w.overTarget
                                                ? H.el(
                                                    "strong", [("class", "badge overdue")],
                                                    H.text(percent(w.load) + " " + t("workload.over")))
                                                : H.text(percent(w.load))),
                                        H.el(
                                            "td", [],
                                            canReassign && w.openCases > 0
                                                ? H.a(Paths.reassign(w.staff.id), t("workload.reassign")) : H.text("")))
                                }))
                    ]))
        }
        return Layout.page(ctx, title: t("workload.title"), content, wide: true)
    }

    static func reassign(
        _ ctx: PageContext, from: StaffMember, cases: [Case], names: [UUID: String], programs: [UUID: String],
        targets: [WorkerLoad], state: FormState
    ) -> String {
        let t = ctx.t
        let title = t("workload.reassignTitle", ["name": from.displayName])
        var content: [HNode] = [H.el("h1", [], H.text(title)), H.el("p", [], H.a(Paths.workload, t("workload.back")))]
        if state.hasErrors {
            content.append(H.el("div", [("class", "flash error"), ("role", "alert")], H.text(t("form.errors"))))
        }
        guard !cases.isEmpty else {
            content.append(Bits.empty(t("workload.nothingToReassign")))
            return Layout.page(ctx, title: title, content)
        }
        let options = targets.map { w in
            (w.staff.id.uuidString.lowercased(), w.staff.displayName + " (" + percent(w.load) + ")")
        }
        let f = Fields(t: t, state: state)
        var rows: [HNode] = []
        for (i, c) in cases.enumerated() {
            rows.append(
                H.el(
                    "fieldset", [("class", "reassign-row")],
                    H.el("legend", [], H.text((names[c.clientID] ?? "") + " · " + (programs[c.programID] ?? ""))),
                    Bits.hidden("cases.\(i).caseID", c.id.uuidString.lowercased()),
                    Bits.hidden("cases.\(i).version", String(c.version)),
                    f.select("cases.\(i).toManagerID", t("workload.to"), options: options, includeBlank: true),
                    f.textarea("cases.\(i).note", t("transfer.note"), rows: 2)))
        }
        content.append(H.p(t("workload.reassignHint"), [("class", "hint")]))
        content.append(
            Layout.form(
                ctx, action: Paths.reassignPost, [],
                [
                    Bits.hidden("from", from.id.uuidString.lowercased()),
                    f.textarea("sharedNote", t("workload.sharedNote"), rows: 2, hint: t("workload.sharedNoteHint")),
                    H.group(rows),
                    Layout.button(t("workload.reassignSubmit", ["n": String(cases.count)]))
                ]))
        return Layout.page(ctx, title: title, content, wide: true)
    }

    /// The intake hint: who has the most room in the chosen program.
    static func suggestions(_ t: Strings, _ list: [CaseManagerSuggestion], program: String) -> HNode {
        guard !list.isEmpty else { return H.group([]) }
        return H.el(
            "div", [("class", "suggestions"), ("role", "note")],
            H.p(t("workload.suggestFor", ["program": program])),
            H.el(
                "ol", [],
                list.map { s in
                    H.el(
                        "li", [],
                        // No room left reads as at or over target, never "room for 0 more".
                        H.text(
                            t(
                                s.room > 0 ? "workload.suggestion" : "workload.suggestion.full",
                                [
                                    "name": s.worker.staff.displayName, "room": String(s.room),
                                    "load": percent(s.worker.load)
                                ])))
                }))
    }
}

enum ReviewsPage {
    static func render(_ ctx: PageContext, _ q: ReviewQueue, errors: [String: [FieldError]] = [:]) -> String {
        let t = ctx.t
        var content: [HNode] = [H.el("h1", [], H.text(t("review.title"))), H.p(t("review.lede"), [("class", "lede")])]
        if q.isEmpty { content.append(Bits.empty(t("review.empty"))) }
        func decisionForm(_ action: String, version: Int, key: String) -> HNode {
            let state = FormState(errors: errors[key] ?? [])
            let f = Fields(t: t, state: state)
            return Layout.form(
                ctx, action: action, [("class", "review-form")],
                [
                    Bits.hidden("version", String(version)),
                    f.textarea("comment", t("review.comment"), rows: 2, hint: t("review.commentHint")),
                    H.el(
                        "div", [("class", "actions")],
                        H.el(
                            "button", [("type", "submit"), ("name", "decision"), ("value", "approve")],
                            H.text(t("review.approve"))),
                        H.el(
                            "button",
                            [("type", "submit"), ("name", "decision"), ("value", "return"), ("class", "secondary")],
                            H.text(t("review.return"))))
                ])
        }
        if !q.plans.isEmpty {
            content.append(
                Bits.section(
                    "plans", t("review.plans", ["n": String(q.plans.count)]),
                    [
                        H.el(
                            "ul", [("class", "review-list")],
                            q.plans.map { p in
                                H.el(
                                    "li", [],
                                    H.a(
                                        Paths.plan(p.caseID),
                                        t("review.planItem", ["client": p.clientName, "v": String(p.version)])),
                                    H.p(
                                        t(
                                            "review.by",
                                            [
                                                "name": q.staffNames[p.createdBy] ?? "",
                                                "date": t.date(p.createdAt)
                                            ]), [("class", "hint")]))
                            })
                    ]))
        }
        if !q.closures.isEmpty {
            content.append(
                Bits.section(
                    "closures", t("review.closures", ["n": String(q.closures.count)]),
                    q.closures.map { c in
                        H.el(
                            "article", [("class", "review-item")],
                            H.el("h3", [], H.a(Paths.case(c.caseID), q.clientNames[c.clientID] ?? "")),
                            H.p(
                                t(
                                    "review.closureDetail",
                                    [
                                        "reason": c.input.reason.flatMap { ClosureReason(rawValue: $0) }.map {
                                            t("closeReason.\($0.rawValue)")
                                        } ?? "",
                                        "destination": c.input.destination.map(t.destination) ?? "",
                                        "name": q.staffNames[c.requestedBy] ?? ""
                                    ])),
                            c.input.note.map { H.p($0, [("class", "quote")]) } ?? H.group([]),
                            decisionForm(Paths.reviewClosure(c.id), version: c.version, key: c.id.uuidString))
                    }))
        }
        if !q.notes.isEmpty {
            content.append(
                Bits.section(
                    "notes", t("review.notes", ["n": String(q.notes.count)]),
                    q.notes.map { n in
                        H.el(
                            "article", [("class", "review-item")],
                            H.el(
                                "h3", [],
                                H.a(
                                    Paths.note(n.noteID),
                                    t("review.noteItem", ["client": q.clientNames[n.clientID] ?? ""]))),
                            H.p(
                                t(
                                    "review.by",
                                    [
                                        "name": q.staffNames[n.authorID] ?? "",
                                        "date": t.date(n.submittedAt)
                                    ]), [("class", "hint")]),
                            decisionForm(Paths.reviewNote(n.id), version: n.version, key: n.id.uuidString))
                    }))
        }
        return Layout.page(ctx, title: t("review.title"), content, wide: true)
    }
}
