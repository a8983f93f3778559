import Foundation
import TrellisCore
import TrellisData
import Vapor

/// The signed-in staff member for this request, from a session cookie or an API bearer token.
struct Principal: Sendable {
    var staff: StaffMember
    var actor: ActingUser { ActingUser(staff) }
    /// Present for cookie sessions; forms must echo it back.
    var csrfToken: String?
    var sessionHash: String?
}

struct PrincipalKey: StorageKey { typealias Value = Principal }

/// A sign-in that passed the password and waits for its second step (`/signin/code`).
struct PendingSignInKey: StorageKey { typealias Value = StaffSession }

extension Request {
    var principal: Principal? {
        get { storage[PrincipalKey.self] }
        set { storage[PrincipalKey.self] = newValue }
    }

    var pendingSignIn: StaffSession? {
        get { storage[PendingSignInKey.self] }
        set { storage[PendingSignInKey.self] = newValue }
    }

    /// The acting user, or a 401 (API) / redirect to sign-in (web) raised by the error middleware.
    func actor() throws -> ActingUser {
        guard let p = principal else { throw TrellisError.unauthenticated }
        return p.actor
    }

    var isAPI: Bool { url.path.hasPrefix("/api/") }
}

enum Tokens {
    /// 256 random bits, URL-safe.
    static func random() -> String {
        var g = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &g) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Tokens are stored only as SHA-256 hashes, so a stolen database holds no usable session or API token.
    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Constant-time comparison for CSRF tokens.
    static func equal(_ a: String, _ b: String) -> Bool { ConstantTime.equal(a, b) }
}

enum SessionCookie {
    static let name = "trellis_session"
    static let preAuthCSRF = "trellis_csrf"

    static func make(_ value: String, config: TrellisConfig, maxAge: Int?) -> HTTPCookies.Value {
        HTTPCookies.Value(
            string: value, expires: nil, maxAge: maxAge, domain: nil, path: "/",
            isSecure: config.secureCookies, isHTTPOnly: true, sameSite: .lax)
    }
}

/// Loads the session named by the cookie (web) or the bearer token (API).
/// An expired token signs in no one; a session ends at its absolute lifetime or after `idleTimeout` without a
/// request. Last-used and last-seen times are written at most once a minute, not on every request.
struct AuthenticationMiddleware: AsyncMiddleware {
    static let touchEvery: TimeInterval = 60

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let store = req.store
        let now = req.deps.now()
        if let bearer = req.headers.bearerAuthorization?.token {
            if let t = try await store.apiToken(tokenHash: Tokens.hash(bearer)), t.expiresAt > now,
                let s = try await store.staff(id: t.staffID), s.active
            {
                if t.lastUsedAt.map({ now.timeIntervalSince($0) >= Self.touchEvery }) ?? true {
                    try await store.touchAPIToken(id: t.id, at: now)
                }
                req.principal = Principal(staff: s, csrfToken: nil, sessionHash: nil)
            }
        } else if !req.isAPI, let cookie = req.cookies[SessionCookie.name]?.string {
            let hash = Tokens.hash(cookie)
            let found = try await store.session(tokenHash: hash)
            if let s = found, s.secondFactorPending {
                // Password accepted, code still to come: signs in no one, and reaches only the code form.
                if s.expiresAt > now { req.pendingSignIn = s } else { try await store.deleteSession(tokenHash: hash) }
            } else if let s = found {
                let idle = now.timeIntervalSince(s.lastSeenAt)
                if s.expiresAt > now, idle < req.runtime.config.idleTimeout,
                    let staff = try await store.staff(id: s.staffID), staff.active
                {
                    if idle >= Self.touchEvery { try await store.touchSession(tokenHash: hash, at: now) }
                    req.principal = Principal(staff: staff, csrfToken: s.csrfToken, sessionHash: hash)
                } else {
                    try await store.deleteSession(tokenHash: hash)
                }
            }
        }
        return try await next.respond(to: req)
    }
}

/// A user whose password an administrator reset reaches only the password form (and can sign out) until
/// they choose their own.
struct PasswordChangeMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let p = req.principal, p.staff.mustChangePassword else { return try await next.respond(to: req) }
        let path = req.url.path
        if path == Paths.myPassword || path == "/signout" || path == "/me/language" || path.hasPrefix("/assets/") {
            return try await next.respond(to: req)
        }
        return req.seeOther(Paths.myPassword, flash: "flash.mustChangePassword")
    }
}

/// Every state-changing form post must carry the session's CSRF token (or, before sign-in, the
/// token in the pre-auth cookie). API requests use bearer tokens, which browsers never send on their own.
struct CSRFMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if req.method == .POST && !req.isAPI {
            // Route handlers collect the body after group middleware runs; a form larger than one
            // network read would otherwise look empty here.
            // File uploads come as multipart forms, up to the document size limit plus the form around it.
            let multipart = req.headers.contentType?.type == "multipart"
            _ = try await req.body.collect(max: multipart ? DocumentRules.maxBytes + 1_048_576 : 1_048_576).get()
            let sent =
                multipart ? ((try? req.content.get(String.self, at: "_csrf")) ?? "") : (FormBody(req)["_csrf"] ?? "")
            let expected = req.principal?.csrfToken ?? req.cookies[SessionCookie.preAuthCSRF]?.string ?? ""
            guard !expected.isEmpty, Tokens.equal(sent, expected) else {
                throw Abort(
                    .forbidden,
                    reason: "The form expired or did not come from Trellis. Go back, reload the page and try again.")
            }
        }
        return try await next.respond(to: req)
    }
}

/// Signing in and out, with throttling after repeated failures, and the second step for users who turned on
/// two-step sign-in.
struct SignInService {
    let req: Request

    enum Outcome {
        /// `failedSince`: attempts to sign in as them that failed since their last sign-in.
        case success(StaffMember, token: String, failedSince: Int)
        /// The password was right; the pending session's cookie, for the code form.
        case secondStep(token: String)
        case failure
    }

    enum CodeOutcome {
        case success(StaffMember, token: String, failedSince: Int, step: SecondStep)
        /// A wrong code; the pending sign-in stays, for another try.
        case wrong
        /// Too many wrong codes, or the pending sign-in expired: back to the password.
        case startAgain
    }

    /// Recent failures slow the next attempt for the account and for the address (`SignInThrottle`); an attempt
    /// made during the pause is not heard at all (its password or code is not checked), and the right one gets in
    /// once the pause is over. The attempt is then counted before anything is checked, so parallel guesses all
    /// count; a success clears the account's failures.
    private func throttle(_ user: String, _ address: String) async throws {
        let store = req.store
        let now = req.deps.now()
        let since = now.addingTimeInterval(-req.runtime.config.failedSignInWindow)
        let wait = SignInThrottle.wait(
            account: try await store.failedSignIns(username: user, since: since),
            address: try await store.failedSignIns(address: address, since: since), now: now)
        if wait > 0 { throw TrellisError.tooManyAttempts(retryAfterSeconds: Int(wait.rounded(.up))) }
        try await store.recordFailedSignIn(username: user, address: address, at: now)
    }

    private var address: String { req.remoteAddress?.ipAddress ?? "unknown" }

    func signIn(username: String, password: String) async throws -> Outcome {
        let store = req.store
        let deps = req.deps
        let user = username.trimmingCharacters(in: .whitespaces).lowercased()
        try await throttle(user, address)
        let staff = try await store.staff(username: user)
        // Verify against a fixed hash when the user is unknown, so timing does not reveal which usernames exist.
        let hash = staff?.passwordHash ?? req.runtime.dummyPasswordHash
        let ok = (try? await req.runtime.hasher.verify(password, hash: hash)) ?? false
        guard ok, let staff, staff.active else {
            try await AuditService(store: store, deps: deps).record(
                staff.map(ActingUser.init), .signInFailed, recordType: "staff", recordID: staff?.id)
            return .failure
        }
        if try await store.secondFactor(staffID: staff.id)?.isOn == true {
            // The attempt stays counted until the code is right too.
            return .secondStep(token: try await startSession(staff, pending: true))
        }
        let failedSince = try await clearFailures(staff)
        let token = try await startSession(staff, pending: false)
        try await AuditService(store: store, deps: deps).record(
            ActingUser(staff), .signIn, recordType: "staff", recordID: staff.id)
        return .success(staff, token: token, failedSince: failedSince)
    }

    /// The second step of the pending sign-in: an authenticator code or a recovery code.
    func secondStep(code: String) async throws -> CodeOutcome {
        let store = req.store
        let deps = req.deps
        guard let pending = req.pendingSignIn, let staff = try await store.staff(id: pending.staffID), staff.active
        else { return .startAgain }
        try await throttle(staff.username, address)
        let factors = SecondFactorService(store: store, deps: deps)
        guard let step = try await factors.check(code, staffID: staff.id) else {
            try await AuditService(store: store, deps: deps).record(
                ActingUser(staff), .signInCodeFailed, recordType: "staff", recordID: staff.id)
            if try await store.countCodeFailure(tokenHash: pending.tokenHash) >= SecondFactorService.maxCodeFailures {
                try await store.deleteSession(tokenHash: pending.tokenHash)
                return .startAgain
            }
            return .wrong
        }
        try await store.deleteSession(tokenHash: pending.tokenHash)
        let failedSince = try await clearFailures(staff)
        // A new session token: the pending one's cookie never becomes a signed-in session.
        let token = try await startSession(staff, pending: false)
        let how: [String] = step == .authenticator ? ["authenticator"] : ["recovery_code"]
        try await store.appendAudit([
            deps.audit(ActingUser(staff), .signIn, "staff", staff.id, clientID: nil, changed: how)
        ])
        return .success(staff, token: token, failedSince: failedSince, step: step)
    }

    /// Clears the user's failed sign-ins and says how many there were before this attempt (the user is told).
    private func clearFailures(_ staff: StaffMember) async throws -> Int {
        // This attempt was counted as a failure until now (the password's, and the code's when there is one).
        let counted = req.pendingSignIn == nil ? 1 : 2
        let failedSince = max(0, try await req.store.unclearedFailedSignIns(username: staff.username) - counted)
        try await req.store.clearFailedSignIns(username: staff.username)
        return failedSince
    }

    private func startSession(_ staff: StaffMember, pending: Bool) async throws -> String {
        let deps = req.deps
        let token = Tokens.random()
        try await req.store.deleteExpiredSessions(before: deps.now())
        try await req.store.insertSession(
            StaffSession(
                tokenHash: Tokens.hash(token), staffID: staff.id, csrfToken: Tokens.random(),
                createdAt: deps.now(),
                expiresAt: deps.now().addingTimeInterval(
                    pending ? SecondFactorService.pendingLifetime : req.runtime.config.sessionLifetime),
                userAgent: req.headers.first(name: .userAgent).map { String($0.prefix(300)) },
                address: req.remoteAddress?.ipAddress, secondFactorPending: pending))
        return token
    }

    func signOut() async throws {
        if let pending = req.pendingSignIn { try await req.store.deleteSession(tokenHash: pending.tokenHash) }
        guard let p = req.principal, let hash = p.sessionHash else { return }
        try await req.store.deleteSession(tokenHash: hash)
        try await AuditService(store: req.store, deps: req.deps).record(
            p.actor, .signOut, recordType: "staff", recordID: p.staff.id)
    }
}

/// A user whose agency requires two-step sign-in of their role, and who has not turned it on, reaches only the
/// page that sets it up (and can sign out) until they do.
struct SecondFactorRequiredMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let p = req.principal, p.sessionHash != nil else { return try await next.respond(to: req) }
        let path = req.url.path
        if path.hasPrefix(Paths.twoStep) || path == "/signout" || path == "/me/language" || path == Paths.myPassword
            || path == "/me/keepalive" || path.hasPrefix("/assets/")
        {
            return try await next.respond(to: req)
        }
        guard try await req.store.secondFactorMissing(p.staff) else { return try await next.respond(to: req) }
        return req.seeOther(Paths.twoStep, flash: "flash.twoStepRequired")
    }
}

/// API tokens at the command line (`trellis token create/list/revoke`), as the operator.
public enum APITokens {
    public static func create(
        username: String, name: String = "Command line", days: Int? = nil, store: SQLStore, deps: Dependencies
    ) async throws -> String {
        guard let staff = try await store.staff(username: username) else { throw TrellisError.notFound("user") }
        let token = "trl_" + Tokens.random()
        _ = try await AccountService(store: store, deps: deps).createToken(
            name: name, days: days.map(String.init), secretHash: Tokens.hash(token), for: staff.id, by: nil)
        return token
    }

    public static func list(username: String, store: SQLStore) async throws -> [APITokenRecord] {
        guard let staff = try await store.staff(username: username) else { throw TrellisError.notFound("user") }
        return try await store.apiTokens(staffID: staff.id).sorted { $0.createdAt > $1.createdAt }
    }

    public static func revoke(id: UUID, store: SQLStore, deps: Dependencies) async throws -> APITokenRecord {
        try await AccountService(store: store, deps: deps).revokeToken(id, by: nil)
    }
}
