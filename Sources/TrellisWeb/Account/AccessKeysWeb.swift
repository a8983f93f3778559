import Foundation
import TrellisCore
import Vapor

/// `/me/keys`: the user's sessions and API tokens; `/admin/users/{id}/keys/…`: an administrator's actions on
/// a user's (shown on the user's page).
enum AccessKeysWeb: WebHandlers {
    static func page(_ req: Request, state: FormState = FormState(), newToken: String? = nil, status: HTTPStatus = .ok)
        async throws -> Response
    {
        let actor = try req.actor()
        let sessions = try await req.account.sessions(of: actor.id, by: actor)
        let tokens = try await req.account.tokens(of: actor.id, by: actor)
        return req.page(
            AccessKeysPage.render(
                req.pageContext, sessions: sessions, current: req.principal?.sessionHash, tokens: tokens,
                now: req.deps.now(), state: state, newToken: newToken),
            status: status)
    }

    static func show(_ req: Request) async throws -> Response { try await page(req) }

    static func createToken(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let form = FormBody(req)
        let secret = "trl_" + Tokens.random()
        do {
            _ = try await req.account.createToken(
                name: form["name"], days: form["days"], secretHash: Tokens.hash(secret), for: actor.id, by: actor)
            return try await page(req, newToken: secret)
        } catch {
            guard let errs = validationErrors(error) else { throw error }
            return try await page(
                req, state: FormState(values: form.values, errors: errs), status: .unprocessableEntity)
        }
    }

    /// The user whose keys a post changes: the signed-in user on `/me/keys`, the named one on an admin's path.
    /// The administrator's paths are for administrators, even on their own account.
    static func target(_ req: Request, _ actor: ActingUser) throws -> UUID {
        guard req.parameters.get("staffID") != nil else { return actor.id }
        try Policy.require(actor, .manageUsers)
        return try req.uuid("staffID")
    }

    static func back(_ req: Request, _ actor: ActingUser, flash: String) -> Response {
        if let id = req.parameters.get("staffID") {
            return req.seeOther(Paths.adminUsers + "/" + id, flash: flash)
        }
        return req.seeOther(Paths.myKeys, flash: flash)
    }

    static func revokeToken(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let id = try req.uuid("tokenID")
        let t = try await req.account.tokens(of: try target(req, actor), by: actor)
        guard t.contains(where: { $0.id == id }) else { throw TrellisError.notFound("token") }
        _ = try await req.account.revokeToken(id, by: actor)
        return back(req, actor, flash: "flash.tokenRevoked")
    }

    static func endSessions(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let form = FormBody(req)
        let staffID = try await req.account.owner(try target(req, actor), by: actor).id
        let mine = staffID == actor.id
        if form["all"] == "1" {
            try await req.account.endSessions(
                of: staffID, tokenHash: nil, keeping: mine ? req.principal?.sessionHash : nil, by: actor)
        } else {
            guard let hash = form["session"], !hash.isEmpty, hash != req.principal?.sessionHash else {
                throw TrellisError.validation([FieldError("session", "is not one of the sessions listed")])
            }
            try await req.account.endSessions(of: staffID, tokenHash: hash, keeping: nil, by: actor)
        }
        return back(req, actor, flash: "flash.sessionsEnded")
    }
}

extension AccessKeysWeb {
    /// The idle warning's "Stay signed in": counts as activity.
    static func keepAlive(_ req: Request) async throws -> Response {
        _ = try req.actor()
        if let hash = req.principal?.sessionHash {
            try await req.store.touchSession(tokenHash: hash, at: req.deps.now())
        }
        return Response(status: .noContent)
    }
}
