import Foundation
import Testing
import TrellisCore
import TrellisData
@testable import TrellisWeb
import VaporTesting

/// Tasks a worker can tell apart, change, snooze, filter and see by week (issue 13, point 2).
@Suite("Tasks")
struct TaskTests {
    func service(_ app: Application) -> TaskService { TaskService(store: SQLStore(database: app.db), deps: testDeps) }

    func task(
        _ app: Application, _ f: Fixture, case c: Case?, title: String = "Call landlord about deposit",
        due: String = "2026-06-20", kind: String = "task", start: String? = nil, by s: StaffMember? = nil
    ) async throws -> CaseTask {
        try await service(app).create(
            TaskInput(kind: kind, title: title, caseID: c?.id, dueOn: due, startTime: start),
            by: ActingUser(s ?? f.caseManager))
    }

    @Test func everyTaskShowsItsClientAndCaseWithLinks() async throws {
        try await withTrellis { app, f in
            let ana = try await f.client(app, first: "Ana", last: "Ruiz")
            let ben = try await f.client(app, first: "Ben", last: "Okafor", dob: "1975-02-03")
            let a = try await f.openCase(app, client: ana)
            let b = try await f.openCase(app, client: ben)
            let ta = try await task(app, f, case: a)
            _ = try await task(app, f, case: b)
            let page = try await app.web(.GET, "/tasks", as: f.caseManager, fixture: f)
            #expect(page.status == .ok)
            // The same title twice, told apart by client and case, each linked.
            #expect(page.body.components(separatedBy: "Call landlord about deposit").count - 1 == 2)
            #expect(page.body.contains("href=\"/clients/\(ana.id.uuidString.lowercased())\">Ana Ruiz</a>"))
            #expect(page.body.contains("href=\"/clients/\(ben.id.uuidString.lowercased())\">Ben Okafor</a>"))
            #expect(page.body.contains("href=\"/cases/\(a.id.uuidString.lowercased())\">Shelter</a>"))
            #expect(page.body.contains("data-label=\"Client\""))
            // The task's own page names them too, and reading it is audited on the client.
            let one = try await app.web(.GET, "/tasks/\(ta.id)", as: f.caseManager, fixture: f)
            #expect(one.body.contains(">Ana Ruiz</a>"))
            let audited = try await SQLStore(database: app.db).auditEntries(clientID: ana.id, limit: 50, offset: 0)
            #expect(audited.contains { $0.action == "task.view" })
            #expect(audited.contains { $0.action == "task.list" })
        }
    }

    @Test func theAssigneeChangesTitleDueDateAndAssignee() async throws {
        try await withTrellis { app, f in
            let c = try await f.openCase(app, client: try await f.client(app))
            let t = try await task(app, f, case: c)
            let form = try await app.web(.GET, "/tasks/\(t.id)/edit", as: f.caseManager, fixture: f)
            #expect(form.status == .ok && form.body.contains("value=\"Call landlord about deposit\""))
            let saved = try await app.web(
                .POST, "/tasks/\(t.id)", as: f.caseManager, fixture: f,
                form: [
                    ("kind", "task"), ("title", "Call Mr Diaz about the deposit"), ("dueOn", "2026-06-22"),
                    ("assigneeID", f.caseManager2.id.uuidString), ("version", "1")
                ])
            #expect(saved.status == .seeOther)
            let now = try await service(app).task(t.id, by: ActingUser(f.caseManager))
            #expect(now.title == "Call Mr Diaz about the deposit")
            #expect(now.dueOn.description == "2026-06-22" && now.assigneeID == f.caseManager2.id && now.version == 2)
            // An old version is a conflict, shown on the form, nothing lost.
            let stale = try await app.web(
                .POST, "/tasks/\(t.id)", as: f.caseManager, fixture: f,
                form: [("kind", "task"), ("title", "Older"), ("dueOn", "2026-06-23"), ("version", "1")])
            #expect(stale.status == .conflict && stale.body.contains("value=\"Older\""))
            // A bad date names its field.
            let bad = try await app.web(
                .POST, "/tasks/\(t.id)", as: f.caseManager, fixture: f,
                form: [("kind", "task"), ("title", "x"), ("dueOn", "2026-02-30"), ("version", "2")])
            #expect(bad.status == .unprocessableEntity && bad.body.contains("href=\"#f-dueOn\""))
            // A case manager who neither holds nor made the task cannot change it.
            let other = try await service(app).create(
                TaskInput(title: "Theirs", dueOn: "2026-06-20"), by: ActingUser(f.caseManager2))
            let refused = try await app.api(
                .PATCH, "/api/v1/tasks/\(other.id)", as: f.caseManager, fixture: f,
                json: #"{"title":"Mine now","dueOn":"2026-06-21"}"#, headers: ["If-Match": "\"1\""])
            #expect(refused.status == .forbidden)
            // Through the API, with If-Match.
            let patched = try await app.api(
                .PATCH, "/api/v1/tasks/\(other.id)", as: f.caseManager2, fixture: f,
                json: #"{"title":"Renamed","dueOn":"2026-06-21"}"#, headers: ["If-Match": "\"1\""])
            #expect(patched.status == .ok)
            #expect(try patched.json()["title"] as? String == "Renamed")
            #expect(patched.headers.first(name: .eTag) == "\"2\"")
            // An edit that leaves out the assignee and the kind keeps them, even from a supervisor.
            let appt = try await task(app, f, case: c, title: "Visit", kind: "appointment", start: "09:30")
            let kept = try await app.api(
                .PATCH, "/api/v1/tasks/\(appt.id)", as: f.staff[.supervisor]!, fixture: f,
                json: #"{"title":"Home visit","dueOn":"2026-06-21","startTime":"10:00"}"#,
                headers: ["If-Match": "\"1\""])
            #expect(kept.status == .ok, "\(kept.body)")
            let after = try await service(app).task(appt.id, by: ActingUser(f.caseManager))
            #expect(after.assigneeID == f.caseManager.id && after.kind == .appointment && after.title == "Home visit")
        }
    }

    @Test func aTaskSnoozesToALaterDayAndKeepsItsFirstDueDate() async throws {
        try await withTrellis { app, f in
            let c = try await f.openCase(app, client: try await f.client(app))
            // Overdue: due 2026-06-10, today is 2026-06-15.
            let t = try await task(app, f, case: c, due: "2026-06-10")
            let early = try await app.web(
                .POST, "/tasks/\(t.id)/snooze", as: f.caseManager, fixture: f,
                form: [("until", "2026-06-12"), ("version", "1")])
            #expect(early.status == .unprocessableEntity && early.body.contains("href=\"#f-until\""))
            let moved = try await app.web(
                .POST, "/tasks/\(t.id)/snooze", as: f.caseManager, fixture: f,
                form: [("until", "2026-06-18"), ("version", "1")])
            #expect(moved.status == .seeOther)
            let again = try await app.api(
                .POST, "/api/v1/tasks/\(t.id)/snooze", as: f.caseManager, fixture: f, json: #"{"until":"2026-06-25"}"#,
                headers: ["If-Match": "\"2\""])
            #expect(again.status == .ok)
            let now = try await service(app).task(t.id, by: ActingUser(f.caseManager))
            #expect(now.dueOn.description == "2026-06-25" && now.snoozedFrom?.description == "2026-06-10")
            let page = try await app.web(.GET, "/tasks/\(t.id)", as: f.caseManager, fixture: f)
            #expect(page.body.contains("2026-06-10") && page.body.contains("First due"))
            // Appointments are moved by editing, not snoozed.
            let appt = try await task(app, f, case: c, kind: "appointment", start: "10:00")
            let refused = try await app.api(
                .POST, "/api/v1/tasks/\(appt.id)/snooze", as: f.caseManager, fixture: f,
                json: #"{"until":"2026-06-25"}"#, headers: ["If-Match": "\"1\""])
            #expect(refused.status == .unprocessableEntity)
        }
    }

    @Test func theListFiltersByClientDueRangeAndStatusAndRefusesBadValues() async throws {
        try await withTrellis { app, f in
            let ana = try await f.client(app, first: "Ana", last: "Ruiz")
            let ben = try await f.client(app, first: "Ben", last: "Okafor", dob: "1975-02-03")
            let a = try await f.openCase(app, client: ana)
            let b = try await f.openCase(app, client: ben)
            _ = try await task(app, f, case: a, title: "Ana early", due: "2026-06-16")
            _ = try await task(app, f, case: a, title: "Ana late", due: "2026-07-20")
            let done = try await task(app, f, case: b, title: "Ben done", due: "2026-06-17")
            _ = try await service(app).setStatus(done.id, "done", expectedVersion: 1, by: ActingUser(f.caseManager))
            let byClient = try await app.web(.GET, "/tasks?client=\(ana.id)", as: f.caseManager, fixture: f)
            #expect(byClient.body.contains("Ana early") && byClient.body.contains("Ana late"))
            #expect(!byClient.body.contains("Ben done"))
            let range = try await app.web(.GET, "/tasks?from=2026-06-01&to=2026-06-30", as: f.caseManager, fixture: f)
            #expect(range.body.contains("Ana early") && !range.body.contains("Ana late"))
            let doneOnly = try await app.web(.GET, "/tasks?status=done", as: f.caseManager, fixture: f)
            #expect(doneOnly.body.contains("Ben done") && !doneOnly.body.contains("Ana early"))
            let all = try await app.web(.GET, "/tasks?status=all", as: f.caseManager, fixture: f)
            #expect(all.body.contains("Ben done") && all.body.contains("Ana late"))
            // Open is the default: the done one is not listed.
            let open = try await app.web(.GET, "/tasks", as: f.caseManager, fixture: f)
            #expect(!open.body.contains("Ben done") && open.body.contains("2 tasks and appointments"))
            // Bad values are named, never quietly replaced by a default.
            let badWeb = try await app.web(.GET, "/tasks?from=2026-13-01&status=later", as: f.caseManager, fixture: f)
            #expect(badWeb.status == .unprocessableEntity)
            #expect(badWeb.body.contains("href=\"#f-from\"") && badWeb.body.contains("href=\"#f-status\""))
            let api = try await app.api(.GET, "/api/v1/tasks?client=\(ana.id)&limit=1", as: f.caseManager, fixture: f)
            let body = try api.json()
            #expect(body["total"] as? Int == 2 && (body["items"] as? [Any])?.count == 1)
            for q in [
                "limit=abc", "limit=0", "offset=-1", "status=AAA", "to=2026-02-30", "from=2026-07-01&to=2026-06-01"
            ] {
                let r = try await app.api(.GET, "/api/v1/tasks?\(q)", as: f.caseManager, fixture: f)
                #expect(r.status == .unprocessableEntity, "\(q)")
                #expect(r.headers.contentType?.description.hasPrefix("application/problem+json") == true, "\(q)")
            }
        }
    }

    @Test func theWeekViewShowsAppointmentsAndTasksOnTheirDays() async throws {
        try await withTrellis { app, f in
            let c = try await f.openCase(app, client: try await f.client(app))
            // 2026-06-15 is a Monday.
            _ = try await task(
                app, f, case: c, title: "Home visit", due: "2026-06-17", kind: "appointment", start: "14:30")
            _ = try await task(app, f, case: c, title: "Send lease", due: "2026-06-21")
            _ = try await task(app, f, case: c, title: "Next week thing", due: "2026-06-22")
            let week = try await app.web(.GET, "/tasks/week?week=2026-06-18", as: f.caseManager, fixture: f)
            #expect(week.status == .ok)
            let wednesday = try #require(week.body.range(of: "2026-06-17"))
            let thursday = try #require(week.body.range(of: "2026-06-18<"))
            let visit = try #require(week.body.range(of: "Home visit"))
            #expect(wednesday.upperBound < visit.lowerBound && visit.lowerBound < thursday.lowerBound)
            #expect(week.body.contains("14:30") && week.body.contains("Sunday ") && week.body.contains("2026-06-21"))
            #expect(week.body.contains("Send lease") && !week.body.contains("Next week thing"))
            #expect(week.body.contains("href=\"/tasks/week?week=2026-06-22\""))
            let bad = try await app.web(.GET, "/tasks/week?week=soon", as: f.caseManager, fixture: f)
            #expect(bad.status == .unprocessableEntity)
            #expect(LocalDate("2026-06-21")!.weekStart.description == "2026-06-15")
            #expect(LocalDate("2026-06-15")!.weekStart.description == "2026-06-15")
        }
    }

    @Test func theCasePageShowsItsOpenTasks() async throws {
        try await withTrellis { app, f in
            let c = try await f.openCase(app, client: try await f.client(app))
            _ = try await task(app, f, case: c, title: "Still to do")
            let done = try await task(app, f, case: c, title: "Already done")
            _ = try await service(app).setStatus(done.id, "done", expectedVersion: 1, by: ActingUser(f.caseManager))
            let page = try await app.web(.GET, "/cases/\(c.id)", as: f.caseManager, fixture: f)
            #expect(page.body.contains("Still to do") && !page.body.contains("Already done"))
            #expect(page.body.contains("1 done or cancelled task is not shown."))
        }
    }
}
