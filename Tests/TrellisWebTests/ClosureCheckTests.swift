import Foundation
import Testing
import TrellisCore
import TrellisData
@testable import TrellisWeb
import VaporTesting

/// Closing a case checks what is still open on it (issue 13, point 3).
@Suite("Closure checks")
struct ClosureCheckTests {
    let closeForm: [(String, String)] = [
        ("reason", "goals_achieved"), ("destination", "410"), ("closedOn", "2026-06-15"), ("version", "1")
    ]

    @Test func anUnacknowledgedRiskAlertStopsTheClosureUntilItIsAcknowledged() async throws {
        try await withTrellis { app, f in
            let c = try await f.openCase(app, client: try await f.client(app))
            let (_, alerts) = try await f.assessment(app, case: c, item9: 2)
            let alert = try #require(alerts.first)
            let form = try await app.web(.GET, "/cases/\(c.id)/close", as: f.caseManager, fixture: f)
            #expect(form.body.contains("Risk alerts not acknowledged"))
            #expect(form.body.contains("href=\"/alerts/\(alert.id.uuidString.lowercased())\""))
            #expect(form.body.contains("PHQ-9 item 9: thoughts of death or self-harm"))
            // Even confirmed, with a reason, the closure is refused while the alert is open.
            let refused = try await app.web(
                .POST, "/cases/\(c.id)/close", as: f.caseManager, fixture: f,
                form: closeForm + [("confirmOpenWork", "yes"), ("openWorkReason", "Moving on")])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.contains("href=\"#f-alerts\""))
            let api = try await app.api(
                .POST, "/api/v1/cases/\(c.id)/closure", as: f.caseManager, fixture: f,
                json: #"{"reason":"goals_achieved","destination":410,"confirmOpenWork":true,"openWorkReason":"x"}"#,
                headers: ["If-Match": "\"1\""])
            #expect(api.status == .unprocessableEntity)
            #expect(api.body.contains("\"field\":\"alerts\""))
            let store = SQLStore(database: app.db)
            #expect(try await store.case(id: c.id)?.status == .open)
            _ = try await AssessmentService(store: store, deps: testDeps).acknowledge(
                alertID: alert.id, actionTaken: "Safety plan made with the client", by: f.actor(.caseManager))
            let closed = try await app.web(
                .POST, "/cases/\(c.id)/close", as: f.caseManager, fixture: f, form: closeForm)
            #expect(closed.status == .seeOther)
            #expect(try await store.case(id: c.id)?.status == .closed)
        }
    }

    @Test func openWorkIsListedAndClosingWithItNeedsAConfirmationAndAReason() async throws {
        try await withTrellis { app, f in
            let store = SQLStore(database: app.db)
            let cm = f.actor(.caseManager)
            let c = try await f.openCase(app, client: try await f.client(app))
            _ = try await f.plan(app, case: c)
            _ = try await TaskService(store: store, deps: testDeps).create(
                TaskInput(title: "Call landlord about deposit", caseID: c.id, dueOn: "2026-06-20"), by: cm)
            _ = try await TaskService(store: store, deps: testDeps).create(
                TaskInput(
                    kind: "appointment", title: "Home visit", caseID: c.id, dueOn: "2026-06-18", startTime: "10:00"),
                by: cm)
            _ = try await AdvocacyService(store: store, deps: testDeps).save(
                caseID: c.id, id: nil,
                AdvocacyInput(
                    kind: "appeal", issue: "denied_benefits", otherParty: "County Benefits Office",
                    filingDeadline: "2026-06-25"), expectedVersion: nil, by: cm)
            _ = try await ReferralService(store: store, deps: testDeps).create(
                caseID: c.id,
                ReferralInput(
                    providerName: "Eastside Food Pantry", reason: "Food", consentOn: "2026-06-15", send: true), by: cm)
            let work = try await ClosureService(store: store, deps: testDeps).openWork(caseID: c.id, by: cm)
            #expect(work.alerts.isEmpty && work.needsConfirmation)
            // The appeal's filing task is open too.
            #expect(
                work.tasks.count == 3 && work.appeals.count == 1 && work.referrals.count == 1 && work.openGoals == 1)
            let form = try await app.web(.GET, "/cases/\(c.id)/close", as: f.caseManager, fixture: f)
            for shown in [
                "Call landlord about deposit", "Home visit", "County Benefits Office", "file by 2026-06-25",
                "Eastside Food Pantry", "1 goal not yet achieved", "f-confirmOpenWork"
            ] {
                #expect(form.body.contains(shown), "\(shown)")
            }
            let refused = try await app.web(
                .POST, "/cases/\(c.id)/close", as: f.caseManager, fixture: f, form: closeForm)
            #expect(refused.status == .unprocessableEntity)
            #expect(
                refused.body.contains("href=\"#f-confirmOpenWork\"")
                    && refused.body.contains("href=\"#f-openWorkReason\""))
            // What was typed stays.
            #expect(refused.body.contains("<option value=\"410\" selected"))
            let noReason = try await app.web(
                .POST, "/cases/\(c.id)/close", as: f.caseManager, fixture: f,
                form: closeForm + [("confirmOpenWork", "yes"), ("openWorkReason", "  ")])
            #expect(noReason.status == .unprocessableEntity && noReason.body.contains("href=\"#f-openWorkReason\""))
            #expect(try await store.case(id: c.id)?.status == .open)
            let closed = try await app.web(
                .POST, "/cases/\(c.id)/close", as: f.caseManager, fixture: f,
                form: closeForm + [("confirmOpenWork", "yes"), ("openWorkReason", "Legal Aid takes over the appeal")])
            #expect(closed.status == .seeOther)
            let page = try await app.web(.GET, "/cases/\(c.id)", as: f.caseManager, fixture: f)
            #expect(
                page.body.contains(
                    "Left open at closing: 2 tasks, 1 appointment, 1 pending appeal, 1 referral in progress, 1 plan goal"
                ))
            #expect(page.body.contains("Legal Aid takes over the appeal"))
            // Closed: no assessment is due, and the plan reads closed.
            #expect(page.body.contains("None: the case is closed"))
            #expect(page.body.contains("Version 1 · Closed with the case"))
            let plan = try await app.web(.GET, "/cases/\(c.id)/plan", as: f.caseManager, fixture: f)
            #expect(plan.body.contains("Closed with the case"))
        }
    }

    @Test func aSupervisorApprovesARequestMadeBeforeWorkWasLeftOpen() async throws {
        try await withTrellis { app, f in
            let store = SQLStore(database: app.db)
            _ = try await app.web(
                .POST, "/admin/programs/\(f.programA.id)/supervision", as: f.staff[.agencyAdmin]!, fixture: f,
                form: [("requiresClosureApproval", "on")])
            let c = try await f.openCase(app, client: try await f.client(app))
            let asked = try await app.api(
                .POST, "/api/v1/cases/\(c.id)/closure", as: f.caseManager, fixture: f,
                json: #"{"reason":"goals_achieved","destination":410}"#, headers: ["If-Match": "1"])
            #expect(asked.status == .accepted)
            let idText = try #require(try asked.json()["id"] as? String)
            let requestID = try #require(UUID(uuidString: idText))
            // Work appears after the request, which confirmed nothing.
            _ = try await TaskService(store: store, deps: testDeps).create(
                TaskInput(title: "Last call", caseID: c.id, dueOn: "2026-06-20"), by: f.actor(.caseManager))
            _ = try await ReviewService(store: store, deps: testDeps).decideClosure(
                requestID, decision: "approve", comment: "Checked with the worker", expectedVersion: 1,
                by: f.actor(.supervisor))
            #expect(try await store.case(id: c.id)?.status == .closed)
            let event = try #require(
                try await store.records(CaseEvent.self, [.equals("case_id", .uuid(c.id))]).first { $0.kind == .closed })
            #expect(event.closure?.openWork?.tasks == 1 && event.closure?.openWorkReason == "Checked with the worker")
        }
    }
}
