import Foundation
import Plot
import TrellisCore

enum TasksPage {
    static let filterNames = ["status", "client", "from", "to"]

    static func render(
        _ ctx: PageContext, listing: TaskListing?, today: LocalDate, feedURL: String?, filters: FormState, page: Int
    ) -> String {
        let t = ctx.t
        var content: [HNode] = [
            H.el("h1", [], H.text(t("task.title"))),
            H.el(
                "p", [("class", "actions")], H.a(Paths.newTask, t("task.new"), [("class", "button")]), H.text(" "),
                H.a(Paths.taskWeek(today), t("task.week"), [("class", "button secondary")]))
        ]
        let overdue = listing?.rows.filter { $0.task.isOverdue(today) }.count ?? 0
        if overdue > 0 {
            content.append(
                H.el(
                    "p", [("class", "flash warn"), ("role", "status")],
                    H.text(t("task.overdueCount", ["n": String(overdue)]))))
        }
        content.append(Layout.errorSummary(t, filters))
        content.append(filterForm(ctx, listing: listing, filters: filters))
        if let listing {
            content.append(
                H.p(
                    t.plural("task.matching", listing.total),
                    [("class", "hint"), ("role", "status")]))
            content.append(
                listing.rows.isEmpty
                    ? Bits.empty(t(filters.values.values.allSatisfy(\.isEmpty) ? "task.none" : "task.noneMatching"))
                    : taskTable(ctx, listing.rows, today: today, names: [:], showClient: true))
            content.append(
                Layout.pagination(
                    t, base: Layout.filteredPath(Paths.tasks, filters, filterNames), page: page,
                    hasMore: listing.query.offset + listing.rows.count < listing.total))
        }
        content.append(
            Bits.section(
                "s-feed", t("task.feed"),
                [
                    H.p(t("task.feed.hint"), [("class", "hint")]),
                    feedURL.map { H.el("p", [], H.el("code", [("class", "feed-url")], H.text($0))) } ?? H.group([]),
                    Layout.form(
                        ctx, action: Paths.calendarReset, [],
                        [
                            Layout.button(
                                feedURL == nil ? t("task.feed.make") : t("task.feed.reset"), [("class", "secondary")])
                        ])
                ]))
        return Layout.page(ctx, title: t("task.title"), content)
    }

    static func filterForm(_ ctx: PageContext, listing: TaskListing?, filters: FormState) -> HNode {
        let t = ctx.t
        let f = Fields(t: t, state: filters)
        let statuses =
            [("", t("taskStatus.open"))]
            + [TaskStatus.done, .cancelled].map { ($0.rawValue, t("taskStatus.\($0.rawValue)")) }
            + [("all", t("task.filter.allStatuses"))]
        let clients =
            [("", t("task.filter.allClients"))]
            + (listing?.clients ?? []).map {
                ($0.id.uuidString.lowercased(), $0.displayName)
            }
        return H.el(
            "form", [("method", "get"), ("action", Paths.tasks), ("class", "filters no-print"), ("novalidate", "")],
            H.el("h2", [("class", "visually-hidden")], H.text(t("task.filter"))),
            f.select("status", t("task.status"), options: statuses),
            f.select("client", t("task.client"), options: clients),
            f.input("from", t("task.filter.from"), type: "date"),
            f.input("to", t("task.filter.to"), type: "date"),
            Layout.button(t("task.filter.apply"), [("class", "secondary")]),
            H.a(Paths.tasks, t("task.filter.clear")))
    }

    /// Tasks as rows: due, what, and then the client and case (on the staff member's list) or the assignee
    /// (on a case, where the client is known).
    static func taskTable(
        _ ctx: PageContext, _ rows: [TaskRow], today: LocalDate, names: [UUID: String], showClient: Bool,
        caption: String? = nil
    ) -> HNode {
        let t = ctx.t
        let columns =
            [t("task.due"), t("task.what")] + (showClient ? [t("task.client"), t("task.case")] : [])
            + [t("task.kind"), showClient ? nil : t("task.assignee"), t("task.status")].compactMap { $0 }
        return H.table(
            caption: caption ?? t("task.title"), hiddenCaption: caption == nil, columns,
            cells: rows.map { row in
                let k = row.task
                let when = k.startsAt.map { t.dateTime($0) } ?? k.dueOn.description
                var cells: [HNode] = [
                    H.group([
                        H.text(when),
                        k.isOverdue(today)
                            ? H.group([H.text(" "), Bits.badge(t("task.overdue"), "overdue")]) : H.group([])
                    ]),
                    H.a(Paths.task(k.id), k.title)
                ]
                if showClient {
                    cells.append(row.client.map { H.a(Paths.client($0.id), $0.displayName) } ?? H.text("—"))
                    cells.append(k.caseID.map { H.a(Paths.case($0), row.programName ?? t("task.case")) } ?? H.text("—"))
                }
                cells.append(
                    H.text(
                        t("taskKind.\(k.kind.rawValue)")
                            + (k.source == .manual ? "" : " · " + t("taskSource.\(k.source.rawValue)"))))
                if !showClient { cells.append(H.text(names[k.assigneeID] ?? "—")) }
                cells.append(H.text(t("taskStatus.\(k.status.rawValue)")))
                return ([("class", k.isOverdue(today) ? "overdue" : nil)], cells)
            })
    }
}

/// A staff member's week, Monday to Sunday, one column a day (one under another on a narrow screen).
enum TaskWeekPage {
    static func render(_ ctx: PageContext, monday: LocalDate, rows: [TaskRow], today: LocalDate) -> String {
        let t = ctx.t
        let title = t("task.weekOf", ["date": monday.description])
        let days: [HNode] = (0..<7).map { i in
            let day = monday.adding(days: i)
            let items = rows.filter { $0.task.dueOn == day }
            return H.el(
                "section", [("class", day == today ? "today" : nil), ("aria-labelledby", "d-\(day)")],
                H.el(
                    "h2", [("id", "d-\(day)")], H.text(t("weekday.\(i)") + " "),
                    H.el("span", [("class", "when")], H.text(day.description))),
                items.isEmpty
                    ? H.p(t("task.week.none"), [("class", "hint")])
                    : H.el(
                        "ul", [],
                        items.map { row in
                            let k = row.task
                            let when =
                                k.startsAt.map { String(t.dateTime($0).suffix(5)) }
                                ?? t("taskKind.\(k.kind.rawValue)")
                            return H.el(
                                "li", [("class", k.status == .done ? "done" : nil)],
                                H.el("span", [("class", "when")], H.text(when)),
                                H.a(Paths.task(k.id), k.title),
                                k.status == .done
                                    ? H.group([H.text(" "), Bits.badge(t("taskStatus.done"), "ok")]) : H.group([]),
                                row.client.map {
                                    H.group([H.text(" · "), H.a(Paths.client($0.id), $0.displayName)])
                                } ?? H.group([]))
                        }))
        }
        return Layout.page(
            ctx, title: title,
            [
                H.el("h1", [], H.text(title)),
                H.el(
                    "nav", [("class", "pagination"), ("aria-label", t("task.week.nav"))],
                    H.a(Paths.taskWeek(monday.adding(days: -7)), t("task.week.previous"), [("rel", "prev")]),
                    H.a(Paths.taskWeek(today), t("task.week.this")),
                    H.a(Paths.taskWeek(monday.adding(days: 7)), t("task.week.next"), [("rel", "next")]),
                    H.a(Paths.tasks, t("task.back"))),
                H.el("div", [("class", "week")], days)
            ], wide: true)
    }
}

enum TaskFormPage {
    /// The form for a new task, or for changing `editing`.
    static func render(_ ctx: PageContext, staff: [StaffMember], state: FormState, editing: CaseTask? = nil) -> String {
        let t = ctx.t
        let f = Fields(t: t, state: state)
        let title = editing == nil ? t("task.new") : t("task.edit")
        let cancel =
            editing.map { Paths.task($0.id) }
            ?? (state["caseID"].isEmpty ? Paths.tasks : Paths.case(text: state["caseID"]))
        return Layout.page(
            ctx, title: title,
            [
                H.el("h1", [], H.text(title)),
                H.el("p", [], H.a(cancel, t("action.cancel"))),
                Layout.errorSummary(t, state),
                Layout.form(
                    ctx, action: editing.map { Paths.task($0.id) } ?? Paths.tasks, [("novalidate", "")],
                    [
                        f.select(
                            "kind", t("task.kind"),
                            options: TaskKind.allCases.map { ($0.rawValue, t("taskKind.\($0.rawValue)")) }),
                        f.input("title", t("task.what"), required: true, hint: t("task.what.hint")),
                        f.textarea("details", t("task.details"), rows: 2),
                        f.input("dueOn", t("task.dueOn"), type: "date", required: true),
                        f.input("startTime", t("task.startTime"), type: "time", hint: t("task.startTime.hint")),
                        f.input(
                            "durationMinutes", t("task.duration"), type: "number", extra: [("min", "5"), ("max", "720")]
                        ),
                        f.input("location", t("task.location")),
                        f.staffSelect("assigneeID", t("task.assignee"), staff: staff),
                        editing == nil
                            ? Bits.hidden("caseID", state["caseID"]) : Bits.hidden("version", state["version"]),
                        Layout.button(t("action.save"))
                    ])
            ])
    }
}

enum TaskPage {
    static func render(
        _ ctx: PageContext, row: TaskRow, assignee: String?, canWrite: Bool, canEdit: Bool, today: LocalDate,
        snooze: FormState
    ) -> String {
        let t = ctx.t
        let k = row.task
        var content: [HNode] = [H.el("h1", [], H.text(k.title)), H.el("p", [], H.a(Paths.tasks, t("task.back")))]
        content.append(
            H.el(
                "dl", [("class", "summary")],
                H.pair(t("task.kind"), t("taskKind.\(k.kind.rawValue)")),
                H.pair(t("task.status"), t("taskStatus.\(k.status.rawValue)")),
                H.group([
                    H.el("dt", [], H.text(t("task.client"))),
                    H.el("dd", [], row.client.map { H.a(Paths.client($0.id), $0.displayName) } ?? H.text("—"))
                ]),
                H.group([
                    H.el("dt", [], H.text(t("task.case"))),
                    H.el(
                        "dd", [],
                        k.caseID.map { H.a(Paths.case($0), row.programName ?? t("task.openCase")) } ?? H.text("—"))
                ]),
                H.pair(t("task.dueOn"), k.dueOn.description),
                H.pair(t("task.snoozedFrom"), k.snoozedFrom?.description),
                H.pair(
                    t("task.startTime"),
                    k.startsAt.map {
                        t.dateTime($0) + (k.endsAt.map { "–" + t.dateTime($0).suffix(5) } ?? "")
                    }),
                H.pair(t("task.location"), k.location),
                H.pair(t("task.assignee"), assignee),
                H.pair(t("task.source"), t("taskSource.\(k.source.rawValue)")),
                H.pair(t("task.details"), k.details)))
        if canWrite {
            content.append(
                Layout.form(
                    ctx, action: Paths.taskStatus(k.id), [("class", "no-print actions")],
                    [
                        Bits.hidden("version", String(k.version)),
                        k.status == .open
                            ? H.group([
                                Layout.button(t("task.markDone"), [("name", "status"), ("value", "done")]),
                                Layout.button(
                                    t("task.cancel"),
                                    [("name", "status"), ("value", "cancelled"), ("class", "secondary")])
                            ])
                            : Layout.button(
                                t("task.reopen"), [("name", "status"), ("value", "open"), ("class", "secondary")])
                    ]))
        }
        if canEdit && k.status == .open {
            content.append(H.el("p", [("class", "no-print")], H.a(Paths.editTask(k.id), t("task.edit"))))
            if k.kind == .task {
                let f = Fields(t: t, state: snooze)
                content.append(
                    Bits.section(
                        "s-snooze", t("task.snooze"),
                        [
                            Layout.errorSummary(t, snooze),
                            Layout.form(
                                ctx, action: Paths.snoozeTask(k.id),
                                [("class", "filters no-print"), ("novalidate", "")],
                                [
                                    Bits.hidden("version", String(k.version)),
                                    f.input(
                                        "until", t("task.snooze.until"), type: "date", required: true,
                                        extra: [("min", max(k.dueOn.adding(days: 1), today).description)]),
                                    Layout.button(t("task.snooze.apply"), [("class", "secondary")])
                                ])
                        ]))
            }
        }
        return Layout.page(ctx, title: k.title, content)
    }
}
