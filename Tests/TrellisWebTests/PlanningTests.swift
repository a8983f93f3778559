import Foundation
import Testing
import TrellisCore
import TrellisData
@testable import TrellisWeb
import VaporTesting

/// Assessment, service planning and reassessment over HTTP, on a real database (issue 3).
@Suite("Assessment and planning")
struct PlanningTests {
    func id(_ r: HTTPResult, _ key: String = "id") throws -> String { try #require(r.json()[key] as? String) }

    @Test func badAssessmentInputIsRefusedWithFieldMessagesAndNothingIsWritten() async throws {
        try await withTrellis { app, f in
            let c = try await f.openCase(app, client: try await f.client(app))
            let before = try await app.count("assessments")
            var answers = (1...9).map { "\"item\($0)\": 1" }
            answers[0] = "\"item1\": 4" // outside the item's options
            answers.remove(at: 2) // item3 missing
            let r = try await app.api(
                .POST, "/api/v1/cases/\(c.id)/assessments", as: f.caseManager, fixture: f,
                json:
                    "{\"instrument\": \"phq9\", \"completedOn\": \"2026-04-01\", \"answers\": {\(answers.joined(separator: ","))}}"
            )
            #expect(r.status == .unprocessableEntity)
            let fields = Set(((try r.json()["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String })
            #expect(fields == ["answers.item1", "answers.item3", "completedOn"], "\(r.body)")
            #expect(r.body.contains("cannot be before the case was opened"))
            #expect(try await app.count("assessments") == before)
            #expect(try await app.count("risk_alerts") == 0)

            // The same through the web form: 422 with the message beside the item, and the answers kept.
            let form: [(String, String)] =
                [("instrument", "phq9"), ("completedOn", "2026-06-10")] + (1...8).map { ("a.item\($0)", "2") }
            let page = try await app.web(.POST, "/cases/\(c.id)/assessments", as: f.caseManager, fixture: f, form: form)
            #expect(page.status == .unprocessableEntity)
            #expect(page.body.contains("id=\"f-a-item9-error\""))
            #expect(page.body.contains("id=\"f-a-item1-2\" name=\"a.item1\" value=\"2\" checked"))
            #expect(try await app.count("assessments") == before)
        }
    }

    @Test func aPlanIsVersionedWithHistoryAndGuardsAgainstLostUpdates() async throws {
        try await withTrellis { app, f in
            let c = try await f.openCase(app, client: try await f.client(app))
            let path = "/api/v1/cases/\(c.id)/plan"
            let goal = """
                {"domain": "housing", "need": "Stable housing", "clientWords": "A place for my kids", "goal": "Move \
                into an apartment",
                 "target": "Signed lease", "targetDate": "2026-09-30",
                 "steps": [{"description": "Apply to three units", "responsible": "client", "dueOn": "2026-07-01"}]}
                """
            // A goal without a target, a step without a due date, a date before the case opened: 422, nothing written.
            let bad = try await app.api(
                .PUT, path, as: f.caseManager, fixture: f,
                json: """
                    {"goals": [{"domain": "housing", "goal": "Move", "targetDate": "2026-04-01", "steps": \
                    [{"description": "Call", "responsible": "client"}]}]}
                    """)
            #expect(bad.status == .unprocessableEntity)
            let fields = Set(
                ((try bad.json()["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String })
            #expect(fields == ["goals.0.target", "goals.0.targetDate", "goals.0.steps.0.dueOn"], "\(bad.body)")
            #expect(try await app.count("service_plans") == 0)

            let v1 = try await app.api(.PUT, path, as: f.caseManager, fixture: f, json: "{\"goals\": [\(goal)]}")
            #expect(v1.status == .created)
            #expect(v1.headers.first(name: .eTag) == "\"1\"")
            let goalID = try #require(((try v1.json()["goals"] as? [[String: Any]])?.first)?["id"] as? String)
            #expect(try v1.json()["status"] as? String == "active")

            // Changing it needs the version edited.
            let missing = try await app.api(.PUT, path, as: f.caseManager, fixture: f, json: "{\"goals\": [\(goal)]}")
            #expect(missing.status == .preconditionRequired)
            let revised = goal.replacingOccurrences(
                of: "\"domain\"", with: "\"id\": \"\(goalID)\", \"status\": \"in_progress\", \"domain\"")
            let v2 = try await app.api(
                .PUT, path, as: f.supervisor(f), fixture: f,
                json: "{\"goals\": [\(revised)], \"changeSummary\": \"Started\"}",
                headers: ["If-Match": "\"1\""])
            #expect(v2.status == .ok)
            #expect(v2.headers.first(name: .eTag) == "\"2\"")
            // A second worker still holding version 1 is told, not silently overwritten.
            let stale = try await app.api(
                .PUT, path, as: f.caseManager, fixture: f, json: "{\"goals\": [\(goal)]}",
                headers: ["If-Match": "\"1\""])
            #expect(stale.status == .conflict)

            let versions = try await app.api(.GET, path + "/versions", as: f.staff[.auditor]!, fixture: f)
            let items = try #require(try versions.json()["items"] as? [[String: Any]])
            #expect(items.map { $0["version"] as? Int } == [2, 1])
            let goals = items.map { (($0["goals"] as? [[String: Any]])?.first) }
            #expect(goals.map { $0?["id"] as? String } == [goalID, goalID], "a goal keeps its id across versions")
            #expect(goals.map { $0?["status"] as? String } == ["in_progress", "not_started"], "version 1 is unchanged")
            let actions = try await SQLStore(database: app.db).auditEntries(clientID: c.clientID, limit: 100, offset: 0)
                .map(\.action)
            #expect(actions.filter { $0 == "plan.save" }.count == 2)
            #expect(actions.contains("plan.view"))
        }
    }

    @Test func whereTheProgramRequiresItAPlanWaitsForASupervisorsApproval() async throws {
        try await withTrellis { app, f in
            let admin = f.staff[.agencyAdmin]!
            let settings = try await app.web(
                .POST, "/admin/programs/\(f.programA.id)/settings", as: admin, fixture: f,
                form: [("reassessmentDays", "90"), ("requiresPlanApproval", "on")])
            #expect(settings.status == .seeOther)
            let c = try await f.openCase(app, client: try await f.client(app))
            let plan = try await f.plan(app, case: c)
            #expect(plan.status == .pendingApproval)
            let review = "/api/v1/cases/\(c.id)/plan/review"
            let own = try await app.api(
                .POST, review, as: f.caseManager, fixture: f, json: "{\"version\": 1, \"decision\": \"approve\"}")
            #expect(own.status == .forbidden, "a case manager cannot approve")
            let noComment = try await app.api(
                .POST, review, as: f.supervisor(f), fixture: f, json: "{\"version\": 1, \"decision\": \"return\"}")
            #expect(noComment.status == .unprocessableEntity)
            let returned = try await app.api(
                .POST, review, as: f.supervisor(f), fixture: f,
                json: "{\"version\": 1, \"decision\": \"return\", \"comment\": \"Make the target measurable.\"}")
            #expect(try returned.json()["status"] as? String == "returned")
            let again = try await app.api(
                .POST, review, as: f.supervisor(f), fixture: f, json: "{\"version\": 1, \"decision\": \"approve\"}")
            #expect(again.status == .conflict, "only a pending version can be reviewed")

            let v2 = try await app.api(
                .PUT, "/api/v1/cases/\(c.id)/plan", as: f.caseManager, fixture: f,
                json: """
                    {"goals": [{"domain": "housing", "goal": "Move", "target": "Lease signed by September 30", \
                    "targetDate": "2026-09-30"}]}
                    """, headers: ["If-Match": "\"1\""])
            #expect(try v2.json()["status"] as? String == "pending_approval")
            let page = try await app.web(.GET, "/cases/\(c.id)/plan", as: f.supervisor(f), fixture: f)
            #expect(page.body.contains("Waiting for approval") && page.body.contains("value=\"approve\""))
            let approved = try await app.web(
                .POST, "/cases/\(c.id)/plan/review", as: f.supervisor(f), fixture: f,
                form: [("version", "2"), ("decision", "approve")])
            #expect(approved.status == .seeOther)
            let latest = try await app.api(.GET, "/api/v1/cases/\(c.id)/plan", as: f.caseManager, fixture: f)
            #expect(try latest.json()["status"] as? String == "active")
            #expect(try latest.json()["reviewedBy"] as? String == f.supervisor(f).id.uuidString)
        }
    }

    @Test func needsFromABiopsychosocialAssessmentStartPlanGoals() async throws {
        try await withTrellis { app, f in
            let c = try await f.openCase(app, client: try await f.client(app))
            let b = try await f.biopsychosocial(app, case: c)
            #expect(b.needs.map(\.text) == ["Stable housing", "Deposit"])
            let view = try await app.web(.GET, "/biopsychosocial/\(b.id)", as: f.caseManager, fixture: f)
            #expect(view.body.contains("value=\"\(b.needs[1].ref)\""))
            let edit = try await app.web(
                .GET, "/cases/\(c.id)/plan/edit?need=\(b.needs[0].ref)&need=\(b.needs[1].ref)", as: f.caseManager,
                fixture: f)
            #expect(edit.status == .ok)
            #expect(edit.body.contains("value=\"Stable housing\" id=\"f-goals-0-need\""))
            #expect(edit.body.contains("value=\"Deposit\" id=\"f-goals-1-need\""))
            #expect(edit.body.contains("name=\"goals.1.needRef\" value=\"\(b.needs[1].ref)\""))
            // Empty domains and no findings at all: refused.
            let empty = try await app.api(
                .POST, "/api/v1/cases/\(c.id)/biopsychosocial", as: f.caseManager, fixture: f,
                json: "{\"completedOn\": \"2026-06-10\", \"domains\": {}}")
            #expect(empty.status == .unprocessableEntity)
        }
    }

    @Test func anAgencyFormBuiltInTheUIIsScoredAndVersioned() async throws {
        try await withTrellis { app, f in
            let admin = f.staff[.agencyAdmin]!
            let form: [(String, String)] = [
                ("title", "Housing barriers"), ("purpose", "assessment"), ("scored", "on"),
                ("bands", "0-3 Few barriers\n4-20 Many barriers"),
                ("fields.0.label", "Evictions in the past 3 years"), ("fields.0.kind", "number"),
                ("fields.0.required", "on"),
                ("fields.1.label", "Barriers"), ("fields.1.kind", "multiple_choice"),
                ("fields.1.options", "Credit = 1\nCriminal record = 2\nIncome = 3"),
                ("fields.2.label", "Has a voucher"), ("fields.2.kind", "yes_no"),
                ("fields.3.label", "Urgency"), ("fields.3.kind", "scale"), ("fields.3.scaleMin", "0"),
                ("fields.3.scaleMax", "5"),
                ("fields.4.label", "Notes"), ("fields.4.kind", "long_text"),
                ("fields.5.label", "Last eviction"), ("fields.5.kind", "date"),
                ("fields.6.label", "Landlord"), ("fields.6.kind", "text"),
                ("fields.7.label", "Household size"), ("fields.7.kind", "choice"),
                ("fields.7.options", "One\nTwo or more"),
                ("fields.8.label", ""), ("fields.8.kind", "text")
            ]
            let bad = try await app.web(
                .POST, "/admin/forms", as: admin, fixture: f,
                form: [
                    ("title", "Broken"), ("purpose", "assessment"), ("fields.0.label", "Pick"),
                    ("fields.0.kind", "choice"), ("fields.0.options", "Only")
                ])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.contains("list at least two options"))
            let created = try await app.web(.POST, "/admin/forms", as: admin, fixture: f, form: form)
            #expect(created.status == .seeOther)
            let list = try await app.api(.GET, "/api/v1/instruments", as: f.caseManager, fixture: f)
            let def = try #require(
                (try list.json()["items"] as? [[String: Any]])?.first { $0["title"] as? String == "Housing barriers" })
            let code = try #require(def["code"] as? String)
            #expect((def["items"] as? [Any])?.count == 8)

            let c = try await f.openCase(app, client: try await f.client(app))
            let r = try await app.api(
                .POST, "/api/v1/cases/\(c.id)/assessments", as: f.caseManager, fixture: f,
                json: """
                    {"instrument": "\(code)", "completedOn": "2026-06-10",
                     "answers": {"q1": 2, "q2": [1, 2], "q3": 0, "q4": 3, "q5": "Two notices", "q6": "2025-02-01", \
                    "q7": "Acme", "q8": 1}}
                    """)
            #expect(r.status == .created, "\(r.body)")
            // multiple 1 + 2, yes/no "No" 0, scale 3, choice "Two or more" 1
            #expect(try r.json()["total"] as? Int == 7)
            #expect(try r.json()["band"] as? String == "Many barriers")
            let assessmentID = try id(r)

            // A new version changes the form, not the past result.
            var edited = form
            edited[0] = ("title", "Housing barriers (2027)")
            edited.append(("version", "1"))
            let saved = try await app.web(.POST, "/admin/forms/\(code)", as: admin, fixture: f, form: edited)
            #expect(saved.status == .seeOther)
            let stale = try await app.web(.POST, "/admin/forms/\(code)", as: admin, fixture: f, form: edited)
            #expect(stale.status == .conflict)
            let current = try await app.api(.GET, "/api/v1/instruments/\(code)", as: f.caseManager, fixture: f)
            #expect(try current.json()["version"] as? Int == 2)
            let old = try await app.api(.GET, "/api/v1/assessments/\(assessmentID)", as: f.caseManager, fixture: f)
            #expect(try old.json()["instrumentVersion"] as? Int == 1)
            #expect(try old.json()["total"] as? Int == 7)
            let page = try await app.web(.GET, "/assessments/\(assessmentID)", as: f.caseManager, fixture: f)
            #expect(page.body.contains("Housing barriers (version 1)"))
        }
    }

    @Test func reassessmentsFallDueOnTheCaseloadAndTheProgressViewComparesThem() async throws {
        try await withTrellis { app, f in
            let admin = f.staff[.agencyAdmin]!
            _ = try await app.web(
                .POST, "/admin/programs/\(f.programA.id)/settings", as: admin, fixture: f,
                form: [("reassessmentDays", "30")])
            let c = try await f.openCase(app, client: try await f.client(app)) // opened 2026-05-01; today is 2026-06-15
            func entry() async throws -> [String: Any] {
                let r = try await app.api(.GET, "/api/v1/caseload", as: f.caseManager, fixture: f)
                return try #require(
                    (try r.json()["items"] as? [[String: Any]])?.first { $0["caseID"] as? String == c.id.uuidString })
            }
            #expect(try await entry()["reassessmentStatus"] as? String == "overdue")
            #expect(try await entry()["reassessmentDue"] as? String == "2026-05-31")

            let service = AssessmentService(store: SQLStore(database: app.db), deps: testDeps)
            func ssm(_ housing: Int, _ date: String) async throws {
                var a = Dictionary(
                    uniqueKeysWithValues: BuiltInInstruments.selfSufficiencyMatrix.items.map {
                        ($0.id, Answer.value(3))
                    })
                a["housing"] = .value(housing)
                a["childCare"] = .notApplicable
                _ = try await service.record(
                    caseID: c.id, instrument: "ssm", answers: a, completedOn: date, by: f.actor(.caseManager))
            }
            try await ssm(1, "2026-05-02")
            try await ssm(2, "2026-05-28")
            #expect(try await entry()["reassessmentStatus"] as? String == "due_soon") // due 2026-06-27, 12 days away
            try await ssm(4, "2026-06-14")
            #expect(try await entry()["reassessmentStatus"] as? String == "on_time")
            #expect(try await entry()["reassessmentDue"] as? String == "2026-07-14")

            let progress = try await service.progress(caseID: c.id, by: f.actor(.supervisor))
            let housing = try #require(progress.instruments.first?.rows.first { $0.itemID == "housing" })
            #expect([housing.first, housing.previous, housing.latest, housing.change] == [1, 2, 4, 3])
            let page = try await app.web(.GET, "/cases/\(c.id)/progress", as: f.caseManager, fixture: f)
            #expect(page.status == .ok)
            #expect(page.body.components(separatedBy: "<svg").count - 1 == 18) // the total and each of the 17 domains
            #expect(page.body.contains("data-label=\"Change since intake\">+3</td>"))
        }
    }
}

extension Fixture {
    func supervisor(_ f: Fixture) -> StaffMember { staff[.supervisor]! }
}
