import Foundation
import Plot
import TrellisCore

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
                H.el("h2", [("id", "s-\(def.code)")], H.text(t.instrumentTitle(def))),
                H.p(
                    t.plural(
                        "progress.count", inst.points.count,
                        ["first": dates.first ?? "", "last": dates.last ?? ""]),
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
                            item.id, t.itemText(def, item), { $0.values[item.id] }, inst.minimum(item: item.id),
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
                            id: id, title: t.instrumentTitle(def) + " — " + c.1, summary: summary, points: series,
                            min: c.3, max: c.4
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
