import Foundation
import TrellisCore
import TrellisData
import Vapor

/// Two-step sign-in: the code after the password (`/signin/code`), the user's own page (`/me/two-step`), and an
/// administrator's roles setting and reset.
enum TwoStepWeb: WebHandlers {
    static func factors(_ req: Request) -> SecondFactorService { SecondFactorService(store: req.store, deps: req.deps) }

    // MARK: Sign-in's second step

    static func codeForm(_ req: Request) async throws -> Response {
        if let p = req.principal { return req.seeOther(Paths.home(for: p.staff.role)) }
        guard req.pendingSignIn != nil else { return req.seeOther(Paths.signIn) }
        return req.page(SignInCodePage.render(req.pageContext, error: nil))
    }

    static func signInCode(_ req: Request) async throws -> Response {
        let t = req.strings
        let code = FormBody(req)["code"] ?? ""
        do {
            switch try await SignInService(req: req).secondStep(code: code) {
            case .success(let staff, let token, let failedSince, let step):
                var flash: String? = nil
                if case .recoveryCode = step { flash = "flash.recoveryCodeUsed" }
                return AccountWeb.signedIn(req, staff, token: token, failedSince: failedSince, flash: flash)
            case .wrong:
                return req.page(
                    SignInCodePage.render(req.pageContext, error: t("signin.code.wrong")), status: .unauthorized)
            case .startAgain:
                let r = try await AccountWeb.renderSignIn(
                    req, username: "", error: t("signin.code.startAgain"), status: .unauthorized)
                r.cookies[SessionCookie.name] = .expired
                return r
            }
        } catch TrellisError.tooManyAttempts(let seconds) {
            let r = req.page(
                SignInCodePage.render(req.pageContext, error: t("signin.throttled", ["s": String(seconds)])),
                status: .tooManyRequests)
            r.headers.replaceOrAdd(name: .retryAfter, value: String(seconds))
            return r
        }
    }

    // MARK: The user's page

    static func page(
        _ req: Request, state: FormState = FormState(), newCodes: [String]? = nil, status: HTTPStatus = .ok
    ) async throws -> Response {
        let actor = try req.actor()
        let s = try await factors(req).status(of: actor.id, by: actor)
        return req.page(
            TwoStepPage.render(
                req.pageContext, status: s, account: req.principal?.staff.username ?? "",
                state: state, newCodes: newCodes),
            status: status)
    }

    static func show(_ req: Request) async throws -> Response { try await page(req) }

    static func start(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        do {
            _ = try await factors(req).begin(by: actor)
            return req.seeOther(Paths.twoStep)
        } catch {
            guard let errs = validationErrors(error) else { throw error }
            return try await page(req, state: FormState(errors: errs), status: .unprocessableEntity)
        }
    }

    /// The three posts that take a code from the app and may show new recovery codes.
    private static func withCode(
        _ req: Request, _ body: (String, ActingUser) async throws -> [String]?, done flash: String
    ) async throws -> Response {
        let actor = try req.actor()
        do {
            if let codes = try await body(FormBody(req)["code"] ?? "", actor) {
                return try await page(req, newCodes: codes)
            }
            return req.seeOther(Paths.twoStep, flash: flash)
        } catch {
            guard let errs = validationErrors(error) else { throw error }
            return try await page(req, state: FormState(errors: errs), status: .unprocessableEntity)
        }
    }

    static func confirm(_ req: Request) async throws -> Response {
        try await withCode(req, { try await factors(req).confirm(code: $0, by: $1) }, done: "flash.twoStepOn")
    }

    static func newRecoveryCodes(_ req: Request) async throws -> Response {
        try await withCode(
            req, { try await factors(req).replaceRecoveryCodes(code: $0, by: $1) }, done: "flash.twoStepOn")
    }

    static func turnOff(_ req: Request) async throws -> Response {
        try await withCode(
            req,
            {
                try await factors(req).turnOff(code: $0, by: $1)
                return nil
            }, done: "flash.twoStepOff")
    }

    // MARK: Administration

    static func setRequiredRoles(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let form = FormBody(req)
        try await factors(req).setRequiredRoles(form.all("roles[]") + form.all("roles"), by: actor)
        return req.seeOther(Paths.adminUsers, flash: "flash.twoStepRolesSaved")
    }

    static func reset(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        try Policy.require(actor, .manageUsers)
        guard FormBody(req)["confirmReset"] == "yes" else {
            return try await OrganizationWeb.user(
                req, status: .unprocessableEntity,
                accessErrors: FormState(errors: [
                    FieldError("confirmReset", "must be ticked to reset two-step sign-in")
                ]))
        }
        let id = try req.uuid("staffID")
        try await factors(req).reset(id, by: actor)
        return req.seeOther(Paths.adminUser(id), flash: "flash.twoStepReset")
    }
}
