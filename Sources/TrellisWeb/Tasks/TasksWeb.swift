import Crypto
import Foundation
import TrellisCore
import Vapor

enum TasksWeb: WebHandlers {
    // MARK: Tasks

    static func tasks(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let list = try await req.tasks.open(for: actor.id, by: actor)
        let hasFeed = try await req.tasks.hasCalendarFeed(by: actor)
        // The secret itself is never stored; only a fresh one can be shown, right after it is made.
        let shown = req.cookies["trellis_feed"]?.string
        let url = !hasFeed ? nil : shown.map { req.baseURL + Paths.calendarFeed($0) }
        let r = req.page(
            TasksPage.render(
                req.pageContext, tasks: list, today: req.deps.today,
                feedURL: url ?? (!hasFeed ? nil : req.strings("task.feed.exists")),
                names: try await staffNames(req, [actor.id])))
        if shown != nil { r.cookies["trellis_feed"] = .expired }
        return r
    }

    static func newTask(_ req: Request, state: FormState? = nil, status: HTTPStatus = .ok) async throws -> Response {
        let actor = try req.actor()
        try Policy.require(actor, .writeNote)
        let staff = try await req.organization.staff(by: actor)
        return req.page(
            TaskFormPage.render(
                req.pageContext, staff: staff,
                state: state
                    ?? FormState(values: [
                        "dueOn": req.deps.today.description, "assigneeID": actor.id.uuidString.lowercased(),
                        "caseID": req.queryString("case") ?? "", "durationMinutes": "60"
                    ])),
            status: status)
    }

    static func createTask(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let form = FormBody(req)
        let input = TaskInput(
            kind: form["kind"], title: form["title"], details: form["details"], assigneeID: form.uuid("assigneeID"),
            caseID: form.uuid("caseID"),
            dueOn: form["dueOn"], startTime: form["startTime"], durationMinutes: form.int("durationMinutes"),
            location: form["location"])
        do {
            let t = try await req.tasks.create(input, by: actor)
            return req.seeOther(t.caseID.map { Paths.case($0) + "#s-tasks" } ?? Paths.tasks, flash: "flash.saved")
        } catch {
            guard let (errs, status) = formFailure(error) else { throw error }
            return try await newTask(req, state: FormState(values: form.values, errors: errs), status: status)
        }
    }

    static func task(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let t = try await req.tasks.task(try req.uuid("taskID"), by: actor)
        return req.page(
            TaskPage.render(
                req.pageContext, task: t,
                assignee: try await req.organization.staffNames([t.assigneeID], by: actor)[t.assigneeID],
                canWrite: Policy.allows(actor, .writeNote)))
    }

    static func setTaskStatus(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let form = FormBody(req)
        let t = try await req.tasks.setStatus(
            try req.uuid("taskID"), form["status"], expectedVersion: form.int("version"), by: actor)
        return req.seeOther(Paths.task(t.id), flash: "flash.saved")
    }

    /// Makes a new private feed address; the old one stops working at once.
    static func resetCalendar(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let token = Tokens.random()
        let hash = Tokens.hash(token)
        try await req.tasks.resetCalendarFeed(tokenHash: hash, by: actor)
        let r = req.seeOther(Paths.tasks + "#s-feed", flash: "flash.feedReady")
        r.cookies["trellis_feed"] = HTTPCookies.Value(
            string: token, maxAge: 60, path: Paths.tasks, isSecure: req.runtime.config.secureCookies, isHTTPOnly: true,
            sameSite: .lax)
        return r
    }

    /// The iCalendar feed, found by its secret; no session needed, so calendar programs can fetch it.
    static func calendarFeed(_ req: Request) async throws -> Response {
        guard var token = req.parameters.get("token"), token.hasSuffix(".ics") else { throw Abort(.notFound) }
        token.removeLast(4)
        guard let (staff, tasks) = try await req.tasks.calendar(tokenHash: Tokens.hash(token)) else {
            throw Abort(.notFound)
        }
        let body = ICalendar.render(
            tasks, name: "Trellis · " + staff.displayName, baseURL: req.baseURL, now: req.deps.now())
        return Response(
            status: .ok,
            headers: ["Content-Type": "text/calendar; charset=utf-8", "Cache-Control": "private, max-age=300"],
            body: .init(string: body))
    }
}
