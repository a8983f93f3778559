import Foundation
import Testing
@testable import TrellisCore
import TrellisData
@testable import TrellisWeb
import VaporTesting

/// The authorization walk's second half: every route that names a client's record (web and API), walked under
/// each care-team, consent and restriction state that changes who may use it. The first half
/// (`AuthorizationTests`) walks every route for every role on its own and another agency's records.
@Suite("Authorization by care team, consent and restriction")
struct AccessWalkTests {
    /// A state of the world and who is tried in it, with what each should get.
    struct Scenario {
        var name: String
        /// Whose record: a case in the restricted program, or in the ordinary one.
        var restricted: Bool
        var staff: [StaffMember]
        /// Prepares the fresh records (assign, break the glass, release) for one attempt.
        var setup: @Sendable (Application, Fixture, Records) async throws -> Void
        /// Whether `s` may use a route with this rule in this state.
        var allows: @Sendable (Access, StaffMember, Fixture) -> Bool
    }

    struct Records: Sendable {
        var client: Client
        var kase: Case
        var note: CaseNote
        var signed: CaseNote
        var assessment: Assessment
        var alert: RiskAlert
        var bps: BiopsychosocialAssessment
        /// A member of the client's household, for the routes that relate or remove one.
        var kin: Client? = nil
    }

    static func records(_ app: Application, _ f: Fixture, program: Program, kin: Bool = false) async throws
        -> Records
    {
        let store = SQLStore(database: app.db)
        let client = try await f.client(app, first: "Walk", last: "Client\(Int.random(in: 1000...9999))")
        let kase = try await CaseService(store: store, deps: testDeps).open(
            clientID: client.id,
            CaseInput(programID: program.id, primaryCaseManagerID: f.caseManager.id, openedOn: "2026-05-01"),
            by: f.actor(.caseManager))
        let note = try await f.note(app, case: kase)
        let signed = try await f.note(app, case: kase, sign: true)
        let (assessment, alerts) = try await f.assessment(app, case: kase, item9: 1)
        let bps = try await f.biopsychosocial(app, case: kase)
        _ = try await f.plan(app, case: kase)
        var member: Client? = nil
        if kin {
            let m = try await f.client(app, first: "Kin", last: "Client\(Int.random(in: 1000...9999))")
            _ = try await HouseholdService(store: store, deps: testDeps).add(
                m.id, relationship: 2, to: client.id, expectedVersion: nil, by: f.actor(.caseManager))
            member = m
        }
        return Records(
            client: client, kase: kase, note: note, signed: signed, assessment: assessment, alert: alerts[0], bps: bps,
            kin: member)
    }

    static func path(_ template: String, _ r: Records, _ f: Fixture) -> String {
        var p = template
        p = p.replacingOccurrences(of: ":clientID", with: r.client.id.uuidString)
        p = p.replacingOccurrences(of: ":caseID", with: r.kase.id.uuidString)
        p = p.replacingOccurrences(of: ":memberID", with: (r.kin ?? r.client).id.uuidString)
        p = p.replacingOccurrences(
            of: ":noteID", with: (template.hasSuffix("/addendum") ? r.signed : r.note).id.uuidString)
        p = p.replacingOccurrences(of: ":assessmentID", with: r.assessment.id.uuidString)
        p = p.replacingOccurrences(of: ":alertID", with: r.alert.id.uuidString)
        p = p.replacingOccurrences(of: ":bpsID", with: r.bps.id.uuidString)
        p = p.replacingOccurrences(of: ":staffID", with: f.staff[.auditor]!.id.uuidString)
        if template.hasSuffix("/assessments/new") { p += "?instrument=phq9" }
        return p
    }

    static let recordParams = [":clientID", ":caseID", ":noteID", ":assessmentID", ":alertID", ":bpsID"]

    @Test func everyRecordRouteUnderEveryCareTeamConsentAndRestrictionState() async throws {
        try await withTrellis { app, f in
            let store = SQLStore(database: app.db)
            var restricted = Program(
                id: UUID(), agencyID: f.agencyA.id, name: "Recovery House", type: .other, contactFrequencyDays: 30,
                createdAt: testNow)
            restricted.restriction = .substanceUse
            try await store.insertProgram(restricted)
            let cm2 = f.caseManager2
            let b = f.otherAgencyStaff
            let teamOnly: @Sendable (Access, StaffMember, Fixture) -> Bool = { access, s, f in
                // cm2 on the care team: as the walk's case manager, less what needs being the primary or the author.
                switch access {
                case .care, .careWrite, .signedIn, .write, .language: return true
                default: return false
                }
            }
            let scenarios: [Scenario] = [
                Scenario(
                    name: "assigned to the case", restricted: false, staff: [cm2],
                    setup: { app, f, r in
                        try await SQLStore(database: app.db).addCaseStaff(
                            caseID: r.kase.id, staffID: f.caseManager2.id, addedBy: f.caseManager.id, at: testNow)
                    }, allows: teamOnly),
                Scenario(
                    name: "break-the-glass grant in force", restricted: false, staff: [cm2],
                    setup: { app, f, r in
                        try await SQLStore(database: app.db).insertRecord(
                            AccessGrant(
                                id: UUID(), agencyID: f.agencyA.id, staffID: f.caseManager2.id, clientID: r.client.id,
                                reason: "Crisis at the front desk", createdAt: testNow,
                                expiresAt: testNow.addingTimeInterval(3600)))
                    }, allows: teamOnly),
                Scenario(
                    name: "break-the-glass grant ended", restricted: false, staff: [cm2],
                    setup: { app, f, r in
                        try await SQLStore(database: app.db).insertRecord(
                            AccessGrant(
                                id: UUID(), agencyID: f.agencyA.id, staffID: f.caseManager2.id, clientID: r.client.id,
                                reason: "Crisis at the front desk", createdAt: testNow.addingTimeInterval(-7200),
                                expiresAt: testNow.addingTimeInterval(-3600)))
                    }, allows: { access, _, _ in [.signedIn, .write, .language].contains(access) }),
                Scenario(
                    name: "another agency holding a release that covers everything", restricted: false, staff: [b],
                    setup: { app, f, r in
                        try await SQLStore(database: app.db).insertRecord(
                            Release(
                                id: UUID(), agencyID: f.agencyA.id, clientID: r.client.id, recipientKind: .agency,
                                recipientAgencyID: f.agencyB.id, recipientName: f.agencyB.name,
                                categories: ReleaseCategory.allCases, purpose: "Care",
                                startsOn: LocalDate("2026-01-01")!,
                                endsOn: LocalDate("2026-12-31")!, method: .verbal, witnessName: "W",
                                createdBy: f.caseManager.id, createdAt: testNow, version: 1))
                    }, allows: { _, _, _ in false }),
                Scenario(
                    name: "a restricted program's case, open agency policy", restricted: true,
                    staff: [
                        f.staff[.supervisor]!, f.staff[.programManager]!, f.staff[.agencyAdmin]!, f.staff[.auditor]!,
                        cm2
                    ],
                    setup: { app, f, _ in
                        try await SQLStore(database: app.db).setAccessPolicy(agencyID: f.agencyA.id, .open)
                    }, allows: { _, _, _ in false }),
                Scenario(
                    name: "a restricted program's case, its own staff", restricted: true, staff: [cm2],
                    setup: { app, f, r in
                        try await SQLStore(database: app.db).setProgramStaff(
                            programID: r.kase.programID, staffIDs: [f.caseManager2.id])
                    }, allows: teamOnly)
            ]
            let routes = routeTable.filter { _, template, _ in Self.recordParams.contains { template.contains($0) } }
            var failures: [String] = []
            var tried = 0
            for sc in scenarios {
                try await store.setAccessPolicy(agencyID: f.agencyA.id, .needToKnow)
                try await store.setProgramStaff(programID: restricted.id, staffIDs: [])
                for (method, template, access) in routes {
                    for s in sc.staff {
                        let r = try await Self.records(
                            app, f, program: sc.restricted ? restricted : f.programA,
                            kin: template.contains(":memberID"))
                        try await sc.setup(app, f, r)
                        if template.contains("/team/:staffID") {
                            try await store.addCaseStaff(
                                caseID: r.kase.id, staffID: f.staff[.auditor]!.id, addedBy: f.caseManager.id,
                                at: testNow)
                        }
                        let p = Self.path(template, r, f)
                        let res =
                            p.hasPrefix("/api/")
                            ? try await app.api(
                                method, p, as: s, fixture: f, json: method == .GET || method == .DELETE ? nil : "{}",
                                headers: method == .PATCH ? ["If-Match": "\"1\""] : [:])
                            : try await app.web(method, p, as: s, fixture: f, form: [("language", "en")])
                        let refused = [.forbidden, .notFound, .unauthorized].contains(res.status)
                        let expected = sc.allows(access, s, f)
                        if res.status.code >= 500 || expected == refused {
                            failures.append(
                                "\(sc.name): \(method) \(template) as \(s.username): expected \(expected ? "allowed" : "refused"), got \(res.status.code)"
                            )
                        }
                        tried += 1
                    }
                }
            }
            #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
            #expect(tried > 500, "walked \(tried) combinations")
            // Consent opens the shared view, and only for the agency it names.
            let r = try await Self.records(app, f, program: f.programA)
            let release = Release(
                id: UUID(), agencyID: f.agencyA.id, clientID: r.client.id, recipientKind: .agency,
                recipientAgencyID: f.agencyB.id, recipientName: f.agencyB.name, categories: [.identity],
                purpose: "Care", startsOn: LocalDate("2026-01-01")!, endsOn: LocalDate("2026-12-31")!, method: .verbal,
                witnessName: "W", createdBy: f.caseManager.id, createdAt: testNow, version: 1)
            try await store.insertRecord(release)
            for (s, allowed) in [(b, true), (cm2, false), (f.staff[.agencyAdmin]!, false)] {
                for p in ["/shared/\(release.id)", "/api/v1/shared/\(release.id)"] {
                    let res =
                        p.hasPrefix("/api/")
                        ? try await app.api(.GET, p, as: s, fixture: f) : try await app.web(.GET, p, as: s, fixture: f)
                    #expect((res.status == .ok) == allowed, "\(p) as \(s.username): \(res.status)")
                }
            }
        }
    }
}
