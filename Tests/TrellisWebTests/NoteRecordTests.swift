import Foundation
import Testing
@testable import TrellisCore
@testable import TrellisData
@testable import TrellisWeb
import VaporTesting

/// A note reads as one record with its addenda and co-signature, and signing it is confirmed (issue 13,
/// point 12).
@Suite("The note record")
struct NoteRecordTests {
    /// Issue 15, point 11: a case with years of notes lists them a page at a time, on the case page and in the
    /// API, and only the page's notes are read (and audited).
    @Test func aCasesNotesComeAPageAtATimeNewestFirst() async throws {
        try await withTrellis { app, f in
            let c = try await f.openCase(app, client: try await f.client(app), opened: "2026-05-01")
            // 30 notes, one a day from 2026-05-02 to 2026-05-31.
            for day in 2...31 { _ = try await f.note(app, case: c, date: String(format: "2026-05-%02d", day)) }
            let base = "/api/v1/cases/\(c.id)/notes"
            let before = try await app.count("audit_log")
            let page = try await app.api(.GET, base + "?limit=4&offset=2", as: f.caseManager, fixture: f)
            #expect(page.status == .ok)
            let json = try page.json()
            let dates = (json["items"] as? [[String: Any]] ?? []).compactMap { $0["contactDate"] as? String }
            #expect(dates == ["2026-05-29", "2026-05-28", "2026-05-27", "2026-05-26"])
            #expect(json["limit"] as? Int == 4 && json["offset"] as? Int == 2)
            #expect(try await app.count("audit_log") - before == 4)
            let standard = try await app.api(.GET, base, as: f.caseManager, fixture: f)
            #expect((try standard.json()["items"] as? [Any])?.count == 25)
            let past = try await app.api(.GET, base + "?offset=30", as: f.caseManager, fixture: f)
            #expect((try past.json()["items"] as? [Any])?.isEmpty == true)
            for bad in ["?limit=0", "?limit=101", "?offset=-1", "?limit=lots"] {
                let r = try await app.api(.GET, base + bad, as: f.caseManager, fixture: f)
                #expect(r.status == .unprocessableEntity, "\(bad): \(r.status)")
            }
            // The case page: the newest 25, a count, and the next page.
            let first = try await app.web(.GET, "/cases/\(c.id.uuidString.lowercased())", as: f.caseManager, fixture: f)
            #expect(first.body.contains("Notes 1–25 of 30"))
            #expect(first.body.contains(">2026-05-31</a>") && !first.body.contains(">2026-05-06</a>"))
            #expect(first.body.contains("?notes=2#s-notes"))
            let second = try await app.web(
                .GET, "/cases/\(c.id.uuidString.lowercased())?notes=2", as: f.caseManager, fixture: f)
            #expect(second.body.contains("Notes 26–30 of 30"))
            #expect(second.body.contains(">2026-05-02</a>") && !second.body.contains(">2026-05-31</a>"))
            #expect(second.body.contains("?notes=1#s-notes") && !second.body.contains("?notes=3"))
        }
    }

    /// Lists their services return whole page too (a case's referrals here), with the same limits.
    @Test func everyListAnswersAPage() async throws {
        try await withTrellis { app, f in
            let c = try await f.openCase(app, client: try await f.client(app), opened: "2026-05-01")
            for path in [
                "/api/v1/cases/\(c.id)/referrals", "/api/v1/cases/\(c.id)/history", "/api/v1/caseload",
                "/api/v1/cases/\(c.id)/assessments", "/api/v1/instruments?limit=2&offset=1"
            ] {
                let r = try await app.api(.GET, path, as: f.caseManager, fixture: f)
                #expect(r.status == .ok, "\(path)")
                let json = try r.json()
                #expect(json["limit"] is Int && json["offset"] is Int && json["items"] is [Any], "\(path)")
                let bad = try await app.api(
                    .GET, path + (path.contains("?") ? "&" : "?") + "limit=0", as: f.caseManager, fixture: f)
                #expect(bad.status == .unprocessableEntity, "\(path)")
            }
            let all = try await app.api(.GET, "/api/v1/instruments", as: f.caseManager, fixture: f)
            let some = try await app.api(.GET, "/api/v1/instruments?limit=2&offset=1", as: f.caseManager, fixture: f)
            let names = { (r: HTTPResult) in
                (try r.json()["items"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
            }
            #expect(try names(some) == Array(try names(all).dropFirst().prefix(2)))
        }
    }

    @Test func anAddendumIsNotAContactOrAHomeVisit() async throws {
        try await withTrellis { app, f in
            let store = SQLStore(database: app.db)
            let c = try await f.openCase(app, client: try await f.client(app), opened: "2026-05-01")
            let n = try await f.note(app, case: c, date: "2026-06-01", type: "home_visit", sign: true)
            let add = try await NoteService(store: store, deps: testDeps).addendum(
                to: n.id,
                NoteInput(
                    contactType: "home_visit", contactDate: "2026-06-10", durationMinutes: nil, format: "narrative",
                    sections: ["narrative": "The landlord called back after the visit."]), by: f.actor(.caseManager))
            let after = try #require(try await store.case(id: c.id))
            #expect(after.lastContactOn?.description == "2026-06-01")
            #expect(after.contactDueOn.description == "2026-07-01") // 30 days after the visit, not the addendum
            #expect(try await store.latestContacts(caseIDs: [c.id])[c.id]?[.homeVisit]?.description == "2026-06-01")
            // The original note shows the addendum's text under it.
            let page = try await app.web(.GET, "/notes/\(n.id.uuidString.lowercased())", as: f.caseManager, fixture: f)
            #expect(page.body.contains("The landlord called back after the visit."))
            #expect(page.body.contains("href=\"/notes/\(add.id.uuidString.lowercased())\""))
        }
    }

    @Test func theMigrationRecomputesCasesWhoseAddendaCountedAsContacts() async throws {
        try await withTrellis { app, f in
            let store = SQLStore(database: app.db)
            let c = try await f.openCase(app, client: try await f.client(app), opened: "2026-05-01")
            let n = try await f.note(app, case: c, date: "2026-06-01", type: "home_visit", sign: true)
            _ = try await NoteService(store: store, deps: testDeps).addendum(
                to: n.id,
                NoteInput(
                    contactType: "home_visit", contactDate: "2026-06-10", format: "narrative",
                    sections: ["narrative": "Correction."]), by: f.actor(.caseManager))
            // As the old code left it: the addendum's date taken as the last contact.
            try await app.sql.raw(
                "UPDATE cases SET last_contact_on = '2026-06-10', contact_due_on = '2026-07-10' WHERE id = \(bind: c.id)"
            ).run()
            try await M017_AddendaAreNotContacts().prepare(on: app.db)
            let fixed = try #require(try await store.case(id: c.id))
            #expect(fixed.lastContactOn?.description == "2026-06-01")
            #expect(fixed.contactDueOn.description == "2026-07-01")
        }
    }

    @Test func aCoSignedNoteSaysWhoCoSignedIt() async throws {
        try await withTrellis { app, f in
            _ = try await app.web(
                .POST, "/admin/programs/\(f.programA.id)/supervision", as: f.staff[.agencyAdmin]!, fixture: f,
                form: [("requiresNoteCosign", "on")])
            let c = try await f.openCase(app, client: try await f.client(app))
            let n = try await f.note(app, case: c, sign: true)
            let path = "/notes/\(n.id.uuidString.lowercased())"
            let waiting = try await app.web(.GET, path, as: f.caseManager, fixture: f)
            #expect(waiting.body.contains("<dt>Co-signed</dt><dd>Waiting for a supervisor"))
            let review = try #require(
                try await SQLStore(database: app.db).records(NoteReview.self, [.equals("note_id", .uuid(n.id))]).first)
            let supervisor = f.staff[.supervisor]!
            _ = try await app.web(
                .POST, "/reviews/notes/\(review.id)", as: supervisor, fixture: f,
                form: [("version", "1"), ("decision", "approve")])
            let page = try await app.web(.GET, path, as: f.caseManager, fixture: f)
            #expect(page.body.contains("<dt>Co-signed</dt><dd>\(supervisor.displayName), 2026-06-15 12:00</dd>"))
        }
    }

    @Test func signingANoteAsksForConfirmation() async throws {
        try await withTrellis { app, f in
            let c = try await f.openCase(app, client: try await f.client(app))
            let n = try await f.note(app, case: c)
            let path = "/notes/\(n.id.uuidString.lowercased())"
            #expect(try await app.web(.GET, path, as: f.caseManager, fixture: f).body.contains("name=\"confirm[]\""))
            let unconfirmed = try await app.web(
                .POST, path + "/sign", as: f.caseManager, fixture: f, form: [("version", String(n.version))])
            #expect(unconfirmed.status == .unprocessableEntity)
            #expect(unconfirmed.body.contains("field has-error"))
            #expect(try await SQLStore(database: app.db).note(id: n.id)?.status == .draft)
            let signed = try await app.web(
                .POST, path + "/sign", as: f.caseManager, fixture: f,
                form: [("version", String(n.version)), ("confirm[]", "1")])
            #expect(signed.status == .seeOther)
            #expect(try await SQLStore(database: app.db).note(id: n.id)?.status == .signed)
        }
    }
    @Test func aNoteIsShownExactlyAsStoredEntitiesAndAll() async throws {
        try await withTrellis { app, f in
            let c = try await f.openCase(app, client: try await f.client(app), opened: "2026-05-01")
            let typed = "Rent &amp; deposit: &lt;b&gt;$900&lt;/b&gt; &#60;script&#62; <i>as typed</i>"
            let n = try await NoteService(store: SQLStore(database: app.db), deps: testDeps).create(
                caseID: c.id,
                NoteInput(
                    contactType: "phone", contactDate: "2026-06-01", durationMinutes: 10, format: "narrative",
                    sections: ["narrative": typed]), by: f.actor(.caseManager))
            let page = try await app.web(.GET, "/notes/\(n.id.uuidString.lowercased())", as: f.caseManager, fixture: f)
            // Every & < > of the stored text is escaped, so the browser shows the characters typed, not what
            // they would decode to.
            #expect(
                page.body.contains(
                    "Rent &amp;amp; deposit: &amp;lt;b&amp;gt;$900&amp;lt;/b&amp;gt; &amp;#60;script&amp;#62; "
                        + "&lt;i&gt;as typed&lt;/i&gt;"))
            #expect(!page.body.contains("<i>as typed"))
        }
    }
}
