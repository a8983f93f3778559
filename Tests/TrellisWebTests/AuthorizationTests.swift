import Foundation
import Testing
import TrellisCore
import TrellisData
@testable import TrellisWeb
import VaporTesting

/// Who may use a route, by the rule that guards it.
enum Access {
    case signedIn          // any role in the record's agency
    case write             // any role but auditor
    case admin             // agency admin only
    case teamLeads         // supervisor, program manager, agency admin
    case accessHistory     // agency admin, auditor
    case caseUpdate        // the primary case manager, supervisor, program manager, admin
    case noteAuthor        // the note's author only
    case staffCaseload     // oneself; one's supervisor (same team); program manager; admin
    case language          // everyone (their own preference)
}

/// Every non-public route, with the rule that guards it. The test fails if a route is added without
/// being listed here.
let routeTable: [(HTTPMethod, String, Access)] = [
    (.GET, "/caseload", .signedIn), (.GET, "/team", .teamLeads), (.GET, "/staff/:staffID/caseload", .staffCaseload),
    (.GET, "/clients", .signedIn), (.POST, "/clients", .write), (.GET, "/clients/new", .write),
    (.GET, "/clients/:clientID", .signedIn), (.GET, "/clients/:clientID/edit", .write), (.POST, "/clients/:clientID/edit", .write),
    (.GET, "/clients/:clientID/history", .accessHistory), (.GET, "/clients/:clientID/cases/new", .write),
    (.POST, "/clients/:clientID/cases", .write),
    (.GET, "/cases/:caseID", .signedIn), (.POST, "/cases/:caseID", .caseUpdate),
    (.GET, "/cases/:caseID/notes/new", .write), (.POST, "/cases/:caseID/notes", .write),
    (.GET, "/notes/:noteID", .signedIn), (.GET, "/notes/:noteID/edit", .noteAuthor), (.POST, "/notes/:noteID/edit", .noteAuthor),
    (.POST, "/notes/:noteID/sign", .noteAuthor), (.GET, "/notes/:noteID/addendum", .write), (.POST, "/notes/:noteID/addendum", .write),
    (.GET, "/admin/users", .admin), (.POST, "/admin/users", .admin), (.GET, "/admin/programs", .admin),
    (.POST, "/admin/programs", .admin), (.POST, "/admin/teams", .admin), (.POST, "/me/language", .language),
    (.GET, "/me/password", .language), (.POST, "/me/password", .language),
    (.POST, "/api/v1/clients", .write), (.GET, "/api/v1/clients", .signedIn), (.GET, "/api/v1/clients/:clientID", .signedIn),
    (.PATCH, "/api/v1/clients/:clientID", .write), (.POST, "/api/v1/clients/:clientID/cases", .write),
    (.GET, "/api/v1/cases/:caseID", .signedIn), (.POST, "/api/v1/cases/:caseID/notes", .write),
    (.GET, "/api/v1/cases/:caseID/notes", .signedIn), (.GET, "/api/v1/notes/:noteID", .signedIn),
    (.POST, "/api/v1/notes/:noteID/sign", .noteAuthor), (.GET, "/api/v1/caseload", .signedIn),
    // Assessment, planning and alerts.
    (.GET, "/cases/:caseID/assessments/new", .write), (.POST, "/cases/:caseID/assessments", .write),
    (.GET, "/assessments/:assessmentID", .signedIn),
    (.GET, "/cases/:caseID/biopsychosocial/new", .write), (.POST, "/cases/:caseID/biopsychosocial", .write),
    (.GET, "/biopsychosocial/:bpsID", .signedIn),
    (.GET, "/cases/:caseID/plan", .signedIn), (.GET, "/cases/:caseID/plan/edit", .caseUpdate), (.POST, "/cases/:caseID/plan", .caseUpdate),
    (.POST, "/cases/:caseID/plan/review", .teamLeads), (.GET, "/cases/:caseID/progress", .signedIn),
    (.GET, "/alerts/:alertID", .signedIn), (.POST, "/alerts/:alertID/acknowledge", .caseUpdate),
    (.GET, "/admin/forms", .admin), (.GET, "/admin/forms/new", .admin), (.POST, "/admin/forms", .admin),
    (.GET, "/admin/forms/:code", .admin), (.POST, "/admin/forms/:code", .admin), (.POST, "/admin/programs/:programID/settings", .admin),
    (.GET, "/api/v1/instruments", .signedIn), (.GET, "/api/v1/instruments/:code", .signedIn),
    (.POST, "/api/v1/cases/:caseID/assessments", .write), (.GET, "/api/v1/cases/:caseID/assessments", .signedIn),
    (.GET, "/api/v1/assessments/:assessmentID", .signedIn),
    (.POST, "/api/v1/cases/:caseID/biopsychosocial", .write), (.GET, "/api/v1/biopsychosocial/:bpsID", .signedIn),
    (.GET, "/api/v1/alerts", .signedIn), (.POST, "/api/v1/alerts/:alertID/acknowledge", .caseUpdate),
    (.GET, "/api/v1/cases/:caseID/plan", .signedIn), (.PUT, "/api/v1/cases/:caseID/plan", .caseUpdate),
    (.GET, "/api/v1/cases/:caseID/plan/versions", .signedIn), (.POST, "/api/v1/cases/:caseID/plan/review", .teamLeads),
]

/// Routes anyone may reach.
let publicRoutes: Set<String> = ["GET /health", "GET /assets/app.css", "GET /api/openapi.json", "GET /", "GET /signin",
                                 "POST /signin", "POST /signout"]

func allowed(_ access: Access, _ s: StaffMember, _ f: Fixture) -> Bool {
    switch access {
    case .signedIn, .language: return true
    case .write: return s.role != .auditor
    case .admin: return s.role == .agencyAdmin
    case .teamLeads: return [.supervisor, .programManager, .agencyAdmin].contains(s.role)
    case .accessHistory: return [.agencyAdmin, .auditor].contains(s.role)
    case .caseUpdate: return s.id == f.caseManager.id || [.supervisor, .programManager, .agencyAdmin].contains(s.role)
    case .noteAuthor: return s.id == f.caseManager.id
    case .staffCaseload: return s.id == f.caseManager.id || [.programManager, .agencyAdmin].contains(s.role)
                                || (s.role == .supervisor && s.teamID == f.caseManager.teamID)
    }
}

@Suite("Authorization")
struct AuthorizationTests {
    @Test func everyRouteIsListedWithItsRule() async throws {
        try await withTrellis { app, _ in
            let registered = Set(app.routes.all.map { "\($0.method.rawValue) /" + $0.path.map(\.description).joined(separator: "/") })
            let listed = Set(routeTable.map { "\($0.0.rawValue) \($0.1)" })
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
            let (foreignAssessment, foreignAlerts) = try await f.assessment(app, case: foreignCase, by: f.otherAgencyStaff)
            let foreignBPS = try await f.biopsychosocial(app, case: foreignCase, by: f.otherAgencyStaff)
            _ = try await f.plan(app, case: foreignCase, by: f.otherAgencyStaff)
            let forms = FormService(store: SQLStore(database: app.db), deps: testDeps)
            let ownForm = try await forms.save(code: nil, FormDraft(title: "Housing barriers", purpose: "assessment",
                                                                    fields: [.init(label: "Evictions", kind: "number")]),
                                               expectedVersion: nil, by: f.actor(.agencyAdmin))
            var foreignForm = ownForm
            foreignForm.code = "form-foreign"; foreignForm.agencyID = f.agencyB.id
            try await SQLStore(database: app.db).insertInstrument(foreignForm, id: UUID(), createdBy: f.otherAgencyStaff.id, at: testNow)
            var failures: [String] = []

            for (method, template, access) in routeTable {
                for s in staff {
                    // Fresh records for each attempt, so one role's successful write cannot change what the next sees.
                    let client = try await f.client(app, first: "Own", last: "Client\(Int.random(in: 1000...9999))")
                    let kase = try await f.openCase(app, client: client)
                    let note = try await f.note(app, case: kase, sign: template.hasSuffix("/addendum"))
                    let needsAssessment = template.contains(":assessmentID") || template.contains(":alertID")
                    let (assessment, alerts) = needsAssessment ? try await f.assessment(app, case: kase) : (foreignAssessment, foreignAlerts)
                    let bps = template.contains(":bpsID") ? try await f.biopsychosocial(app, case: kase) : foreignBPS
                    if template.contains("/plan") { _ = try await f.plan(app, case: kase) }
                    for foreign in [false, true] {
                        let needsRecord = template.contains(":")
                        if foreign && !needsRecord { continue }
                        var path = template
                        path = path.replacingOccurrences(of: ":clientID", with: (foreign ? foreignClient.id : client.id).uuidString)
                        path = path.replacingOccurrences(of: ":caseID", with: (foreign ? foreignCase.id : kase.id).uuidString)
                        let noteID = foreign ? (template.hasSuffix("/addendum") ? foreignSigned.id : foreignNote.id) : note.id
                        path = path.replacingOccurrences(of: ":noteID", with: noteID.uuidString)
                        path = path.replacingOccurrences(of: ":staffID", with: (foreign ? f.otherAgencyStaff.id : f.caseManager.id).uuidString)
                        path = path.replacingOccurrences(of: ":assessmentID", with: (foreign ? foreignAssessment : assessment).id.uuidString)
                        path = path.replacingOccurrences(of: ":alertID", with: (foreign ? foreignAlerts : alerts)[0].id.uuidString)
                        path = path.replacingOccurrences(of: ":bpsID", with: (foreign ? foreignBPS : bps).id.uuidString)
                        path = path.replacingOccurrences(of: ":code", with: foreign ? foreignForm.code : ownForm.code)
                        path = path.replacingOccurrences(of: ":programID", with: (foreign ? f.programB : f.programA).id.uuidString)
                        if template.hasSuffix("/assessments/new") { path += "?instrument=phq9" }
                        let r: HTTPResult
                        if path.hasPrefix("/api/") {
                            r = try await app.api(method, path, as: s, fixture: f, json: method == .GET ? nil : "{}",
                                                  headers: method == .PATCH ? ["If-Match": "\"1\""] : [:])
                        } else {
                            r = try await app.web(method, path, as: s, fixture: f, form: [("language", "en"), ("return", "/caseload")])
                        }
                        let shouldAllow = !foreign && allowed(access, s, f)
                        let refused = [.forbidden, .notFound, .unauthorized].contains(r.status)
                        if r.status.code >= 500 { failures.append("\(method) \(template) as \(s.username) foreign=\(foreign): \(r.status)") }
                        if shouldAllow == refused {
                            failures.append("\(method) \(template) as \(s.username) foreign=\(foreign): expected \(shouldAllow ? "allowed" : "refused"), got \(r.status.code)")
                        }
                    }
                }
            }
            #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
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
            let cookieOnAPI = try await app.send(.GET, "/api/v1/caseload",
                                                 headers: ["Cookie": "\(SessionCookie.name)=\(f.sessions[f.caseManager.id]!.cookie)"], body: nil)
            #expect(cookieOnAPI.status == .unauthorized)
        }
    }
}
