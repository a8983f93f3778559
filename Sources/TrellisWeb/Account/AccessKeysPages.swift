import Foundation
import Plot
import TrellisCore
import Vapor

/// A user's ways in, on one page: the browsers signed in as them and their API tokens. The same sections sit
/// on an administrator's page of a user (`base` is where the forms post).
enum AccessKeysPage {
    static func sessions(
        _ ctx: PageContext, _ sessions: [StaffSession], current: String?, base: String
    ) -> HNode {
        let t = ctx.t
        guard !sessions.isEmpty else { return Bits.empty(t("keys.noSessions")) }
        let rows: [(H.Attrs, [HNode])] = sessions.map { s in
            let here = s.tokenHash == current
            return (
                [],
                [
                    H.text(s.userAgent.map(Self.browser) ?? t("keys.unknownBrowser")),
                    H.text(s.address ?? "—"),
                    H.text(t.dateTime(s.createdAt)),
                    H.text(here ? t("keys.thisBrowser") : t.dateTime(s.lastSeenAt)),
                    here
                        ? H.text("")
                        : Layout.form(
                            ctx, action: base + "/sessions/end", [("class", "inline")],
                            [
                                H.void("input", [("type", "hidden"), ("name", "session"), ("value", s.tokenHash)]),
                                Layout.button(t("keys.end"), [("class", "secondary")])
                            ])
                ]
            )
        }
        return H.group([
            H.table(
                caption: t("keys.sessions"), hiddenCaption: true,
                [t("keys.browser"), t("keys.address"), t("keys.signedIn"), t("keys.lastSeen"), t("keys.actions")],
                cells: rows),
            sessions.count > 1 || current == nil
                ? Layout.form(
                    ctx, action: base + "/sessions/end", [("class", "no-print")],
                    [
                        H.void("input", [("type", "hidden"), ("name", "all"), ("value", "1")]),
                        Layout.button(t(current == nil ? "keys.endAll" : "keys.endOthers"), [("class", "secondary")])
                    ]) : H.group([])
        ])
    }

    static func tokens(_ ctx: PageContext, _ tokens: [APITokenRecord], base: String, now: Date) -> HNode {
        let t = ctx.t
        guard !tokens.isEmpty else { return Bits.empty(t("keys.noTokens")) }
        let rows: [(H.Attrs, [HNode])] = tokens.map { k in
            (
                [],
                [
                    H.text(k.name), H.text(t.dateTime(k.createdAt)),
                    H.text(k.expiresAt <= now ? t("keys.expired") : t.dateTime(k.expiresAt)),
                    H.text(k.lastUsedAt.map { t.dateTime($0) } ?? t("keys.neverUsed")),
                    Layout.form(
                        ctx, action: base + "/tokens/\(k.id.uuidString.lowercased())/revoke", [("class", "inline")],
                        [Layout.button(t("keys.revoke"), [("class", "secondary")])])
                ]
            )
        }
        return H.table(
            caption: t("keys.tokens"), hiddenCaption: true,
            [t("keys.tokenName"), t("keys.created"), t("keys.expires"), t("keys.lastUsed"), t("keys.actions")],
            cells: rows)
    }

    /// "Firefox on Linux" from a User-Agent header, enough to recognise a browser, never the whole string.
    static func browser(_ ua: String) -> String {
        let name =
            ua.contains("Edg/")
            ? "Edge"
            : ua.contains("Chrome/") || ua.contains("Chromium/")
                ? "Chrome"
                : ua.contains("Firefox/")
                    ? "Firefox"
                    : ua.contains("Safari/")
                        ? "Safari"
                        : ua.lowercased().contains("curl") ? "curl" : "Browser"
        let os =
            ua.contains("Android")
            ? "Android"
            : ua.contains("iPhone") || ua.contains("iPad")
                ? "iOS"
                : ua.contains("Windows")
                    ? "Windows"
                    : ua.contains("Mac OS X")
                        ? "macOS"
                        : ua.contains("Linux") ? "Linux" : nil
        return os.map { "\(name) · \($0)" } ?? name
    }

    static func render(
        _ ctx: PageContext, sessions: [StaffSession], current: String?, tokens: [APITokenRecord], now: Date,
        state: FormState, newToken: String?
    ) -> String {
        let t = ctx.t
        let f = Fields(t: t, state: state)
        var created: [HNode] = []
        if let newToken {
            created = [
                H.el(
                    "div", [("class", "notice"), ("role", "status")],
                    H.el("h2", [], H.text(t("keys.createdTitle"))), H.p(t("keys.createdHint")),
                    H.el("pre", [("class", "chain-head")], H.text(newToken)))
            ]
        }
        return Layout.page(
            ctx, title: t("keys.title"),
            [
                H.el("h1", [], H.text(t("keys.title"))), H.p(t("keys.lede"), [("class", "lede")]),
                H.group(created),
                H.el("h2", [], H.text(t("twoStep.title"))),
                H.el("p", [], H.text(t("twoStep.keysHint") + " "), H.a(Paths.twoStep, t("twoStep.keysLink"))),
                H.el("h2", [], H.text(t("keys.sessions"))),
                Self.sessions(ctx, sessions, current: current, base: Paths.myKeys),
                H.el("h2", [], H.text(t("keys.tokens"))),
                H.p(t("keys.tokensHint"), [("class", "hint")]),
                Self.tokens(ctx, tokens, base: Paths.myKeys, now: now),
                H.el("h3", [], H.text(t("keys.newToken"))),
                Layout.errorSummary(t, state),
                Layout.form(
                    ctx, action: Paths.myKeys + "/tokens", [("class", "narrow"), ("novalidate", "")],
                    [
                        f.input("name", t("keys.tokenName"), required: true, hint: t("keys.tokenNameHint")),
                        f.input(
                            "days", t("keys.days"), type: "number",
                            hint: t("keys.daysHint", ["max": String(AccountService.maxTokenDays)])),
                        Layout.button(t("keys.create"))
                    ])
            ])
    }
}
