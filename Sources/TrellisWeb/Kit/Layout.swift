import Foundation
import Plot
import TrellisCore
import Vapor

/// What every page needs besides its own model.
struct PageContext: Sendable {
    var t: Strings
    var staff: StaffMember?
    var csrf: String
    var path: String
    var flash: String?
    /// Seconds of inactivity after which a signed-in session ends (the page warns before); 0 when signed out.
    var idleSeconds: Int = 0
}

enum Layout {
    /// Messages after a post that say something did not happen: shown in the warning colour, not the success one.
    static let warningFlashes: Set<String> = [
        "flash.reopenConflict", "flash.reopenNeedsReason", "flash.reviewNeedsComment"
    ]
    static func csrfField(_ ctx: PageContext) -> HNode {
        H.void("input", [("type", "hidden"), ("name", "_csrf"), ("value", ctx.csrf)])
    }

    /// A POST form with its CSRF token.
    static func form(_ ctx: PageContext, action: String, _ a: H.Attrs = [], _ children: [HNode]) -> HNode {
        H.el("form", [("method", "post"), ("action", action)] + a, [csrfField(ctx)] + children)
    }

    static func button(_ label: String, _ a: H.Attrs = []) -> HNode {
        H.el("button", [("type", "submit")] + a, H.text(label))
    }

    static func page(_ ctx: PageContext, title: String, _ content: [HNode], wide: Bool = false) -> String {
        let t = ctx.t
        var nav: [HNode] = []
        if let s = ctx.staff {
            var items: [(String, String)] = [
                (Paths.today, t("nav.today")), (Paths.caseload, t("nav.caseload")), (Paths.clients, t("nav.clients")),
                (Paths.tasks, t("nav.tasks")), (Paths.directory, t("nav.directory"))
            ]
            if Policy.allows(ActingUser(s), .viewTeamCaseloads) { items.append((Paths.team, t("nav.team"))) }
            if Policy.allows(ActingUser(s), .viewWorkload) { items.append((Paths.workload, t("nav.workload"))) }
            if Policy.allows(ActingUser(s), .reviewWork) { items.append((Paths.reviews, t("nav.reviews"))) }
            if Policy.allows(ActingUser(s), .viewReports) { items.append((Paths.reports, t("nav.reports"))) }
            if Policy.allows(ActingUser(s), .manageUsers) {
                items.append((Paths.adminUsers, t("nav.users")))
                items.append((Paths.adminPrograms, t("nav.programs")))
                items.append((Paths.adminForms, t("nav.forms")))
                items.append((Paths.adminLetters, t("nav.letters")))
                items.append((Paths.adminAccess, t("nav.access")))
            }
            if Policy.allows(ActingUser(s), .purgeRecords) { items.append((Paths.adminRetention, t("nav.retention"))) }
            if Policy.allows(ActingUser(s), .viewAccessHistory) { items.append((Paths.auditLog, t("nav.audit"))) }
            nav = items.map { href, label in
                let current = ctx.path == href || (href != "/" && ctx.path.hasPrefix(href + "/"))
                return H.el("li", [], H.a(href, label, [("aria-current", current ? "page" : nil)]))
            }
        }
        let header = H.el(
            "header", [("class", "site")],
            H.el("a", [("class", "skip"), ("href", "#main")], H.text(t("nav.skip"))),
            H.el(
                "div", [("class", "brand")], H.a(ctx.staff.map { Paths.home(for: $0.role) } ?? Paths.signIn, "Trellis")),
            ctx.staff == nil ? H.group([]) : H.el("nav", [("aria-label", t("nav.label"))], H.el("ul", [], nav)),
            ctx.staff.map { s in
                H.el(
                    "div", [("class", "account")],
                    H.el("span", [], H.text(s.displayName + " · " + t.label("role", s.role))),
                    H.a(Paths.password, t("nav.password")),
                    H.a(Paths.myKeys, t("nav.keys")),
                    form(
                        ctx, action: Paths.signOut, [("class", "inline")],
                        [button(t("nav.signout"), [("class", "link")])]))
            } ?? H.group([]))
        let languageForm: HNode =
            ctx.staff == nil
            ? H.group([])
            : form(
                ctx, action: Paths.language, [("class", "inline")],
                [
                    H.el("label", [("for", "f-language")], H.text(t("nav.language") + " ")),
                    H.el(
                        "select", [("id", "f-language"), ("name", "language")],
                        TrellisCore.Language.allCases.map { l in
                            H.el(
                                "option", [("value", l.rawValue), ("selected", H.flag(l == t.language))],
                                H.text(t("language.\(l.rawValue)")))
                        }),
                    H.void("input", [("type", "hidden"), ("name", "return"), ("value", ctx.path)]),
                    button(t("action.change"), [("class", "secondary")])
                ])
        let flash: HNode =
            ctx.flash.map {
                H.el(
                    "div", [("class", Self.warningFlashes.contains($0) ? "flash warn" : "flash"), ("role", "status")],
                    H.text(t($0)))
            } ?? H.group([])
        // The idle warning: shown by session.js shortly before the server would sign the session out.
        let idle: HNode =
            ctx.idleSeconds > 0
            ? H.el(
                "div",
                [
                    ("id", "idle-warning"), ("class", "idle-warning"), ("role", "alertdialog"),
                    ("aria-live", "assertive"), ("aria-labelledby", "idle-title"), ("hidden", "")
                ],
                H.el("h2", [("id", "idle-title")], H.text(t("idle.title"))),
                H.el(
                    "div", [("class", "idle-soon")],
                    H.p(t("idle.soon", ["minutes": String(max(1, ctx.idleSeconds / 60))])),
                    H.el("button", [("type", "button")], H.text(t("idle.stay")))),
                H.el(
                    "div", [("class", "idle-gone"), ("hidden", "")], H.p(t("idle.gone")),
                    H.a(Paths.signIn, t("idle.signInAgain"))))
            : H.group([])
        let body = H.el(
            "body",
            ctx.idleSeconds > 0 ? [("data-idle", String(ctx.idleSeconds)), ("data-csrf", ctx.csrf)] : [],
            header, idle,
            H.el("main", [("id", "main"), ("class", wide ? "wide" : nil)], [flash] + content),
            H.el(
                "footer", [("class", "site")], languageForm,
                H.el("p", [], H.text(t("footer.privacy")))))
        let head: Node<HTML.BodyContext> = .element(
            named: "head",
            nodes: [
                H.void("meta", [("charset", "utf-8")]),
                H.void("meta", [("name", "viewport"), ("content", "width=device-width, initial-scale=1")]),
                H.el("title", [], H.text(title + " · Trellis")),
                H.void("link", [("rel", "stylesheet"), ("href", Paths.stylesheet)]),
                ctx.idleSeconds > 0 ? H.el("script", [("src", Paths.sessionScript), ("defer", "")]) : H.group([])
            ])
        return "<!DOCTYPE html>"
            + TableLabels.apply(H.el("html", [("lang", t.language.rawValue)], head, body).render())
    }

    /// The form's problems, each naming its field and linking to it, in the order the form shows them. Drawn
    /// when the page renders, so it knows every field the page built after it.
    static func errorSummary(_ t: Strings, _ state: FormState) -> HNode {
        guard state.hasErrors else { return H.group([]) }
        return .component(ErrorSummary(t: t, state: state))
    }

    /// `base` with a filter form's non-empty values as its query, so page links keep the filters.
    static func filteredPath(_ base: String, _ state: FormState, _ names: [String]) -> String {
        let pairs = names.compactMap { k -> String? in
            let v = state[k]
            return v.isEmpty ? nil : k + "=" + (v.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        }
        return base + (pairs.isEmpty ? "" : "?" + pairs.joined(separator: "&"))
    }

    static func pagination(_ t: Strings, base: String, page: Int, hasMore: Bool) -> HNode {
        guard page > 1 || hasMore else { return H.group([]) }
        let sep = base.contains("?") ? "&" : "?"
        return H.el(
            "nav", [("class", "pagination"), ("aria-label", t("pagination.label"))],
            page > 1 ? H.a(base + sep + "page=\(page - 1)", t("pagination.previous"), [("rel", "prev")]) : H.group([]),
            H.el("span", [], H.text(t("pagination.page", ["n": String(page)]))),
            hasMore ? H.a(base + sep + "page=\(page + 1)", t("pagination.next"), [("rel", "next")]) : H.group([]))
    }
}

struct ErrorSummary: Component {
    let t: Strings
    let state: FormState

    var body: Component {
        let items = state.errors.map { field, messages -> (order: Int, field: String, node: HNode) in
            let text = messages.map(t.message).joined(separator: "; ")
            guard let entry = state.fields.entry(field) else {
                // Not a field of the form (a version conflict, the request as a whole): said, not linked.
                return (Int.max, field, H.el("li", [], H.text(text)))
            }
            return (
                entry.order, field,
                H.el("li", [], H.a("#" + entry.anchor, t("form.errorNamed", ["field": entry.label, "message": text])))
            )
        }.sorted { ($0.order, $0.field) < ($1.order, $1.field) }
        let node: HNode = H.el(
            "div", [("class", "error-summary"), ("role", "alert"), ("tabindex", "-1")],
            H.el("h2", [], H.text(t("form.errors"))), H.el("ul", [], items.map(\.node)))
        return node
    }
}

enum ErrorPage {
    static func render(status: HTTPStatus, message: String, req: Request) -> String {
        let ctx = req.pageContext
        let key = "error.title.\(status.code)"
        let specific = ctx.t(key)
        return Layout.page(
            ctx, title: "\(status.code)",
            [
                H.el("h1", [], H.text(specific == key ? ctx.t("error.title") : specific)),
                H.p(message),
                H.el("p", [], H.a(ctx.staff.map { Paths.home(for: $0.role) } ?? Paths.signIn, ctx.t("error.home")))
            ])
    }
}
