import Foundation
import Testing
import TrellisCore
import TrellisData
@testable import TrellisWeb
import VaporTesting

/// API tokens are named, expire, show their last use and are revoked by their owner or an administrator;
/// users see and end their sessions; a session ends after 30 idle minutes (issue 15, points 3 and 4).
@Suite("Account lifecycle")
struct AccountLifecycleTests {
    static func cookie(_ cookie: String) -> HTTPHeaders {
        var h = HTTPHeaders()
        h.replaceOrAdd(name: .cookie, value: "\(SessionCookie.name)=\(cookie)")
        return h
    }

    @Test func aTokenIsNamedShownOnceUsedListedAndRevoked() async throws {
        try await withTrellis { app, f in
            let cm = f.caseManager
            let made = try await app.web(
                .POST, "/me/keys/tokens", as: cm, fixture: f, form: [("name", "Report script"), ("days", "30")])
            #expect(made.status == .ok)
            let secret = try #require(made.body.firstMatch(of: /trl_[A-Za-z0-9_-]{43}/)).0
            // Used on the API, it acts as its owner and notes when.
            var h = HTTPHeaders()
            h.bearerAuthorization = BearerAuthorization(token: String(secret))
            #expect(try await app.send(.GET, "/api/v1/caseload", headers: h, body: nil).status == .ok)
            let store = SQLStore(database: app.db)
            let mine = try await store.apiTokens(staffID: cm.id).first { $0.name == "Report script" }
            let token = try #require(mine)
            #expect(token.lastUsedAt == testNow)
            #expect(token.expiresAt == testNow.addingTimeInterval(30 * 86400))
            // Listed (never with its secret) on the owner's page and on the administrator's page of the user.
            let page = try await app.web(.GET, "/me/keys", as: cm, fixture: f)
            #expect(page.body.contains("Report script") && !page.body.contains(String(secret)))
            let admin = f.staff[.agencyAdmin]!
            let userPage = try await app.web(.GET, "/admin/users/\(cm.id)", as: admin, fixture: f)
            #expect(userPage.body.contains("Report script"))
            // Nobody else revokes it: another case manager finds no such token.
            let other = try await app.web(
                .POST, "/admin/users/\(cm.id)/tokens/\(token.id)/revoke", as: f.caseManager2, fixture: f)
            #expect(other.status == .forbidden)
            // The owner revokes it; it no longer signs in, and the revocation is audited.
            let revoked = try await app.web(.POST, "/me/keys/tokens/\(token.id)/revoke", as: cm, fixture: f)
            #expect(revoked.status == .seeOther)
            #expect(try await app.send(.GET, "/api/v1/caseload", headers: h, body: nil).status == .unauthorized)
            let actions = try await store.auditEntries(
                AuditQuery(actorID: cm.id, action: "token.revoke", limit: 5, offset: 0), agencyID: cm.agencyID)
            #expect(actions.count == 1 && actions[0].recordID == token.id)
            // Bad input names its field and makes nothing.
            let bad = try await app.web(
                .POST, "/me/keys/tokens", as: cm, fixture: f, form: [("name", ""), ("days", "400")])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.contains("must be a whole number of days from 1 to 365"))
            #expect(try await store.apiTokens(staffID: cm.id).count == 1)
        }
    }

    @Test func anExpiredTokenSignsInNoOneAndTheCommandLineListsAndRevokes() async throws {
        try await withTrellis { app, f in
            let cm = f.caseManager
            let store = SQLStore(database: app.db)
            let old = "trl_old-\(UUID().uuidString)"
            try await store.insertAPIToken(
                APITokenRecord(
                    id: UUID(), tokenHash: Tokens.hash(old), staffID: cm.id,
                    createdAt: testNow.addingTimeInterval(-91 * 86400), name: "Old"))
            var h = HTTPHeaders()
            h.bearerAuthorization = BearerAuthorization(token: old)
            #expect(try await app.send(.GET, "/api/v1/caseload", headers: h, body: nil).status == .unauthorized)
            let secret = try await APITokens.create(
                username: cm.username, name: "Nightly export", days: 7, store: store, deps: testDeps)
            let listed = try await APITokens.list(username: cm.username, store: store)
            let nightly = try #require(listed.first { $0.name == "Nightly export" })
            #expect(nightly.tokenHash == Tokens.hash(secret))
            #expect(nightly.expiresAt == testNow.addingTimeInterval(7 * 86400))
            _ = try await APITokens.revoke(id: nightly.id, store: store, deps: testDeps)
            #expect(try await store.apiToken(id: nightly.id) == nil)
            await #expect(throws: TrellisError.self) {
                _ = try await APITokens.create(
                    username: cm.username, name: "Too long", days: 1000, store: store, deps: testDeps)
            }
        }
    }

    @Test func usersSeeTheirSessionsAndEndThem() async throws {
        try await withTrellis { app, f in
            let cm = f.caseManager
            let store = SQLStore(database: app.db)
            let phone = "ses-phone-\(UUID().uuidString)"
            try await store.insertSession(
                StaffSession(
                    tokenHash: Tokens.hash(phone), staffID: cm.id, csrfToken: "c", createdAt: testNow,
                    expiresAt: testNow.addingTimeInterval(3600),
                    userAgent: "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36",
                    address: "192.0.2.7"))
            let page = try await app.web(.GET, "/me/keys", as: cm, fixture: f)
            #expect(page.body.contains("Chrome · Android") && page.body.contains("192.0.2.7"))
            #expect(page.body.contains("This browser, now"))
            #expect(try await app.send(.GET, "/today", headers: Self.cookie(phone), body: nil).status == .ok)
            // Signing out every other browser keeps this one.
            let ended = try await app.web(.POST, "/me/keys/sessions/end", as: cm, fixture: f, form: [("all", "1")])
            #expect(ended.status == .seeOther)
            #expect(try await app.send(.GET, "/today", headers: Self.cookie(phone), body: nil).status == .seeOther)
            #expect(try await app.web(.GET, "/today", as: cm, fixture: f).status == .ok)
            // An administrator signs a user out everywhere.
            let admin = f.staff[.agencyAdmin]!
            let all = try await app.web(
                .POST, "/admin/users/\(cm.id)/sessions/end", as: admin, fixture: f, form: [("all", "1")])
            #expect(all.status == .seeOther)
            #expect(try await store.sessions(staffID: cm.id).isEmpty)
            #expect(try await app.web(.GET, "/today", as: cm, fixture: f).status == .seeOther)
        }
    }

    @Test func aSessionEndsAfterThirtyIdleMinutesAndThePageWarnsFirst() async throws {
        try await withTrellis { app, f in
            let cm = f.caseManager
            let store = SQLStore(database: app.db)
            func session(idleFor minutes: Double) async throws -> String {
                let c = "ses-\(UUID().uuidString)"
                try await store.insertSession(
                    StaffSession(
                        tokenHash: Tokens.hash(c), staffID: cm.id, csrfToken: "c",
                        createdAt: testNow.addingTimeInterval(-3 * 3600), expiresAt: testNow.addingTimeInterval(3600),
                        lastSeenAt: testNow.addingTimeInterval(-minutes * 60)))
                return c
            }
            let away = try await session(idleFor: 31)
            #expect(try await app.send(.GET, "/today", headers: Self.cookie(away), body: nil).status == .seeOther)
            #expect(try await store.session(tokenHash: Tokens.hash(away)) == nil)
            // Still within the half hour: in, and the activity moves the idle clock.
            let here = try await session(idleFor: 29)
            let page = try await app.send(.GET, "/today", headers: Self.cookie(here), body: nil)
            #expect(page.status == .ok)
            #expect(try await store.session(tokenHash: Tokens.hash(here))?.lastSeenAt == testNow)
            // The page knows the timeout and carries the warning, in the page's language.
            #expect(page.body.contains("data-idle=\"1800\"") && page.body.contains("/assets/session.js"))
            #expect(page.body.contains("Stay signed in"))
            let script = try await app.send(.GET, "/assets/session.js", headers: [:], body: nil)
            #expect(script.status == .ok && script.body.contains("/me/keepalive"))
            // The absolute lifetime holds however active the session is.
            let c = "ses-\(UUID().uuidString)"
            try await store.insertSession(
                StaffSession(
                    tokenHash: Tokens.hash(c), staffID: cm.id, csrfToken: "c",
                    createdAt: testNow.addingTimeInterval(-8 * 3600), expiresAt: testNow.addingTimeInterval(-1),
                    lastSeenAt: testNow))
            #expect(try await app.send(.GET, "/today", headers: Self.cookie(c), body: nil).status == .seeOther)
            // The warning's button counts as activity.
            let kept = try await app.web(.POST, "/me/keepalive", as: cm, fixture: f)
            #expect(kept.status == .noContent)
        }
    }

    @Test func commonAndTrivialPasswordsAreRefusedWhereverOneIsSet() async throws {
        try await withTrellis { app, f in
            let admin = f.staff[.agencyAdmin]!
            func create(_ password: String) async throws -> HTTPResult {
                try await app.web(
                    .POST, "/admin/users", as: admin, fixture: f,
                    form: [
                        ("username", "p\(UUID().uuidString.prefix(6).lowercased())"), ("displayName", "New Person"),
                        ("role", "case_manager"), ("language", "en"), ("password", password)
                    ])
            }
            let common = try await create("Password2026!")
            #expect(common.status == .unprocessableEntity)
            #expect(common.body.contains("is one of the most common passwords"))
            let leet = try await create("P@ssw0rd1234")
            #expect(leet.body.contains("is one of the most common passwords"))
            let repeated = try await create("aaaaaaaaaaaa")
            #expect(repeated.body.contains("is a simple pattern"))
            let fine = try await create("river kettle lantern")
            #expect(fine.status == .seeOther)
            // The user's own change is held to the same list.
            let change = try await app.web(
                .POST, "/me/password", as: f.caseManager, fixture: f,
                form: [
                    ("currentPassword", Fixture.password), ("newPassword", "iloveyou2026"),
                    ("confirmPassword", "iloveyou2026")
                ])
            #expect(change.status == .unprocessableEntity && change.body.contains("most common passwords"))
            // A name of invisible characters is refused.
            let ghost = try await app.web(
                .POST, "/admin/users", as: admin, fixture: f,
                form: [
                    ("username", "ghost"), ("displayName", "\u{200B}\u{3164}"), ("role", "case_manager"),
                    ("language", "en"), ("password", "river kettle lantern")
                ])
            #expect(ghost.status == .unprocessableEntity && ghost.body.contains("signs you can see"))
        }
    }
}
