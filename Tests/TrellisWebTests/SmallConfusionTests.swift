import Foundation
import Testing
@testable import TrellisCore
import TrellisData
@testable import TrellisWeb
import VaporTesting

/// Small confusions a new user met (issue 13, point 12), each pinned.
@Suite("Small confusions")
struct SmallConfusionTests {
    @Test func anotherStaffMembersTodayNeedsARealStaffMember() async throws {
        try await withTrellis { app, f in
            let supervisor = f.staff[.supervisor]!
            let malformed = try await app.web(.GET, "/staff/not-a-staff-id/today", as: supervisor, fixture: f)
            #expect(malformed.status == .notFound)
            let unknown = try await app.web(
                .GET, "/staff/\(UUID().uuidString.lowercased())/today", as: supervisor, fixture: f)
            #expect(unknown.status == .notFound)
        }
    }

    @Test func theAlertPageNamesTheClient() async throws {
        try await withTrellis { app, f in
            let client = try await f.client(app, first: "Severino", last: "Maldonado")
            let c = try await f.openCase(app, client: client)
            let (_, alerts) = try await f.assessment(app, case: c, item9: 2)
            let alert = try #require(alerts.first)
            let page = try await app.web(
                .GET, "/alerts/\(alert.id.uuidString.lowercased())", as: f.caseManager, fixture: f)
            #expect(page.status == .ok)
            #expect(page.body.contains("<h1>Risk alert: Severino Maldonado</h1>"))
            #expect(page.body.contains("href=\"/clients/\(client.id.uuidString.lowercased())\">Severino Maldonado</a>"))
        }
    }

    @Test func aBlankDurationIsADashAndTimesAreOnTheAgencysClock() async throws {
        try await withTrellis { app, f in
            let c = try await f.openCase(app, client: try await f.client(app))
            let n = try await NoteService(store: SQLStore(database: app.db), deps: testDeps).create(
                caseID: c.id,
                NoteInput(
                    contactType: "phone", contactDate: "2026-06-01", durationMinutes: nil, format: "narrative",
                    sections: ["narrative": "Left a message."]), by: f.actor(.caseManager))
            _ = try await NoteService(store: SQLStore(database: app.db), deps: testDeps).sign(
                n.id, expectedVersion: n.version, by: f.actor(.caseManager))
            let page = try await app.web(.GET, "/notes/\(n.id.uuidString.lowercased())", as: f.caseManager, fixture: f)
            #expect(page.body.contains("<dt>Duration (minutes)</dt><dd>—</dd>"))
            // Signed at the fixed test clock, 12:00 UTC, shown as the agency's clock (UTC here), never ISO 8601.
            #expect(page.body.contains("2026-06-15 12:00"))
            #expect(!page.body.contains("2026-06-15T12:00:00Z"))
            let chicago = Strings(
                language: .en, catalogs: app.trellis.strings, timeZone: TimeZone(identifier: "America/Chicago")!)
            #expect(chicago.dateTime(testNow) == "2026-06-15 07:00")
            #expect(chicago.date(Date(timeIntervalSince1970: 1_781_492_400)) == "2026-06-14") // 03:00 UTC on the 15th
        }
    }

    @Test func caseManagerAndAssigneeListsOfferOnlyStaffWhoCarryCases() async throws {
        try await withTrellis { app, f in
            let client = try await f.client(app)
            let form = try await app.web(
                .GET, "/clients/\(client.id.uuidString.lowercased())/cases/new", as: f.caseManager, fixture: f)
            let select = try #require(
                form.body.range(
                    of: #"<select[^>]*name="primaryCaseManagerID"[^>]*>.*?</select>"#, options: .regularExpression))
            let options = String(form.body[select])
            for carrier in [f.caseManager, f.caseManager2, f.staff[.supervisor]!] {
                #expect(options.contains(">\(carrier.displayName)<"), "\(carrier.username) offered")
            }
            for other in [f.staff[.programManager]!, f.staff[.agencyAdmin]!, f.staff[.auditor]!] {
                #expect(!options.contains(">\(other.displayName)<"), "\(other.username) not offered")
            }
            // Whoever is already chosen stays chosen: an admin's own task keeps the admin as assignee.
            let admin = f.staff[.agencyAdmin]!
            let task = try await app.web(.GET, "/tasks/new", as: admin, fixture: f)
            #expect(task.body.contains("value=\"\(admin.id.uuidString.lowercased())\" selected>\(admin.displayName)<"))
            #expect(!task.body.contains(">\(f.staff[.auditor]!.displayName)<"))
            // So does an admin's new case: the default (the admin, with no suggestion) is kept, not replaced.
            let newCase = try await app.web(
                .GET, "/clients/\(client.id.uuidString.lowercased())/cases/new", as: admin, fixture: f)
            #expect(
                newCase.body.contains("value=\"\(admin.id.uuidString.lowercased())\" selected>\(admin.displayName)<"))
        }
    }
}

@Suite("Words that match their counts")
struct WordingTests {
    @Test func countsReadInTheRightNumber() async throws {
        try await withTrellis { app, f in
            let c = try await f.openCase(app, client: try await f.client(app))
            _ = try await f.assessment(app, case: c, item9: 1)
            let progress = try await app.web(.GET, "/cases/\(c.id)/progress", as: f.caseManager, fixture: f)
            #expect(progress.body.contains("1 assessment, 2026-06-02."))
            #expect(!progress.body.contains("1 assessments"))
            let caseload = try await app.web(.GET, "/caseload", as: f.caseManager, fixture: f)
            #expect(caseload.body.contains("1 open case, "))
            let today = try await app.web(.GET, "/today", as: f.caseManager, fixture: f)
            #expect(today.body.contains("Your 1 open case."))
            #expect(today.body.contains("1 unacknowledged risk alert"))
            #expect(!today.body.contains("(s)"))
            // The ranking is a need score; "priority" stays the case's own low / medium / high.
            #expect(today.body.contains("need score "))
            #expect(!today.body.contains(">priority "))
        }
    }

    @Test func aFullCaseManagerIsAtTargetNotRoomForNone() async throws {
        try await withTrellis { app, f in
            let c = try await f.openCase(app, client: try await f.client(app))
            _ = try await app.web(
                .POST, "/admin/programs/\(f.programA.id)/supervision", as: f.staff[.agencyAdmin]!, fixture: f,
                form: [("caseloadTarget", "1")])
            let form = try await app.web(
                .GET, "/clients/\(c.clientID)/cases/new?program=\(f.programA.id)", as: f.staff[.agencyAdmin]!,
                fixture: f)
            #expect(form.body.contains("\(f.caseManager.displayName): at or over target (100 % of target)"))
            #expect(!form.body.contains("room for 0 more"))
        }
    }

    @Test func warningsAreNotInTheSuccessColour() async throws {
        try await withTrellis { app, f in
            let css = try await app.send(.GET, "/assets/app.css", headers: [:], body: nil)
            #expect(css.body.contains(".flash.warn {"))
            func page(_ flash: String) -> String {
                Layout.page(
                    PageContext(
                        t: Strings(language: .en, catalogs: app.trellis.strings), staff: nil, csrf: "", path: "/",
                        flash: flash), title: "x", [])
            }
            #expect(page("flash.reopenNeedsReason").contains("class=\"flash warn\""))
            #expect(page("flash.caseReopened").contains("class=\"flash\""))
        }
    }
}

@Suite("Search results tell people apart")
struct SearchResultTests {
    @Test func eachResultShowsIdAgeLastFourAndOpenPrograms() async throws {
        try await withTrellis { app, f in
            let withCase = try await f.client(
                app, first: "Teresa", last: "Ibarguen", dob: "1980-05-01", ssn: "078051120", ssnQuality: 1)
            _ = try await f.openCase(app, client: withCase)
            let without = try await f.client(app, first: "Tomas", last: "Ibarguen", dob: "1990-12-31")
            let page = try await app.web(.GET, "/clients?q=ibarguen", as: f.caseManager, fixture: f)
            #expect(page.status == .ok)
            #expect(page.body.contains("<code>\(withCase.id.uuidString.lowercased().prefix(8))</code>"))
            #expect(page.body.contains("data-label=\"Age\">46</td>")) // 1980-05-01 on 2026-06-15
            #expect(page.body.contains("data-label=\"Age\">35</td>")) // 1990-12-31 on 2026-06-15
            #expect(page.body.contains("•••-••-1120"))
            #expect(!page.text.contains("078051120") && !page.text.contains("078-05"))
            #expect(page.body.contains("data-label=\"Open cases in\">\(f.programA.name)</td>"))
            #expect(page.body.contains("data-label=\"Open cases in\">No open case</td>"))
            #expect(page.body.contains("<code>\(without.id.uuidString.lowercased().prefix(8))</code>"))
        }
    }
}

/// Search results come in the order the README gives (issue 13, point 12): surnames that begin with the word
/// (by surname, then first name), then first names that begin with it, then every other name containing it.
@Suite("Search order")
struct SearchOrderTests {
    @Test func oneWordResultsComeInTheREADMEsThreeGroups() async throws {
        try await withTrellis { app, f in
            for (first, last, dob) in [
                ("Zoe", "Smithers", "1980-01-01"), ("Ann", "Smith", "1981-02-02"), ("Bea", "Smith", "1982-03-03"),
                ("Smita", "Rao", "1983-04-04"), ("Carl", "Goldsmith", "1984-05-05"), ("Dan", "Jones", "1985-06-06")
            ] {
                _ = try await f.client(app, first: first, last: last, dob: dob)
            }
            let page = try await app.web(.GET, "/clients?q=smi", as: f.caseManager, fixture: f)
            let names = page.body.matches(of: /<th scope="row"><a href="\/clients\/[0-9a-f-]+">([^<]+)<\/a><\/th>/).map
            {
                String($0.1)
            }
            #expect(names == ["Ann Smith", "Bea Smith", "Zoe Smithers", "Smita Rao", "Carl Goldsmith"], "\(names)")
        }
    }
}
