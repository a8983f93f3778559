import Foundation

/// Gives every cell of every data table its column's heading as `data-label`, so the stylesheet can lay a
/// table out as one card per row on a narrow screen (each value under its heading) instead of letting the
/// page scroll sideways. It runs on the page Trellis itself rendered, where every tag is Trellis's own and
/// all text is escaped, so a `<td` or `<th` can only be markup.
enum TableLabels {
    static func apply(_ html: String) -> String {
        guard html.contains("<table class=\"data") else { return html }
        var out = ""
        out.reserveCapacity(html.utf8.count + html.utf8.count / 8)
        var rest = html[...]
        while let start = rest.range(of: "<table class=\"data") {
            out += rest[..<start.lowerBound]
            guard let end = rest.range(of: "</table>", range: start.lowerBound..<rest.endIndex) else { break }
            out += label(String(rest[start.lowerBound..<end.upperBound]))
            rest = rest[end.upperBound...]
        }
        out += rest
        return out
    }

    /// One table: the headings of its head row, then each body row's cells in order.
    static func label(_ table: String) -> String {
        guard let headStart = table.range(of: "<thead>"), let headEnd = table.range(of: "</thead>") else {
            return table
        }
        let head = table[headStart.upperBound..<headEnd.lowerBound]
        var headings: [String] = []
        var scan = head[...]
        while let open = scan.range(of: "<th"),
            let close = scan.range(of: "</th>", range: open.upperBound..<scan.endIndex)
        {
            guard let tagEnd = scan.range(of: ">", range: open.upperBound..<close.lowerBound) else { break }
            headings.append(plain(scan[tagEnd.upperBound..<close.lowerBound]))
            scan = scan[close.upperBound...]
        }
        guard !headings.isEmpty else { return table }
        var out = String(table[..<headEnd.upperBound])
        var body = table[headEnd.upperBound...]
        while let row = body.range(of: "<tr") {
            out += body[..<row.lowerBound]
            guard let rowEnd = body.range(of: "</tr>", range: row.upperBound..<body.endIndex) else { break }
            var cells = body[row.lowerBound..<rowEnd.upperBound]
            var column = 0
            var rowOut = ""
            while let cell = firstCell(in: cells) {
                rowOut += cells[..<cell.range.lowerBound]
                var tag = String(cells[cell.range])
                if cell.isData, !tag.contains("data-label="), column < headings.count, !headings[column].isEmpty {
                    tag = String(tag.dropLast()) + " data-label=\"\(headings[column])\">"
                }
                rowOut += tag
                column += span(tag)
                cells = cells[cell.range.upperBound...]
            }
            rowOut += cells
            out += rowOut
            body = body[rowEnd.upperBound...]
        }
        out += body
        return out
    }

    /// The next `<td …>` or `<th …>` start tag.
    private static func firstCell(in s: Substring) -> (range: Range<Substring.Index>, isData: Bool)? {
        var best: (Range<Substring.Index>, Bool)? = nil
        for (name, isData) in [("<td", true), ("<th", false)] {
            var from = s.startIndex
            while let r = s.range(of: name, range: from..<s.endIndex) {
                // `<th` must not match `<thead`; both must end their name here.
                let next = r.upperBound < s.endIndex ? s[r.upperBound] : ">"
                if next == ">" || next == " " {
                    if let close = s.range(of: ">", range: r.upperBound..<s.endIndex) {
                        if best == nil || r.lowerBound < best!.0.lowerBound {
                            best = (r.lowerBound..<close.upperBound, isData)
                        }
                    }
                    break
                }
                from = r.upperBound
            }
        }
        return best
    }

    private static func span(_ tag: String) -> Int {
        guard let r = tag.range(of: "colspan=\"") else { return 1 }
        return Int(tag[r.upperBound...].prefix { $0.isNumber }) ?? 1
    }

    /// A heading's text without its markup, safe inside a double-quoted attribute.
    private static func plain(_ s: Substring) -> String {
        var out = ""
        var inTag = false
        for c in s {
            if c == "<" {
                inTag = true
            } else if c == ">" {
                inTag = false
            } else if !inTag {
                out.append(c)
            }
        }
        return out.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "\"", with: "&quot;")
    }
}
