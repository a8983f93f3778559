import Foundation
import Testing
@testable import TrellisCore
import TrellisData
@testable import TrellisWeb
import VaporTesting

/// Letters keep their line breaks and paragraphs (issue 13, point 1).
@Suite("Letters")
struct LetterTests {
    @Test func aKeptLetterKeepsItsParagraphsAndLinesOnItsPageAndInTheAPI() async throws {
        try await withTrellis { app, f in
            let c = try await f.openCase(app, client: try await f.client(app))
            // As a browser's textarea sends it: CR LF line breaks.
            let body =
                "To the hearing officer,\r\n\r\nMs. Ruiz asks that benefits continue.\r\nShe filed on time.\r\n\r\nSincerely,\r\nCasemanager"
            let kept = try await app.web(
                .POST, "/cases/\(c.id.uuidString.lowercased())/letters", as: f.caseManager, fixture: f,
                form: [("title", "Appeal"), ("body", body)])
            #expect(kept.status == .seeOther)
            let path = try #require(kept.headers.first(name: .location))
            let page = try await app.web(.GET, path, as: f.caseManager, fixture: f)
            #expect(page.body.contains("<p>To the hearing officer,</p>"))
            #expect(page.body.contains("<p>Ms. Ruiz asks that benefits continue.<br/>She filed on time.</p>"))
            #expect(page.body.contains("<p>Sincerely,<br/>Casemanager</p>"))
            let id = String(path.split(separator: "/").last!)
            let api = try await app.api(.GET, "/api/v1/letters/\(id)", as: f.caseManager, fixture: f)
            #expect(
                try api.json()["body"] as? String
                    == "To the hearing officer,\n\nMs. Ruiz asks that benefits continue.\nShe filed on time.\n\nSincerely,\nCasemanager"
            )
        }
    }

    @Test func paragraphsAreBlankLinesHoweverTheyWereTyped() {
        #expect(LetterMerge.paragraphs("a\r\n \r\nb\rc\n\n\nd") == [["a"], ["b", "c"], ["d"]])
        #expect(LetterMerge.normalized("x\r\ny\rz") == "x\ny\nz")
    }
}
