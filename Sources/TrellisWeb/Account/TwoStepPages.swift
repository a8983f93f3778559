import Foundation
import Plot
import TrellisCore
import TrellisData

/// Sign-in's second step: the code from the user's authenticator app, or one of their recovery codes.
enum SignInCodePage {
    static func render(_ ctx: PageContext, error: String?) -> String {
        let t = ctx.t
        let f = Fields(t: t, state: FormState())
        var content: [HNode] = [H.el("h1", [], H.text(t("signin.code.title"))), H.p(t("signin.code.lede"))]
        if let error {
            content.append(H.el("div", [("class", "error-summary"), ("role", "alert")], H.p(error)))
        }
        content += [
            Layout.form(
                ctx, action: Paths.signInCode, [("class", "narrow")],
                [
                    f.input(
                        "code", t("signin.code.label"), required: true, hint: t("signin.code.hint"),
                        autocomplete: "one-time-code",
                        extra: [("autofocus", ""), ("spellcheck", "false"), ("autocapitalize", "off")]),
                    Layout.button(t("signin.code.submit"))
                ]),
            Layout.form(
                ctx, action: Paths.signOut, [("class", "no-print")],
                [Layout.button(t("signin.code.startOver"), [("class", "secondary")])])
        ]
        return Layout.page(ctx, title: t("signin.code.title"), content)
    }
}

/// `/me/two-step`: turning two-step sign-in on (QR code, key, setup link, a code to confirm), the recovery codes
/// shown once, new codes, turning it off.
enum TwoStepPage {
    static func render(
        _ ctx: PageContext, status s: SecondFactorService.Status, account: String, state: FormState,
        newCodes: [String]?
    ) -> String {
        let t = ctx.t
        let f = Fields(t: t, state: state)
        var content: [HNode] = [
            H.el("h1", [], H.text(t("twoStep.title"))), H.p(t("twoStep.lede"), [("class", "lede")])
        ]
        if s.required && s.factor?.isOn != true {
            content.append(
                H.el("div", [("class", "notice"), ("role", "note")], H.p(t("twoStep.requiredNotice"))))
        }
        if let newCodes {
            content.append(
                H.el(
                    "div", [("class", "notice"), ("role", "status")],
                    H.el("h2", [], H.text(t("twoStep.codesTitle"))), H.p(t("twoStep.codesHint")),
                    H.el(
                        "ol", [("class", "recovery-codes")],
                        newCodes.map { H.el("li", [], H.el("code", [], H.text($0))) }),
                    H.el("p", [], H.a(Paths.home(for: ctx.staff?.role ?? .caseManager), t("twoStep.codesDone")))))
        }
        content.append(Layout.errorSummary(t, state))
        let codeField = f.input(
            "code", t("twoStep.code"), required: true, hint: t("twoStep.codeHint"), autocomplete: "one-time-code",
            extra: [("inputmode", "numeric"), ("spellcheck", "false")])
        switch s.factor {
        case .some(let factor) where factor.isOn:
            content += [
                H.el(
                    "dl", [("class", "summary")],
                    H.pair(t("twoStep.status"), t("twoStep.onSince", ["date": t.dateTime(factor.confirmedAt!)])),
                    H.pair(t("twoStep.codesLeft"), String(s.recoveryCodesLeft))),
                s.recoveryCodesLeft <= 3
                    ? H.el("div", [("class", "notice"), ("role", "note")], H.p(t("twoStep.fewCodes"))) : H.group([]),
                H.el("h2", [], H.text(t("twoStep.manage"))),
                H.p(t(s.required ? "twoStep.manageHintRequired" : "twoStep.manageHint"), [("class", "hint")]),
                Layout.form(
                    ctx, action: Paths.twoStep + "/recovery-codes", [("class", "narrow"), ("novalidate", "")],
                    [
                        codeField,
                        H.el(
                            "div", [("class", "actions")],
                            Layout.button(t("twoStep.newCodes")),
                            s.required
                                ? H.group([])
                                : Layout.button(
                                    t("twoStep.turnOff"), [("class", "danger"), ("formaction", Paths.twoStep + "/off")])
                        )
                    ])
            ]
        case .some(let factor):
            let uri = OneTimeCodes.uri(secret: factor.secret, account: account, issuer: "Trellis")
            let label = t("twoStep.qrLabel")
            let qr = (try? QRCode(text: uri)).map {
                H.void(
                    "img",
                    [
                        ("class", "qr"), ("alt", label), ("width", String(($0.size + 8) * 5)),
                        (
                            "src",
                            "data:image/svg+xml;base64,"
                                + Data($0.svg(scale: 5, label: label).utf8).base64EncodedString()
                        )
                    ])
            }
            let key = Base32.encode(factor.secret)
            let grouped = stride(from: 0, to: key.count, by: 4).map { String(key.dropFirst($0).prefix(4)) }
                .joined(separator: " ")
            content += [
                H.el(
                    "ol", [("class", "steps")],
                    H.el("li", [], H.p(t("twoStep.step1")), qr ?? H.group([])),
                    H.el(
                        "li", [], H.p(t("twoStep.step2")),
                        H.el("p", [], H.el("code", [("class", "otp-key")], H.text(grouped))),
                        H.el(
                            "details", [], H.el("summary", [], H.text(t("twoStep.uri"))),
                            H.el("p", [], H.el("code", [("class", "otp-uri")], H.text(uri))))),
                    H.el(
                        "li", [], H.p(t("twoStep.step3")),
                        Layout.form(
                            ctx, action: Paths.twoStep + "/confirm", [("class", "narrow"), ("novalidate", "")],
                            [codeField, Layout.button(t("twoStep.turnOn"))]))),
                Layout.form(
                    ctx, action: Paths.twoStep + "/start", [("class", "no-print")],
                    [
                        H.p(t("twoStep.newKeyHint"), [("class", "hint")]),
                        Layout.button(t("twoStep.newKey"), [("class", "secondary")])
                    ])
            ]
        case .none:
            content += [
                H.el("dl", [("class", "summary")], H.pair(t("twoStep.status"), t("twoStep.off"))),
                Layout.form(
                    ctx, action: Paths.twoStep + "/start", [],
                    [H.p(t("twoStep.startHint")), Layout.button(t("twoStep.start"))])
            ]
        }
        return Layout.page(ctx, title: t("twoStep.title"), content)
    }
}
