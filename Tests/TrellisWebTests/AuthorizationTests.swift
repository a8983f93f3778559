import Foundation
import Testing
@testable import TrellisCore
import TrellisData
@testable import TrellisWeb
import VaporTesting

/// Who may use a route, by the rule that guards it.
enum Access {
    case signedIn // any role in the record's agency
    /// The client's care team: primary case manager, assigned staff, the case manager's supervisor, the program's
    /// managers and staff, admin, auditor.
    case care
    case careWrite // the care team, less auditors
    case write // any role but auditor
    case admin // agency admin only
    case teamLeads // supervisor, program manager, agency admin
    case accessHistory // agency admin, auditor
    case caseUpdate // the primary case manager, supervisor, program manager, admin
    case noteAuthor // the note's author only
    case staffCaseload // oneself; one's supervisor (same team); program manager; admin
    case language // everyone (their own preference)
    case importers // agency admin, program manager
    case reports // everyone but case managers
}

/// Every non-public route, with the rule that guards it. The test fails if a route is added without
/// being listed here.
let routeTable: [(HTTPMethod, String, Access)] = [
    (.GET, "/caseload", .signedIn), (.GET, "/team", .teamLeads), (.GET, "/staff/:staffID/caseload", .staffCaseload),
    (.GET, "/clients", .signedIn), (.POST, "/clients", .write), (.GET, "/clients/new", .write),
    (.GET, "/clients/:clientID", .care), (.GET, "/clients/:clientID/edit", .careWrite),
    (.POST, "/clients/:clientID/edit", .careWrite),
    (.GET, "/clients/:clientID/history", .accessHistory), (.GET, "/clients/:clientID/household", .care),
    (.POST, "/clients/:clientID/household/members", .careWrite),
    (.POST, "/clients/:clientID/household/members/:memberID", .careWrite),
    (.POST, "/clients/:clientID/household/members/:memberID/remove", .careWrite),
    (.GET, "/api/v1/clients/:clientID/household", .care),
    (.GET, "/admin/programs/:programID/hud", .admin), (.POST, "/admin/programs/:programID/hud", .admin),
    (.GET, "/api/v1/programs/:programID/hud", .signedIn), (.PUT, "/api/v1/programs/:programID/hud", .admin),
    (.POST, "/api/v1/clients/:clientID/household/members", .careWrite),
    (.PATCH, "/api/v1/clients/:clientID/household/members/:memberID", .careWrite),
    (.DELETE, "/api/v1/clients/:clientID/household/members/:memberID", .careWrite),
    (.GET, "/clients/:clientID/cases/new", .write),
    (.POST, "/clients/:clientID/cases", .write),
    (.GET, "/cases/:caseID", .care), (.POST, "/cases/:caseID", .caseUpdate),
    (.GET, "/cases/:caseID/notes/new", .careWrite), (.POST, "/cases/:caseID/notes", .careWrite),
    (.GET, "/notes/:noteID", .care), (.GET, "/notes/:noteID/edit", .noteAuthor),
    (.POST, "/notes/:noteID/edit", .noteAuthor),
    (.POST, "/notes/:noteID/sign", .noteAuthor), (.GET, "/notes/:noteID/addendum", .careWrite),
    (.POST, "/notes/:noteID/addendum", .careWrite),
    (.GET, "/admin/users", .admin), (.POST, "/admin/users", .admin), (.GET, "/admin/programs", .admin),
    (.POST, "/admin/programs", .admin), (.POST, "/admin/teams", .admin), (.POST, "/me/language", .language),
    (.GET, "/me/password", .language), (.POST, "/me/password", .language),
    (.GET, "/me/keys", .language), (.POST, "/me/keys/tokens", .language),
    (.POST, "/me/keys/tokens/:tokenID/revoke", .language), (.POST, "/me/keys/sessions/end", .language),
    (.POST, "/me/keepalive", .language), (.POST, "/admin/users/:staffID/tokens/:tokenID/revoke", .admin),
    (.POST, "/admin/users/:staffID/sessions/end", .admin), (.GET, "/me/two-step", .language),
    (.POST, "/me/two-step/start", .language), (.POST, "/me/two-step/confirm", .language),
    (.POST, "/me/two-step/recovery-codes", .language), (.POST, "/me/two-step/off", .language),
    (.POST, "/admin/two-step", .admin), (.POST, "/admin/users/:staffID/two-step/reset", .admin),
    (.GET, "/admin/retention", .admin), (.POST, "/admin/retention", .admin), (.POST, "/admin/retention/purge", .admin),
    (.POST, "/api/v1/clients", .write), (.GET, "/api/v1/clients", .signedIn),
    (.GET, "/api/v1/clients/:clientID", .care),
    (.PATCH, "/api/v1/clients/:clientID", .careWrite), (.POST, "/api/v1/clients/:clientID/cases", .write),
    (.GET, "/api/v1/cases/:caseID", .care), (.POST, "/api/v1/cases/:caseID/notes", .careWrite),
    (.GET, "/api/v1/cases/:caseID/notes", .care), (.GET, "/api/v1/notes/:noteID", .care),
    (.POST, "/api/v1/notes/:noteID/sign", .noteAuthor), (.GET, "/api/v1/caseload", .signedIn),
    // Assessment, planning and alerts.
    (.GET, "/cases/:caseID/assessments/new", .careWrite), (.POST, "/cases/:caseID/assessments", .careWrite),
    (.GET, "/assessments/:assessmentID", .care),
    (.GET, "/cases/:caseID/biopsychosocial/new", .careWrite), (.POST, "/cases/:caseID/biopsychosocial", .careWrite),
    (.GET, "/biopsychosocial/:bpsID", .care),
    (.GET, "/cases/:caseID/plan", .care), (.GET, "/cases/:caseID/plan/edit", .caseUpdate),
    (.POST, "/cases/:caseID/plan", .caseUpdate),
    (.POST, "/cases/:caseID/plan/review", .teamLeads), (.GET, "/cases/:caseID/progress", .care),
    (.GET, "/alerts/:alertID", .care), (.POST, "/alerts/:alertID/acknowledge", .caseUpdate),
    (.GET, "/admin/forms", .admin), (.GET, "/admin/forms/new", .admin), (.POST, "/admin/forms", .admin),
    (.GET, "/admin/forms/:code", .admin), (.POST, "/admin/forms/:code", .admin),
    (.POST, "/admin/programs/:programID/settings", .admin),
    (.GET, "/api/v1/instruments", .signedIn), (.GET, "/api/v1/instruments/:code", .signedIn),
    (.POST, "/api/v1/cases/:caseID/assessments", .careWrite), (.GET, "/api/v1/cases/:caseID/assessments", .care),
    (.GET, "/api/v1/assessments/:assessmentID", .care),
    (.POST, "/api/v1/cases/:caseID/biopsychosocial", .careWrite), (.GET, "/api/v1/biopsychosocial/:bpsID", .care),
    (.GET, "/api/v1/alerts", .signedIn), (.POST, "/api/v1/alerts/:alertID/acknowledge", .caseUpdate),
    (.GET, "/api/v1/cases/:caseID/plan", .care), (.PUT, "/api/v1/cases/:caseID/plan", .caseUpdate),
    (.GET, "/api/v1/cases/:caseID/plan/versions", .care), (.POST, "/api/v1/cases/:caseID/plan/review", .teamLeads),
    // Directory, referrals, services, tasks, advocacy, letters, documents, closure and reports.
    (.GET, "/directory", .signedIn), (.GET, "/directory/new", .write), (.POST, "/directory", .write),
    (.GET, "/directory/import", .importers), (.POST, "/directory/import", .importers),
    (.GET, "/tasks", .signedIn), (.GET, "/tasks/new", .write), (.POST, "/tasks", .write),
    (.GET, "/tasks/week", .signedIn),
    (.POST, "/me/calendar", .language),
    (.GET, "/reports", .reports), (.GET, "/reports/referrals", .reports), (.GET, "/reports/services", .reports),
    (.GET, "/admin/letters", .admin), (.POST, "/admin/letters", .admin),
    (.GET, "/cases/:caseID/referrals/new", .careWrite), (.POST, "/cases/:caseID/referrals", .careWrite),
    (.GET, "/cases/:caseID/services/new", .careWrite), (.POST, "/cases/:caseID/services", .careWrite),
    (.GET, "/cases/:caseID/advocacy/new", .careWrite), (.POST, "/cases/:caseID/advocacy", .careWrite),
    (.GET, "/cases/:caseID/letters/new", .careWrite), (.POST, "/cases/:caseID/letters", .careWrite),
    (.GET, "/cases/:caseID/close", .caseUpdate), (.POST, "/cases/:caseID/close", .caseUpdate),
    (.POST, "/cases/:caseID/reopen", .caseUpdate),
    (.GET, "/cases/:caseID/transfer", .teamLeads), (.POST, "/cases/:caseID/transfer", .teamLeads),
    (.GET, "/clients/:clientID/documents", .care), (.POST, "/clients/:clientID/documents", .careWrite),
    (.GET, "/api/v1/directory/services", .signedIn), (.POST, "/api/v1/directory/services", .write),
    (.POST, "/api/v1/directory/import", .importers),
    (.GET, "/api/v1/tasks", .signedIn), (.POST, "/api/v1/tasks", .write), (.GET, "/api/v1/letter-templates", .signedIn),
    (.GET, "/api/v1/cases/:caseID/referrals", .care), (.POST, "/api/v1/cases/:caseID/referrals", .careWrite),
    (.GET, "/api/v1/cases/:caseID/services", .care), (.POST, "/api/v1/cases/:caseID/services", .careWrite),
    (.GET, "/api/v1/cases/:caseID/advocacy", .care), (.POST, "/api/v1/cases/:caseID/advocacy", .careWrite),
    (.GET, "/api/v1/cases/:caseID/letters", .care), (.POST, "/api/v1/cases/:caseID/letters", .careWrite),
    (.GET, "/api/v1/clients/:clientID/documents", .care), (.POST, "/api/v1/clients/:clientID/documents", .careWrite),
    (.POST, "/api/v1/cases/:caseID/closure", .caseUpdate), (.POST, "/api/v1/cases/:caseID/reopen", .caseUpdate),
    (.POST, "/api/v1/cases/:caseID/transfer", .teamLeads), (.GET, "/api/v1/cases/:caseID/history", .care),
    (.GET, "/api/v1/reports/referrals", .reports), (.GET, "/api/v1/reports/services", .reports),
    // Who needs me today, workload, reviews, outcome and data-quality reports.
    (.GET, "/today", .signedIn), (.GET, "/staff/:staffID/today", .staffCaseload), (.GET, "/api/v1/today", .signedIn),
    (.GET, "/workload", .reports), (.GET, "/api/v1/workload", .reports),
    (.GET, "/workload/reassign", .teamLeads), (.POST, "/workload/reassign", .teamLeads),
    (.POST, "/api/v1/workload/reassign", .teamLeads),
    (.GET, "/reviews", .teamLeads), (.GET, "/api/v1/reviews", .teamLeads),
    (.GET, "/reports/outcomes/:report", .reports), (.GET, "/api/v1/reports/outcomes/:report", .reports),
    (.GET, "/reports/data-quality", .reports), (.GET, "/reports/data-quality/records", .reports),
    (.GET, "/api/v1/reports/data-quality", .reports),
    (.POST, "/admin/programs/:programID/supervision", .admin),
    (.GET, "/admin/users/:staffID", .admin), (.GET, "/admin/audit", .accessHistory),
    (.GET, "/admin/audit/chain", .accessHistory),
    (.GET, "/admin/audit/chain/head.txt", .accessHistory), (.POST, "/admin/audit/chain", .accessHistory),
    (.POST, "/admin/letterhead", .admin),
    (.POST, "/admin/users/:staffID", .admin),
    (.POST, "/admin/users/:staffID/active", .admin), (.POST, "/admin/users/:staffID/unlock", .admin),
    (.POST, "/admin/users/:staffID/password", .admin), (.GET, "/admin/programs/:programID", .admin),
    (.POST, "/admin/programs/:programID", .admin),
    // Need-to-know: anyone who knows of the client may ask or break the glass (a member is told they are on the
    // team already); the people who may change a case change its care team.
    (.POST, "/clients/:clientID/break-glass", .signedIn), (.POST, "/clients/:clientID/access-request", .signedIn),
    (.POST, "/cases/:caseID/team", .caseUpdate), (.POST, "/cases/:caseID/team/:staffID/remove", .caseUpdate),
    (.GET, "/admin/access", .admin), (.POST, "/admin/access", .admin),
    (.POST, "/admin/programs/:programID/access", .admin),
    (.POST, "/api/v1/clients/:clientID/break-glass", .signedIn),
    (.POST, "/api/v1/clients/:clientID/access-requests", .signedIn), (.GET, "/api/v1/cases/:caseID/team", .care),
    (.POST, "/api/v1/cases/:caseID/team", .caseUpdate), (.DELETE, "/api/v1/cases/:caseID/team/:staffID", .caseUpdate),
    // Releases of information, shared records, the accounting of disclosures.
    (.GET, "/clients/:clientID/releases/new", .careWrite), (.POST, "/clients/:clientID/releases", .careWrite),
    (.GET, "/clients/:clientID/disclosures", .care), (.GET, "/shared", .write), (.POST, "/admin/continuum", .admin),
    (.GET, "/api/v1/clients/:clientID/releases", .care), (.POST, "/api/v1/clients/:clientID/releases", .careWrite),
    (.GET, "/api/v1/clients/:clientID/disclosures", .care)
]

/// Routes that name a coordination record by id. Each is checked in `recordRoutesRefuseAnotherAgencysRecords`:
/// no one may reach another agency's record through them.
let recordRouteTable: [(HTTPMethod, String)] = [
    (.GET, "/directory/:serviceID"), (.GET, "/directory/:serviceID/edit"), (.POST, "/directory/:serviceID/edit"),
    (.GET, "/referrals/:referralID"), (.POST, "/referrals/:referralID/status"), (.GET, "/referrals/:referralID/print"),
    (.GET, "/tasks/:taskID"), (.POST, "/tasks/:taskID/status"), (.GET, "/tasks/:taskID/edit"),
    (.POST, "/tasks/:taskID"), (.POST, "/tasks/:taskID/snooze"), (.GET, "/advocacy/:advocacyID"),
    (.POST, "/advocacy/:advocacyID"),
    (.GET, "/letters/:letterID"), (.GET, "/letters/:letterID/pdf"), (.GET, "/admin/letters/:templateID"),
    (.POST, "/admin/letters/:templateID"),
    (.GET, "/documents/:documentID"), (.POST, "/documents/:documentID/delete"),
    (.GET, "/api/v1/directory/services/:serviceID"), (.PUT, "/api/v1/directory/services/:serviceID"),
    (.GET, "/api/v1/referrals/:referralID"), (.POST, "/api/v1/referrals/:referralID/status"),
    (.POST, "/api/v1/tasks/:taskID/status"), (.GET, "/api/v1/tasks/:taskID"), (.PATCH, "/api/v1/tasks/:taskID"),
    (.POST, "/api/v1/tasks/:taskID/snooze"),
    (.PUT, "/api/v1/advocacy/:advocacyID"), (.GET, "/api/v1/letters/:letterID"),
    (.GET, "/api/v1/documents/:documentID"), (.DELETE, "/api/v1/documents/:documentID"),
    (.POST, "/reviews/closures/:closureRequestID"), (.POST, "/reviews/notes/:noteReviewID"),
    (.POST, "/api/v1/reviews/closures/:closureRequestID"), (.POST, "/api/v1/reviews/notes/:noteReviewID"),
    (.GET, "/releases/:releaseID"), (.POST, "/releases/:releaseID/revoke"), (.GET, "/shared/:releaseID"),
    (.POST, "/referrals/:referralID/accept"), (.GET, "/api/v1/releases/:releaseID"),
    (.POST, "/api/v1/releases/:releaseID/revoke"), (.GET, "/api/v1/shared/:releaseID"),
    (.POST, "/api/v1/referrals/:referralID/accept")
]

/// Routes anyone may reach.
let publicRoutes: Set<String> = [
    "GET /health", "GET /assets/app.css", "GET /assets/session.js", "GET /api/openapi.json", "GET /", "GET /signin",
    "POST /signin", "POST /signout", "GET /calendar/:token",
    "GET /signin/code", "POST /signin/code"
]

/// The care team of the walk's cases (primary case manager fx-casemanager, team A): everyone in the fixture but the
/// case manager of team A2 (no case of theirs, not assigned, another team).
func onCareTeam(_ s: StaffMember, _ f: Fixture) -> Bool { s.id != f.caseManager2.id }

func allowed(_ access: Access, _ s: StaffMember, _ f: Fixture) -> Bool {
    switch access {
    case .signedIn, .language: return true
    case .care: return onCareTeam(s, f)
    case .careWrite: return onCareTeam(s, f) && s.role != .auditor
    case .write: return s.role != .auditor
    case .admin: return s.role == .agencyAdmin
    case .teamLeads: return [.supervisor, .programManager, .agencyAdmin].contains(s.role)
    case .accessHistory: return [.agencyAdmin, .auditor].contains(s.role)
    case .importers: return [.agencyAdmin, .programManager].contains(s.role)
    case .reports: return s.role != .caseManager
    case .caseUpdate: return s.id == f.caseManager.id || [.supervisor, .programManager, .agencyAdmin].contains(s.role)
    case .noteAuthor: return s.id == f.caseManager.id
    case .staffCaseload:
        return s.id == f.caseManager.id || [.programManager, .agencyAdmin].contains(s.role)
            || (s.role == .supervisor && s.teamID == f.caseManager.teamID)
    }
}

@Suite("Authorization")
struct AuthorizationTests {
    @Test func everyRouteIsListedWithItsRule() async throws {
        try await withTrellis { app, _ in
            let registered = Set(
                app.routes.all.map { "\($0.method.rawValue) /" + $0.path.map(\.description).joined(separator: "/") })
            let listed = Set(
                routeTable.map { "\($0.0.rawValue) \($0.1)" } + recordRouteTable.map { "\($0.0.rawValue) \($0.1)" })
            #expect(registered.subtracting(publicRoutes).subtracting(listed).isEmpty, "routes without a rule")
            #expect(listed.subtracting(registered).isEmpty, "rules for routes that do not exist")
        }
    }

    /// Walks every route for every role, on its own agency's records and on another agency's, and
    /// checks that exactly the forbidden combinations are refused.
    @Test func everyRoleOnEveryRouteOnOwnAndOtherAgencyRecords() async throws {
        try await withTrellis { app, f in
            let staff = Array(f.staff.values).sorted { $0.username < $1.username } + [f.caseManager2]
            // Records owned by agency B, which no one in agency A may reach.
            let foreignClient = try await f.client(app, by: f.otherAgencyStaff, first: "Foreign", last: "Person")
            let foreignCase = try await f.openCase(app, client: foreignClient, by: f.otherAgencyStaff)
            let foreignNote = try await f.note(app, case: foreignCase, by: f.otherAgencyStaff)
            let foreignSigned = try await f.note(app, case: foreignCase, by: f.otherAgencyStaff, sign: true)
            let (foreignAssessment, foreignAlerts) = try await f.assessment(
                app, case: foreignCase, by: f.otherAgencyStaff)
            let foreignBPS = try await f.biopsychosocial(app, case: foreignCase, by: f.otherAgencyStaff)
            _ = try await f.plan(app, case: foreignCase, by: f.otherAgencyStaff)
            let forms = FormService(store: SQLStore(database: app.db), deps: testDeps)
            let ownForm = try await forms.save(
                code: nil,
                FormDraft(
                    title: "Housing barriers", purpose: "assessment",
                    fields: [.init(label: "Evictions", kind: "number")]),
                expectedVersion: nil, by: f.actor(.agencyAdmin))
            var foreignForm = ownForm
            foreignForm.code = "form-foreign"
            foreignForm.agencyID = f.agencyB.id
            try await SQLStore(database: app.db).insertInstrument(
                foreignForm, id: UUID(), createdBy: f.otherAgencyStaff.id, at: testNow)
            var failures: [String] = []

            for (method, template, access) in routeTable {
                for s in staff {
                    // Fresh records for each attempt, so one role's successful write cannot change what the next sees.
                    let client = try await f.client(app, first: "Own", last: "Client\(Int.random(in: 1000...9999))")
                    let kase = try await f.openCase(app, client: client)
                    let note = try await f.note(app, case: kase, sign: template.hasSuffix("/addendum"))
                    let needsAssessment = template.contains(":assessmentID") || template.contains(":alertID")
                    let (assessment, alerts) =
                        needsAssessment ? try await f.assessment(app, case: kase) : (foreignAssessment, foreignAlerts)
                    let bps = template.contains(":bpsID") ? try await f.biopsychosocial(app, case: kase) : foreignBPS
                    if template.contains("/plan") { _ = try await f.plan(app, case: kase) }
                    // An admin's settings post in the walk may have cleared the program's managers: restore them.
                    try await SQLStore(database: app.db).setProgramManagers(
                        programID: f.programA.id, staffIDs: [f.staff[.programManager]!.id])
                    // Someone on the care team to take off it: the auditor, whose access does not rest on it.
                    let member = f.staff[.auditor]!
                    if template.contains("/team/:staffID") {
                        try await SQLStore(database: app.db).addCaseStaff(
                            caseID: kase.id, staffID: member.id, addedBy: f.caseManager.id, at: testNow)
                    }
                    // A member of the client's household to relate or take out.
                    var kin: Client? = nil
                    if template.contains(":memberID") {
                        let m = try await f.client(app, first: "Kin", last: "Client\(Int.random(in: 1000...9999))")
                        _ = try await HouseholdService(store: SQLStore(database: app.db), deps: testDeps).add(
                            m.id, relationship: 2, to: client.id, expectedVersion: nil, by: f.actor(.caseManager))
                        kin = m
                    }
                    for foreign in [false, true] {
                        // A report's name is not a record: there is no other agency's version of it.
                        let needsRecord = template.contains(":") && !template.hasSuffix(":report")
                        if foreign && !needsRecord { continue }
                        var path = template
                        path = path.replacingOccurrences(
                            of: ":clientID", with: (foreign ? foreignClient.id : client.id).uuidString)
                        path = path.replacingOccurrences(
                            of: ":caseID", with: (foreign ? foreignCase.id : kase.id).uuidString)
                        path = path.replacingOccurrences(
                            of: ":memberID", with: (foreign ? foreignClient.id : kin?.id ?? client.id).uuidString)
                        let noteID =
                            foreign ? (template.hasSuffix("/addendum") ? foreignSigned.id : foreignNote.id) : note.id
                        path = path.replacingOccurrences(of: ":noteID", with: noteID.uuidString)
                        path = path.replacingOccurrences(
                            of: ":staffID",
                            with: (foreign
                                ? f.otherAgencyStaff.id : template.contains("/team/") ? member.id : f.caseManager.id)
                                .uuidString)
                        path = path.replacingOccurrences(
                            of: ":assessmentID", with: (foreign ? foreignAssessment : assessment).id.uuidString)
                        path = path.replacingOccurrences(
                            of: ":alertID", with: (foreign ? foreignAlerts : alerts)[0].id.uuidString)
                        path = path.replacingOccurrences(of: ":bpsID", with: (foreign ? foreignBPS : bps).id.uuidString)
                        path = path.replacingOccurrences(of: ":code", with: foreign ? foreignForm.code : ownForm.code)
                        path = path.replacingOccurrences(
                            of: ":programID", with: (foreign ? f.programB : f.programA).id.uuidString)
                        path = path.replacingOccurrences(of: ":report", with: "goals")
                        if template.contains(":tokenID") {
                            // A token of the user the route names: one's own on /me, the case manager's on an
                            // administrator's page, another agency's user's for the foreign attempt.
                            let owner = foreign ? f.otherAgencyStaff : template.hasPrefix("/me") ? s : f.caseManager
                            let token = APITokenRecord(
                                id: UUID(), tokenHash: Tokens.hash(UUID().uuidString), staffID: owner.id,
                                createdAt: testNow, name: "Walk")
                            try await SQLStore(database: app.db).insertAPIToken(token)
                            path = path.replacingOccurrences(of: ":tokenID", with: token.id.uuidString)
                        }
                        if template.hasSuffix("/assessments/new") { path += "?instrument=phq9" }
                        let r: HTTPResult
                        if path.hasPrefix("/api/") {
                            r = try await app.api(
                                method, path, as: s, fixture: f, json: method == .GET || method == .DELETE ? nil : "{}",
                                headers: method == .PATCH ? ["If-Match": "\"1\""] : [:])
                        } else {
                            r = try await app.web(
                                method, path, as: s, fixture: f, form: [("language", "en"), ("return", "/caseload")])
                        }
                        let shouldAllow = !foreign && allowed(access, s, f)
                        let refused = [.forbidden, .notFound, .unauthorized].contains(r.status)
                        if r.status.code >= 500 {
                            failures.append("\(method) \(template) as \(s.username) foreign=\(foreign): \(r.status)")
                        }
                        if shouldAllow == refused {
                            failures.append(
                                "\(method) \(template) as \(s.username) foreign=\(foreign): expected \(shouldAllow ? "allowed" : "refused"), got \(r.status.code)"
                            )
                        }
                    }
                }
            }
            #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
        }
    }

    @Test func recordRoutesRefuseAnotherAgencysRecords() async throws {
        try await withTrellis { app, f in
            let store = SQLStore(database: app.db)
            let client = try await f.client(app, by: f.otherAgencyStaff, first: "Foreign", last: "Person")
            let kase = try await f.openCase(app, client: client, by: f.otherAgencyStaff)
            let b = f.agencyB.id
            let who = f.otherAgencyStaff.id
            let org = ResourceOrganization(id: UUID(), agencyID: b, name: "Foreign org", updatedAt: testNow, version: 1)
            let svc = ResourceService(
                id: UUID(), agencyID: b, organizationID: org.id, name: "Foreign service", status: "active",
                categories: [], needs: [],
                languages: [], contacts: [], locations: [], updatedAt: testNow, version: 1)
            let referral = Referral(
                id: UUID(), agencyID: b, caseID: kase.id, clientID: client.id, providerName: "X", reason: "Y",
                status: .draft,
                events: [], createdBy: who, createdAt: testNow, updatedAt: testNow, version: 1)
            let task = CaseTask(
                id: UUID(), agencyID: b, assigneeID: who, caseID: kase.id, clientID: client.id, kind: .task, title: "T",
                dueOn: LocalDate("2026-01-01")!, status: .open, source: .manual, createdBy: who, createdAt: testNow,
                version: 1)
            let adv = AdvocacyAction(
                id: UUID(), agencyID: b, caseID: kase.id, clientID: client.id, kind: .appeal, issue: .eviction,
                otherParty: "L",
                status: .preparing, outcome: .pending, createdBy: who, createdAt: testNow, updatedAt: testNow,
                version: 1)
            let tmpl = LetterTemplate(
                id: UUID(), agencyID: b, name: "T", body: "B", updatedAt: testNow, updatedBy: who, version: 1)
            let letter = Letter(
                id: UUID(), agencyID: b, caseID: kase.id, clientID: client.id, templateID: tmpl.id, title: "L",
                body: "B",
                createdBy: who, createdAt: testNow, version: 1)
            let doc = StoredDocument(
                id: UUID(), agencyID: b, clientID: client.id, type: .identity, filename: "id.pdf",
                contentType: "application/pdf",
                size: 9, sha256: "", uploadedBy: who, uploadedAt: testNow, version: 1)
            try await store.insertRecord(org)
            try await store.insertRecord(svc)
            try await store.insertRecord(referral)
            try await store.insertRecord(task)
            try await store.insertRecord(adv)
            try await store.insertRecord(tmpl)
            try await store.insertRecord(letter)
            try await store.insertRecord(doc)
            try await store.insertDocumentContent(id: doc.id, bytes: Data("%PDF-1.4\n".utf8))
            let closure = ClosureRequest(
                id: UUID(), agencyID: b, caseID: kase.id, clientID: client.id, programID: f.programB.id,
                caseManagerID: who,
                requestedBy: who, requestedAt: testNow, input: ClosureInput(reason: "goals_achieved", destination: 410),
                status: .pending, version: 1)
            let foreignNote = try await f.note(app, case: kase, by: f.otherAgencyStaff, sign: true)
            let review = NoteReview(
                id: UUID(), agencyID: b, caseID: kase.id, clientID: client.id, noteID: foreignNote.id,
                programID: f.programB.id,
                authorID: who, submittedAt: testNow, status: .pending, version: 1)
            try await store.insertRecord(closure)
            try await store.insertRecord(review)
            // Agency B's client's release to an outside organization: not agency A's to read, revoke or follow.
            let release = Release(
                id: UUID(), agencyID: b, clientID: client.id, recipientKind: .organization, recipientAgencyID: nil,
                recipientName: "Clinic", categories: [.identity, .caseNotes], purpose: "Care",
                startsOn: LocalDate("2026-01-01")!,
                endsOn: LocalDate("2026-12-31")!, method: .verbal, witnessName: "W", createdBy: who, createdAt: testNow,
                version: 1)
            try await store.insertRecord(release)
            let ids = [
                ":serviceID": svc.id, ":referralID": referral.id, ":taskID": task.id, ":advocacyID": adv.id,
                ":letterID": letter.id,
                ":templateID": tmpl.id, ":documentID": doc.id, ":closureRequestID": closure.id,
                ":noteReviewID": review.id, ":releaseID": release.id
            ]
            var failures: [String] = []
            for (method, template) in recordRouteTable {
                var path = template
                for (k, v) in ids { path = path.replacingOccurrences(of: k, with: v.uuidString) }
                for s in Array(f.staff.values) + [f.caseManager2] {
                    let r =
                        path.hasPrefix("/api/")
                        ? try await app.api(
                            method, path, as: s, fixture: f, json: method == .GET || method == .DELETE ? nil : "{}",
                            headers: ["If-Match": "\"1\""])
                        : try await app.web(
                            method, path, as: s, fixture: f,
                            form: [("status", "sent"), ("version", "1"), ("reason", "x"), ("decision", "approve")])
                    if ![.forbidden, .notFound].contains(r.status) {
                        failures.append("\(method) \(template) as \(s.username): \(r.status.code)")
                    }
                }
            }
            #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
            // Nothing of agency B's changed or went.
            #expect(try await store.record(Referral.self, id: referral.id) == referral)
            #expect(try await store.documentContent(id: doc.id) != nil)
            #expect(try await store.record(ClosureRequest.self, id: closure.id) == closure)
            #expect(try await store.case(id: kase.id)?.status == .open)
            #expect(try await store.record(NoteReview.self, id: review.id) == review)
        }
    }

    @Test func aSignedOutBrowserIsSentToSignInAndAnAPICallWithABadTokenIs401() async throws {
        try await withTrellis { app, f in
            let page = try await app.web(.GET, "/caseload", as: nil, fixture: f)
            #expect(page.status == .seeOther || page.status == .found)
            #expect(page.headers.first(name: .location) == "/signin")
            let api = try await app.send(.GET, "/api/v1/caseload", headers: ["Authorization": "Bearer nope"], body: nil)
            #expect(api.status == .unauthorized)
            // A web session cookie is not an API credential.
            let cookieOnAPI = try await app.send(
                .GET, "/api/v1/caseload",
                headers: ["Cookie": "\(SessionCookie.name)=\(f.sessions[f.caseManager.id]!.cookie)"], body: nil)
            #expect(cookieOnAPI.status == .unauthorized)
        }
    }
}
