import Foundation
import Plot
import TrellisCore

extension Paths {
    static let today = "/today"
    static func staffToday(_ id: UUID) -> String { "/staff/\(id.uuidString.lowercased())/today" }
    static let workload = "/workload"
    static func reassign(_ from: UUID) -> String { "/workload/reassign?from=\(from.uuidString.lowercased())" }
    static let reassignPost = "/workload/reassign"
    static let reviews = "/reviews"
    static func reviewClosure(_ id: UUID) -> String { "/reviews/closures/\(id.uuidString.lowercased())" }
    static func reviewNote(_ id: UUID) -> String { "/reviews/notes/\(id.uuidString.lowercased())" }
    static func outcomes(_ r: OutcomeReport) -> String { "/reports/outcomes/\(r.rawValue)" }
    static let dataQuality = "/reports/data-quality"
    static let dataQualityRecords = "/reports/data-quality/records"
    static func supervisionSettings(_ id: UUID) -> String {
        adminPrograms + "/\(id.uuidString.lowercased())/supervision"
    }
}

extension Chart {
    /// Horizontal bars, one group per row and one bar per series, with the value written at each bar's
    /// end. Labelled for screen readers; the same numbers are in the table beside it.
    static func bars(
        id: String, title: String, summary: String, series: [String], rows: [(String, [Double])], max hi: Double,
        format: (Double) -> String
    ) -> HNode {
        let labelW = 190.0
        let w = 640.0
        let barH = 14.0
        let gap = 10.0
        let top = series.count > 1 ? 26.0 : 6.0
        let groupH = Double(series.count) * barH + gap
        let h = top + Double(rows.count) * groupH + 6
        let scale = (w - labelW - 60) / Swift.max(hi, 1e-9)
        func f(_ d: Double) -> String { String(format: "%.1f", d) }
        var nodes: [HNode] = [
            H.el("title", [("id", id + "-t")], H.text(title)), H.el("desc", [("id", id + "-d")], H.text(summary))
        ]
        if series.count > 1 {
            for (s, name) in series.enumerated() {
                let x = labelW + Double(s) * 150
                nodes.append(
                    H.el("rect", [("x", f(x)), ("y", "6"), ("width", "12"), ("height", "12"), ("class", "bar s\(s)")]))
                nodes.append(H.el("text", [("x", f(x + 18)), ("y", "16"), ("class", "axis")], H.text(name)))
            }
        }
        for (i, row) in rows.enumerated() {
            let y0 = top + Double(i) * groupH
            nodes.append(
                H.el(
                    "text",
                    [
                        ("x", f(labelW - 8)), ("y", f(y0 + Double(series.count) * barH / 2 + 4)),
                        ("text-anchor", "end"), ("class", "axis")
                    ],
                    H.text(row.0)))
            for (s, v) in row.1.enumerated() {
                let y = y0 + Double(s) * barH
                nodes.append(
                    H.el(
                        "rect",
                        [
                            ("x", f(labelW)), ("y", f(y)), ("width", f(Swift.max(0, v) * scale)),
                            ("height", f(barH - 2)), ("class", "bar s\(s)")
                        ]))
                nodes.append(
                    H.el(
                        "text",
                        [("x", f(labelW + Swift.max(0, v) * scale + 4)), ("y", f(y + barH - 4)), ("class", "axis")],
                        H.text(format(v))))
            }
        }
        return H.el(
            "svg",
            [
                ("viewBox", "0 0 \(Int(w)) \(Int(h))"), ("role", "img"), ("aria-labelledby", id + "-t " + id + "-d"),
                ("class", "chart wide"), ("xmlns", "http://www.w3.org/2000/svg")
            ], nodes)
    }
}

enum TodayPage {
    static func reason(_ t: Strings, _ r: PriorityReason) -> String {
        let n = String(r.count)
        switch r.kind {
        case .riskAlert:
            return t("today.why.alert", ["n": n]) + (r.detail.isEmpty ? "" : ": " + r.detail.joined(separator: "; "))
        case .contactOverdue:
            let rules = r.rules.map { CaseDetailPage.contactLabel(t, $0) }.joined(separator: "; ")
            return t("today.why.contactOverdue") + (rules.isEmpty ? "" : ": " + rules)
        case .sinceContact: return t("today.why.sinceContact", ["n": n])
        case .noContactYet: return t("today.why.noContact", ["n": n])
        case .reassessmentOverdue: return t("today.why.reassessment", ["n": n])
        case .overdueTasks: return t("today.why.tasks", ["n": n])
        case .acuity: return t("today.why.acuity." + (AcuityTier(rawValue: r.count) ?? .standard).label)
        case .crisisDomains: return t("today.why.crisis", ["n": n])
        }
    }

    static func render(_ ctx: PageContext, _ v: TodayView, isOwn: Bool, limit: Int, showAll: Bool) -> String {
        let t = ctx.t
        let title = isOwn ? t("today.title") : t("today.of", ["name": v.staff.displayName])
        var content: [HNode] = [
            H.el("h1", [], H.text(title)),
            H.p(t("today.lede", ["n": String(v.cases.count)]), [("class", "lede")])
        ]
        if let n = v.awaitingReview, n > 0 {
            content.append(
                H.el(
                    "p", [("class", "flash warn"), ("role", "status")],
                    H.a(Paths.reviews, t("today.awaitingReview", ["n": String(n)]))))
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
                        H.text(
                            t(
                                "workload.suggestion",
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
                                                "date": ISO8601DateFormatter().string(from: p.createdAt).prefix(10)
                                                    .description
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
                                        "destination": c.input.destination.flatMap { HUDDestination.find($0) }.map {
                                            "\($0.code) " + $0.label
                                        } ?? "",
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
                                        "date": ISO8601DateFormatter().string(from: n.submittedAt).prefix(10)
                                            .description
                                    ]), [("class", "hint")]),
                            decisionForm(Paths.reviewNote(n.id), version: n.version, key: n.id.uuidString))
                    }))
        }
        return Layout.page(ctx, title: t("review.title"), content, wide: true)
    }
}

/// An outcome report as tables: one description serves the page, the CSV and print.
struct ReportTable {
    var caption: String
    var columns: [String]
    var rows: [[String]]
    var chart: HNode?
}

enum OutcomePage {
    static func pct(_ n: Int, _ d: Int) -> String {
        d == 0 ? "—" : String(format: "%.0f %%", Double(n) * 100 / Double(d))
    }
    static func share(_ n: Int, _ d: Int) -> Double { d == 0 ? 0 : Double(n) * 100 / Double(d) }

    static func tables(_ t: Strings, _ r: OutcomeResult) -> [ReportTable] {
        let names = Dictionary(r.programs.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        func program(_ id: UUID) -> String { names[id] ?? t("outcome.otherProgram") }
        let pctFormat: (Double) -> String = { String(format: "%.0f %%", $0) }
        switch r.report {
        case .ssm:
            let rows = r.ssm.filter { $0.cases > 0 }
            return [
                ReportTable(
                    caption: t("outcome.ssm.table"),
                    columns: [
                        t("outcome.domain"), t("outcome.cases"), t("outcome.firstMean"), t("outcome.latestMean"),
                        t("outcome.change"),
                        t("outcome.improved"), t("outcome.worsened"), t("outcome.crisisFirst"),
                        t("outcome.crisisLatest")
                    ],
                    rows: rows.map { d in
                        [
                            domainLabel(t, d.domain) ?? d.domain, String(d.cases), String(format: "%.2f", d.firstMean),
                            String(format: "%.2f", d.latestMean),
                            String(format: "%+.2f", d.latestMean - d.firstMean), pct(d.improved, d.cases),
                            pct(d.worsened, d.cases),
                            String(d.crisisFirst), String(d.crisisLatest)
                        ]
                    },
                    chart: rows.isEmpty
                        ? nil
                        : Chart.bars(
                            id: "c-ssm", title: t("outcome.ssm.chart"), summary: t("outcome.ssm.chartDesc"),
                            series: [t("outcome.firstMean"), t("outcome.latestMean")],
                            rows: rows.map { (domainLabel(t, $0.domain) ?? $0.domain, [$0.firstMean, $0.latestMean]) },
                            max: 5
                        ) { String(format: "%.1f", $0) })
            ]
        case .goals:
            let total = r.byProgram.reduce(into: (0, 0, 0)) {
                $0.0 += $1["cases"]
                $0.1 += $1["goals"]
                $0.2 += $1["achieved"]
            }
            return [
                ReportTable(
                    caption: t("outcome.goals.table"),
                    columns: [
                        t("caseload.program"), t("outcome.cases"), t("outcome.goals"), t("outcome.achieved"),
                        t("outcome.share")
                    ],
                    rows: r.byProgram.map { p in
                        [
                            program(p.programID), String(p["cases"]), String(p["goals"]), String(p["achieved"]),
                            pct(p["achieved"], p["goals"])
                        ]
                    }
                        + (r.byProgram.isEmpty
                            ? []
                            : [
                                [
                                    t("report.total"), String(total.0), String(total.1), String(total.2),
                                    pct(total.2, total.1)
                                ]
                            ]),
                    chart: r.byProgram.isEmpty
                        ? nil
                        : Chart.bars(
                            id: "c-goals", title: t("outcome.goals.chart"), summary: t("outcome.goals.chartDesc"),
                            series: [t("outcome.share")],
                            rows: r.byProgram.map { (program($0.programID), [share($0["achieved"], $0["goals"])]) },
                            max: 100, format: pctFormat))
            ]
        case .referrals:
            let keys = ["sent", "completed", "notCompleted", "declined", "open"]
            return [
                ReportTable(
                    caption: t("outcome.referrals.table"),
                    columns: [t("caseload.program")] + keys.map { t("outcome.ref.\($0)") } + [t("outcome.completion")],
                    rows: r.byProgram.map { p in
                        [program(p.programID)] + keys.map { String(p[$0]) } + [
                            pct(p["completed"], p["completed"] + p["notCompleted"] + p["declined"])
                        ]
                    },
                    chart: r.byProgram.isEmpty
                        ? nil
                        : Chart.bars(
                            id: "c-ref", title: t("outcome.referrals.chart"), summary: t("outcome.referrals.chartDesc"),
                            series: [t("outcome.completion")],
                            rows: r.byProgram.map {
                                (
                                    program($0.programID),
                                    [share($0["completed"], $0["completed"] + $0["notCompleted"] + $0["declined"])]
                                )
                            }, max: 100, format: pctFormat))
            ]
        case .exits:
            let groups = DestinationGroup.allCases
            var totals: [String: Int] = [:]
            for p in r.byProgram { for g in groups { totals[g.rawValue, default: 0] += p[g.rawValue] } }
            let all = totals.values.reduce(0, +)
            return [
                ReportTable(
                    caption: t("outcome.exits.table"),
                    columns: [t("caseload.program")] + groups.map { t("outcome.dest.\($0.rawValue)") } + [
                        t("report.total")
                    ],
                    rows: r.byProgram.map { p in
                        [program(p.programID)] + groups.map { String(p[$0.rawValue]) } + [
                            String(groups.reduce(0) { $0 + p[$1.rawValue] })
                        ]
                    }
                        + (r.byProgram.isEmpty
                            ? []
                            : [[t("report.total")] + groups.map { String(totals[$0.rawValue] ?? 0) } + [String(all)]]),
                    chart: all == 0
                        ? nil
                        : Chart.bars(
                            id: "c-exits", title: t("outcome.exits.chart"), summary: t("outcome.exits.chartDesc"),
                            series: [t("outcome.share")],
                            rows: groups.map {
                                (t("outcome.dest.\($0.rawValue)"), [share(totals[$0.rawValue] ?? 0, all)])
                            }, max: 100, format: pctFormat))
            ]
        case .participation:
            let buckets: [(String, ClosedRange<Int>)] = [
                ("0–29", 0...29), ("30–89", 30...89), ("90–179", 90...179), ("180–364", 180...364),
                ("365+", 365...100_000)
            ]
            let counts = buckets.map { b in r.days.filter { b.1.contains($0.key) }.values.reduce(0, +) }
            let total = counts.reduce(0, +)
            let mean = total == 0 ? nil : Double(r.days.reduce(0) { $0 + $1.key * $1.value }) / Double(total)
            return [
                ReportTable(
                    caption: t(
                        "outcome.participation.table",
                        [
                            "median": OutcomeService.median(r.days).map { String(format: "%.0f", $0) } ?? "—",
                            "mean": mean.map { String(format: "%.0f", $0) } ?? "—"
                        ]),
                    columns: [t("outcome.days"), t("outcome.cases"), t("outcome.share")],
                    rows: zip(buckets, counts).map { b, n in [b.0, String(n), pct(n, total)] }
                        + (total == 0 ? [] : [[t("report.total"), String(total), "100 %"]]),
                    chart: total == 0
                        ? nil
                        : Chart.bars(
                            id: "c-part", title: t("outcome.participation.chart"),
                            summary: t("outcome.participation.chartDesc"), series: [t("outcome.cases")],
                            rows: zip(buckets, counts).map { ($0.0, [Double($1)]) }, max: Double(counts.max() ?? 1)
                        ) { String(format: "%.0f", $0) })
            ]
        case .compliance:
            return [
                ReportTable(
                    caption: t("outcome.compliance.table", ["date": r.asOf.description]),
                    columns: [
                        t("caseload.program"), t("outcome.openCases"), t("outcome.contactMet"),
                        t("outcome.reassessmentMet"), t("outcome.visitMet")
                    ],
                    rows: r.byProgram.map { p in
                        [
                            program(p.programID), String(p["open"]), pct(p["contactMet"], p["open"]),
                            p.values["reassessmentApplies"] == nil ? "—" : pct(p["reassessmentMet"], p["open"]),
                            p.values["visitRules"] == nil ? "—" : pct(p["visitMet"], p["open"])
                        ]
                    },
                    chart: r.byProgram.isEmpty
                        ? nil
                        : Chart.bars(
                            id: "c-comp", title: t("outcome.compliance.chart"),
                            summary: t("outcome.compliance.chartDesc"),
                            series: [t("outcome.contactMet"), t("outcome.reassessmentMet")],
                            rows: r.byProgram.map {
                                (
                                    program($0.programID),
                                    [share($0["contactMet"], $0["open"]), share($0["reassessmentMet"], $0["open"])]
                                )
                            }, max: 100, format: pctFormat))
            ]
        case .caseloads:
            return [
                ReportTable(
                    caption: t("outcome.caseloads.table"),
                    columns: [
                        t("outcome.month"), t("outcome.openCases"), t("outcome.workers"), t("outcome.average"),
                        t("outcome.largest")
                    ],
                    rows: r.months.map { m in
                        [
                            m.monthEnd.description, String(m.openCases), String(m.workers),
                            String(format: "%.1f", m.average), String(m.largest)
                        ]
                    },
                    chart: r.months.isEmpty
                        ? nil
                        : Chart.bars(
                            id: "c-load", title: t("outcome.caseloads.chart"),
                            summary: t("outcome.caseloads.chartDesc"), series: [t("outcome.average")],
                            rows: r.months.map { (String($0.monthEnd.description.prefix(7)), [$0.average]) },
                            max: r.months.map(\.average).max() ?? 1
                        ) { String(format: "%.1f", $0) })
            ]
        }
    }

    static func query(_ f: ReportFilter) -> String {
        "?from=\(f.from)&to=\(f.to)" + (f.programID.map { "&program=\($0.uuidString.lowercased())" } ?? "")
    }

    static func filterForm(
        _ ctx: PageContext, _ path: String, _ state: FormState, programs: [Program], extra: [HNode] = []
    ) -> HNode {
        let t = ctx.t
        let f = Fields(t: t, state: state)
        return H.el(
            "form", [("method", "get"), ("action", path), ("class", "inline-fields no-print")],
            [
                f.input("from", t("report.from"), type: "date"), f.input("to", t("report.to"), type: "date"),
                f.select(
                    "program", t("caseload.program"),
                    options: programs.map { ($0.id.uuidString.lowercased(), $0.name) }, includeBlank: true)
            ] + extra + [Layout.button(t("report.show"), [("class", "secondary")])])
    }

    static func tabs(_ t: Strings, current: String, query: String) -> HNode {
        H.el(
            "nav", [("aria-label", t("outcome.reports")), ("class", "tabs no-print")],
            H.el(
                "ul", [],
                OutcomeReport.allCases.map { r in
                    H.el(
                        "li", [],
                        H.a(
                            Paths.outcomes(r) + query, t("outcome.\(r.rawValue)"),
                            [("aria-current", current == r.rawValue ? "page" : nil)]))
                } + [
                    H.el(
                        "li", [],
                        H.a(
                            Paths.dataQuality + query, t("dq.title"), [("aria-current", current == "dq" ? "page" : nil)]
                        ))
                ]))
    }

    static func render(
        _ ctx: PageContext, _ r: OutcomeResult?, report: OutcomeReport, programs: [Program], state: FormState
    ) -> String {
        let t = ctx.t
        let title = t("outcome.\(report.rawValue)")
        let qs = r.map { query($0.filter) } ?? ""
        var content: [HNode] = [
            H.el("h1", [], H.text(title)), H.el("p", [("class", "no-print")], H.a(Paths.reports, t("report.back"))),
            tabs(t, current: report.rawValue, query: qs),
            filterForm(ctx, Paths.outcomes(report), state, programs: programs),
            H.p(t("outcome.\(report.rawValue).about"), [("class", "hint")])
        ]
        if let r {
            content.append(
                H.p(
                    t("report.range", ["from": r.filter.from.description, "to": r.filter.to.description])
                        + " · "
                        + (r.filter.programID.flatMap { id in programs.first { $0.id == id }?.name }
                            ?? t("outcome.allPrograms")),
                    [("class", "hint")]))
            content.append(
                H.el(
                    "p", [("class", "actions no-print")],
                    H.a(Paths.outcomes(report) + qs + "&format=csv", t("report.csv"), [("class", "button secondary")]),
                    H.el(
                        "button", [("type", "button"), ("class", "secondary"), ("onclick", "window.print()")],
                        H.text(t("outcome.print")))))
            for table in tables(t, r) {
                if table.rows.isEmpty {
                    content.append(Bits.empty(t("outcome.empty")))
                    continue
                }
                if let chart = table.chart { content.append(H.el("figure", [("class", "chart-figure")], chart)) }
                content.append(
                    H.el(
                        "div", [("class", "table-wrap")],
                        H.table(
                            caption: table.caption, table.columns,
                            table.rows.map { row in
                                H.el(
                                    "tr", [],
                                    row.enumerated().map { i, v in
                                        i == 0
                                            ? H.el("th", [("scope", "row")], H.text(v))
                                            : H.el("td", [("class", "num")], H.text(v))
                                    })
                            })))
            }
        }
        return Layout.page(ctx, title: title, content, wide: true)
    }
}

enum DataQualityPage {
    /// One line per group and element: the CSV export and the API's table.
    static func csvLines(_ r: DataQualityReport) -> [[String]] {
        var lines: [[String]] = [
            ["group", "group_id", "records", "exits", "element", "unknown", "missing", "invalid", "error_rate"]
        ]
        for row in [r.total] + r.rows {
            for e in DataElement.allCases {
                lines.append(
                    [
                        row.groupID.flatMap { r.names[$0] } ?? "all", row.groupID?.uuidString.lowercased() ?? "",
                        String(row.records), String(row.exits),
                        e.rawValue
                    ] + DataIssue.allCases.map { String(row.count(e, $0)) } + [String(format: "%.4f", row.rate(e))])
            }
        }
        return lines
    }

    static func render(
        _ ctx: PageContext, _ r: DataQualityReport?, grouping: DataQualityGrouping, programs: [Program],
        state: FormState
    ) -> String {
        let t = ctx.t
        let title = t("dq.title")
        let qs = r.map { OutcomePage.query($0.filter) } ?? ""
        let f = Fields(t: t, state: state)
        var content: [HNode] = [
            H.el("h1", [], H.text(title)), H.el("p", [("class", "no-print")], H.a(Paths.reports, t("report.back"))),
            OutcomePage.tabs(t, current: "dq", query: qs),
            OutcomePage.filterForm(
                ctx, Paths.dataQuality, state, programs: programs,
                extra: [
                    f.select(
                        "grouping", t("dq.grouping"),
                        options: DataQualityGrouping.allCases.map { ($0.rawValue, t("dq.by.\($0.rawValue)")) })
                ]),
            H.p(t("dq.about"), [("class", "hint")])
        ]
        guard let r else { return Layout.page(ctx, title: title, content, wide: true) }
        content.append(
            H.el(
                "p", [("class", "actions no-print")],
                H.a(
                    Paths.dataQuality + qs + "&grouping=\(grouping.rawValue)&format=csv", t("report.csv"),
                    [("class", "button secondary")]),
                H.el(
                    "button", [("type", "button"), ("class", "secondary"), ("onclick", "window.print()")],
                    H.text(t("outcome.print")))))
        func link(_ e: DataElement, _ i: DataIssue, _ n: Int, worker: UUID?, program: UUID?) -> HNode {
            guard n > 0 else { return H.text("0") }
            var q = qs + "&element=\(e.rawValue)&issue=\(i.rawValue)"
            if let worker { q += "&worker=\(worker.uuidString.lowercased())" }
            if let program, r.filter.programID == nil { q += "&program=\(program.uuidString.lowercased())" }
            return H.a(Paths.dataQualityRecords + q, String(n))
        }
        // HUD-style summary: each element's unknown, missing and invalid counts and its error rate.
        content.append(
            H.el(
                "div", [("class", "table-wrap")],
                H.table(
                    caption: t("dq.summary", ["n": String(r.total.records)]),
                    [
                        t("dq.element"), t("dq.issue.unknown"), t("dq.issue.missing"), t("dq.issue.invalid"),
                        t("dq.total"), t("dq.rate")
                    ],
                    DataElement.allCases.map { e in
                        H.el(
                            "tr", [],
                            [H.el("th", [("scope", "row")], H.text(t("dq.el.\(e.rawValue)")))]
                                + DataIssue.allCases.map { i in
                                    H.el(
                                        "td", [("class", "num")],
                                        link(e, i, r.total.count(e, i), worker: nil, program: nil))
                                }
                                + [
                                    H.el("td", [("class", "num")], H.text(String(r.total.errors(e)))),
                                    H.el(
                                        "td", [("class", "num")],
                                        H.text(String(format: "%.1f %%", r.total.rate(e) * 100)))
                                ])
                    })))
        if !r.rows.isEmpty {
            content.append(
                H.el(
                    "div", [("class", "table-wrap")],
                    H.table(
                        caption: t("dq.byGroup.\(grouping.rawValue)"),
                        [t("dq.by.\(grouping.rawValue)"), t("dq.records")]
                            + DataElement.allCases.map { t("dq.el.\($0.rawValue)") },
                        r.rows.map { row in
                            H.el(
                                "tr", [],
                                [
                                    H.el("th", [("scope", "row")], H.text(row.groupID.flatMap { r.names[$0] } ?? "—")),
                                    H.el("td", [("class", "num")], H.text(String(row.records)))
                                ]
                                    + DataElement.allCases.map { e in
                                        let rate = String(format: "%.1f %%", row.rate(e) * 100)
                                        let worker = grouping == .worker ? row.groupID : nil
                                        let program = grouping == .program ? row.groupID : nil
                                        let worst = DataIssue.allCases.max { row.count(e, $0) < row.count(e, $1) }!
                                        return H.el(
                                            "td", [("class", "num")],
                                            row.errors(e) == 0
                                                ? H.text(rate)
                                                : H.group([
                                                    link(
                                                        e, worst, row.count(e, worst), worker: worker, program: program),
                                                    H.text(" · " + rate)
                                                ]))
                                    })
                        })))
        }
        return Layout.page(ctx, title: title, content, wide: true)
    }

    static func records(
        _ ctx: PageContext, filter: ReportFilter, element: DataElement, issue: DataIssue, list: [DataQualityRecord],
        programs: [UUID: String], staff: [UUID: String], page: Int, hasMore: Bool, baseQuery: String
    ) -> String {
        let t = ctx.t
        let title = t(
            "dq.recordsTitle", ["element": t("dq.el.\(element.rawValue)"), "issue": t("dq.issue.\(issue.rawValue)")])
        var content: [HNode] = [
            H.el("h1", [], H.text(title)),
            H.el("p", [], H.a(Paths.dataQuality + OutcomePage.query(filter), t("dq.back"))),
            H.p(t("dq.recordsHint"), [("class", "hint")])
        ]
        if list.isEmpty {
            content.append(Bits.empty(t("dq.noRecords")))
        } else {
            content.append(
                H.table(
                    caption: title, hiddenCaption: true,
                    [t("caseload.client"), t("caseload.program"), t("workload.worker"), t("workload.actions")],
                    list.map { x in
                        H.el(
                            "tr", [], H.el("th", [("scope", "row")], H.a(Paths.client(x.clientID), x.clientName)),
                            H.el("td", [], H.text(programs[x.programID] ?? "")),
                            H.el("td", [], H.text(staff[x.caseManagerID] ?? "")),
                            H.el(
                                "td", [],
                                H.a(
                                    element == .destination ? Paths.case(x.caseID) : Paths.editClient(x.clientID),
                                    t("dq.fix"))))
                    }))
        }
        var pager: [HNode] = []
        if page > 1 {
            pager.append(H.a(Paths.dataQualityRecords + baseQuery + "&page=\(page - 1)", t("pagination.previous")))
        }
        if hasMore {
            pager.append(H.a(Paths.dataQualityRecords + baseQuery + "&page=\(page + 1)", t("pagination.next")))
        }
        if !pager.isEmpty {
            content.append(H.el("nav", [("class", "pager"), ("aria-label", t("pagination.label"))], pager))
        }
        return Layout.page(ctx, title: title, content, wide: true)
    }
}
