import Foundation
import SQLKit
import Testing
import TrellisCore
import TrellisData
@testable import TrellisWeb
import VaporTesting

/// Two-step sign-in (issue 15, point 2): setting it up with a QR code, the code after the password (each code
/// once), recovery codes, what an agency requires, and an administrator's reset.
@Suite("Two-step sign-in")
struct TwoStepSignInTests {
    static func form(_ fields: [(String, String)]) -> String {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        return fields.map {
            $0.0 + "=" + $0.1.addingPercentEncoding(withAllowedCharacters: allowed)!
        }.joined(separator: "&")
    }

    /// The browser's state between the password and the code: the pending session cookie and the form token.
    struct Pending {
        var cookie: String
        var pre: String
        var csrf: String
    }

    static func password(_ app: Application, _ user: String) async throws -> (HTTPResult, Pending?) {
        let page = try await app.send(.GET, "/signin", headers: [:], body: nil)
        let token = try #require(csrf(in: page.body))
        let pre = try #require(cookie(SessionCookie.preAuthCSRF, in: page.headers))
        let r = try await app.send(
            .POST, "/signin",
            headers: [
                "Cookie": "\(SessionCookie.preAuthCSRF)=\(pre)", "Content-Type": "application/x-www-form-urlencoded"
            ],
            body: form([("_csrf", token), ("username", user), ("password", Fixture.password)]))
        return (r, cookie(SessionCookie.name, in: r.headers).map { Pending(cookie: $0, pre: pre, csrf: token) })
    }

    static func code(_ app: Application, _ p: Pending, _ code: String) async throws -> HTTPResult {
        try await app.send(
            .POST, "/signin/code",
            headers: [
                "Cookie": "\(SessionCookie.name)=\(p.cookie); \(SessionCookie.preAuthCSRF)=\(p.pre)",
                "Content-Type": "application/x-www-form-urlencoded"
            ], body: form([("_csrf", p.csrf), ("code", code)]))
    }

    static func audits(_ app: Application, _ action: String) async throws -> Int {
        try await app.sql.raw("SELECT COUNT(*) AS n FROM audit_log WHERE action = \(bind: action)").first()!
            .decode(column: "n", as: Int.self)
    }

    /// Sets two-step sign-in up for `s` through the service; its secret and recovery codes.
    static func enrol(_ app: Application, _ s: StaffMember) async throws -> ([UInt8], [String]) {
        let service = SecondFactorService(store: SQLStore(database: app.db), deps: testDeps)
        let f = try await service.begin(by: ActingUser(s))
        let codes = try await service.confirm(
            code: OneTimeCodes.totp(secret: f.secret, at: testNow), by: ActingUser(s))
        return (f.secret, codes)
    }

    @Test func settingItUpShowsAQRCodeAndTheKeyAndTurnsOnWithACodeFromTheApp() async throws {
        try await withTrellis { app, f in
            let cm = f.caseManager
            let off = try await app.web(.GET, "/me/two-step", as: cm, fixture: f)
            #expect(off.status == .ok && off.body.contains("Set up two-step sign-in"))
            let start = try await app.web(.POST, "/me/two-step/start", as: cm, fixture: f)
            #expect(start.status == .seeOther)
            let store = SQLStore(database: app.db)
            let factor = try #require(try await store.secondFactor(staffID: cm.id))
            #expect(!factor.isOn)
            let key = Base32.encode(factor.secret)
            // The secret is sealed at rest, never the base32 an app would take.
            let stored = try await app.sql.raw("SELECT secret FROM second_factors").first()!
                .decode(column: "secret", as: String.self)
            #expect(FieldKeys.keyNumber(stored) == 1 && !stored.contains(key))

            let page = try await app.web(.GET, "/me/two-step", as: cm, fixture: f)
            #expect(page.body.contains("src=\"data:image/svg+xml;base64,"))
            #expect(page.body.contains("secret=\(key)"))
            #expect(
                page.body.contains(
                    stride(from: 0, to: 8, by: 4).map { String(key.dropFirst($0).prefix(4)) }
                        .joined(separator: " ")))
            // The QR code holds the otpauth URI the page prints beside it.
            let uri = OneTimeCodes.uri(secret: factor.secret, account: cm.username, issuer: "Trellis")
            let svg = try QRCode(text: uri).svg(scale: 5, label: "QR code to scan with your authenticator app")
            #expect(page.body.contains(Data(svg.utf8).base64EncodedString()))
            // Until a code from the app confirms it, sign-in asks for none.
            let (before, _) = try await Self.password(app, cm.username)
            #expect(before.headers.first(name: .location) == "/today")

            let wrong = try await app.web(.POST, "/me/two-step/confirm", as: cm, fixture: f, form: [("code", "000000")])
            #expect(wrong.status == .unprocessableEntity)
            #expect(wrong.body.contains("does not match"))
            let typed = OneTimeCodes.totp(secret: factor.secret, at: testNow)
            let on = try await app.web(.POST, "/me/two-step/confirm", as: cm, fixture: f, form: [("code", typed)])
            #expect(on.status == .ok)
            let shown = on.body.matches(of: /<li><code>([a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4})<\/code><\/li>/)
                .map { String($0.output.1) }
            #expect(shown.count == 10 && Set(shown).count == 10)
            // Kept only as hashes.
            let hashes = try await app.sql.raw("SELECT code_hash FROM recovery_codes WHERE staff_id = \(bind: cm.id)")
                .all().map { try $0.decode(column: "code_hash", as: String.self) }
            #expect(hashes.count == 10 && !hashes.contains { h in shown.contains { h.contains($0) } })
            #expect(try await store.secondFactor(staffID: cm.id)?.isOn == true)
            #expect(try await Self.audits(app, "auth.two_step_on") == 1)
            // Shown once: the page afterwards gives how many are left, not the codes.
            let later = try await app.web(.GET, "/me/two-step", as: cm, fixture: f)
            #expect(later.body.contains("On since") && !later.body.contains(shown[0]))
            let es = try await app.web(.POST, "/me/two-step/start", as: cm, fixture: f)
            #expect(es.status == .unprocessableEntity && es.body.contains("already on"))
        }
    }

    @Test func thePasswordAloneSignsInNoOneAndEachCodeWorksOnce() async throws {
        try await withTrellis { app, f in
            let cm = f.caseManager
            let (secret, _) = try await Self.enrol(app, cm)
            let (r, p) = try await Self.password(app, cm.username)
            #expect(r.status == .seeOther && r.headers.first(name: .location) == "/signin/code")
            let pending = try #require(p)
            // The pending cookie reaches the code form and nothing else.
            let pendingHeaders: HTTPHeaders = ["Cookie": "\(SessionCookie.name)=\(pending.cookie)"]
            let home = try await app.send(.GET, "/caseload", headers: pendingHeaders, body: nil)
            #expect(home.headers.first(name: .location) == "/signin")
            let api = try await app.send(
                .GET, "/api/v1/caseload", headers: ["Authorization": "Bearer \(pending.cookie)"], body: nil)
            #expect(api.status == .unauthorized)
            let form = try await app.send(.GET, "/signin/code", headers: pendingHeaders, body: nil)
            #expect(form.status == .ok && form.body.contains("autocomplete=\"one-time-code\""))
            #expect(try await Self.audits(app, "auth.sign_in") == 0)

            // The code that turned it on was for this step: used already.
            let reused = try await Self.code(app, pending, OneTimeCodes.totp(secret: secret, at: testNow))
            #expect(reused.status == .unauthorized && reused.body.contains("did not work"))
            #expect(try await Self.audits(app, "auth.code_failed") == 1)
            // The next step's code (the phone's clock a little ahead) gets in, with a new session token.
            let next = OneTimeCodes.totp(secret: secret, at: testNow.addingTimeInterval(30))
            let ok = try await Self.code(app, pending, next)
            // The wrong code before it was a failed attempt to sign in as them, which they are told of.
            #expect(ok.status == .seeOther && ok.headers.first(name: .location) == "/me/keys")
            let session = try #require(cookie(SessionCookie.name, in: ok.headers))
            #expect(session != pending.cookie)
            #expect(try await SQLStore(database: app.db).session(tokenHash: Tokens.hash(pending.cookie)) == nil)
            let signedIn = try await app.send(
                .GET, "/caseload", headers: ["Cookie": "\(SessionCookie.name)=\(session)"], body: nil)
            #expect(signedIn.status == .ok)
            let entry = try await app.sql.raw(
                "SELECT changed_fields FROM audit_log WHERE action = 'auth.sign_in' AND record_id = \(bind: cm.id)"
            ).first()?.decode(column: "changed_fields", as: String?.self)
            #expect(entry?.contains("authenticator") == true)
            // Failures clear on success, so the replay below is heard rather than throttled.
            #expect(try await SQLStore(database: app.db).unclearedFailedSignIns(username: cm.username) == 0)

            // The same code in another sign-in is refused: it was used.
            let (_, again) = try await Self.password(app, cm.username)
            let replay = try await Self.code(app, try #require(again), next)
            #expect(replay.status == .unauthorized)
        }
    }

    @Test func aRecoveryCodeSignsInOnceAndFiveWrongCodesStartTheSignInAgain() async throws {
        try await withTrellis { app, f in
            let cm = f.caseManager
            let (_, codes) = try await Self.enrol(app, cm)
            let (_, p) = try await Self.password(app, cm.username)
            // Typed in capitals with spaces for hyphens: still the code.
            let typed = codes[3].uppercased().replacingOccurrences(of: "-", with: " ")
            let ok = try await Self.code(app, try #require(p), typed)
            #expect(ok.status == .seeOther && ok.headers.first(name: .location) == "/me/two-step")
            #expect(ok.headers[.setCookie].contains { $0.contains("flash.recoveryCodeUsed") })
            #expect(try await SQLStore(database: app.db).recoveryCodeCount(staffID: cm.id) == 9)
            let used = try #require(cookie(SessionCookie.name, in: ok.headers))
            let page = try await app.send(
                .GET, "/me/two-step", headers: ["Cookie": "\(SessionCookie.name)=\(used)"], body: nil)
            #expect(page.body.contains("<dd>9</dd>"))

            let (_, q) = try await Self.password(app, cm.username)
            let second = try #require(q)
            var statuses: [HTTPStatus] = []
            for attempt in 0..<SecondFactorService.maxCodeFailures {
                // The throttle's pauses are tested with passwords; here, the pending sign-in's own limit.
                try await app.sql.raw("DELETE FROM failed_sign_ins").run()
                let r = try await Self.code(app, second, attempt == 0 ? codes[3] : "12345\(attempt)")
                statuses.append(r.status)
                if attempt == SecondFactorService.maxCodeFailures - 1 {
                    #expect(r.body.contains("Sign in again with your password"))
                }
            }
            #expect(statuses == Array(repeating: .unauthorized, count: SecondFactorService.maxCodeFailures))
            #expect(try await SQLStore(database: app.db).session(tokenHash: Tokens.hash(second.cookie)) == nil)
            // Even a right code is too late for that sign-in.
            let late = try await Self.code(app, second, codes[0])
            #expect(late.body.contains("Sign in again with your password"))
            #expect(try await SQLStore(database: app.db).recoveryCodeCount(staffID: cm.id) == 9)
        }
    }

    @Test func anAgencyRequiresItOfARoleAndAnAdministratorResetsIt() async throws {
        try await withTrellis { app, f in
            let cm = f.caseManager
            let admin = f.staff[.agencyAdmin]!
            let saved = try await app.web(
                .POST, "/admin/two-step", as: admin, fixture: f, form: [("roles[]", "case_manager")])
            #expect(saved.status == .seeOther)
            #expect(try await Self.audits(app, "auth.two_step_require") == 1)
            let bad = try await app.web(.POST, "/admin/two-step", as: admin, fixture: f, form: [("roles[]", "wizard")])
            #expect(bad.status == .unprocessableEntity)
            let list = try await app.web(.GET, "/admin/users", as: admin, fixture: f)
            #expect(list.body.contains("Required, not set up yet"))
            #expect(list.body.contains("value=\"case_manager\" checked"))
            // A case manager reaches only the set-up page until theirs is on; other roles are not asked.
            let sent = try await app.web(.GET, "/caseload", as: cm, fixture: f)
            #expect(sent.status == .seeOther && sent.headers.first(name: .location) == "/me/two-step")
            #expect(try await app.web(.GET, "/team", as: f.staff[.supervisor]!, fixture: f).status == .ok)
            let setup = try await app.web(.GET, "/me/two-step", as: cm, fixture: f)
            #expect(setup.status == .ok && setup.body.contains("requires two-step sign-in for your role"))
            let (secret, _) = try await Self.enrol(app, cm)
            #expect(try await app.web(.GET, "/caseload", as: cm, fixture: f).status == .ok)
            // Required: it cannot be turned off.
            let next = OneTimeCodes.totp(secret: secret, at: testNow.addingTimeInterval(30))
            let off = try await app.web(.POST, "/me/two-step/off", as: cm, fixture: f, form: [("code", next)])
            #expect(off.status == .unprocessableEntity && off.body.contains("cannot be turned off"))

            // The reset asks for confirmation, then removes it and ends the user's sessions.
            let unconfirmed = try await app.web(
                .POST, "/admin/users/\(cm.id.uuidString)/two-step/reset", as: admin, fixture: f)
            #expect(unconfirmed.status == .unprocessableEntity && unconfirmed.body.contains("must be ticked"))
            #expect(try await SQLStore(database: app.db).secondFactor(staffID: cm.id) != nil)
            let reset = try await app.web(
                .POST, "/admin/users/\(cm.id.uuidString)/two-step/reset", as: admin, fixture: f,
                form: [("confirmReset", "yes")])
            #expect(reset.status == .seeOther)
            #expect(try await SQLStore(database: app.db).secondFactor(staffID: cm.id) == nil)
            #expect(try await SQLStore(database: app.db).recoveryCodeCount(staffID: cm.id) == 0)
            #expect(try await SQLStore(database: app.db).sessions(staffID: cm.id).isEmpty)
            #expect(try await Self.audits(app, "auth.two_step_reset") == 1)
            // Another agency's administrator cannot reset it.
            let foreign = try await app.web(
                .POST, "/admin/users/\(f.otherAgencyStaff.id.uuidString)/two-step/reset", as: admin, fixture: f,
                form: [("confirmReset", "yes")])
            #expect(foreign.status == .notFound)
        }
    }

    @Test func itTurnsOffWithACodeWhenNotRequired() async throws {
        try await withTrellis { app, f in
            let cm = f.caseManager
            let (secret, _) = try await Self.enrol(app, cm)
            let blank = try await app.web(.POST, "/me/two-step/off", as: cm, fixture: f, form: [("code", "")])
            #expect(blank.status == .unprocessableEntity && blank.body.contains("is required"))
            let next = OneTimeCodes.totp(secret: secret, at: testNow.addingTimeInterval(30))
            let codes = try await app.web(
                .POST, "/me/two-step/recovery-codes", as: cm, fixture: f, form: [("code", next)])
            #expect(codes.status == .ok && codes.body.contains("Your recovery codes"))
            #expect(try await Self.audits(app, "auth.recovery_codes") == 1)
            // That step's code is spent; the turn-off has to wait for a later one (here, none later is accepted).
            let spent = try await app.web(.POST, "/me/two-step/off", as: cm, fixture: f, form: [("code", next)])
            #expect(spent.status == .unprocessableEntity && spent.body.contains("used already"))
            try await app.sql.raw("UPDATE second_factors SET last_step = 0").run()
            let off = try await app.web(.POST, "/me/two-step/off", as: cm, fixture: f, form: [("code", next)])
            #expect(off.status == .seeOther)
            #expect(try await SQLStore(database: app.db).secondFactor(staffID: cm.id) == nil)
            #expect(try await Self.audits(app, "auth.two_step_off") == 1)
            let (r, _) = try await Self.password(app, cm.username)
            #expect(r.headers.first(name: .location) == "/today")
        }
    }
}
