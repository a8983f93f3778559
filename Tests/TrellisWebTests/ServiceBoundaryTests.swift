import Foundation
import Testing
@testable import TrellisCore
import TrellisData
@testable import TrellisWeb
import VaporTesting

/// What handlers used to read from the store themselves now comes through services, which check the
/// policy and audit reads of client data. These pin the checks and audit entries that move added.
@Suite("Handlers through services")
struct ServiceBoundaryTests {
    /// How often `staff` is recorded as having viewed the client.
    func views(_ app: Application, client: Client, by staff: StaffMember) async throws -> Int {
        try await SQLStore(database: app.db).auditEntries(clientID: client.id, limit: 500, offset: 0)
            .filter { $0.action == AuditAction.clientView.rawValue && $0.actorID == staff.id }.count
    }

    @Test func staffLookupsNameOnlyTheActorsColleagues() async throws {
        try await withTrellis { app, f in
            let org = OrganizationService(store: SQLStore(database: app.db), deps: testDeps, hasher: app.trellis.hasher)
            let ids = [f.caseManager.id, f.otherAgencyStaff.id]
            let names = try await org.staffNames(ids, by: f.actor(.supervisor))
            #expect(names == [f.caseManager.id: f.caseManager.displayName])
            let members = try await org.staffMembers(ids: ids, by: f.actor(.supervisor))
            #expect(members.map(\.id) == [f.caseManager.id])
            // The other agency's case manager sees only their own agency's staff among the same ids.
            #expect(
                try await org.staffNames(ids, by: ActingUser(f.otherAgencyStaff)).keys.sorted {
                    $0.uuidString < $1.uuidString
                } == [f.otherAgencyStaff.id])
        }
    }

    @Test func readsBehindServicesCheckThePolicy() async throws {
        try await withTrellis { app, f in
            let store = SQLStore(database: app.db)
            let other = ActingUser(f.otherAgencyStaff)
            let client = try await f.client(app)
            let c = try await f.openCase(app, client: client)
            await #expect(throws: TrellisError.forbidden("Your role does not allow this.")) {
                try await OutcomeService(store: store, deps: testDeps).programsInScope(by: f.actor(.caseManager))
            }
            #expect(
                try await OutcomeService(store: store, deps: testDeps).programsInScope(by: f.actor(.agencyAdmin))
                    .map(\.id) == [f.programA.id])
            let org = OrganizationService(store: store, deps: testDeps, hasher: app.trellis.hasher)
            await #expect(throws: TrellisError.forbidden("Your role does not allow this.")) {
                try await org.programManagers(by: f.actor(.caseManager))
            }
            let households = HouseholdService(store: store, deps: testDeps)
            await #expect(throws: TrellisError.notFound("client")) {
                try await households.view(of: client.id, by: other)
            }
            await #expect(throws: TrellisError.forbidden("Your role does not allow this.")) {
                try await households.add(
                    client.id, relationship: 2, to: client.id, expectedVersion: nil, by: f.actor(.auditor))
            }
            let notes = NoteService(store: store, deps: testDeps)
            await #expect(throws: TrellisError.notFound("case")) {
                try await notes.formSubject(caseID: c.id, by: other)
            }
            let n = try await f.note(app, case: c)
            await #expect(throws: TrellisError.notFound("note")) {
                try await notes.formSubject(noteID: n.id, by: other)
            }
            let pdf = Data("%PDF-1.4\n1 0 obj\n".utf8)
            let docs = DocumentService(store: store, deps: testDeps)
            let d = try await docs.upload(
                clientID: client.id,
                DocumentUpload(
                    type: "identity", filename: "id.pdf", caseID: nil, description: nil, bytes: pdf,
                    sha256: sha256Hex(pdf)), by: f.actor(.caseManager))
            await #expect(throws: TrellisError.notFound("document")) { try await docs.document(d.id, by: other) }
            #expect(try await docs.document(d.id, by: f.actor(.auditor)).id == d.id)
            await #expect(throws: TrellisError.notFound("case")) {
                try await CaseService(store: store, deps: testDeps).readable(c.id, by: other)
            }
        }
    }

    @Test func noteFormsShownAgainAuditTheClientTheyName() async throws {
        try await withTrellis { app, f in
            let client = try await f.client(app, first: "Odalys", last: "Ferreira")
            let c = try await f.openCase(app, client: client)
            let before = try await views(app, client: client, by: f.caseManager)
            let bad: [(String, String)] = [
                ("contactType", ""), ("contactDate", "2026-06-01"), ("durationMinutes", "20"), ("format", "narrative"),
                ("narrative", "Met at the shelter.")
            ]
            let r = try await app.web(
                .POST, "/cases/\(c.id.uuidString.lowercased())/notes", as: f.caseManager, fixture: f, form: bad)
            #expect(r.status == .unprocessableEntity)
            #expect(r.body.contains("Odalys Ferreira"))
            #expect(try await views(app, client: client, by: f.caseManager) == before + 1)
            let n = try await f.note(app, case: c, sign: true)
            let a = try await app.web(
                .POST, "/notes/\(n.id.uuidString.lowercased())/addendum", as: f.caseManager, fixture: f, form: bad)
            #expect(a.status == .unprocessableEntity)
            #expect(a.body.contains("Odalys Ferreira"))
            #expect(try await views(app, client: client, by: f.caseManager) == before + 2)
            // The edit form of a draft, shown again: one view, however the failure is reported.
            let draft = try await f.note(app, case: c)
            let e = try await app.web(
                .POST, "/notes/\(draft.id.uuidString.lowercased())/edit", as: f.caseManager, fixture: f,
                form: bad + [("version", String(draft.version))])
            #expect(e.status == .unprocessableEntity)
            #expect(try await views(app, client: client, by: f.caseManager) == before + 3)
            // A stale version: the conflict is shown on the form, with one view as well.
            var good = bad
            good[0] = ("contactType", "phone")
            let stale = try await app.web(
                .POST, "/notes/\(draft.id.uuidString.lowercased())/edit", as: f.caseManager, fixture: f,
                form: good + [("version", String(draft.version + 5))])
            #expect(stale.status == .unprocessableEntity)
            #expect(stale.body.contains("This note was changed since you opened it."))
            #expect(try await views(app, client: client, by: f.caseManager) == before + 4)
        }
    }

    @Test func reassignmentFormAuditsTheClientsItLists() async throws {
        try await withTrellis { app, f in
            let client = try await f.client(app, first: "Teodoro", last: "Quintana")
            _ = try await f.openCase(app, client: client)
            let supervisor = f.staff[.supervisor]!
            let before = try await views(app, client: client, by: supervisor)
            let r = try await app.web(
                .GET, "/workload/reassign?from=\(f.caseManager.id.uuidString.lowercased())", as: supervisor, fixture: f)
            #expect(r.status == .ok)
            #expect(r.body.contains("Teodoro Quintana"))
            #expect(try await views(app, client: client, by: supervisor) == before + 1)
        }
    }

    @Test func theCasePageGathersItsSectionsInOneCall() async throws {
        try await withTrellis { app, f in
            let client = try await f.client(app)
            let c = try await f.openCase(app, client: client)
            _ = try await f.note(app, case: c)
            _ = try await f.assessment(app, case: c, item9: 1)
            _ = try await f.plan(app, case: c)
            let o = try await CaseService(store: SQLStore(database: app.db), deps: testDeps)
                .overview(c.id, by: f.actor(.caseManager))
            #expect(o.detail.case.id == c.id)
            #expect(o.authors[f.caseManager.id]?.displayName == f.caseManager.displayName)
            #expect(o.assessments.count == 1 && o.alerts.count == 1)
            #expect(o.plan.latest?.goals.count == 1)
            #expect(o.programNames[f.programA.id] == f.programA.name)
            await #expect(throws: TrellisError.notFound("case")) {
                try await CaseService(store: SQLStore(database: app.db), deps: testDeps)
                    .overview(c.id, by: ActingUser(f.otherAgencyStaff))
            }
        }
    }
}
