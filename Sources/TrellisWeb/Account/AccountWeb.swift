import Foundation
import TrellisCore
import TrellisData
import Vapor

enum AccountWeb: WebHandlers {
    // MARK: Sign-in

    static func signInForm(_ req: Request) async throws -> Response {
        if let p = req.principal { return req.seeOther(Paths.home(for: p.staff.role)) }
        return try await renderSignIn(req, username: "", error: nil, status: .ok)
    }

    static func renderSignIn(_ req: Request, username: String, error: String?, status: HTTPStatus) async throws
        -> Response
    {
        var csrf = req.cookies[SessionCookie.preAuthCSRF]?.string ?? ""
        let setCookie = csrf.isEmpty
        if setCookie { csrf = Tokens.random() }
        var ctx = req.pageContext
        ctx.csrf = csrf
        let needsSetup = try await req.organization.needsSetup()
        let r = req.page(
            SignInPage.render(
                ctx, username: username, error: error, needsSetup: needsSetup, demo: req.runtime.config.demo),
            status: status)
        if setCookie {
            r.cookies[SessionCookie.preAuthCSRF] = SessionCookie.make(csrf, config: req.runtime.config, maxAge: 3600)
        }
        return r
    }

    static func signIn(_ req: Request) async throws -> Response {
        let form = FormBody(req)
        let username = form["username"] ?? ""
        let t = req.strings
        do {
            switch try await SignInService(req: req).signIn(username: username, password: form["password"] ?? "") {
            case .success(let staff, let token, let failedSince):
                return signedIn(req, staff, token: token, failedSince: failedSince)
            case .secondStep(let token):
                // The pre-sign-in form token stays: the code form posts with it.
                let r = req.seeOther(Paths.signInCode)
                r.cookies[SessionCookie.name] = SessionCookie.make(
                    token, config: req.runtime.config, maxAge: Int(SecondFactorService.pendingLifetime))
                return r
            case .failure:
                return try await renderSignIn(req, username: username, error: t("signin.failed"), status: .unauthorized)
            }
        } catch TrellisError.tooManyAttempts(let seconds) {
            let r = try await renderSignIn(
                req, username: username, error: t("signin.throttled", ["s": String(seconds)]), status: .tooManyRequests)
            r.headers.replaceOrAdd(name: .retryAfter, value: String(seconds))
            return r
        }
    }

    /// Where a finished sign-in goes, with its session cookie. A temporary password from an administrator is
    /// changed before anything else; otherwise the user hears of the failed attempts to sign in as them since
    /// their last sign-in, or (`flash`) of the recovery code they used.
    static func signedIn(
        _ req: Request, _ staff: StaffMember, token: String, failedSince: Int, flash: String? = nil
    ) -> Response {
        let r =
            staff.mustChangePassword
            ? req.seeOther(Paths.myPassword, flash: "flash.mustChangePassword")
            : failedSince > 0
                ? req.seeOther(Paths.myKeys, flash: "flash.failedSignInsSince")
                : flash.map { req.seeOther(Paths.twoStep, flash: $0) } ?? req.seeOther(Paths.home(for: staff.role))
        r.cookies[SessionCookie.name] = SessionCookie.make(
            token, config: req.runtime.config, maxAge: Int(req.runtime.config.sessionLifetime))
        r.cookies[SessionCookie.preAuthCSRF] = .expired
        return r
    }

    static func signOut(_ req: Request) async throws -> Response {
        try await SignInService(req: req).signOut()
        let r = req.seeOther(Paths.signIn)
        r.cookies[SessionCookie.name] = .expired
        return r
    }

    static func setLanguage(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let form = FormBody(req)
        guard let lang = form["language"].flatMap(TrellisCore.Language.init(rawValue:)) else {
            throw TrellisError.validation([FieldError("language", "is not one of the allowed values")])
        }
        try await req.organization.setLanguage(lang, by: actor)
        // Only a local path: "//host" and "/\\host" would leave the site.
        let back = form["return"].flatMap(localPath) ?? Paths.home(for: actor.role)
        return req.seeOther(back)
    }

    static func passwordForm(_ req: Request) async throws -> Response {
        _ = try req.actor()
        return req.page(PasswordPage.render(req.pageContext, state: FormState()))
    }

    static func changePassword(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let form = FormBody(req)
        do {
            try await req.organization.changePassword(
                current: form["currentPassword"] ?? "", new: form["newPassword"] ?? "",
                confirmation: form["confirmPassword"] ?? "",
                keepingSession: req.principal?.sessionHash, by: actor)
            return req.seeOther(Paths.home(for: actor.role), flash: "flash.passwordChanged")
        } catch {
            guard let errs = validationErrors(error) else { throw error }
            // Passwords are never echoed back into the form.
            return req.page(
                PasswordPage.render(req.pageContext, state: FormState(errors: errs)), status: .unprocessableEntity)
        }
    }

    /// A path on this site, or nil: no scheme or host, no "//", and no backslash, space or control
    /// character that a browser might strip or reinterpret on the way to another site.
    static func localPath(_ s: String) -> String? {
        guard s.hasPrefix("/"), !s.hasPrefix("//"), s.count <= 500,
            !s.unicodeScalars.contains(where: {
                $0 == "\\" || $0.properties.isWhitespace || $0.properties.generalCategory == .control
            }),
            let c = URLComponents(string: s), c.scheme == nil, c.host == nil
        else { return nil }
        return s
    }
}
