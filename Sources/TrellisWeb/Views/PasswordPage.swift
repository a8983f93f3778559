import Plot
import TrellisCore

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
