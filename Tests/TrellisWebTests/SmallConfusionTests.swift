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
        }
    }
}
