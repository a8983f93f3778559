import Foundation
import Testing
import TrellisCore
import TrellisData
@testable import TrellisWeb
import VaporTesting

/// An administrator edits, deactivates, unlocks and resets users, and edits programs (issue 13, point 8).
@Suite("Administration")
struct AdminLifecycleTests {
    let signIn = SignInTests().signIn

    func session(_ r: HTTPResult) -> String? { cookie(SessionCookie.name, in: r.headers) }

    func get(_ app: Application, _ path: String, session: String) async throws -> HTTPResult {
        try await app.send(.GET, path, headers: ["Cookie": "\(SessionCookie.name)=\(session)"], body: nil)
    }

    @Test func anAdminEditsAUsersNameRoleTeamAndLanguage() async throws {
        try await withTrellis { app, f in
            let admin = f.staff[.agencyAdmin]!
            let cm = f.caseManager
            let page = try await app.web(.GET, "/admin/users/\(cm.id)", as: admin, fixture: f)
            #expect(page.status == .ok && page.body.contains("value=\"Fx-Casemanager\""))
            let saved = try await app.web(
                .POST, "/admin/users/\(cm.id)", as: admin, fixture: f,
                form: [
                    ("displayName", "Fatima Case"), ("role", "supervisor"), ("teamID", f.teamA2.id.uuidString),
                    ("language", "es"), ("version", "1")
                ])
            #expect(saved.status == .seeOther)
            let now = try #require(try await SQLStore(database: app.db).staff(id: cm.id))
            #expect(now.displayName == "Fatima Case" && now.role == .supervisor && now.teamID == f.teamA2.id)
            #expect(now.language == .es && now.version == 2)
            let audit = try await app.sql.raw(
                "SELECT changed_fields FROM audit_log WHERE action = 'staff.update' AND record_id = \(bind: cm.id)"
            ).first()?.decode(column: "changed_fields", as: String.self)
            #expect(audit?.contains("role") == true && audit?.contains("teamID") == true)
            // An old version is a conflict; nothing is lost from the form.
            let stale = try await app.web(
                .POST, "/admin/users/\(cm.id)", as: admin, fixture: f,
                form: [("displayName", "Someone Else"), ("role", "case_manager"), ("version", "1")])
            #expect(stale.status == .conflict && stale.body.contains("value=\"Someone Else\""))
            // An administrator cannot take away their own role.
            let own = try await app.web(
                .POST, "/admin/users/\(admin.id)", as: admin, fixture: f,
                form: [("displayName", "Admin"), ("role", "case_manager"), ("version", "1")])
            #expect(own.status == .unprocessableEntity && own.body.contains("href=\"#f-role\""))
            // Only administrators reach these pages.
            let refused = try await app.web(.GET, "/admin/users/\(cm.id)", as: f.staff[.supervisor]!, fixture: f)
            #expect(refused.status == .forbidden)
        }
    }

    @Test func deactivatingEndsSessionsAndTokensAtOnceAndReactivatingRestoresSignIn() async throws {
        try await withTrellis { app, f in
            let admin = f.staff[.agencyAdmin]!
            let cm = f.caseManager
            let signedIn = try await signIn(app, "fx-casemanager", Fixture.password)
            let s = try #require(session(signedIn))
            #expect(try await get(app, "/caseload", session: s).status == .ok)
            let unconfirmed = try await app.web(
                .POST, "/admin/users/\(cm.id)/active", as: admin, fixture: f, form: [("active", "0"), ("version", "1")])
            #expect(unconfirmed.status == .unprocessableEntity && unconfirmed.body.contains("href=\"#f-confirm\""))
            let off = try await app.web(
                .POST, "/admin/users/\(cm.id)/active", as: admin, fixture: f,
                form: [("active", "0"), ("confirm", "yes"), ("version", "1")])
            #expect(off.status == .seeOther)
            #expect(try await get(app, "/caseload", session: s).status != .ok)
            #expect(try await app.api(.GET, "/api/v1/caseload", as: cm, fixture: f).status == .unauthorized)
            let left = try await app.sql.raw(
                "SELECT (SELECT COUNT(*) FROM sessions WHERE staff_id = \(bind: cm.id)) + (SELECT COUNT(*) FROM api_tokens WHERE staff_id = \(bind: cm.id)) AS n"
            ).first()?.decode(column: "n", as: Int.self)
            #expect(left == 0)
            #expect(try await signIn(app, "fx-casemanager", Fixture.password).status == .unauthorized)
            let list = try await app.web(.GET, "/admin/users", as: admin, fixture: f)
            #expect(list.body.contains("Deactivated"))
            // The administrator cannot deactivate themselves.
            let me = try await app.web(
                .POST, "/admin/users/\(admin.id)/active", as: admin, fixture: f,
                form: [("active", "0"), ("confirm", "yes"), ("version", "1")])
            #expect(me.status == .unprocessableEntity)
            let on = try await app.web(
                .POST, "/admin/users/\(cm.id)/active", as: admin, fixture: f, form: [("active", "1"), ("version", "2")])
            #expect(on.status == .seeOther)
            #expect(try await signIn(app, "fx-casemanager", Fixture.password).status == .seeOther)
        }
    }

    @Test func anAdminClearsRepeatedFailedSignIns() async throws {
        try await withTrellis { app, f in
            let admin = f.staff[.agencyAdmin]!
            for _ in 0..<5 {
                try await SQLStore(database: app.db).recordFailedSignIn(
                    username: "fx-casemanager", address: "192.0.2.1", at: testNow)
            }
            #expect(try await signIn(app, "fx-casemanager", Fixture.password).status == .tooManyRequests)
            let list = try await app.web(.GET, "/admin/users", as: admin, fixture: f)
            #expect(list.body.contains("Repeated failed sign-ins"))
            let page = try await app.web(.GET, "/admin/users/\(f.caseManager.id)", as: admin, fixture: f)
            #expect(page.body.contains("Clear the failed sign-ins"))
            let unlocked = try await app.web(.POST, "/admin/users/\(f.caseManager.id)/unlock", as: admin, fixture: f)
            #expect(unlocked.status == .seeOther)
            #expect(try await signIn(app, "fx-casemanager", Fixture.password).status == .seeOther)
        }
    }

    @Test func aTemporaryPasswordMustBeChangedAtTheNextSignIn() async throws {
        try await withTrellis { app, f in
            let admin = f.staff[.agencyAdmin]!
            let cm = f.caseManager
            let reset = try await app.web(
                .POST, "/admin/users/\(cm.id)/password", as: admin, fixture: f, form: [("version", "1")])
            #expect(reset.status == .ok)
            #expect(reset.headers.first(name: .cacheControl) == "no-store")
            let temporary = try #require(
                reset.body.firstMatch(of: /<code class="temporary-password">([a-z0-9-]+)<\/code>/).map { String($0.1) })
            #expect(temporary.count == 19)
            // Their old password and sessions are gone.
            #expect(try await app.web(.GET, "/caseload", as: cm, fixture: f).status != .ok)
            #expect(try await signIn(app, "fx-casemanager", Fixture.password).status == .unauthorized)
            let signedIn = try await signIn(app, "fx-casemanager", temporary)
            #expect(signedIn.headers.first(name: .location) == "/me/password")
            let s = try #require(session(signedIn))
            let elsewhere = try await get(app, "/caseload", session: s)
            #expect(elsewhere.status == .seeOther && elsewhere.headers.first(name: .location) == "/me/password")
            let form = try await get(app, "/me/password", session: s)
            #expect(form.status == .ok)
            let token = try #require(csrf(in: form.body))
            let changed = try await app.send(
                .POST, "/me/password",
                headers: [
                    "Cookie": "\(SessionCookie.name)=\(s)", "Content-Type": "application/x-www-form-urlencoded"
                ],
                body:
                    "_csrf=\(token)&currentPassword=\(temporary)&newPassword=my+own+long+password&confirmPassword=my+own+long+password"
            )
            #expect(changed.status == .seeOther)
            #expect(try await get(app, "/caseload", session: s).status == .ok)
            let audit = try await app.sql.raw(
                "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'staff.password_reset' AND record_id = \(bind: cm.id)"
            ).first()?.decode(column: "n", as: Int.self)
            #expect(audit == 1)
        }
    }

    @Test func aChangedContactFrequencyMovesOpenCasesNextContactDue() async throws {
        try await withTrellis { app, f in
            let admin = f.staff[.agencyAdmin]!
            let store = SQLStore(database: app.db)
            let a = try await f.openCase(app, client: try await f.client(app), opened: "2026-05-01")
            let b = try await f.openCase(
                app, client: try await f.client(app, first: "Ben", last: "Okafor", dob: "1975-02-03"),
                opened: "2026-05-01")
            _ = try await f.note(app, case: a, date: "2026-06-01")
            _ = try await app.api(
                .POST, "/api/v1/cases/\(b.id)/closure", as: f.caseManager, fixture: f,
                json: #"{"reason":"goals_achieved","destination":410}"#, headers: ["If-Match": "\"1\""])
            let closedDue = try await store.case(id: b.id)?.contactDueOn
            let versionBefore = try #require(try await store.case(id: a.id)?.version)
            let page = try await app.web(.GET, "/admin/programs/\(f.programA.id)", as: admin, fixture: f)
            #expect(page.status == .ok && page.body.contains("value=\"Shelter\""))
            let saved = try await app.web(
                .POST, "/admin/programs/\(f.programA.id)", as: admin, fixture: f,
                form: [
                    ("name", "Emergency Shelter"), ("type", "rapid_rehousing"), ("contactFrequencyDays", "14"),
                    ("version", "1")
                ])
            #expect(saved.status == .seeOther)
            let p = try #require(try await store.program(id: f.programA.id))
            #expect(p.name == "Emergency Shelter" && p.type == .rapidRehousing && p.contactFrequencyDays == 14)
            #expect(try await store.case(id: a.id)?.contactDueOn.description == "2026-06-15")
            // The move changes the case's version, so a case edit opened before it cannot put the old date back.
            #expect(try await store.case(id: a.id)?.version == versionBefore + 1)
            #expect(try await store.case(id: b.id)?.contactDueOn == closedDue)
            let stale = try await app.web(
                .POST, "/admin/programs/\(f.programA.id)", as: admin, fixture: f,
                form: [("name", "Other"), ("type", "other"), ("contactFrequencyDays", "7"), ("version", "1")])
            #expect(stale.status == .conflict)
            let bad = try await app.web(
                .POST, "/admin/programs/\(f.programA.id)", as: admin, fixture: f,
                form: [("name", ""), ("type", "other"), ("contactFrequencyDays", "0"), ("version", "2")])
            #expect(bad.status == .unprocessableEntity && bad.body.contains("href=\"#f-name\""))
            #expect(bad.body.contains("href=\"#f-contactFrequencyDays\""))
            let audit = try await app.sql.raw(
                "SELECT changed_fields FROM audit_log WHERE action = 'program.update' AND record_id = \(bind: f.programA.id)"
            ).first()?.decode(column: "changed_fields", as: String.self)
            #expect(audit?.contains("contactFrequencyDays") == true)
        }
    }
}
