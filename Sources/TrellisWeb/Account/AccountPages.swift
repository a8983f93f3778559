import Plot
import TrellisCore
import TrellisData

enum PasswordPage {
    static func render(_ ctx: PageContext, state: FormState) -> String {
        let t = ctx.t
        let f = Fields(t: t, state: state)
        return Layout.page(
            ctx, title: t("password.title"),
            [
                H.el("h1", [], H.text(t("password.title"))),
                Layout.errorSummary(t, state),
                Layout.form(
                    ctx, action: Paths.password, [("class", "narrow"), ("novalidate", "")],
                    [
                        f.input(
                            "currentPassword", t("password.current"), type: "password", required: true,
                            autocomplete: "current-password"),
                        f.input(
                            "newPassword", t("password.new"), type: "password", required: true,
                            hint: t(
                                "admin.users.passwordHint", ["n": String(OrganizationService.minimumPasswordLength)]),
                            autocomplete: "new-password"),
                        f.input(
                            "confirmPassword", t("password.confirm"), type: "password", required: true,
                            autocomplete: "new-password"),
                        Layout.button(t("password.submit"))
                    ])
            ])
    }
}

enum SignInPage {
    /// The demo's sign-ins, as `trellis serve --demo` prints them.
    static let demoUsers: [(String, Role)] = [
        ("casemanager1", .caseManager), ("supervisor1", .supervisor), ("programmanager", .programManager),
        ("admin", .agencyAdmin), ("auditor", .auditor)
    ]

    static func render(_ ctx: PageContext, username: String, error: String?, needsSetup: Bool, demo: Bool = false)
        -> String
    {
        let t = ctx.t
        let state = FormState(values: ["username": username])
        let f = Fields(t: t, state: state)
        var content: [HNode] = [H.el("h1", [], H.text(t("signin.title"))), H.p(t("signin.about"))]
        if demo && !needsSetup {
            content.append(
                H.el(
                    "div", [("class", "notice"), ("role", "note")],
                    H.el("h2", [], H.text(t("signin.demo.title"))),
                    H.p(t("signin.demo.body", ["password": DemoSeeder.demoPassword])),
                    H.el(
                        "ul", [],
                        Self.demoUsers.map { user, role in
                            H.el("li", [], H.el("code", [], H.text(user)), H.text(" — " + t.label("role", role)))
                        })))
        }
        if needsSetup {
            content.append(
                H.el(
                    "div", [("class", "notice"), ("role", "note")],
                    H.el("h2", [], H.text(t("signin.setup.title"))),
                    H.p(t("signin.setup.body")),
                    H.el(
                        "pre", [],
                        H.el(
                            "code", [],
                            H.text(
                                "swift run trellis user create --username admin --role agency_admin --agency \"Your Agency\""
                            )))))
        }
        if let error {
            content.append(H.el("div", [("class", "error-summary"), ("role", "alert")], H.p(error)))
        }
        content.append(
            Layout.form(
                ctx, action: Paths.signIn, [("class", "narrow")],
                [
                    f.input("username", t("signin.username"), required: true, autocomplete: "username"),
                    f.input(
                        "password", t("signin.password"), type: "password", required: true,
                        autocomplete: "current-password"),
                    Layout.button(t("signin.submit"))
                ]))
        return Layout.page(ctx, title: t("signin.title"), content)
    }
}
