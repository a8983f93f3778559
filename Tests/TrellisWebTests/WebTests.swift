import Foundation
import Testing
import TrellisCore
import TrellisData
@testable import TrellisWeb
import VaporTesting

func csrf(in html: String) -> String? {
    guard let r = html.range(of: "name=\"_csrf\" value=\"") else { return nil }
    return String(html[r.upperBound...].prefix { $0 != "\"" })
}

func cookie(_ name: String, in headers: HTTPHeaders) -> String? {
    for h in headers[.setCookie] where h.hasPrefix(name + "=") {
        return String(h.dropFirst(name.count + 1).prefix { $0 != ";" })
    }
    return nil
}

@Suite("Signing in")
struct SignInTests {
    func signIn(_ app: Application, _ user: String, _ password: String) async throws -> HTTPResult {
        let page = try await app.send(.GET, "/signin", headers: [:], body: nil)
        let token = try #require(csrf(in: page.body))
        let pre = try #require(cookie(SessionCookie.preAuthCSRF, in: page.headers))
        return try await app.send(
            .POST, "/signin",
            headers: [
                "Cookie": "\(SessionCookie.preAuthCSRF)=\(pre)", "Content-Type": "application/x-www-form-urlencoded"
            ],
            body: "_csrf=\(token)&username=\(user)&password=\(password.replacingOccurrences(of: " ", with: "+"))")
    }

    @Test func aCorrectPasswordStartsASecureSessionThatSignOutEnds() async throws {
        try await withTrellis { app, f in
            let r = try await signIn(app, "fx-casemanager", Fixture.password)
            #expect(r.status == .seeOther)
            #expect(r.headers.first(name: .location) == "/today")
            let set = try #require(r.headers[.setCookie].first { $0.hasPrefix(SessionCookie.name + "=") })
            #expect(set.contains("HttpOnly"))
            #expect(set.contains("Secure"))
            #expect(set.lowercased().contains("samesite=lax"))
            let session = try #require(cookie(SessionCookie.name, in: r.headers))
            let home = try await app.send(
                .GET, "/caseload", headers: ["Cookie": "\(SessionCookie.name)=\(session)"], body: nil)
            #expect(home.status == .ok)
            #expect(home.body.contains("My caseload"))
            // The session is stored only as a hash.
            #expect(try await SQLStore(database: app.db).session(tokenHash: session) == nil)

            let token = try #require(csrf(in: home.body))
            let out = try await app.send(
                .POST, "/signout",
                headers: [
                    "Cookie": "\(SessionCookie.name)=\(session)", "Content-Type": "application/x-www-form-urlencoded"
                ], body: "_csrf=\(token)")
            #expect(out.headers.first(name: .location) == "/signin")
            let after = try await app.send(
                .GET, "/caseload", headers: ["Cookie": "\(SessionCookie.name)=\(session)"], body: nil)
            #expect(after.headers.first(name: .location) == "/signin")
        }
    }

    @Test func repeatedFailuresSlowTheNextAttemptButNeverLockTheRightPasswordOut() async throws {
        try await withTrellis { app, f in
            for _ in 0..<3 {
                let r = try await signIn(app, "fx-casemanager", "wrong password!")
                #expect(r.status == .unauthorized)
                #expect(r.body.contains("not right"))
            }
            // Straight after the third failure even the right password waits its turn (a second), unheard.
            let paused = try await signIn(app, "fx-casemanager", Fixture.password)
            #expect(paused.status == .tooManyRequests)
            #expect(paused.headers.first(name: .retryAfter) == "1")
            #expect(paused.body.contains("Try again in 1 seconds") || paused.body.contains("Try again in 1"))
            let failures = try await app.sql.raw(
                "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'auth.sign_in_failed'"
            ).first()!.decode(column: "n", as: Int.self)
            #expect(failures == 3)
            // Forty failures a minute ago (an attacker's) pause the account for at most half a minute: the
            // right password gets in, and the user is told someone tried.
            let store = SQLStore(database: app.db)
            for i in 0..<40 {
                try await store.recordFailedSignIn(
                    username: "fx-supervisor", address: "198.51.100.\(i)", at: testNow.addingTimeInterval(-60))
            }
            let inAfterAll = try await signIn(app, "fx-supervisor", Fixture.password)
            #expect(inAfterAll.status == .seeOther)
            #expect(inAfterAll.headers.first(name: .location) == "/me/keys")
            #expect(try await store.unclearedFailedSignIns(username: "fx-supervisor") == 0)
        }
    }

    @Test func manyFailuresFromOneAddressSlowItsAttemptsOnEveryAccount() async throws {
        try await withTrellis { app, f in
            let store = SQLStore(database: app.db)
            // The test client has no remote address: its attempts count under "unknown".
            for i in 0..<SignInThrottle.addressFree {
                try await store.recordFailedSignIn(username: "guess\(i)", address: "unknown", at: testNow)
            }
            let sprayed = try await signIn(app, "fx-auditor", Fixture.password)
            #expect(sprayed.status == .tooManyRequests)
        }
    }

    @Test func pausesGrowAndStopAtTheirCap() {
        #expect(SignInThrottle.pause(failures: 2, free: 3, cap: 30) == 0)
        #expect((3...8).map { SignInThrottle.pause(failures: $0, free: 3, cap: 30) } == [1, 2, 4, 8, 16, 30])
        #expect(SignInThrottle.pause(failures: 10_000, free: 3, cap: 30) == 30)
    }

    @Test func aFormWithoutTheCSRFTokenIsRefusedAndChangesNothing() async throws {
        try await withTrellis { app, f in
            let before = try await app.count("clients")
            let r = try await app.web(
                .POST, "/clients", as: f.caseManager, fixture: f,
                form: [("firstName", "Eve"), ("lastName", "Attacker")], csrf: false)
            #expect(r.status == .forbidden)
            #expect(try await app.count("clients") == before)
        }
    }

    @Test func anEmptyInstallationExplainsHowToCreateTheFirstAdmin() async throws {
        try await withTrellis { app, f in
            try await app.sql.raw("DELETE FROM sessions").run()
            // With staff present the page is a plain sign-in form.
            let page = try await app.send(.GET, "/signin", headers: [:], body: nil)
            #expect(!page.body.contains("trellis user create"))
        }
    }
}

@Suite("Web pages")
struct WebPageTests {
    @Test func intakeFormKeepsValuesAndShowsErrorsBesideFields() async throws {
        try await withTrellis { app, f in
            let r = try await app.web(
                .POST, "/clients", as: f.caseManager, fixture: f,
                form: [
                    ("firstName", "Marisol"), ("lastName", ""), ("nameDataQuality", "1"), ("birthDate", "2030-01-01"),
                    ("dobDataQuality", "1"), ("sex", "0"), ("races[]", "White"), ("veteranStatus", "0"),
                    ("pronouns", "she/her")
                ])
            #expect(r.status == .unprocessableEntity)
            #expect(r.body.contains("value=\"Marisol\""))
            #expect(r.body.contains("value=\"she/her\""))
            #expect(r.body.contains("id=\"f-birthDate-error\">cannot be in the future"))
            #expect(r.body.contains("aria-describedby=\"f-birthDate-hint f-birthDate-error\""))
            #expect(r.body.contains("id=\"f-races-White\" name=\"races[]\" value=\"White\" checked"))
            #expect(try await app.count("clients") == 0)
        }
    }

    @Test func theDuplicateWarningAppearsBeforeANearDuplicateIsSaved() async throws {
        try await withTrellis { app, f in
            let existing = try await f.client(app, first: "Rosa", last: "Alvarado", dob: "1985-03-12")
            let form = [
                ("firstName", "Rosa"), ("lastName", "Alvarada"), ("nameDataQuality", "1"), ("birthDate", "1985-03-13"),
                ("dobDataQuality", "1"), ("ssnDataQuality", "99"), ("sex", "0"), ("races[]", "HispanicLatinao"),
                ("veteranStatus", "0")
            ]
            let warned = try await app.web(.POST, "/clients", as: f.caseManager, fixture: f, form: form)
            #expect(warned.status == .ok)
            #expect(warned.body.contains("Possible existing records"))
            #expect(warned.body.contains("/clients/\(existing.id.uuidString.lowercased())"))
            #expect(try await app.count("clients") == 1)
            let saved = try await app.web(
                .POST, "/clients", as: f.caseManager, fixture: f, form: form + [("acknowledgeDuplicates", "1")])
            #expect(saved.status == .seeOther)
            #expect(try await app.count("clients") == 2)
        }
    }

    @Test func aSignedNoteCannotBeEditedOnlyAddendedAndTheDatabaseAgrees() async throws {
        try await withTrellis { app, f in
            let c = try await f.openCase(app, client: try await f.client(app))
            let note = try await f.note(app, case: c, sign: true)
            let edit = try await app.web(
                .POST, "/notes/\(note.id)/edit", as: f.caseManager, fixture: f,
                form: [
                    ("contactType", "phone"), ("contactDate", "2026-06-01"), ("format", "narrative"),
                    ("sections.narrative.narrative", "Rewritten"), ("version", String(note.version))
                ])
            #expect(edit.status == .conflict)
            let add = try await app.web(
                .POST, "/notes/\(note.id)/addendum", as: f.caseManager, fixture: f,
                form: [
                    ("contactType", "phone"), ("contactDate", "2026-06-01"), ("format", "narrative"),
                    ("sections.narrative.narrative", "Correction: the call was on a Monday.")
                ])
            #expect(add.status == .seeOther)
            let stored = try await SQLStore(database: app.db).note(id: note.id)
            #expect(stored?.sections["narrative"] == "Checked in.")
            let addenda = try await SQLStore(database: app.db).notes(caseID: c.id).filter { $0.addendumTo == note.id }
            #expect(addenda.count == 1)
            // Even a direct SQL update is refused.
            await #expect(throws: (any Error).self) {
                try await app.sql.raw("UPDATE case_notes SET sections = '{}' WHERE id = \(bind: note.id)").run()
            }
        }
    }

    @Test func theAuditLogIsAppendOnly() async throws {
        try await withTrellis { app, f in
            _ = try await f.client(app)
            #expect(try await app.count("audit_log") > 0)
            await #expect(throws: (any Error).self) { try await app.sql.raw("UPDATE audit_log SET action = 'x'").run() }
            await #expect(throws: (any Error).self) { try await app.sql.raw("DELETE FROM audit_log").run() }
        }
    }

    @Test func theCaseloadShowsOverdueContactsAndSorts() async throws {
        try await withTrellis { app, f in
            let recent = try await f.openCase(
                app, client: try await f.client(app, first: "Recent", last: "Contact"), opened: "2026-05-01")
            _ = try await f.note(app, case: recent, date: "2026-06-10")
            _ = try await f.openCase(
                app, client: try await f.client(app, first: "Never", last: "Seen"), opened: "2026-04-01")
            let page = try await app.web(.GET, "/caseload", as: f.caseManager, fixture: f)
            #expect(page.body.contains("2 open cases, 1 overdue for contact."))
            let never = try #require(page.body.range(of: "Never Seen"))
            let recentName = try #require(page.body.range(of: "Recent Contact"))
            #expect(never.lowerBound < recentName.lowerBound, "overdue first")
            let byClient = try await app.web(.GET, "/caseload?sort=client&dir=desc", as: f.caseManager, fixture: f)
            #expect(byClient.body.contains("aria-sort=\"descending\""))
            #expect(
                byClient.body.range(of: "Recent Contact")!.lowerBound
                    < byClient.body.range(of: "Never Seen")!.lowerBound)

            let team = try await app.web(.GET, "/team", as: f.staff[.supervisor], fixture: f)
            #expect(team.status == .ok)
            #expect(team.body.contains("/staff/\(f.caseManager.id.uuidString.lowercased())/caseload"))
            #expect(
                !team.body.contains(f.caseManager2.displayName), "another team's member is not listed for a supervisor")
        }
    }

    @Test func anAdminSeesAClientsAccessHistory() async throws {
        try await withTrellis { app, f in
            let c = try await f.client(app)
            _ = try await app.web(.GET, "/clients/\(c.id)", as: f.staff[.supervisor], fixture: f)
            let page = try await app.web(.GET, "/clients/\(c.id)/history", as: f.staff[.agencyAdmin], fixture: f)
            #expect(page.status == .ok)
            #expect(page.body.contains("Viewed the client record"))
            #expect(page.body.contains(f.staff[.supervisor]!.displayName))
            #expect(page.body.contains("Registered the client"))
        }
    }

    @Test func markupInDataIsEscapedInTextAndAttributes() async throws {
        try await withTrellis { app, f in
            let c = try await f.client(app, first: "<script>alert(1)</script>", last: "\"><img src=x>")
            let page = try await app.web(.GET, "/clients/\(c.id)", as: f.caseManager, fixture: f)
            #expect(!page.body.contains("<script>alert(1)"))
            #expect(page.body.contains("&lt;script&gt;"))
            let edit = try await app.web(.GET, "/clients/\(c.id)/edit", as: f.caseManager, fixture: f)
            #expect(!edit.body.contains("\"><img"))
            #expect(edit.body.contains("value=\"&quot;&gt;&lt;img src=x&gt;\""))
        }
    }

    @Test func aSpanishSpeakingUserGetsTheInterfaceInSpanish() async throws {
        try await withTrellis { app, f in
            try await SQLStore(database: app.db).updateStaffLanguage(id: f.caseManager.id, language: .es)
            let page = try await app.web(.GET, "/caseload", as: f.caseManager, fixture: f)
            #expect(page.body.contains("<html lang=\"es\">"))
            #expect(page.body.contains("Mis casos"))
            let form = try await app.web(
                .POST, "/clients", as: f.caseManager, fixture: f, form: [("nameDataQuality", "1"), ("firstName", "Ana")]
            )
            #expect(form.body.contains("es obligatorio"))
        }
    }

    @Test func theClientSummaryPrints() async throws {
        try await withTrellis { app, f in
            let c = try await f.client(app)
            let page = try await app.web(.GET, "/clients/\(c.id)", as: f.caseManager, fixture: f)
            #expect(page.body.contains("class=\"print-only\""))
            let css = try await app.send(.GET, "/assets/app.css", headers: [:], body: nil)
            #expect(css.body.contains("@media print"))
        }
    }
}

@Suite("Preferences")
struct PreferenceTests {
    @Test func changingLanguageReturnsOnlyToALocalPage() async throws {
        try await withTrellis { app, f in
            for (target, expected) in [
                ("/clients", "/clients"), ("//evil.example", "/today"), ("/\\evil.example", "/today"),
                ("https://evil.example", "/today")
            ] {
                let r = try await app.web(
                    .POST, "/me/language", as: f.caseManager, fixture: f, form: [("language", "es"), ("return", target)]
                )
                #expect(r.headers.first(name: .location) == expected, "\(target)")
            }
            #expect(try await SQLStore(database: app.db).staff(id: f.caseManager.id)?.language == .es)
            let bad = try await app.web(
                .POST, "/me/language", as: f.caseManager, fixture: f, form: [("language", "klingon")])
            #expect(bad.status == .unprocessableEntity)
        }
    }
}

@Suite("Start pages")
struct StartPageTests {
    @Test func eachRoleStartsWhereItsWorkIs() async throws {
        try await withTrellis { app, f in
            let expected: [Role: String] = [
                .caseManager: "/today", .supervisor: "/team", .programManager: "/team",
                .agencyAdmin: "/team", .auditor: "/clients"
            ]
            for (role, path) in expected {
                let r = try await app.web(.GET, "/", as: f.staff[role], fixture: f)
                #expect(r.headers.first(name: .location) == path, "\(role)")
            }
        }
    }
}

@Suite("Passwords")
struct PasswordTests {
    @Test func changingYourPasswordNeedsTheCurrentOneAndEndsYourOtherSessions() async throws {
        try await withTrellis { app, f in
            let store = SQLStore(database: app.db)
            try await store.insertSession(
                StaffSession(
                    tokenHash: Tokens.hash("other-device"), staffID: f.caseManager.id, csrfToken: "c",
                    createdAt: testNow, expiresAt: testNow.addingTimeInterval(3600)))
            let wrong = try await app.web(
                .POST, "/me/password", as: f.caseManager, fixture: f,
                form: [
                    ("currentPassword", "not it at all"), ("newPassword", "a much better passphrase"),
                    ("confirmPassword", "a much better passphrase")
                ])
            #expect(wrong.status == .unprocessableEntity)
            #expect(wrong.body.contains("is not your current password"))
            #expect(!wrong.body.contains("a much better passphrase"), "passwords are never echoed")
            let mismatch = try await app.web(
                .POST, "/me/password", as: f.caseManager, fixture: f,
                form: [
                    ("currentPassword", Fixture.password), ("newPassword", "a much better passphrase"),
                    ("confirmPassword", "something else entirely")
                ])
            #expect(mismatch.body.contains("does not match the new password"))

            let ok = try await app.web(
                .POST, "/me/password", as: f.caseManager, fixture: f,
                form: [
                    ("currentPassword", Fixture.password), ("newPassword", "a much better passphrase"),
                    ("confirmPassword", "a much better passphrase")
                ])
            #expect(ok.status == .seeOther)
            #expect(try await store.session(tokenHash: Tokens.hash("other-device")) == nil)
            #expect(try await store.session(tokenHash: Tokens.hash(f.sessions[f.caseManager.id]!.cookie)) != nil)
            let staff = try #require(try await store.staff(id: f.caseManager.id))
            #expect(try await app.trellis.hasher.verify("a much better passphrase", hash: staff.passwordHash))
        }
    }
}

/// Each of these was found by a code review and reproduced before it was fixed.
@Suite("Review findings")
struct ReviewFindingTests {
    @Test func aHugePageNumberDoesNotCrashTheServer() async throws {
        try await withTrellis { app, f in
            let c = try await f.client(app)
            let r = try await app.web(
                .GET, "/clients/\(c.id)/history?page=9223372036854775807", as: f.staff[.auditor], fixture: f)
            #expect(r.status == .ok)
            let s = try await app.web(.GET, "/clients?q=ruiz&page=9223372036854775807", as: f.caseManager, fixture: f)
            #expect(s.status == .ok)
        }
    }

    @Test func aMalformedIdInAFormIsAFieldErrorNotASilentDefault() async throws {
        try await withTrellis { app, f in
            let c = try await f.client(app)
            let r = try await app.web(
                .POST, "/clients/\(c.id)/cases", as: f.caseManager, fixture: f,
                form: [
                    ("programID", f.programA.id.uuidString), ("primaryCaseManagerID", "garbage"), ("priority", "high"),
                    ("stage", "engagement"), ("openedOn", "2026-06-01")
                ])
            #expect(r.status == .unprocessableEntity)
            #expect(r.body.contains("f-primaryCaseManagerID-error"))
            #expect(try await app.count("cases") == 0)
            let team = try await app.web(
                .POST, "/admin/teams", as: f.staff[.agencyAdmin], fixture: f,
                form: [("name", "X"), ("programID", "nope")])
            #expect(team.status == .unprocessableEntity)
            let user = try await app.web(
                .POST, "/admin/users", as: f.staff[.agencyAdmin], fixture: f,
                form: [
                    ("username", "newperson"), ("displayName", "New Person"), ("role", "case_manager"),
                    ("teamID", "not-a-uuid"),
                    ("password", "a long enough secret")
                ])
            #expect(user.status == .unprocessableEntity)
            #expect(try await SQLStore(database: app.db).staff(username: "newperson") == nil)
        }
    }

    @Test func anAuditorCannotBeMadeACasesPrimaryCaseManager() async throws {
        try await withTrellis { app, f in
            let c = try await f.client(app)
            let r = try await app.api(
                .POST, "/api/v1/clients/\(c.id)/cases", as: f.caseManager, fixture: f,
                json: #"{"programID":"\#(f.programA.id)","primaryCaseManagerID":"\#(f.staff[.auditor]!.id)"}"#)
            #expect(r.status == .unprocessableEntity)
        }
    }

    @Test func searchResultsAndDuplicateCandidatesAreAudited() async throws {
        try await withTrellis { app, f in
            let c = try await f.client(app, first: "Rosa", last: "Alvarado", dob: "1985-03-12")
            _ = try await app.api(.GET, "/api/v1/clients?q=alvar", as: f.staff[.supervisor], fixture: f)
            _ = try await app.api(.POST, "/api/v1/clients", as: f.caseManager, fixture: f, json: validClientJSON)
            let actions = try await SQLStore(database: app.db).auditEntries(clientID: c.id, limit: 20, offset: 0)
                .filter { $0.action == "client.search" }.compactMap(\.actorID)
            #expect(Set(actions) == [f.staff[.supervisor]!.id, f.caseManager.id])
        }
    }

    @Test func errorPagesCarryTheSecurityHeaders() async throws {
        try await withTrellis { app, f in
            let r = try await app.web(.GET, "/clients/\(UUID())", as: f.caseManager, fixture: f)
            #expect(r.status == .notFound)
            #expect(r.headers.first(name: "Content-Security-Policy") != nil)
            #expect(r.headers.first(name: .cacheControl) == "no-store")
            #expect(r.headers.first(name: "X-Frame-Options") == "DENY")
        }
    }

    @Test func aReturnPathWithHiddenCharactersIsNotFollowed() async throws {
        try await withTrellis { app, f in
            for target in ["/\t/evil.example", "/ /evil.example", "/%09/evil.example"] {
                let r = try await app.web(
                    .POST, "/me/language", as: f.caseManager, fixture: f, form: [("language", "en"), ("return", target)]
                )
                let location = r.headers.first(name: .location) ?? ""
                #expect(
                    location == "/today" || location == target && !target.contains("\t") && !target.contains(" "),
                    "\(target) → \(location)")
            }
        }
    }

    @Test func theDatabaseRefusesASecondOpenCaseInTheSameProgram() async throws {
        try await withTrellis { app, f in
            let first = try await f.openCase(app, client: try await f.client(app))
            var twin = first
            twin.id = UUID()
            await #expect(throws: TrellisError.self) { try await SQLStore(database: app.db).insertCase(twin) }
            #expect(try await app.count("cases") == 1)
        }
    }

    @Test func sameUsernameCreatedTwiceIsAFieldErrorNotA500() async throws {
        try await withTrellis { app, f in
            let store = SQLStore(database: app.db)
            var copy = f.caseManager
            copy.id = UUID()
            await #expect(throws: TrellisError.validation([FieldError("username", "is already taken")])) {
                try await store.insertStaff(copy)
            }
        }
    }
}

@Suite("Audit of updates")
struct UpdateAuditTests {
    @Test func caseAndNoteUpdatesRecordWhichFieldsChanged() async throws {
        try await withTrellis { app, f in
            let c = try await f.openCase(app, client: try await f.client(app))
            let moved = try await app.web(
                .POST, "/cases/\(c.id)", as: f.caseManager, fixture: f,
                form: [
                    ("stage", "planning"), ("status", "open"), ("priority", "urgent"), ("closedOn", ""),
                    ("version", String(c.version))
                ])
            #expect(moved.status == .seeOther)
            let n = try await f.note(app, case: c)
            let edited = try await app.web(
                .POST, "/notes/\(n.id)/edit", as: f.caseManager, fixture: f,
                form: [
                    ("contactType", "phone"), ("contactDate", "2026-06-02"), ("durationMinutes", "20"),
                    ("format", "narrative"),
                    ("sections.narrative.narrative", "Checked in."), ("version", String(n.version))
                ])
            #expect(edited.status == .seeOther)
            let entries = try await SQLStore(database: app.db).auditEntries(clientID: c.clientID, limit: 50, offset: 0)
            #expect(entries.first { $0.action == "case.update" }?.changedFields == ["stage", "priority"])
            #expect(entries.first { $0.action == "note.update" }?.changedFields == ["contactDate"])
        }
    }
}
