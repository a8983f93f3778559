import Crypto
import Foundation
import TrellisCore
import Vapor

enum TasksWeb: WebHandlers {
    // MARK: Tasks

    static let pageSize = 50

    static func tasks(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let page = max(1, min((try? req.query.get(Int.self, at: "page")) ?? 1, 10_000))
        let values = req.queryValues(TasksPage.filterNames)
        var filters = FormState(values: values)
        var listing: TaskListing? = nil
        do {
            let q = try TaskQuery.parse(
                status: values["status"], client: values["client"], from: values["from"], to: values["to"],
                limit: pageSize, offset: (page - 1) * pageSize, today: req.deps.today)
            listing = try await req.tasks.list(for: actor.id, q, by: actor)
        } catch {
            guard let errs = validationErrors(error) else { throw error }
            filters = FormState(values: values, errors: errs)
        }
        let hasFeed = try await req.tasks.hasCalendarFeed(by: actor)
        // The secret itself is never stored; only a fresh one can be shown, right after it is made.
        let shown = req.cookies["trellis_feed"]?.string
        let url = !hasFeed ? nil : shown.map { req.baseURL + Paths.calendarFeed($0) }
        let r = req.page(
            TasksPage.render(
                req.pageContext, listing: listing, today: req.deps.today,
                feedURL: url ?? (!hasFeed ? nil : req.strings("task.feed.exists")), filters: filters, page: page),
            status: listing == nil ? .unprocessableEntity : .ok)
        if shown != nil { r.cookies["trellis_feed"] = .expired }
        return r
    }

    static func week(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let today = req.deps.today
        var day = today
        if let w = req.queryString("week") {
            guard let d = LocalDate(w), abs(d.year - today.year) <= 20 else {
                throw TrellisError.validation([FieldError("week", "must be a real date (YYYY-MM-DD)")])
            }
            day = d
        }
        let rows = try await req.tasks.week(for: actor.id, containing: day, by: actor)
        return req.page(TaskWeekPage.render(req.pageContext, monday: day.weekStart, rows: rows, today: today))
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
        do {
            let t = try await req.tasks.create(input(form), by: actor)
            return req.seeOther(t.caseID.map { Paths.case($0) + "#s-tasks" } ?? Paths.tasks, flash: "flash.saved")
        } catch {
            guard let (errs, status) = formFailure(error) else { throw error }
            return try await newTask(req, state: FormState(values: form.values, errors: errs), status: status)
        }
    }

    static func task(_ req: Request) async throws -> Response {
        try await taskPage(req, id: try req.uuid("taskID"))
    }

    static func taskPage(_ req: Request, id: UUID, snooze: FormState = FormState(), status: HTTPStatus = .ok)
        async throws -> Response
    {
        let actor = try req.actor()
        let row = try await req.tasks.row(id, by: actor)
        let t = row.task
        return req.page(
            TaskPage.render(
                req.pageContext, row: row,
                assignee: try await req.organization.staffNames([t.assigneeID], by: actor)[t.assigneeID],
                canWrite: Policy.allows(actor, .writeNote),
                canEdit: Policy.allows(actor, .editTask(assigneeID: t.assigneeID, createdBy: t.createdBy)),
                today: req.deps.today, snooze: snooze),
            status: status)
    }

    static func setTaskStatus(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let form = FormBody(req)
        let t = try await req.tasks.setStatus(
            try req.uuid("taskID"), form["status"], expectedVersion: form.int("version"), by: actor)
        return req.seeOther(Paths.task(t.id), flash: "flash.saved")
    }

    static func editTask(_ req: Request, state: FormState? = nil, status: HTTPStatus = .ok) async throws -> Response {
        let actor = try req.actor()
        let t = try await req.tasks.row(try req.uuid("taskID"), by: actor).task
        try Policy.require(actor, .editTask(assigneeID: t.assigneeID, createdBy: t.createdBy))
        let staff = try await req.organization.staff(by: actor)
        let zone = req.deps.timeZone
        var values: [String: String] = [:]
        values["kind"] = t.kind.rawValue
        values["title"] = t.title
        values["details"] = t.details ?? ""
        values["dueOn"] = t.dueOn.description
        values["location"] = t.location ?? ""
        values["assigneeID"] = t.assigneeID.uuidString.lowercased()
        values["version"] = String(t.version)
        values["durationMinutes"] = "60"
        if let start = t.startsAt {
            values["startTime"] = String(Format.dateTime(start, in: zone).suffix(5))
            if let end = t.endsAt { values["durationMinutes"] = String(Int(end.timeIntervalSince(start) / 60)) }
        }
        return req.page(
            TaskFormPage.render(req.pageContext, staff: staff, state: state ?? FormState(values: values), editing: t),
            status: status)
    }

    static func updateTask(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let form = FormBody(req)
        let id = try req.uuid("taskID")
        do {
            let t = try await req.tasks.update(id, input(form), expectedVersion: form.int("version"), by: actor)
            return req.seeOther(Paths.task(t.id), flash: "flash.saved")
        } catch {
            guard let (errs, status) = formFailure(error) else { throw error }
            return try await editTask(req, state: FormState(values: form.values, errors: errs), status: status)
        }
    }

    static func snoozeTask(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let form = FormBody(req)
        let id = try req.uuid("taskID")
        do {
            let t = try await req.tasks.snooze(
                id, until: form["until"], expectedVersion: form.int("version"), by: actor)
            return req.seeOther(Paths.task(t.id), flash: "flash.snoozed")
        } catch {
            guard let (errs, status) = formFailure(error, conflictField: "until") else { throw error }
            return try await taskPage(req, id: id, snooze: FormState(values: form.values, errors: errs), status: status)
        }
    }

    static func input(_ form: FormBody) -> TaskInput {
        TaskInput(
            kind: form["kind"], title: form["title"], details: form["details"], assigneeID: form.uuid("assigneeID"),
            caseID: form.uuid("caseID"),
            dueOn: form["dueOn"], startTime: form["startTime"], durationMinutes: form.int("durationMinutes"),
            location: form["location"])
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
