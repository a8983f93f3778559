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
