import Foundation
import Plot
import TrellisCore

/// Line charts drawn on the server as SVG: readable without script, printable, and each labelled for
/// screen readers, with the same numbers in a data table beside it.
enum Chart {
    static func line(id: String, title: String, summary: String, points: [(String, Int?)], min lo: Int, max hi: Int)
        -> HNode
    {
        let w = 360.0
        let h = 150.0
        let left = 34.0
        let right = 10.0
        let top = 10.0
        let bottom = 28.0
        let span = Double(Swift.max(hi - lo, 1))
        let n = points.count
        func x(_ i: Int) -> Double {
            n <= 1 ? left + (w - left - right) / 2 : left + Double(i) * (w - left - right) / Double(n - 1)
        }
        func y(_ v: Int) -> Double { top + (h - top - bottom) * (1 - Double(v - lo) / span) }
        func fmt(_ d: Double) -> String { String(format: "%.1f", d) }
        var nodes: [HNode] = [
            H.el("title", [("id", id + "-t")], H.text(title)),
            H.el("desc", [("id", id + "-d")], H.text(summary))
        ]
        // Gridlines at the bottom, middle and top of the scale, labelled.
        for v in Set([lo, lo + (hi - lo) / 2, hi]).sorted() {
            nodes.append(
                H.el(
                    "line",
                    [("x1", fmt(left)), ("x2", fmt(w - right)), ("y1", fmt(y(v))), ("y2", fmt(y(v))), ("class", "grid")]
                ))
            nodes.append(
                H.el(
                    "text", [("x", fmt(left - 6)), ("y", fmt(y(v) + 4)), ("text-anchor", "end"), ("class", "axis")],
                    H.text(String(v))))
        }
        let known = points.enumerated().compactMap { i, p in p.1.map { (i, $0) } }
        if known.count > 1 {
            nodes.append(
                H.el(
                    "polyline",
                    [
                        ("points", known.map { fmt(x($0.0)) + "," + fmt(y($0.1)) }.joined(separator: " ")),
                        ("class", "series")
                    ]))
        }
        for (i, v) in known {
            nodes.append(H.el("circle", [("cx", fmt(x(i))), ("cy", fmt(y(v))), ("r", "3.5"), ("class", "point")]))
        }
        // Date labels: first, last, and the middle when there is room.
        let labelled = n <= 4 ? Array(0..<n) : [0, n / 2, n - 1]
        for i in labelled {
            nodes.append(
                H.el(
                    "text",
                    [
                        ("x", fmt(x(i))), ("y", fmt(h - 8)),
                        ("text-anchor", i == 0 && n > 1 ? "start" : i == n - 1 && n > 1 ? "end" : "middle"),
                        ("class", "axis")
                    ], H.text(points[i].0)))
        }
        return H.el(
            "svg",
            [
                ("viewBox", "0 0 \(Int(w)) \(Int(h))"), ("role", "img"), ("aria-labelledby", id + "-t " + id + "-d"),
                ("class", "chart"), ("xmlns", "http://www.w3.org/2000/svg")
            ], nodes)
    }
}

enum ProgressPage {
    static func value(_ v: Int?) -> String { v.map(String.init) ?? "—" }

    static func render(_ ctx: PageContext, progress p: CaseProgress) -> String {
        let t = ctx.t
        let title = t("progress.title")
        var content: [HNode] = [
            H.el("h1", [], H.text(title)),
            H.el("p", [], H.a(Paths.case(p.case.id), t("asmt.backToCase")))
        ]
        if p.instruments.isEmpty {
            content.append(H.el("div", [("class", "empty")], H.p(t("progress.none"))))
            return Layout.page(ctx, title: title, content)
        }
        for (ii, inst) in p.instruments.enumerated() {
            let def = inst.definition
            let dates = inst.points.map(\.date.description)
            var section: [HNode] = [
                H.el("h2", [("id", "s-\(def.code)")], H.text(def.title)),
                H.p(
                    t(
                        "progress.count",
                        ["n": String(inst.points.count), "first": dates.first ?? "", "last": dates.last ?? ""]),
                    [("class", "hint")]),
                H.table(
                    caption: t("progress.compare"),
                    [
                        def.scoring == .domains ? t("progress.domain") : t("asmt.item"), t("progress.first"),
                        t("progress.previous"),
                        t("progress.latest"), t("progress.change")
                    ],
                    inst.rows.map { r in
                        let change = r.change.map { $0 > 0 ? "+\($0)" : String($0) } ?? "—"
                        return H.el(
                            "tr", [("class", r.itemID == nil ? "total" : nil)],
                            H.el("th", [("scope", "row")], H.text(r.itemID == nil ? t("progress.total") : r.label)),
                            H.el("td", [("class", "num")], H.text(value(r.first))),
                            H.el("td", [("class", "num")], H.text(value(r.previous))),
                            H.el("td", [("class", "num")], H.text(value(r.latest))),
                            H.el("td", [("class", "num")], H.text(change)))
                    })
            ]
            var charts: [(String?, String, (ProgressPoint) -> Int?, Int, Int)] = [
                (
                    nil, t("progress.total"), { $0.total }, 0,
                    def.scoring == .domains ? def.items.count * 5 : def.maximumTotal
                )
            ]
            if inst.chartsPerItem {
                for item in def.items where item.kind.isScored {
                    charts.append(
                        (
                            item.id, item.text, { $0.values[item.id] }, inst.minimum(item: item.id),
                            inst.maximum(item: item.id)
                        ))
                }
            }
            var figures: [HNode] = []
            for (ci, c) in charts.enumerated() {
                let id = "c\(ii)-\(ci)"
                let series = inst.points.map { ($0.date.description, c.2($0)) }
                let values = series.compactMap(\.1)
                let summary = t(
                    "progress.chartSummary",
                    [
                        "name": c.1, "n": String(values.count),
                        "first": value(values.first), "last": value(values.last)
                    ])
                figures.append(
                    H.el(
                        "figure", [("class", "chart-figure")],
                        H.el("figcaption", [], H.text(c.1)),
                        Chart.line(
                            id: id, title: def.title + " — " + c.1, summary: summary, points: series, min: c.3, max: c.4
                        ),
                        H.el(
                            "table", [("class", "data compact")],
                            H.el("caption", [("class", "visually-hidden")], H.text(c.1 + " — " + t("progress.byDate"))),
                            H.head([t("progress.date"), t("progress.score")]),
                            H.el(
                                "tbody", [],
                                series.map { d, v in
                                    H.el(
                                        "tr", [], H.el("td", [], H.text(d)),
                                        H.el("td", [("class", "num")], H.text(value(v))))
                                }))))
            }
            section.append(H.el("div", [("class", "charts")], figures))
            content.append(H.el("section", [("aria-labelledby", "s-\(def.code)")], section))
        }
        return Layout.page(ctx, title: title, content, wide: true)
    }
}
