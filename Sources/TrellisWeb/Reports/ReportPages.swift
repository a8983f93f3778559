import Foundation
import Plot
import TrellisCore

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
                                "tr", [], H.el("td", [], H.text(x.period)),
                                H.el("td", [], H.text(t.serviceTypeLabel(code: x.typeCode, fallback: x.typeLabel))),
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
                        t("outcome.domain"), t("outcome.col.ssmCases"), t("outcome.firstMean"), t("outcome.latestMean"),
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
                        t("caseload.program"), t("outcome.col.cases"), t("outcome.col.goals"), t("outcome.achieved"),
                        t("outcome.col.shareAchieved")
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
                    columns: [t("outcome.days"), t("outcome.col.closedCases"), t("outcome.col.shareClosed")],
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
                        "button", [("type", "button"), ("class", "secondary"), ("data-print", "")],
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
                    "button", [("type", "button"), ("class", "secondary"), ("data-print", "")],
                    H.text(t("outcome.print")))))
        func link(_ e: DataElement, _ i: DataIssue?, _ n: Int, worker: UUID?, program: UUID?) -> HNode {
            guard n > 0 else { return H.text("0") }
            var q = qs + "&element=\(e.rawValue)" + (i.map { "&issue=\($0.rawValue)" } ?? "")
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
                        t("dq.total"), t("dq.outOf"), t("dq.rate")
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
                                    H.el(
                                        "td", [("class", "num")],
                                        link(e, nil, r.total.errors(e), worker: nil, program: nil)),
                                    H.el("td", [("class", "num")], H.text(String(r.total.base(e)))),
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
                        [t("dq.by.\(grouping.rawValue)"), t("dq.records"), t("dq.exits")]
                            + DataElement.allCases.map { t("dq.el.\($0.rawValue)") },
                        r.rows.map { row in
                            H.el(
                                "tr", [],
                                [
                                    H.el("th", [("scope", "row")], H.text(row.groupID.flatMap { r.names[$0] } ?? "—")),
                                    H.el("td", [("class", "num")], H.text(String(row.records))),
                                    H.el("td", [("class", "num")], H.text(String(row.exits)))
                                ]
                                    + DataElement.allCases.map { e in
                                        // Errors (every issue) of the element's own base: enrollments, or exits
                                        // for the destination; the count links to exactly those records.
                                        let worker = grouping == .worker ? row.groupID : nil
                                        let program = grouping == .program ? row.groupID : nil
                                        return H.el(
                                            "td", [("class", "num")],
                                            link(e, nil, row.errors(e), worker: worker, program: program),
                                            H.text(
                                                " " + t("dq.of", ["n": String(row.base(e))])
                                                    + String(format: " · %.1f\u{00A0}%%", row.rate(e) * 100)))
                                    })
                        })))
        }
        return Layout.page(ctx, title: title, content, wide: true)
    }

    static func records(
        _ ctx: PageContext, filter: ReportFilter, element: DataElement, issue: DataIssue?, list: [DataQualityRecord],
        programs: [UUID: String], staff: [UUID: String], page: Int, hasMore: Bool, baseQuery: String
    ) -> String {
        let t = ctx.t
        let title = t(
            "dq.recordsTitle",
            ["element": t("dq.el.\(element.rawValue)"), "issue": t("dq.issue.\(issue?.rawValue ?? "any")")])
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
        content.append(
            Bits.pager(t, page: page, hasMore: hasMore, link: { Paths.dataQualityRecords + baseQuery + "&page=\($0)" }))
        return Layout.page(ctx, title: title, content, wide: true)
    }
}
