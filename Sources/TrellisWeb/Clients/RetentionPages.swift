import Foundation
import Plot
import TrellisCore

/// The agency's retention period, what removal takes and keeps, and the clients due, a page at a time, each
/// chosen by default, with a confirmation before anything is removed.
enum RetentionPage {
    static func render(_ ctx: PageContext, due: RetentionService.Due, years: FormState, purge: FormState) -> String {
        let t = ctx.t
        let f = Fields(t: t, state: years)
        var content: [HNode] = [
            H.el("h1", [], H.text(t("retention.title"))), H.p(t("retention.lede"), [("class", "lede")]),
            Layout.errorSummary(t, years),
            Layout.form(
                ctx, action: Paths.adminRetention, [("class", "narrow"), ("novalidate", "")],
                [
                    f.input(
                        "years", t("retention.years"), type: "number", required: true,
                        hint: t("retention.yearsHint"), extra: [("min", "1"), ("max", "30")]),
                    Layout.button(t("action.save"))
                ]),
            H.el(
                "details", [],
                H.el("summary", [], H.text(t("retention.whatTitle"))),
                H.p(t("retention.removed")), H.p(t("retention.kept"))),
            H.el("h2", [("id", "s-due")], H.text(t("retention.due", ["n": String(due.total)]))),
            H.p(
                t(
                    "retention.dueHint",
                    ["changed": t.dateTime(due.changedBefore), "closed": due.closedBefore.description]),
                [("class", "hint")])
        ]
        guard !due.clients.isEmpty else {
            content.append(Bits.empty(t(due.total == 0 ? "retention.none" : "retention.pastEnd")))
            if due.total > 0 {
                content.append(
                    Bits.pager(t, page: due.page, hasMore: false, link: { Paths.adminRetention + "?page=\($0)" }))
            }
            return Layout.page(ctx, title: t("retention.title"), content)
        }
        let rows: [(H.Attrs, [HNode])] = due.clients.map { c in
            let id = c.clientID.uuidString.lowercased()
            return (
                [],
                [
                    H.void(
                        "input",
                        [
                            ("type", "checkbox"), ("name", "clients[]"), ("value", id), ("checked", ""),
                            ("form", "purge"), ("aria-label", t("retention.choose", ["id": String(id.prefix(8))]))
                        ]),
                    H.a(Paths.client(c.clientID), String(id.prefix(8))),
                    H.text(t.dateTime(c.createdAt)), H.text(t.dateTime(c.updatedAt)),
                    H.text(c.lastClosedOn?.description ?? "—"), H.text(String(c.cases))
                ]
            )
        }
        content += [
            Layout.errorSummary(t, purge),
            H.table(
                caption: t("retention.due", ["n": String(due.total)]), hiddenCaption: true,
                [
                    t("retention.remove"), t("client.id"), t("retention.registered"), t("retention.changed"),
                    t("retention.closed"), t("retention.cases")
                ], cells: rows),
            Bits.pager(
                t, page: due.page, hasMore: due.page * RetentionService.perPage < due.total,
                link: { Paths.adminRetention + "?page=\($0)#s-due" }),
            Layout.form(
                ctx, action: Paths.adminRetention + "/purge",
                [("id", "purge"), ("novalidate", ""), ("class", "no-print")],
                [
                    Fields(t: t, state: purge).checkbox("confirm", t("retention.confirm")),
                    Layout.button(t("retention.purge"), [("class", "danger")])
                ])
        ]
        return Layout.page(ctx, title: t("retention.title"), content, wide: true)
    }
}
