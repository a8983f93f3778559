import Foundation
import Plot
import TrellisCore

enum TasksPage {
    static func render(_ ctx: PageContext, tasks: [CaseTask], today: LocalDate, feedURL: String?, names: [UUID: String])
        -> String
    {
        let t = ctx.t
        let overdue = tasks.filter { $0.isOverdue(today) }
        var content: [HNode] = [
            H.el("h1", [], H.text(t("task.title"))),
            H.el("p", [("class", "actions")], H.a(Paths.newTask, t("task.new"), [("class", "button")]))
        ]
        if !overdue.isEmpty {
            content.append(
                H.el(
                    "p", [("class", "flash warn"), ("role", "status")],
                    H.text(t("task.overdueCount", ["n": String(overdue.count)]))))
        }
        content.append(tasks.isEmpty ? Bits.empty(t("task.none")) : taskTable(ctx, tasks, today: today, names: names))
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

    static func taskTable(
        _ ctx: PageContext, _ tasks: [CaseTask], today: LocalDate, names: [UUID: String], caption: String? = nil
    ) -> HNode {
        let t = ctx.t
        return H.table(
            caption: caption ?? t("task.title"), hiddenCaption: caption == nil,
            [t("task.due"), t("task.what"), t("task.kind"), t("task.assignee"), t("task.status")],
            tasks.map { k in
                let when = k.startsAt.map { t.dateTime($0) } ?? k.dueOn.description
                return H.el(
                    "tr", [("class", k.isOverdue(today) ? "overdue" : nil)],
                    H.el(
                        "td", [], H.text(when),
                        k.isOverdue(today)
                            ? H.group([H.text(" "), Bits.badge(t("task.overdue"), "overdue")]) : H.group([])),
                    H.el("td", [], H.a(Paths.task(k.id), k.title)),
                    H.el(
                        "td", [],
                        H.text(
                            t("taskKind.\(k.kind.rawValue)")
                                + (k.source == .manual ? "" : " · " + t("taskSource.\(k.source.rawValue)")))),
                    H.el("td", [], H.text(names[k.assigneeID] ?? "—")),
                    H.el("td", [], H.text(t("taskStatus.\(k.status.rawValue)"))))
            })
    }
}

enum TaskFormPage {
    static func render(_ ctx: PageContext, staff: [StaffMember], state: FormState) -> String {
        let t = ctx.t
        let f = Fields(t: t, state: state)
        return Layout.page(
            ctx, title: t("task.new"),
            [
                H.el("h1", [], H.text(t("task.new"))),
                H.el(
                    "p", [],
                    H.a(state["caseID"].isEmpty ? Paths.tasks : Paths.case(text: state["caseID"]), t("action.cancel"))),
                Layout.errorSummary(t, state),
                Layout.form(
                    ctx, action: Paths.tasks, [("novalidate", "")],
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
                        Bits.hidden("caseID", state["caseID"]),
                        Layout.button(t("action.save"))
                    ])
            ])
    }
}

enum TaskPage {
    static func render(_ ctx: PageContext, task k: CaseTask, assignee: String?, canWrite: Bool) -> String {
        let t = ctx.t
        var content: [HNode] = [H.el("h1", [], H.text(k.title)), H.el("p", [], H.a(Paths.tasks, t("task.back")))]
        content.append(
            H.el(
                "dl", [("class", "summary")],
                H.pair(t("task.kind"), t("taskKind.\(k.kind.rawValue)")),
                H.pair(t("task.status"), t("taskStatus.\(k.status.rawValue)")),
                H.pair(t("task.dueOn"), k.dueOn.description),
                H.pair(
                    t("task.startTime"),
                    k.startsAt.map {
                        t.dateTime($0) + (k.endsAt.map { "–" + t.dateTime($0).suffix(5) } ?? "")
                    }),
                H.pair(t("task.location"), k.location),
                H.pair(t("task.assignee"), assignee),
                H.pair(t("task.source"), t("taskSource.\(k.source.rawValue)")),
                H.pair(t("task.details"), k.details)))
        if let cid = k.caseID { content.append(H.el("p", [], H.a(Paths.case(cid), t("task.openCase")))) }
        if canWrite {
            content.append(
                Layout.form(
                    ctx, action: Paths.taskStatus(k.id), [("class", "no-print")],
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
        return Layout.page(ctx, title: k.title, content)
    }
}
