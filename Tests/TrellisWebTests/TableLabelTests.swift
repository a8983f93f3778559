import Foundation
import Testing
@testable import TrellisWeb
import VaporTesting

/// Wide tables become one card per row on a narrow screen: every data cell carries its column's heading
/// (issue 13, point 10).
@Suite("Table labels")
struct TableLabelTests {
    @Test func everyDataCellGetsItsColumnsHeading() {
        let html = """
            <p>before</p><table class="data"><caption>C</caption><thead><tr><th scope="col">Due</th>\
            <th scope="col">What &amp; why</th><th scope="col">Say "hi"</th></tr></thead><tbody>\
            <tr><th scope="row">Row</th><td class="num">2</td><td>x</td></tr>\
            <tr><td colspan="2">wide</td><td data-label="Kept">y</td></tr></tbody></table>\
            <table class="other"><tr><td>z</td></tr></table>
            """
        let out = TableLabels.apply(html)
        #expect(out.contains("<th scope=\"row\">Row</th><td class=\"num\" data-label=\"What &amp; why\">2</td>"))
        #expect(out.contains("<td data-label=\"Say &quot;hi&quot;\">x</td>"))
        #expect(out.contains("<td colspan=\"2\" data-label=\"Due\">wide</td><td data-label=\"Kept\">y</td>"))
        #expect(out.contains("<table class=\"other\"><tr><td>z</td></tr></table>"))
        #expect(out.hasPrefix("<p>before</p>"))
        #expect(TableLabels.apply("<p>no tables</p>") == "<p>no tables</p>")
    }

    @Test func pagesLabelEveryCellOfTheirTables() async throws {
        try await withTrellis { app, f in
            let c = try await f.client(app)
            let k = try await f.openCase(app, client: c)
            _ = try await f.note(app, case: k)
            _ = try await f.assessment(app, case: k)
            for (who, path) in [
                (f.caseManager, "/cases/\(k.id)"), (f.caseManager, "/clients/\(c.id)"),
                (f.staff[.agencyAdmin]!, "/admin/programs"), (f.staff[.agencyAdmin]!, "/admin/users")
            ] {
                let page = try await app.web(.GET, path, as: who, fixture: f)
                #expect(page.status == .ok, "\(path)")
                let cells = page.body.components(separatedBy: "<td").count - 1
                let labelled = page.body.components(separatedBy: " data-label=\"").count - 1
                #expect(cells > 0 && labelled == cells, "\(path): \(labelled) of \(cells) cells labelled")
            }
        }
    }
}
