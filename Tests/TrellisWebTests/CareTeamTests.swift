import Foundation
import Testing
@testable import TrellisCore
import TrellisData
@testable import TrellisWeb
import VaporTesting

@Suite("Care team")
struct CareTeamTests {
    /// Every combination of role, place on the case, program role, team, policy, restriction and grant, checked
    /// against the rules as the issue states them (not against the function's own branches).
    @Test func theRuleHoldsForEveryCombination() {
        let agency = UUID()
        let team = UUID()
        let otherTeam = UUID()
        var checked = 0
        for role in Role.allCases {
            for place in ["primary", "assigned", "none"] {
                for (manages, works) in [(false, false), (true, false), (false, true)] {
                    for actorTeam in [team, otherTeam, nil] as [UUID?] {
                        for policy in AccessPolicy.allCases {
                            for restriction in [nil, RestrictedCategory.domesticViolence] {
                                for grant in [nil, UUID()] as [UUID?] {
                                    let actor = ActingUser(id: UUID(), agencyID: agency, teamID: actorTeam, role: role)
                                    let f = CaseAccessFacts(
                                        caseID: UUID(), programID: UUID(),
                                        primaryCaseManagerID: place == "primary" ? actor.id : UUID(),
                                        caseManagerTeamID: team, restriction: restriction,
                                        actorAssigned: place == "assigned", actorManagesProgram: manages,
                                        actorWorksInProgram: works)
                                    let a = CareTeam.decide(f, policy: policy, grantID: grant, actor: actor)
                                    let onCase = place != "none"
                                    let programStaff = manages || works
                                    let full: AccessLevel = role == .auditor ? .read : .write
                                    // Auditors never write.
                                    if role == .auditor { #expect(a.level <= .read) }
                                    if restriction != nil {
                                        // A restricted program: its staff and the people on the case, no one else.
                                        #expect(a.level == (onCase || programStaff ? full : AccessLevel.none))
                                        #expect(a.purpose != .breakGlass)
                                    } else if onCase || programStaff {
                                        #expect(a.level == full && a.seesRestricted)
                                    } else if role == .supervisor && actorTeam == team {
                                        #expect(a.level == .write && a.purpose == .supervision)
                                    } else if role == .agencyAdmin {
                                        #expect(a.level == .write && a.purpose == .administration)
                                    } else if role == .auditor {
                                        #expect(a.level == .read && a.purpose == .oversight)
                                    } else if policy == .open || (policy == .team && actorTeam == team) {
                                        #expect(a.level == full && a.purpose == .care)
                                    } else if let grant {
                                        #expect(a.level == full && a.purpose == .breakGlass && a.basisID == grant)
                                    } else {
                                        // Need-to-know: everyone else knows the client by name only.
                                        #expect(a.level == .identity)
                                    }
                                    if !(onCase || programStaff) { #expect(!a.seesRestricted) }
                                    checked += 1
                                }
                            }
                        }
                    }
                }
            }
        }
        #expect(checked == Role.allCases.count * 3 * 3 * 3 * 3 * 2 * 2)
        // Another agency's client does not exist, whatever the role.
        let other = ClientAccessFacts(
            clientID: UUID(), agencyID: UUID(), policy: .open, createdBy: UUID(), cases: [], grantID: nil)
        #expect(
            CareTeam.decide(other, actor: ActingUser(id: UUID(), agencyID: agency, teamID: nil, role: .agencyAdmin))
                .client.level == .none)
    }

    @Test func offTheTeamAColleagueSeesWhoTheClientIsAndHowToAskOrBreakTheGlass() async throws {
        try await withTrellis { app, f in
            let client = try await f.client(app, first: "Marisol", last: "Quintero", ssn: "123456789", ssnQuality: 1)
            let kase = try await f.openCase(app, client: client)
            _ = try await f.note(app, case: kase)
            let outsider = f.caseManager2
            // Found by name: identity, no SSN digits.
            let found = try await app.web(.GET, "/clients?q=Quintero", as: outsider, fixture: f)
            #expect(found.status == .ok && found.body.contains("Marisol Quintero"))
            #expect(!found.text.contains("6789"))
            let teamFound = try await app.web(.GET, "/clients?q=Quintero", as: f.caseManager, fixture: f)
            #expect(teamFound.text.contains("6789"))
            // The record: refused, with the name, birth date and program, and the two ways in.
            let page = try await app.web(.GET, "/clients/\(client.id)", as: outsider, fixture: f)
            #expect(page.status == .forbidden)
            for shown in ["Marisol Quintero", "1980-05-01", "Shelter", "Ask the case manager", "Break the glass"] {
                #expect(page.body.contains(shown), "identity page lacks \(shown)")
            }
            for hidden in ["6789", "Checked in.", "Contact", "Household"] {
                #expect(!page.text.contains(hidden), "identity page shows \(hidden)")
            }
            let casePage = try await app.web(.GET, "/cases/\(kase.id)", as: outsider, fixture: f)
            #expect(casePage.status == .forbidden && casePage.body.contains("Break the glass"))
            #expect(!casePage.body.contains("Checked in."))
            let api = try await app.api(.GET, "/api/v1/cases/\(kase.id)/notes", as: outsider, fixture: f)
            #expect(api.status == .forbidden && api.body.contains("care team"))
            // Asking makes a task for the case manager and opens nothing.
            let ask = try await app.web(
                .POST, "/clients/\(client.id)/access-request", as: outsider, fixture: f,
                form: [("note", "Covering her appointments this week.")])
            #expect(ask.status == .seeOther)
            let store = SQLStore(database: app.db)
            let asked = try await store.records(CaseTask.self, [.equals("assignee_id", .uuid(f.caseManager.id))])
                .filter { $0.source == .accessRequest }
            #expect(asked.count == 1 && asked[0].caseID == kase.id && asked[0].title.contains("Fx-Casemanager2"))
            #expect(try await app.web(.GET, "/cases/\(kase.id)", as: outsider, fixture: f).status == .forbidden)
            // Someone on the team is told so.
            let again = try await app.api(
                .POST, "/api/v1/clients/\(client.id)/access-requests", as: f.caseManager, fixture: f, json: "{}")
            #expect(again.status == .conflict)
            // The identity view is audited as such.
            let audit = try await store.auditEntries(clientID: client.id, limit: 100, offset: 0)
            #expect(audit.contains { $0.action == "client.identity_view" && $0.actorID == outsider.id })
            #expect(!audit.contains { $0.action == "client.view" && $0.actorID == outsider.id })
        }
    }

    @Test func breakingTheGlassNeedsAReasonTellsTheTeamIsAuditedAndEnds() async throws {
        try await withTrellis { app, f in
            let store = SQLStore(database: app.db)
            let client = try await f.client(app, first: "Ines", last: "Okafor")
            let kase = try await f.openCase(app, client: client)
            let note = try await f.note(app, case: kase)
            let outsider = f.caseManager2
            // Bad input: no reason, a short one, an hour count not offered; nothing written.
            for (json, field) in [
                ("{}", "reason"), (#"{"reason":"urgent"}"#, "reason"),
                (#"{"reason":"Client is in crisis at the front desk.","hours":3}"#, "hours")
            ] {
                let r = try await app.api(
                    .POST, "/api/v1/clients/\(client.id)/break-glass", as: outsider, fixture: f, json: json)
                #expect(r.status == .unprocessableEntity && r.body.contains(field), "\(json): \(r.status)")
            }
            #expect(try await store.records(AccessGrant.self, [.equals("client_id", .uuid(client.id))]).isEmpty)
            let web = try await app.web(
                .POST, "/clients/\(client.id)/break-glass", as: outsider, fixture: f, form: [("reason", "")])
            #expect(web.status == .unprocessableEntity && web.body.contains("is required"))
            // A good one: access for the hours chosen, a task for the case manager and the supervisor.
            let ok = try await app.api(
                .POST, "/api/v1/clients/\(client.id)/break-glass", as: outsider, fixture: f,
                json: #"{"reason":"Client is in crisis at the front desk.","hours":1}"#)
            #expect(ok.status == .created)
            let grant = try #require(
                try await store.records(AccessGrant.self, [.equals("client_id", .uuid(client.id))]).first)
            #expect(grant.expiresAt == testNow.addingTimeInterval(3600))
            let told = try await store.records(CaseTask.self, [.equals("case_id", .uuid(kase.id))]).filter {
                $0.source == .breakGlass
            }
            #expect(Set(told.map(\.assigneeID)) == [f.caseManager.id, f.staff[.supervisor]!.id])
            #expect(told.allSatisfy { $0.details?.contains("crisis at the front desk") == true })
            // Now the outsider reads, and each read says it rested on the grant.
            let read = try await app.api(.GET, "/api/v1/notes/\(note.id)", as: outsider, fixture: f)
            #expect(read.status == .ok)
            let entries = try await store.auditEntries(clientID: client.id, limit: 200, offset: 0)
            let noteRead = try #require(entries.first { $0.action == "note.view" && $0.actorID == outsider.id })
            #expect(noteRead.purpose == .breakGlass && noteRead.basisID == grant.id)
            #expect(entries.contains { $0.action == "access.break_glass" && $0.basisID == grant.id })
            // The case manager's own reads are care.
            _ = try await app.api(.GET, "/api/v1/notes/\(note.id)", as: f.caseManager, fixture: f)
            let mine = try await store.auditEntries(clientID: client.id, limit: 200, offset: 0).first {
                $0.action == "note.view" && $0.actorID == f.caseManager.id
            }
            #expect(mine?.purpose == .care && mine?.basisID == nil)
            // When the grant has ended, the record closes again.
            var ended = grant
            ended.expiresAt = testNow.addingTimeInterval(-1)
            ended.version += 1
            try await store.update(ended, from: grant.version)
            #expect(try await app.api(.GET, "/api/v1/notes/\(note.id)", as: outsider, fixture: f).status == .forbidden)
            // A restricted program's record cannot be broken into.
            let restricted = try await restrictedProgram(app, f)
            let dv = try await f.client(app, first: "Safe", last: "Harbor")
            let dvCase = try await CaseService(store: store, deps: testDeps).open(
                clientID: dv.id,
                CaseInput(
                    programID: restricted.id, primaryCaseManagerID: f.caseManager.id,
                    openedOn: "2026-05-01"), by: ActingUser(f.caseManager))
            let glass = try await app.api(
                .POST, "/api/v1/clients/\(dv.id)/break-glass", as: outsider, fixture: f,
                json: #"{"reason":"Client is in crisis at the front desk."}"#)
            #expect(glass.status == .notFound)
            #expect(try await app.web(.GET, "/cases/\(dvCase.id)", as: outsider, fixture: f).status == .notFound)
        }
    }

    @Test func assigningAColleagueOpensTheCaseAndTakingThemOffClosesIt() async throws {
        try await withTrellis { app, f in
            let client = try await f.client(app, first: "Ruth", last: "Adeyemi")
            let kase = try await f.openCase(app, client: client)
            let colleague = f.caseManager2
            #expect(try await app.api(.GET, "/api/v1/cases/\(kase.id)", as: colleague, fixture: f).status == .forbidden)
            // The colleague cannot add themselves; the case manager can.
            let selfAdd = try await app.api(
                .POST, "/api/v1/cases/\(kase.id)/team", as: colleague, fixture: f,
                json: "{\"staffID\":\"\(colleague.id)\"}")
            #expect(selfAdd.status == .forbidden)
            for (json, status) in [
                ("{}", HTTPStatus.unprocessableEntity),
                ("{\"staffID\":\"\(f.otherAgencyStaff.id)\"}", .unprocessableEntity),
                ("{\"staffID\":\"\(f.caseManager.id)\"}", .unprocessableEntity)
            ] {
                let r = try await app.api(
                    .POST, "/api/v1/cases/\(kase.id)/team", as: f.caseManager, fixture: f, json: json)
                #expect(r.status == status, "\(json)")
            }
            let page = try await app.web(
                .POST, "/cases/\(kase.id)/team", as: f.caseManager, fixture: f,
                form: [("staffID", colleague.id.uuidString)])
            #expect(page.status == .seeOther)
            let team = try await app.api(.GET, "/api/v1/cases/\(kase.id)/team", as: f.caseManager, fixture: f)
            #expect(team.body.contains("\"assigned\"") && team.body.contains(colleague.id.uuidString))
            // On the team: they read and write.
            #expect(try await app.api(.GET, "/api/v1/cases/\(kase.id)", as: colleague, fixture: f).status == .ok)
            _ = try await f.note(app, case: kase, by: colleague)
            let casePage = try await app.web(.GET, "/cases/\(kase.id)", as: f.caseManager, fixture: f)
            #expect(casePage.body.contains("Assigned to this case") && casePage.body.contains("Fx-Casemanager2"))
            // Off again: closed again, and both changes are in the client's history.
            let off = try await app.api(
                .DELETE, "/api/v1/cases/\(kase.id)/team/\(colleague.id)", as: f.caseManager, fixture: f)
            #expect(off.status == .noContent)
            #expect(try await app.api(.GET, "/api/v1/cases/\(kase.id)", as: colleague, fixture: f).status == .forbidden)
            let twice = try await app.api(
                .DELETE, "/api/v1/cases/\(kase.id)/team/\(colleague.id)", as: f.caseManager, fixture: f)
            #expect(twice.status == .notFound)
            let actions = try await SQLStore(database: app.db).auditEntries(clientID: client.id, limit: 200, offset: 0)
                .map(\.action)
            #expect(actions.contains("case.team_add") && actions.contains("case.team_remove"))
        }
    }

    @Test func anAgencyCanWidenAccessToTheTeamOrTheAgency() async throws {
        try await withTrellis { app, f in
            let store = SQLStore(database: app.db)
            let client = try await f.client(app, first: "Lena", last: "Marsh")
            let kase = try await f.openCase(app, client: client)
            // A third case manager on the case manager's own team.
            let teammate = StaffMember(
                id: UUID(), agencyID: f.agencyA.id, teamID: f.teamA.id, username: "fx-teammate",
                displayName: "Teammate", role: .caseManager, language: .en, passwordHash: "x", createdAt: testNow)
            try await store.insertStaff(teammate)
            let deps = testDeps
            func reads(_ s: StaffMember) async throws -> Bool {
                (try? await CaseService(store: store, deps: deps).detail(kase.id, by: ActingUser(s))) != nil
            }
            #expect(try await !reads(teammate))
            #expect(try await !reads(f.caseManager2))
            // Only an administrator sets the policy, and only to a value that exists.
            let bad = try await app.web(
                .POST, "/admin/access", as: f.staff[.agencyAdmin]!, fixture: f, form: [("policy", "all")])
            #expect(bad.status == .unprocessableEntity && bad.body.contains("must be one of"))
            #expect(
                try await app.web(
                    .POST, "/admin/access", as: f.staff[.supervisor]!, fixture: f, form: [("policy", "open")]
                )
                .status == .forbidden)
            #expect(try await store.agency(id: f.agencyA.id)?.accessPolicy == .needToKnow)
            _ = try await app.web(
                .POST, "/admin/access", as: f.staff[.agencyAdmin]!, fixture: f, form: [("policy", "team")])
            #expect(try await reads(teammate))
            #expect(try await !reads(f.caseManager2))
            _ = try await app.web(
                .POST, "/admin/access", as: f.staff[.agencyAdmin]!, fixture: f, form: [("policy", "open")])
            #expect(try await reads(f.caseManager2))
            #expect(try await store.agency(id: f.agencyA.id)?.accessPolicy == .open)
        }
    }

    /// A restricted program's record, marked with strings that must not appear anywhere its program's outsiders
    /// look: search, caseloads, team and review pages, report drill-downs, the audit log, API lists, feeds.
    @Test func aRestrictedProgramsRecordsReachNoOneOutsideIt() async throws {
        try await withTrellis { app, f in
            let store = SQLStore(database: app.db)
            let restricted = try await restrictedProgram(app, f)
            let client = try await f.client(app, first: "Zzmarker", last: "Quintanilla")
            let kase = try await CaseService(store: store, deps: testDeps).open(
                clientID: client.id,
                CaseInput(
                    programID: restricted.id, primaryCaseManagerID: f.caseManager.id,
                    openedOn: "2026-05-01"), by: ActingUser(f.caseManager))
            _ = try await NoteService(store: store, deps: testDeps).create(
                caseID: kase.id,
                NoteInput(
                    contactType: "phone", contactDate: "2026-06-01", durationMinutes: 20, format: "narrative",
                    sections: ["narrative": "ZZSECRET safety plan"]), by: ActingUser(f.caseManager))
            _ = try await TaskService(store: store, deps: testDeps).create(
                TaskInput(
                    kind: "appointment", title: "ZZTASK shelter intake", details: nil, assigneeID: f.caseManager.id,
                    caseID: kase.id, dueOn: "2026-06-20", startTime: "10:00", durationMinutes: 30,
                    location: "ZZPLACE"), by: ActingUser(f.caseManager))
            // (A search page repeats the words searched for, so the name is looked for whole.)
            // A risk alert on the restricted case (item 9 above 0): it names the client on alert lists.
            _ = try await f.assessment(app, case: kase, item9: 2)
            let markers = [
                "Zzmarker Quintanilla", client.id.uuidString.lowercased(), kase.id.uuidString.lowercased(), "ZZSECRET",
                "ZZTASK", "ZZPLACE"
            ]
            let cm = f.caseManager.id
            let pages = [
                "/clients?q=Quintanilla", "/clients?q=Zzmarker", "/team", "/staff/\(cm)/caseload", "/staff/\(cm)/today",
                "/workload", "/reviews", "/reports/data-quality/records?element=ssn&issue=missing",
                "/admin/audit", "/tasks"
            ]
            let apis = [
                "/api/v1/clients?q=Quintanilla", "/api/v1/workload", "/api/v1/reviews", "/api/v1/caseload",
                "/api/v1/today", "/api/v1/alerts"
            ]
            var leaks: [String] = []
            for s in [
                f.staff[.agencyAdmin]!, f.staff[.supervisor]!, f.staff[.auditor]!, f.staff[.programManager]!,
                f.caseManager2
            ] {
                for p in pages {
                    let r = try await app.web(.GET, p, as: s, fixture: f)
                    for m in markers where r.body.contains(m) { leaks.append("\(s.username) \(p): \(m)") }
                }
                for p in apis {
                    let r = try await app.api(.GET, p, as: s, fixture: f)
                    for m in markers where r.body.contains(m) { leaks.append("\(s.username) \(p): \(m)") }
                }
                for p in ["/clients/\(client.id)", "/cases/\(kase.id)", "/clients/\(client.id)/documents"] {
                    let r = try await app.web(.GET, p, as: s, fixture: f)
                    if r.status != .notFound { leaks.append("\(s.username) \(p): \(r.status.code)") }
                }
            }
            #expect(leaks.isEmpty, "\(leaks.joined(separator: "\n"))")
            // Its own staff see it: the case manager, and a colleague listed as program staff.
            #expect(
                try await app.web(.GET, "/cases/\(kase.id)", as: f.caseManager, fixture: f).body.contains("ZZSECRET"))
            try await store.setProgramStaff(programID: restricted.id, staffIDs: [f.caseManager2.id])
            #expect(
                try await app.web(.GET, "/cases/\(kase.id)", as: f.caseManager2, fixture: f).body.contains("ZZSECRET"))
            // The case manager's calendar feed carries the appointment without what it is or where.
            let token = "feed-\(UUID().uuidString)"
            try await TaskService(store: store, deps: testDeps).resetCalendarFeed(
                tokenHash: Tokens.hash(token), by: ActingUser(f.caseManager))
            let feed = try await app.send(.GET, "/calendar/\(token).ics", headers: [:], body: nil)
            #expect(feed.status == .ok && feed.body.contains("Restricted program appointment"))
            #expect(!feed.body.contains("ZZTASK") && !feed.body.contains("ZZPLACE"))
        }
    }

    @Test func aConfidentialClientIsShownUnderAnAliasInLists() async throws {
        try await withTrellis { app, f in
            let client = try await f.client(app, first: "Valentina", last: "Rosales")
            _ = try await f.openCase(app, client: client)
            let long = String(repeating: "x", count: 61)
            let bad = try await app.api(
                .PATCH, "/api/v1/clients/\(client.id)", as: f.caseManager, fixture: f, json: "{\"alias\":\"\(long)\"}",
                headers: ["If-Match": "\"1\""])
            #expect(bad.status == .unprocessableEntity && bad.body.contains("alias"))
            let set = try await app.api(
                .PATCH, "/api/v1/clients/\(client.id)", as: f.caseManager, fixture: f,
                json: #"{"alias":"Client R-17"}"#,
                headers: ["If-Match": "\"1\""])
            #expect(set.status == .ok)
            // Lists show the alias, never the name: search (by the real name), caseload, the API search.
            for (p, s) in [
                ("/clients?q=Rosales", f.caseManager), ("/caseload", f.caseManager),
                ("/clients?q=Rosales", f.caseManager2)
            ] {
                let page = try await app.web(.GET, p, as: s, fixture: f)
                #expect(page.body.contains("Client R-17"), "\(p) as \(s.username)")
                #expect(!page.body.contains("Valentina"), "\(p) as \(s.username) shows the name")
            }
            let api = try await app.api(.GET, "/api/v1/clients?q=Rosales", as: f.caseManager, fixture: f)
            #expect(api.body.contains("Client R-17") && !api.body.contains("Valentina"))
            // The record itself, for the care team, has the name and says the alias.
            let record = try await app.web(.GET, "/clients/\(client.id)", as: f.caseManager, fixture: f)
            #expect(record.body.contains("Valentina Rosales") && record.body.contains("Client R-17"))
            // Someone off the team sees the alias on the identity page too.
            let identity = try await app.web(.GET, "/clients/\(client.id)", as: f.caseManager2, fixture: f)
            #expect(identity.body.contains("Client R-17") && !identity.body.contains("Valentina"))
        }
    }

    /// A program of agency A restricted as a victim-service (VAWA) program, managed by no one.
    func restrictedProgram(_ app: Application, _ f: Fixture) async throws -> Program {
        var p = Program(
            id: UUID(), agencyID: f.agencyA.id, name: "Safe Harbor", type: .emergencyShelter, contactFrequencyDays: 30,
            createdAt: testNow)
        p.restriction = .domesticViolence
        try await SQLStore(database: app.db).insertProgram(p)
        return p
    }
}
