import Foundation
import Testing
@testable import TrellisCore
import TrellisData
@testable import TrellisWeb
import VaporTesting

/// The HSDS example files shipped with the tests (a copy of ../shared/data/hsds, CC BY-SA 4.0, Open Referral).
func hsdsFixtures() throws -> [String: String] {
    let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/hsds")
    var out: [String: String] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) where name.hasSuffix(".csv") {
        out[name] = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
    }
    return out
}

@Suite("Coordination")
struct CoordinationTests {
    @Test func hsdsImportReportsWhatItTookAndRejectedAndAReimportUpdatesInPlace() async throws {
        try await withTrellis { app, f in
            let store = SQLStore(database: app.db)
            let importer = HSDSImporter(store: store, deps: testDeps)
            let files = try hsdsFixtures()
            let first = try await importer.run(files: files, by: f.actor(.agencyAdmin))
            let services = first.files.first { $0.file == "services.csv" }!
            #expect(services.created == 1 && services.rejected == 0)
            #expect(first.rejected.map(\.file) == ["attributes.csv"]) // its link_id names no service in the files
            #expect(first.warnings.contains { $0.file == "locations.csv" && $0.reason.contains("outside the globe") })
            let list = try await store.records(ResourceService.self, [.equals("agency_id", .uuid(f.agencyA.id))])
            #expect(list.count == 1)
            let s = try #require(list.first)
            #expect(
                s.needs == ["mental_health"] && s.phone == "+44 1234 234567 ext. 100"
                    && s.locations.first?.city == "MyCity")
            #expect(s.locations.first?.latitude == nil)
            // Again: nothing new, nothing changed.
            let second = try await importer.run(files: files, by: f.actor(.agencyAdmin))
            #expect(second.files.first { $0.file == "services.csv" }!.unchanged == 1)
            #expect(
                try await store.records(ResourceService.self, [.equals("agency_id", .uuid(f.agencyA.id))]).count == 1)
            // A changed name updates the same record.
            var changed = files
            changed["services.csv"] = files["services.csv"]!.replacingOccurrences(
                of: "Community Counselling", with: "Community Counselling Centre")
            let third = try await importer.run(files: changed, by: f.actor(.agencyAdmin))
            #expect(third.files.first { $0.file == "services.csv" }!.updated == 1)
            let after = try await store.records(ResourceService.self, [.equals("agency_id", .uuid(f.agencyA.id))])
            #expect(
                after.map(\.id) == [s.id] && after[0].name == "Community Counselling Centre" && after[0].version == 2)
            // Search by need, place and text; a case manager may not import.
            let dir = ResourceDirectory(store: store, deps: testDeps)
            #expect(
                try await dir.search(ResourceQuery(need: "mental_health", place: "mycity"), by: f.actor(.caseManager))
                    .count == 1)
            #expect(try await dir.search(ResourceQuery(need: "housing"), by: f.actor(.caseManager)).isEmpty)
            await #expect(throws: TrellisError.self) { try await importer.run(files: files, by: f.actor(.caseManager)) }
        }
    }

    @Test func referralLifecycleRefusesJumpsAndAFollowUpTaskIsMadeWhenNoOneAnswers() async throws {
        try await withTrellis { app, f in
            let c = try await f.openCase(app, client: try await f.client(app))
            let path = "/api/v1/cases/\(c.id)/referrals"
            let made = try await app.api(
                .POST, path, as: f.caseManager, fixture: f,
                json: #"{"providerName":"Eastside Clinic","reason":"Dental care","consentOn":"2026-06-01","send":true}"#
            )
            #expect(made.status == .created)
            let id = try #require(made.json()["id"] as? String)
            // sent → connected skips "accepted": refused, and the referral is unchanged.
            let jump = try await app.api(
                .POST, "/api/v1/referrals/\(id)/status", as: f.caseManager, fixture: f,
                json: #"{"status":"connected"}"#,
                headers: ["If-Match": "\"1\""])
            #expect(jump.status == .conflict)
            #expect(jump.body.contains("can become: accepted, declined, waitlisted"))
            let store = SQLStore(database: app.db)
            #expect(try await store.record(Referral.self, id: UUID(uuidString: id)!)?.version == 1)
            // Declining needs a reason.
            let noReason = try await app.api(
                .POST, "/api/v1/referrals/\(id)/status", as: f.caseManager, fixture: f, json: #"{"status":"declined"}"#,
                headers: ["If-Match": "\"1\""])
            #expect(noReason.status == .unprocessableEntity)
            // Seven days (the default) after sending with no answer, a follow-up task appears, once.
            let later = Dependencies(
                now: { testNow.addingTimeInterval(8 * 86400) }, newID: { UUID() },
                timeZone: TimeZone(identifier: "UTC")!)
            let referrals = ReferralService(store: store, deps: later)
            #expect(try await referrals.createFollowUps() == 1)
            #expect(try await referrals.createFollowUps() == 0)
            let tasks = try await TaskService(store: store, deps: later).open(
                for: f.caseManager.id, by: f.actor(.caseManager))
            #expect(tasks.contains { $0.source == .referralFollowUp && $0.caseID == c.id })
            // Accepting answers the follow-up: its task is done.
            _ = try await referrals.move(
                UUID(uuidString: id)!, to: "accepted", on: nil, reason: nil, expectedVersion: 2,
                by: f.actor(.caseManager))
            #expect(
                try await TaskService(store: store, deps: later).open(for: f.caseManager.id, by: f.actor(.caseManager))
                    .allSatisfy { $0.source != .referralFollowUp })
        }
    }

    @Test func financialAssistanceNeedsAnAmountPeriodAndPayeeAndRefusesNegativeAmounts() async throws {
        try await withTrellis { app, f in
            let c = try await f.openCase(app, client: try await f.client(app))
            let path = "/api/v1/cases/\(c.id)/services"
            let negative = try await app.api(
                .POST, path, as: f.caseManager, fixture: f,
                json:
                    #"{"typeCode":"152:1","providedOn":"2026-06-01","amount":"-20","periodStart":"2026-06-01","periodEnd":"2026-06-30","payee":"Landlord"}"#
            )
            #expect(negative.status == .unprocessableEntity && negative.body.contains("cannot be negative"))
            let missing = try await app.api(
                .POST, path, as: f.caseManager, fixture: f, json: #"{"typeCode":"152:1","providedOn":"2026-06-01"}"#)
            #expect(
                missing.status == .unprocessableEntity && missing.body.contains("periodStart")
                    && missing.body.contains("payee"))
            let bogus = try await app.api(
                .POST, path, as: f.caseManager, fixture: f, json: #"{"typeCode":"999:1","providedOn":"2026-06-01"}"#)
            #expect(bogus.status == .unprocessableEntity)
            #expect(
                try await SQLStore(database: app.db).records(ServiceRecord.self, [.equals("case_id", .uuid(c.id))])
                    .isEmpty)
            let ok = try await app.api(
                .POST, path, as: f.caseManager, fixture: f,
                json:
                    #"{"typeCode":"152:1","providedOn":"2026-06-01","amount":"1,250.50","periodStart":"2026-06-01","periodEnd":"2026-06-30","payee":"Landlord"}"#
            )
            #expect(ok.status == .created)
            #expect(try ok.json()["amountCents"] as? Int == 125050)
            let report = try await app.api(
                .GET, "/api/v1/reports/services?from=2026-01-01&to=2026-12-31&format=csv", as: f.staff[.supervisor],
                fixture: f)
            #expect(
                report.status == .ok
                    && report.body.contains("2026-06,152,1,SSVF Financial Assistance: Rental assistance,1,1,0,1250.50"))
        }
    }

    @Test func documentsAreCheckedByContentAndSizeAndDeletionLeavesATrace() async throws {
        try await withTrellis { app, f in
            let store = SQLStore(database: app.db)
            let client = try await f.client(app)
            let docs = DocumentService(store: store, deps: testDeps)
            func upload(_ name: String, _ bytes: Data) async throws -> StoredDocument {
                try await docs.upload(
                    clientID: client.id,
                    DocumentUpload(
                        type: "identity", filename: name, caseID: nil, description: nil, bytes: bytes,
                        sha256: sha256Hex(bytes)), by: f.actor(.caseManager))
            }
            await #expect(throws: TrellisError.validation([FieldError("file", "must be a PDF, PNG or JPEG file")])) {
                try await upload("run.exe", Data("MZ\u{90}binary".utf8))
            }
            await #expect(throws: TrellisError.self) { try await upload("id.png", Data("%PDF-1.4 pretending".utf8)) }
            await #expect(throws: TrellisError.validation([FieldError("file", "is larger than the 10 MB limit")])) {
                try await upload("big.pdf", Data("%PDF-".utf8) + Data(count: DocumentRules.maxBytes))
            }
            #expect(try await docs.list(clientID: client.id, by: f.actor(.caseManager)).isEmpty)
            let pdf = Data("%PDF-1.4\n1 0 obj\n".utf8)
            let d = try await upload("id card.pdf", pdf)
            let (_, bytes) = try await docs.download(d.id, by: f.actor(.auditor))
            #expect(bytes == pdf)
            await #expect(throws: TrellisError.self) {
                try await docs.delete(d.id, reason: "wrong client", expectedVersion: 1, by: f.actor(.auditor))
            }
            _ = try await docs.delete(
                d.id, reason: "uploaded to the wrong client", expectedVersion: 1, by: f.actor(.caseManager))
            #expect(try await store.documentContent(id: d.id) == nil)
            let kept = try #require(try await store.record(StoredDocument.self, id: d.id))
            #expect(kept.deletedAt != nil && kept.deletionReason == "uploaded to the wrong client")
            let actions = try await store.auditEntries(clientID: client.id, limit: 50, offset: 0).map(\.action)
            #expect(
                actions.contains("document.upload") && actions.contains("document.download")
                    && actions.contains("document.delete"))
        }
    }

    @Test func closureNeedsAReasonAndDestinationMakesFollowUpsAndReopenAndTransferAreInTheHistory() async throws {
        try await withTrellis { app, f in
            let c = try await f.openCase(app, client: try await f.client(app))
            let path = "/api/v1/cases/\(c.id)"
            let noReason = try await app.api(
                .POST, path + "/closure", as: f.caseManager, fixture: f, json: #"{"destination":410}"#,
                headers: ["If-Match": "\"1\""])
            #expect(noReason.status == .unprocessableEntity && noReason.body.contains("reason"))
            let badCode = try await app.api(
                .POST, path + "/closure", as: f.caseManager, fixture: f, json: #"{"reason":"moved","destination":555}"#,
                headers: ["If-Match": "\"1\""])
            #expect(badCode.status == .unprocessableEntity)
            let store = SQLStore(database: app.db)
            #expect(try await store.case(id: c.id)?.status == .open)
            // The old way round the closure form is closed too.
            let patch = CaseService(store: store, deps: testDeps)
            await #expect(throws: TrellisError.self) {
                try await patch.update(
                    c.id, CaseUpdate(status: "closed"), expectedVersion: 1, by: f.actor(.caseManager))
            }
            let closed = try await app.api(
                .POST, path + "/closure", as: f.caseManager, fixture: f,
                json:
                    #"{"reason":"goals_achieved","destination":410,"closedOn":"2026-06-10","checklist":["stable_access","independent"],"followUpDays":[30,90]}"#,
                headers: ["If-Match": "\"1\""])
            #expect(closed.status == .ok)
            let tasks = try await store.records(CaseTask.self, [.equals("case_id", .uuid(c.id))]).sorted {
                $0.dueOn < $1.dueOn
            }
            #expect(
                tasks.map(\.dueOn.description) == ["2026-07-10", "2026-09-08"]
                    && tasks.allSatisfy { $0.source == .closureFollowUp })
            let reopen = try await app.api(
                .POST, path + "/reopen", as: f.caseManager, fixture: f, json: "{}", headers: ["If-Match": "\"2\""])
            #expect(reopen.status == .unprocessableEntity)
            #expect(
                try await app.api(
                    .POST, path + "/reopen", as: f.caseManager, fixture: f, json: #"{"reason":"Lost the apartment"}"#,
                    headers: ["If-Match": "\"2\""]
                ).status == .ok)
            let noNote = try await app.api(
                .POST, path + "/transfer", as: f.staff[.supervisor], fixture: f,
                json: "{\"toManagerID\":\"\(f.caseManager2.id)\"}", headers: ["If-Match": "\"3\""])
            #expect(noNote.status == .unprocessableEntity)
            #expect(
                try await app.api(
                    .POST, path + "/transfer", as: f.staff[.supervisor], fixture: f,
                    json:
                        "{\"toManagerID\":\"\(f.caseManager2.id)\",\"note\":\"Prefers texts; lease signing on Friday.\"}",
                    headers: ["If-Match": "\"3\""]
                ).status == .ok)
            #expect(try await store.case(id: c.id)?.primaryCaseManagerID == f.caseManager2.id)
            // The case is the new case manager's now (the old one is no longer on its care team).
            let history = try await app.api(.GET, path + "/history", as: f.caseManager2, fixture: f)
            let kinds = (try history.json()["items"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
            // (The test clock stands still, so the three share one time; their order is not what is checked here.)
            #expect(Set(kinds) == ["transferred", "reopened", "closed"] && kinds.count == 3)
            // The follow-ups went with the case to the new case manager.
            #expect(
                try await store.records(
                    CaseTask.self, [.equals("case_id", .uuid(c.id)), .equals("status", .text("open"))]
                ).allSatisfy { $0.assigneeID == f.caseManager2.id })
        }
    }

    @Test func contactRulesAreEvaluatedFromNotesAndFilterTheCaseload() async throws {
        try await withTrellis { app, f in
            let store = SQLStore(database: app.db)
            var p = f.programA
            p.contactRules = [ContactRequirement(contactType: .homeVisit, everyDays: 180)]
            try await store.updateProgramSettings(p)
            // Opened 2025-11-01, about 225 days before the test's today; a phone call recently.
            let c = try await f.openCase(app, client: try await f.client(app), opened: "2025-11-01")
            _ = try await f.note(app, case: c, date: "2026-06-10")
            let loads = CaseloadService(store: store, deps: testDeps)
            let overdue = try await loads.caseload(of: f.caseManager.id, by: f.actor(.caseManager), contact: .overdue)
            let e = try #require(overdue.entries.first { $0.caseID == c.id })
            #expect(
                e.contacts.map(\.status) == [.compliant, .overdue] || e.contacts.map(\.status) == [.dueSoon, .overdue])
            #expect(
                try await loads.caseload(of: f.caseManager.id, by: f.actor(.caseManager), contact: .compliant).entries
                    .allSatisfy { $0.caseID != c.id })
            let page = try await app.web(.GET, "/caseload?contact=overdue", as: f.caseManager, fixture: f)
            #expect(page.body.contains("Home visit every 180 days"))
        }
    }

    @Test func appealDeadlinesBecomeTasksAndTheCalendarFeedListsThemWithoutNames() async throws {
        try await withTrellis { app, f in
            let client = try await f.client(app, first: "Zenaida", last: "Quill")
            let c = try await f.openCase(app, client: client)
            let made = try await app.api(
                .POST, "/api/v1/cases/\(c.id)/advocacy", as: f.caseManager, fixture: f,
                json:
                    #"{"kind":"appeal","issue":"denied_benefits","otherParty":"County Benefits Office","filingDeadline":"2026-06-25"}"#
            )
            #expect(made.status == .created)
            let noDeadline = try await app.api(
                .POST, "/api/v1/cases/\(c.id)/advocacy", as: f.caseManager, fixture: f,
                json: #"{"kind":"appeal","issue":"eviction","otherParty":"Landlord"}"#)
            #expect(noDeadline.status == .unprocessableEntity)
            let store = SQLStore(database: app.db)
            let tasks = try await store.records(CaseTask.self, [.equals("case_id", .uuid(c.id))])
            #expect(
                tasks.map(\.title) == ["File appeal with County Benefits Office"]
                    && tasks[0].dueOn.description == "2026-06-25")
            let feed = CalendarFeed(
                id: f.caseManager.id, tokenHash: Tokens.hash("secret-feed"), createdAt: testNow, version: 1)
            try await store.insertRecord(feed)
            let ics = try await app.send(.GET, "/calendar/secret-feed.ics", headers: [:], body: nil)
            #expect(ics.status == .ok && ics.body.hasPrefix("BEGIN:VCALENDAR\r\n"))
            #expect(
                ics.body.contains("DTSTART;VALUE=DATE:20260625")
                    && ics.body.contains("SUMMARY:Due: File appeal with County Benefits Office"))
            #expect(!ics.body.contains("Zenaida") && !ics.body.contains("Quill"))
            #expect(try await app.send(.GET, "/calendar/wrong.ics", headers: [:], body: nil).status == .notFound)
            // Each fetch is audited: the feed, and the client its tasks name.
            let read = try await store.auditEntries(clientID: c.clientID, limit: 50, offset: 0)
            #expect(read.contains { $0.action == "calendar.read" && $0.actorID == f.caseManager.id })
            // A password change ends the feed (and the user's API tokens): the old address stops working.
            try await OrganizationService(store: store, deps: testDeps, hasher: app.trellis.hasher).changePassword(
                current: Fixture.password, new: "a-brand-new-passphrase-2026",
                confirmation: "a-brand-new-passphrase-2026", keepingSession: nil, by: f.actor(.caseManager))
            #expect(try await app.send(.GET, "/calendar/secret-feed.ics", headers: [:], body: nil).status == .notFound)
            #expect(
                try await app.api(.GET, "/api/v1/tasks", as: f.caseManager, fixture: f).status == .unauthorized)
        }
    }
    @Test func theCalendarFeedLinksToTheConfiguredAddressNotTheRequestsHost() async throws {
        #expect(TrellisConfig.publicURL("https://trellis.example.org/") == "https://trellis.example.org")
        for bad in ["ftp://trellis.example.org", "trellis.example.org", "https://", "javascript:alert(1)"] {
            #expect(TrellisConfig.publicURL(bad) == nil, "\(bad)")
        }
        try await withTrellis(adjust: { $0.publicURL = "https://trellis.example.org/" }) { app, f in
            let store = SQLStore(database: app.db)
            _ = try await TaskService(store: store, deps: testDeps).create(
                TaskInput(kind: "task", title: "Call the landlord", dueOn: "2026-06-20"), by: f.actor(.caseManager))
            try await store.insertRecord(
                CalendarFeed(id: f.caseManager.id, tokenHash: Tokens.hash("feed-2"), createdAt: testNow, version: 1))
            let ics = try await app.send(.GET, "/calendar/feed-2.ics", headers: ["Host": "evil.example"], body: nil)
            #expect(ics.body.contains("URL:https://trellis.example.org/tasks/") && !ics.body.contains("evil.example"))
        }
    }
}
