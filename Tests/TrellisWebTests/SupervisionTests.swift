import Foundation
import Testing
@testable import TrellisCore
import TrellisData
@testable import TrellisWeb
import VaporTesting

@Suite("Supervision")
struct SupervisionTests {
    func store(_ app: Application) -> SQLStore { SQLStore(database: app.db) }

    /// Program settings through the admin form, as an admin would save them.
    func settings(_ app: Application, _ f: Fixture, _ program: Program, _ fields: [(String, String)]) async throws
        -> HTTPResult
    {
        try await app.web(
            .POST, "/admin/programs/\(program.id)/supervision", as: f.staff[.agencyAdmin]!, fixture: f, form: fields)
    }

    @Test func todayRanksByTheProgramsWeightsAndSaysWhy() async throws {
        try await withTrellis { app, f in
            // One case with a risk alert (PHQ-9 item 9) and recent contact; one with no contact for 45 days.
            let alerted = try await f.openCase(
                app, client: try await f.client(app, first: "Alma", last: "Reyes"), opened: "2026-06-01")
            _ = try await f.assessment(app, case: alerted, item9: 2)
            _ = try await f.note(app, case: alerted, date: "2026-06-14", sign: true)
            let quiet = try await f.openCase(
                app, client: try await f.client(app, first: "Bo", last: "Quist", dob: "1975-02-02"),
                opened: "2026-05-01")
            let page = try await app.web(.GET, "/today", as: f.caseManager, fixture: f)
            #expect(page.status == .ok)
            let a = try #require(page.body.range(of: "Alma Reyes"))
            let b = try #require(page.body.range(of: "Bo Quist"))
            #expect(a.lowerBound < b.lowerBound)
            // One alert reads in the singular (issue 13, point 12: no "alert(s)").
            #expect(
                page.body.contains("1 unacknowledged risk alert<") || page.body.contains("1 unacknowledged risk alert:")
            )
            #expect(!page.body.contains("alert(s)") && page.body.contains("Contact overdue"))
            #expect(page.body.contains("No contact yet, 45 days since opening"))
            // The admin makes alerts count for nothing and overdue contact for much: the order flips.
            let bad = try await settings(app, f, f.programA, [("weights.riskAlert", "500"), ("caseloadTarget", "0")])
            #expect(
                bad.status == .unprocessableEntity && bad.body.contains("must be between 0 and 100")
                    && bad.body.contains("must be between 1 and 200"))
            #expect(try await store(app).program(id: f.programA.id)?.priorityWeights == .standard)
            let ok = try await settings(
                app, f, f.programA,
                [("weights.riskAlert", "0"), ("weights.contactOverdue", "90"), ("caseloadTarget", "20")])
            #expect(ok.status == .seeOther)
            let after = try await app.web(.GET, "/today", as: f.caseManager, fixture: f)
            #expect(after.body.range(of: "Bo Quist")!.lowerBound < after.body.range(of: "Alma Reyes")!.lowerBound)
            // The API gives the same order, score and reasons.
            let api = try await app.api(.GET, "/api/v1/today", as: f.caseManager, fixture: f)
            let cases = try #require(try api.json()["cases"] as? [[String: Any]])
            #expect(cases.map { $0["caseID"] as? String } == [quiet.id.uuidString, alerted.id.uuidString])
            let reasons = try #require(cases[0]["reasons"] as? [[String: Any]])
            #expect(reasons.first?["kind"] as? String == "contact_overdue" && reasons.first?["points"] as? Int == 90)
            // Another case manager's dashboard: forbidden to a peer, allowed to their supervisor.
            #expect(
                try await app.web(.GET, "/staff/\(f.caseManager.id)/today", as: f.caseManager2, fixture: f).status
                    == .forbidden)
            #expect(
                try await app.web(.GET, "/staff/\(f.caseManager.id)/today", as: f.staff[.supervisor]!, fixture: f)
                    .status == .ok)
        }
    }

    @Test func workloadWeighsAcuitySuggestsRoomAndReassignsInOneTransaction() async throws {
        try await withTrellis { app, f in
            var cases: [Case] = []
            for (i, name) in ["Cruz", "Diaz", "Egan"].enumerated() {
                cases.append(
                    try await f.openCase(
                        app, client: try await f.client(app, first: "C\(i)", last: name, dob: "198\(i)-01-01")))
            }
            // A severe PHQ-9 (all 3s: total 27) makes the first case high acuity: it counts double.
            _ = try await f.assessment(app, case: cases[0], item9: 3, rest: 3)
            _ = try await settings(app, f, f.programA, [("caseloadTarget", "4")])
            let w = WorkloadService(store: store(app), deps: testDeps)
            let overview = try await w.overview(by: f.actor(.agencyAdmin))
            let mine = try #require(overview.teams.flatMap(\.workers).first { $0.staff.id == f.caseManager.id })
            #expect(
                mine.openCases == 3 && mine.byTier[.high] == 1 && mine.weightedCases == 4.0
                    && abs(mine.load - 1.0) < 1e-9)
            let suggested = try await w.suggestions(programID: f.programA.id, by: f.actor(.agencyAdmin))
            #expect(suggested.first?.worker.staff.id == f.caseManager2.id && suggested.first?.room == 4)
            #expect(suggested.first { $0.worker.staff.id == f.caseManager.id }?.room == 0)
            let form = try await app.web(
                .GET, "/clients/\(cases[0].clientID)/cases/new?program=\(f.programA.id)", as: f.staff[.agencyAdmin]!,
                fixture: f)
            #expect(form.body.contains("Casemanager2: room for 4 more cases"))
            // Bulk reassignment: one row without a note refuses the whole move.
            let admin = f.staff[.agencyAdmin]!
            var fields: [(String, String)] = [("from", f.caseManager.id.uuidString)]
            for (i, c) in cases.enumerated() {
                fields += [
                    ("cases.\(i).caseID", c.id.uuidString),
                    ("cases.\(i).version", "\(try await store(app).case(id: c.id)!.version)"),
                    ("cases.\(i).toManagerID", f.caseManager2.id.uuidString),
                    ("cases.\(i).note", i == 1 ? "" : "Leaving; see plan.")
                ]
            }
            let refused = try await app.web(.POST, "/workload/reassign", as: admin, fixture: f, form: fields)
            #expect(refused.status == .unprocessableEntity && refused.body.contains("is required"))
            for c in cases { #expect(try await store(app).case(id: c.id)?.primaryCaseManagerID == f.caseManager.id) }
            // With a shared note for the empty one, all three move together, each with a history event.
            let moved = try await app.web(
                .POST, "/workload/reassign", as: admin, fixture: f,
                form: fields + [("sharedNote", "Worker leaving the agency.")])
            #expect(moved.status == .seeOther)
            for c in cases {
                #expect(try await store(app).case(id: c.id)?.primaryCaseManagerID == f.caseManager2.id)
                let events = try await store(app).records(CaseEvent.self, [.equals("case_id", .uuid(c.id))])
                #expect(events.count == 1 && events[0].kind == .transferred && events[0].note != nil)
            }
            // The team-one supervisor may not move team two's cases.
            let api = try await app.api(
                .POST, "/api/v1/workload/reassign", as: f.staff[.supervisor]!, fixture: f,
                json:
                    #"{"from":"\#(f.caseManager2.id)","cases":[{"caseID":"\#(cases[0].id)","version":9,"toManagerID":"\#(f.caseManager.id)","note":"x"}]}"#
            )
            #expect(api.status == .forbidden)
            #expect(try await app.web(.GET, "/workload", as: f.caseManager, fixture: f).status == .forbidden)
        }
    }

    @Test func aClosureWaitsForApprovalAndAReturnComesBackToTheCaseManager() async throws {
        try await withTrellis { app, f in
            _ = try await settings(app, f, f.programA, [("requiresClosureApproval", "on")])
            let c = try await f.openCase(app, client: try await f.client(app))
            let close =
                #"{"reason":"goals_achieved","destination":410,"closedOn":"2026-06-12","checklist":["stable_access"],"followUpDays":[30]}"#
            let asked = try await app.api(
                .POST, "/api/v1/cases/\(c.id)/closure", as: f.caseManager, fixture: f, json: close,
                headers: ["If-Match": "1"])
            #expect(asked.status == .accepted)
            #expect(try await store(app).case(id: c.id)?.status == .open)
            let again = try await app.api(
                .POST, "/api/v1/cases/\(c.id)/closure", as: f.caseManager, fixture: f, json: close,
                headers: ["If-Match": "1"])
            #expect(again.status == .conflict)
            let supervisor = f.staff[.supervisor]!
            let queue = try await app.api(.GET, "/api/v1/reviews", as: supervisor, fixture: f).json()
            let closures = try #require(queue["closures"] as? [[String: Any]])
            #expect(closures.count == 1)
            let id = try #require(closures[0]["id"] as? String)
            // Returning needs a comment; the case manager may not decide; another agency cannot see it.
            let noComment = try await app.web(
                .POST, "/reviews/closures/\(id)", as: supervisor, fixture: f,
                form: [("version", "1"), ("decision", "return")])
            #expect(noComment.status == .unprocessableEntity && noComment.body.contains("is required"))
            #expect(
                try await app.api(
                    .POST, "/api/v1/reviews/closures/\(id)", as: f.caseManager, fixture: f,
                    json: #"{"decision":"approve"}"#,
                    headers: ["If-Match": "1"]
                ).status == .forbidden)
            #expect(
                try await app.api(
                    .POST, "/api/v1/reviews/closures/\(id)", as: f.otherAgencyStaff, fixture: f,
                    json: #"{"decision":"approve"}"#,
                    headers: ["If-Match": "1"]
                ).status != .ok)
            let returned = try await app.web(
                .POST, "/reviews/closures/\(id)", as: supervisor, fixture: f,
                form: [("version", "1"), ("decision", "return"), ("comment", "Record the 90-day follow-up too.")])
            #expect(returned.status == .seeOther)
            let today = try await app.web(.GET, "/today", as: f.caseManager, fixture: f)
            #expect(today.body.contains("Returned to you") && today.body.contains("Record the 90-day follow-up too."))
            // Asked again; the return is answered, and the approval closes the case with the details asked for.
            let second = try await app.api(
                .POST, "/api/v1/cases/\(c.id)/closure", as: f.caseManager, fixture: f,
                json: close.replacingOccurrences(of: "[30]", with: "[30,90]"), headers: ["If-Match": "1"])
            #expect(second.status == .accepted)
            let newID = try #require(try second.json()["id"] as? String)
            #expect(
                !(try await app.web(.GET, "/today", as: f.caseManager, fixture: f).body.contains("Returned to you")))
            let approved = try await app.api(
                .POST, "/api/v1/reviews/closures/\(newID)", as: supervisor, fixture: f,
                json: #"{"decision":"approve"}"#,
                headers: ["If-Match": "1"])
            #expect(approved.status == .ok)
            let closed = try #require(try await store(app).case(id: c.id))
            #expect(
                closed.status == .closed && closed.exitDestination == 410
                    && closed.closedOn?.description == "2026-06-12")
            let tasks = try await store(app).records(CaseTask.self, [.equals("case_id", .uuid(c.id))])
            #expect(tasks.map(\.dueOn.description).sorted() == ["2026-07-12", "2026-09-10"])
        }
    }

    @Test func notesWaitForCoSignatureAndAnAddendumAnswersAReturn() async throws {
        try await withTrellis { app, f in
            _ = try await settings(app, f, f.programA, [("requiresNoteCosign", "on")])
            let c = try await f.openCase(app, client: try await f.client(app))
            let n = try await f.note(app, case: c, sign: true)
            let supervisor = f.staff[.supervisor]!
            let reviews = try await store(app).records(NoteReview.self, [.equals("note_id", .uuid(n.id))])
            #expect(reviews.count == 1 && reviews[0].status == .pending)
            #expect(
                try await app.web(.GET, "/reviews", as: supervisor, fixture: f).body.contains(
                    "Notes awaiting co-signature (1)"))
            // The other team's supervisor scope: case manager 2 is not on team one, so an admin sees it but the author cannot review.
            #expect(
                try await app.web(
                    .POST, "/reviews/notes/\(reviews[0].id)", as: f.caseManager, fixture: f,
                    form: [("version", "1"), ("decision", "approve")]
                ).status == .forbidden)
            let back = try await app.web(
                .POST, "/reviews/notes/\(reviews[0].id)", as: supervisor, fixture: f,
                form: [("version", "1"), ("decision", "return"), ("comment", "Say who else attended.")])
            #expect(back.status == .seeOther)
            #expect(
                try await app.web(.GET, "/today", as: f.caseManager, fixture: f).body.contains("Say who else attended.")
            )
            let add = try await NoteService(store: store(app), deps: testDeps).addendum(
                to: n.id,
                NoteInput(
                    contactType: "phone", contactDate: "2026-06-01",
                    durationMinutes: 5, format: "narrative", sections: ["narrative": "Mother attended."]),
                by: f.actor(.caseManager))
            _ = try await NoteService(store: store(app), deps: testDeps).sign(
                add.id, expectedVersion: add.version, by: f.actor(.caseManager))
            #expect(try await store(app).record(NoteReview.self, id: reviews[0].id)?.status == .addressed)
            let pending = try await store(app).records(NoteReview.self, [.equals("note_id", .uuid(add.id))])
            #expect(pending.map(\.status) == [.pending])
            let ok = try await app.web(
                .POST, "/reviews/notes/\(pending[0].id)", as: supervisor, fixture: f,
                form: [("version", "1"), ("decision", "approve")])
            #expect(ok.status == .seeOther)
            #expect(try await app.web(.GET, "/cases/\(c.id)", as: f.caseManager, fixture: f).body.contains("co-signed"))
        }
    }

    @Test func outcomeAndDataQualityReportsCountFromTheDatabaseAndExportsAreAudited() async throws {
        try await withTrellis { app, f in
            let service = AssessmentService(store: store(app), deps: testDeps)
            let domains = BuiltInInstruments.selfSufficiencyMatrix.items.map(\.id)
            func ssm(_ level: Int) -> [String: Answer] {
                Dictionary(uniqueKeysWithValues: domains.map { ($0, Answer.value(level)) })
            }
            let a = try await f.openCase(app, client: try await f.client(app), opened: "2026-01-05")
            _ = try await service.record(
                caseID: a.id, instrument: "ssm", answers: ssm(2), completedOn: "2026-01-10", by: f.actor(.caseManager))
            _ = try await service.record(
                caseID: a.id, instrument: "ssm", answers: ssm(4), completedOn: "2026-05-10", by: f.actor(.caseManager))
            var input = ClientInput()
            input.firstName = "Dee"
            input.lastName = "Kay"
            input.nameDataQuality = 1
            input.dobDataQuality = 8
            input.sex = 0
            input.races = ["Asian"]
            input.veteranStatus = 99
            guard
                case .created(let unknown) = try await ClientService(store: store(app), deps: testDeps)
                    .register(input, by: f.actor(.caseManager), duplicatesAcknowledged: true)
            else {
                Issue.record("not created")
                return
            }
            let b = try await f.openCase(app, client: unknown, opened: "2026-02-01")
            _ = try await ClosureService(store: store(app), deps: testDeps).close(
                b.id, ClosureInput(reason: "goals_achieved", destination: 410, closedOn: "2026-03-03"),
                expectedVersion: 1, by: f.actor(.caseManager))
            let admin = f.staff[.agencyAdmin]!
            let range = "?from=2026-01-01&to=2026-06-15"
            let ssmAPI = try await app.api(.GET, "/api/v1/reports/outcomes/ssm\(range)", as: admin, fixture: f).json()
            let rows = try #require((ssmAPI["tables"] as? [[String: Any]])?.first?["rows"] as? [[String]])
            #expect(rows.count == 17 && rows[0] == ["Housing", "1", "2.00", "4.00", "+2.00", "100 %", "0 %", "0", "0"])
            let exits = try await app.web(.GET, "/reports/outcomes/exits\(range)&format=csv", as: admin, fixture: f)
            #expect(
                exits.status == .ok && exits.body.contains("Shelter,0,0,0,0,0,0,0") == false
                    && exits.body.contains("Shelter,1,0,0,0,0,0,1"))
            let days = try await app.web(.GET, "/reports/outcomes/participation\(range)", as: admin, fixture: f)
            #expect(days.body.contains("median 30 days"))
            #expect(
                try await app.web(.GET, "/reports/outcomes/caseloads\(range)", as: admin, fixture: f).body.contains(
                    "<svg"))
            // Data quality: the date of birth the client didn't know and the veteran status not collected, with the record to fix.
            let dq = try await app.api(.GET, "/api/v1/reports/data-quality\(range)", as: admin, fixture: f).json()
            let dqRows = try #require((dq["tables"] as? [[String: Any]])?.first?["rows"] as? [[String]])
            #expect(dqRows.contains { $0[0] == "all" && $0[4] == "birth_date" && $0[5] == "1" && $0[6] == "0" })
            #expect(dqRows.contains { $0[0] == "all" && $0[4] == "veteran" && $0[6] == "1" })
            let fix = try await app.web(
                .GET, "/reports/data-quality/records\(range)&element=birth_date&issue=unknown", as: admin, fixture: f)
            #expect(
                fix.body.contains("Dee Kay") && fix.body.contains("/clients/\(unknown.id.uuidString.lowercased())/edit")
            )
            // Fixing the record takes it off the report (the findings kept on the case follow the client).
            var known = ClientInput()
            known.birthDate = "1990-04-04"
            known.dobDataQuality = 1
            _ = try await ClientService(store: store(app), deps: testDeps).patch(
                unknown.id, with: known, expectedVersion: unknown.version, by: f.actor(.caseManager))
            let fixed = try await app.api(.GET, "/api/v1/reports/data-quality\(range)", as: admin, fixture: f).json()
            let fixedRows = try #require((fixed["tables"] as? [[String: Any]])?.first?["rows"] as? [[String]])
            #expect(fixedRows.contains { $0[0] == "all" && $0[4] == "birth_date" && $0[5] == "0" && $0[6] == "0" })
            // Exports are audited; a bad period is a field error; a case manager has no reports.
            let audited = try await app.sql.raw(
                "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'report.export' AND record_type = 'report.outcomes.exits.csv'"
            ).first()!
            .decode(column: "n", as: Int.self)
            #expect(audited == 1)
            let bad = try await app.web(
                .GET, "/reports/outcomes/goals?from=2026-06-10&to=2026-01-01", as: admin, fixture: f)
            #expect(
                bad.status == .unprocessableEntity && bad.body.contains("must be on or after the start of the period"))
            #expect(
                try await app.api(.GET, "/api/v1/reports/outcomes/goals", as: f.caseManager, fixture: f).status
                    == .forbidden)
            // A program manager sees only the programs they manage (none, until the settings below name them).
            let pm = f.staff[.programManager]!
            try await SQLStore(database: app.db).setProgramManagers(programID: f.programA.id, staffIDs: [])
            let none = try await app.api(
                .GET, "/api/v1/reports/outcomes/exits\(range)&program=\(f.programA.id)", as: pm, fixture: f)
            #expect(none.status == .unprocessableEntity)
            _ = try await settings(app, f, f.programA, [("managers[]", pm.id.uuidString)])
            let mine = try await app.api(
                .GET, "/api/v1/reports/outcomes/exits\(range)&program=\(f.programA.id)", as: pm, fixture: f)
            #expect(mine.status == .ok && mine.body.contains("Shelter"))
        }
    }

    @Test func homeVisitComplianceFollowsNotesAndTheProgramsRule() async throws {
        try await withTrellis { app, f in
            let org = OrganizationService(store: store(app), deps: testDeps, hasher: app.trellis.hasher)
            let admin = f.actor(.agencyAdmin)
            func rule(_ type: ContactType) async throws {
                _ = try await org.updateAssessmentSettings(
                    programID: f.programA.id, reassessmentDays: nil, requiresPlanApproval: false,
                    contactRules: [ContactRequirement(contactType: type, everyDays: 180)], by: admin)
            }
            func visits() async throws -> String? {
                let r = try await app.api(
                    .GET, "/api/v1/reports/outcomes/compliance", as: f.staff[.agencyAdmin]!, fixture: f
                ).json()
                let rows = (r["tables"] as? [[String: Any]])?.first?["rows"] as? [[String]]
                return rows?.first { $0[0] == f.programA.name }?[4]
            }
            // Today is 2026-06-15: one case visited in April, one only phoned, one opened too recently to owe a visit.
            let visited = try await f.openCase(
                app, client: try await f.client(app, first: "Vi", last: "Oneill"), opened: "2025-10-01")
            _ = try await f.note(app, case: visited, date: "2026-04-02", type: "home_visit")
            let phoned = try await f.openCase(
                app, client: try await f.client(app, first: "Phil", last: "Twomey"), opened: "2025-10-01")
            _ = try await f.note(app, case: phoned, date: "2026-06-01")
            _ = try await f.openCase(
                app, client: try await f.client(app, first: "Nell", last: "Threlkeld"), opened: "2026-06-01")
            #expect(try await visits() == "—")
            try await rule(.homeVisit)
            #expect(try await visits() == "67 %")
            _ = try await f.note(app, case: phoned, date: "2026-06-10", type: "home_visit")
            #expect(try await visits() == "100 %")
            // A rule about another contact type is judged from those notes, the existing ones included.
            try await rule(.video)
            #expect(try await visits() == "33 %")
        }
    }
}
