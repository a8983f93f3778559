import Foundation
import Testing
import TrellisCore
import TrellisData
@testable import TrellisWeb
import VaporTesting

/// The case and client pages open with a header that stays and a menu of their sections (issue 13, point 10).
@Suite("Record pages")
struct RecordPageTests {
    static func section(_ html: String, _ open: String, _ close: String) -> String? {
        guard let a = html.range(of: open), let b = html.range(of: close, range: a.upperBound..<html.endIndex) else {
            return nil
        }
        return String(html[a.upperBound..<b.lowerBound])
    }

    @Test func theCasePageHeaderSaysWhoWhereAndWhatIsDue() async throws {
        try await withTrellis { app, f in
            let c = try await f.client(app, first: "Ana", last: "Ruiz", dob: "1980-05-01")
            let k = try await f.openCase(app, client: c)
            let store = SQLStore(database: app.db)
            let notes = NoteService(store: store, deps: testDeps)
            _ = try await notes.create(
                caseID: k.id,
                NoteInput(
                    contactType: "phone", contactDate: "2026-06-01", durationMinutes: 10, format: "narrative",
                    sections: ["narrative": "Older call about the lease.\nSecond line."]), by: f.actor(.caseManager))
            _ = try await notes.create(
                caseID: k.id,
                NoteInput(
                    contactType: "home_visit", contactDate: "2026-06-10", durationMinutes: 30, format: "dap",
                    sections: ["data": "Newest visit: the flat is ready.", "assessment": "Good", "plan": "Move"]),
                by: f.actor(.caseManager))
            _ = try await f.assessment(app, case: k, item9: 1)
            let page = try await app.web(.GET, "/cases/\(k.id)", as: f.caseManager, fixture: f)
            let header = try #require(Self.section(page.body, "<header class=\"record-header\">", "</header>"))
            for shown in [
                "Ana Ruiz", "Age: </span>46", "Shelter", "Stage: </span>Engagement", "Fx-Casemanager", "2026-07-10",
                "1 open risk alert"
            ] {
                #expect(header.contains(shown), "header lacks \(shown): \(header)")
            }
            // The menu jumps to sections that are on the page.
            let nav = try #require(Self.section(page.body, "<nav class=\"record-nav no-print\"", "</nav>"))
            let targets = nav.matches(of: /href="#([a-z-]+)"/).map { String($0.1) }
            #expect(targets.count == 9, "\(targets)")
            for id in targets { #expect(page.body.contains("id=\"\(id)\""), "#\(id) is not on the page") }
            // Notes come before the assessments, newest first, each with its first line.
            let notesAt = try #require(page.body.range(of: "id=\"s-notes\""))
            let assessAt = try #require(page.body.range(of: "id=\"s-assess\""))
            #expect(notesAt.lowerBound < assessAt.lowerBound)
            let newest = try #require(page.body.range(of: "Newest visit: the flat is ready."))
            let older = try #require(page.body.range(of: "Older call about the lease."))
            #expect(newest.lowerBound < older.lowerBound)
            #expect(!page.body.contains("Second line."))
        }
    }

    @Test func theClientPageHeaderAndMenu() async throws {
        try await withTrellis { app, f in
            let c = try await f.client(app, first: "Ana", last: "Ruiz", dob: "1980-05-01")
            _ = try await f.openCase(app, client: c)
            let page = try await app.web(.GET, "/clients/\(c.id)", as: f.caseManager, fixture: f)
            let header = try #require(Self.section(page.body, "<header class=\"record-header\">", "</header>"))
            #expect(header.contains("Ana Ruiz") && header.contains("46") && header.contains("Shelter"))
            #expect(header.contains(String(c.id.uuidString.lowercased().prefix(8))))
            let nav = try #require(Self.section(page.body, "<nav class=\"record-nav no-print\"", "</nav>"))
            let targets = nav.matches(of: /href="#([a-z-]+)"/).map { String($0.1) }
            #expect(targets.count == 5)
            for id in targets { #expect(page.body.contains("id=\"\(id)\""), "#\(id) is not on the page") }
            #expect(nav.contains("/documents"))
        }
    }
}
