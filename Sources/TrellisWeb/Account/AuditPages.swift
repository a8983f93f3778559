import Foundation
import Plot
import TrellisCore
import Vapor

/// The audit log as people read it: labelled actions, the agency's clock, who in which role, filters, and the
/// entries one page view wrote shown together (each still there, under the first).
enum AuditPages {
    static let filterNames = ["person", "client", "action", "from", "to"]

    static func filter(_ req: Request) -> (AuditFilter, [String: String]) {
        let values = req.queryValues(filterNames)
        return (
            AuditFilter(
                person: values["person"], client: values["client"], action: values["action"], from: values["from"],
                to: values["to"]), values
        )
    }

    static func query(_ base: String, _ state: FormState) -> String { Layout.filteredPath(base, state, filterNames) }

    static func filterForm(
        _ ctx: PageContext, action: String, people: [StaffMember], filters: FormState, withClient: Bool = false
    ) -> HNode {
        let t = ctx.t
        let f = Fields(t: t, state: filters)
        let actions = AuditAction.allCases.map { ($0.rawValue, t("audit.\($0.rawValue)")) }.sorted { $0.1 < $1.1 }
        return H.el(
            "form", [("method", "get"), ("action", action), ("class", "filters no-print"), ("novalidate", "")],
            H.el("h2", [("class", "visually-hidden")], H.text(t("history.filter"))),
            f.select(
                "person", t("history.filter.person"),
                options: [("", t("history.filter.anyone"))]
                    + people.map { ($0.id.uuidString.lowercased(), $0.displayName) }),
            withClient ? f.input("client", t("history.filter.client")) : H.group([]),
            f.select("action", t("history.filter.action"), options: [("", t("history.filter.anything"))] + actions),
            f.input("from", t("history.filter.from"), type: "date"),
            f.input("to", t("history.filter.to"), type: "date"),
            Layout.button(t("history.filter.apply"), [("class", "secondary")]),
            H.a(action, t("history.filter.clear")))
    }

    /// Entries written by one person within two seconds of each other about one client: one page view or one save.
    static func grouped(_ entries: [AuditEntry]) -> [[AuditEntry]] {
        var out: [[AuditEntry]] = []
        for e in entries {
            if let last = out.last?.last, last.actorID == e.actorID, last.clientID == e.clientID,
                abs(last.at.timeIntervalSince(e.at)) <= 2
            {
                out[out.count - 1].append(e)
            } else {
                out.append([e])
            }
        }
        return out
    }

    static func label(_ t: Strings, _ e: AuditEntry) -> String { t.entry("audit.\(e.action)") ?? e.action }

    static func record(_ t: Strings, _ e: AuditEntry) -> String {
        (t.entry("auditRecord.\(e.recordType)") ?? e.recordType)
            + (e.recordID.map { " " + String($0.uuidString.lowercased().prefix(8)) } ?? "")
    }

    static func table(
        _ ctx: PageContext, _ entries: [AuditEntry], staff: [UUID: StaffMember], clients: [UUID: ClientSummary]?
    ) -> HNode {
        let t = ctx.t
        guard !entries.isEmpty else { return Bits.empty(t("history.noneMatching")) }
        var columns = [t("history.when"), t("history.who"), t("history.action")]
        if clients != nil { columns.append(t("history.client")) }
        columns += [t("history.record"), t("history.fields")]
        return H.table(
            caption: t("access.title"), hiddenCaption: true, columns,
            grouped(entries).map { group in
                // The page or record the person opened leads; the records it showed follow.
                let lead =
                    group.first { $0.action == "case.view" } ?? group.first { $0.action == "client.view" }
                    ?? group.first { !$0.action.hasSuffix(".view") } ?? group[0]
                let rest = group.filter { $0.id != lead.id }
                let who =
                    lead.actorID.flatMap { staff[$0] }.map {
                        t("history.whoRole", ["name": $0.displayName, "role": t.label("role", $0.role)])
                    } ?? t("history.system")
                var cells: [HNode] = [
                    H.el("td", [], H.text(t.dateTime(lead.at))), H.el("td", [], H.text(who)),
                    H.el(
                        "td", [],
                        rest.isEmpty
                            ? H.text(label(t, lead))
                            : H.el(
                                "details", [],
                                H.el(
                                    "summary", [],
                                    H.text(label(t, lead) + " " + t.plural("history.andMore", rest.count))),
                                H.el(
                                    "ul", [],
                                    rest.map { e in H.el("li", [], H.text(label(t, e) + " · " + record(t, e))) })))
                ]
                if let clients {
                    cells.append(
                        H.el(
                            "td", [],
                            lead.clientID.map { id in
                                H.a(
                                    Paths.clientHistory(id), clients[id]?.displayName ?? String(id.uuidString.prefix(8))
                                )
                            } ?? H.text("—")))
                }
                cells.append(H.el("td", [], H.text(record(t, lead))))
                cells.append(H.el("td", [], H.text(lead.changedFields.joined(separator: ", ").nilIfEmpty ?? "—")))
                return H.el("tr", [], cells)
            })
    }

    /// A filter a person mistyped: the form again, with what to fix.
    static func filterErrors(_ ctx: PageContext, title: String, values: [String: String], errors: [FieldError])
        -> String
    {
        let state = FormState(values: values, errors: errors)
        return Layout.page(
            ctx, title: title,
            [
                H.el("h1", [], H.text(title)), Layout.errorSummary(ctx.t, state),
                filterForm(ctx, action: ctx.path, people: [], filters: state, withClient: values["client"] != nil)
            ])
    }
}

/// The agency's audit log, searched by person, client, action and date (administrators and auditors).
enum AuditSearchPage {
    static func render(
        _ ctx: PageContext, result: AuditSearchResult, people: [StaffMember], filters: FormState, page: Int
    ) -> String {
        let t = ctx.t
        return Layout.page(
            ctx, title: t("audit.title"),
            [
                H.el("h1", [], H.text(t("audit.title"))), H.p(t("audit.lede"), [("class", "lede")]),
                H.el("p", [("class", "no-print")], H.a(Paths.auditChain, t("chain.link"))),
                AuditPages.filterForm(ctx, action: Paths.auditLog, people: people, filters: filters, withClient: true),
                H.p(t.plural("history.matching", result.total), [("class", "hint"), ("role", "status")]),
                AuditPages.table(ctx, result.entries, staff: result.staff, clients: result.clients),
                Layout.pagination(
                    t, base: AuditPages.query(Paths.auditLog, filters), page: page, hasMore: page * 50 < result.total)
            ], wide: true)
    }
}

enum AuditWeb: WebHandlers {
    static func search(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        try Policy.require(actor, .viewAccessHistory)
        let page = max(1, min((try? req.query.get(Int.self, at: "page")) ?? 1, 10_000))
        let (filter, values) = AuditPages.filter(req)
        do {
            let result = try await req.audit.search(filter, by: actor, limit: 50, offset: (page - 1) * 50)
            return req.page(
                AuditSearchPage.render(
                    req.pageContext, result: result, people: try await req.organization.staff(by: actor),
                    filters: FormState(values: values), page: page))
        } catch {
            guard let errs = validationErrors(error) else { throw error }
            return req.page(
                AuditPages.filterErrors(
                    req.pageContext, title: req.strings("audit.title"), values: values, errors: errs),
                status: .unprocessableEntity)
        }
    }
}

/// The audit chain: its head to keep elsewhere, and a check of every entry (administrators and auditors).
enum AuditChainPage {
    static func render(
        _ ctx: PageContext, head: AuditChainHead, report: AuditChainReport?, state: FormState
    ) -> String {
        let t = ctx.t
        let f = Fields(t: t, state: state)
        var result: [HNode] = []
        if let report {
            let counted = t.plural("chain.checked", Int(report.entries))
            let seconds = String(format: "%.1f", report.seconds)
            if let fault = report.fault {
                result = [
                    H.el(
                        "div", [("class", "alert-box"), ("role", "alert")],
                        H.el("h2", [], H.text(t("chain.broken"))), H.p(describe(t, fault)),
                        H.p(counted + " " + t("chain.seconds", ["s": seconds])))
                ]
            } else {
                result = [
                    H.el(
                        "div", [("class", "flash"), ("role", "status")],
                        H.el("h2", [], H.text(t("chain.intact"))),
                        H.p(counted + " " + t("chain.seconds", ["s": seconds])))
                ]
            }
        }
        return Layout.page(
            ctx, title: t("chain.title"),
            [
                H.el("h1", [], H.text(t("chain.title"))), H.p(t("chain.lede"), [("class", "lede")]),
                H.group(result),
                H.el("h2", [], H.text(t("chain.head"))),
                H.p(t("chain.headHint"), [("class", "hint")]),
                H.el("pre", [("class", "chain-head")], H.text(head.line)),
                H.el("p", [], H.a(Paths.auditChain + "/head.txt", t("chain.download"))),
                H.el("h2", [], H.text(t("chain.verify"))),
                Layout.errorSummary(t, state),
                Layout.form(
                    ctx, action: Paths.auditChain, [("class", "narrow"), ("novalidate", "")],
                    [
                        f.textarea("kept", t("chain.kept"), rows: 2, hint: t("chain.keptHint")),
                        Layout.button(t("chain.verifyNow"))
                    ]),
                H.el("p", [], H.a(Paths.auditLog, t("chain.back")))
            ])
    }
}

extension AuditChainPage {
    static func describe(_ t: Strings, _ fault: AuditChainFault) -> String {
        func id(_ u: UUID) -> String { u.uuidString.lowercased() }
        switch fault {
        case .altered(let seq, let u): return t("chain.fault.altered", ["n": String(seq), "id": id(u)])
        case .missing(let from, let to): return t("chain.fault.missing", ["from": String(from), "to": String(to)])
        case .inserted(let seq, let u):
            return seq.map { t("chain.fault.insertedAt", ["n": String($0), "id": id(u)]) }
                ?? t("chain.fault.inserted", ["id": id(u)])
        case .headMismatch(let recorded, let found):
            return t("chain.fault.head", ["recorded": String(recorded.seq), "found": String(found.seq)])
        case .keptHeadMissing(let kept, let found):
            return t(found == nil ? "chain.fault.keptBeyond" : "chain.fault.kept", ["n": String(kept.seq)])
        }
    }
}

extension AuditWeb {
    static func chain(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let head = try await req.audit.chainHead(by: actor)
        return req.page(AuditChainPage.render(req.pageContext, head: head, report: nil, state: FormState()))
    }

    static func headFile(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let head = try await req.audit.chainHead(by: actor)
        let res = Response(status: .ok, body: .init(string: head.line + "\n"))
        res.headers.contentType = .plainText
        res.headers.replaceOrAdd(
            name: .contentDisposition, value: "attachment; filename=\"trellis-audit-head-\(head.seq).txt\"")
        return res
    }

    static func verify(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let form = FormBody(req)
        let keptText = (form["kept"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        var kept: AuditChainHead? = nil
        if !keptText.isEmpty {
            guard let parsed = AuditChainHead(line: keptText) else {
                let head = try await req.audit.chainHead(by: actor)
                return req.page(
                    AuditChainPage.render(
                        req.pageContext, head: head, report: nil,
                        state: FormState(
                            values: ["kept": keptText], errors: [FieldError("kept", "is not a head Trellis printed")])),
                    status: .unprocessableEntity)
            }
            kept = parsed
        }
        let report = try await req.audit.verifyChain(expecting: kept, by: actor)
        return req.page(
            AuditChainPage.render(
                req.pageContext, head: report.head, report: report, state: FormState(values: ["kept": keptText])),
            status: report.intact ? .ok : .conflict)
    }
}
