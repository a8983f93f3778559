import Foundation
import SQLKit
import Testing
import TrellisCore
import TrellisData
@testable import TrellisWeb
import VaporTesting

/// Retention (issue 15, point 9): the agency's period, the clients due, the confirmed removal of their personal
/// data, reports that count the same afterwards, and the audit chain recording it.
@Suite("Retention")
struct RetentionTests {
    /// A client served in 2017–2018: a case opened, a signed note, a household member, a document, and the case
    /// closed in March 2018; nothing changed since.
    /// `more` adds records while the case is still open.
    static func oldClient(
        _ app: Application, _ f: Fixture, last: String,
        more: (Client, Case) async throws -> Void = { _, _ in }
    ) async throws -> (Client, Case) {
        let client = try await f.client(app, first: "Marisol", last: last, ssn: "123-45-6789", ssnQuality: 1)
        let kase = try await f.openCase(app, client: client)
        try await more(client, kase)
        _ = try await f.note(app, case: kase, date: "2026-06-01", sign: true)
        _ = try await f.plan(app, case: kase)
        _ = try await TaskService(store: SQLStore(database: app.db), deps: testDeps).create(
            TaskInput(
                title: "Call Marisol \(last) about the lease", details: "Her sister's number is in the file",
                caseID: kase.id, dueOn: "2026-06-20"), by: f.actor(.caseManager))
        // A son of his own record, named unlike her: what the page and search show of her must be nothing.
        let son = try await f.client(app, first: "Tomas", last: "Ortega", dob: "2010-02-03")
        _ = try await HouseholdService(store: SQLStore(database: app.db), deps: testDeps).add(
            son.id, relationship: 2, to: client.id, expectedVersion: nil, by: f.actor(.caseManager))
        let old = Date(timeIntervalSince1970: 1_520_000_000) // 2018-03-02
        try await app.sql.raw(
            """
            UPDATE cases SET opened_on = '2017-01-10', status = 'closed', closed_on = '2018-03-01', \
            exit_destination = 410 WHERE id = \(bind: kase.id)
            """
        ).run()
        try await app.sql.raw("UPDATE clients SET updated_at = \(bind: old) WHERE id = \(bind: client.id)").run()
        let bytes = Data("%PDF-1.4 \(last)".utf8)
        _ = try await DocumentService(store: SQLStore(database: app.db), deps: testDeps).upload(
            clientID: client.id,
            DocumentUpload(
                type: "identity", filename: "\(last)-id.pdf", caseID: nil, description: "ID for \(last)",
                bytes: bytes, sha256: sha256Hex(bytes)), by: f.actor(.caseManager))
        try await app.sql.raw("UPDATE clients SET updated_at = \(bind: old) WHERE id = \(bind: client.id)").run()
        return (client, kase)
    }

    @Test func dueClientsAreListedAndTheirPersonalDataRemovedWhileReportsCountTheSame() async throws {
        try await withTrellis { app, f in
            let admin = f.staff[.agencyAdmin]!
            let (gone, kase) = try await Self.oldClient(app, f, last: "Quintanilla")
            // Kept: a client changed recently, and one whose case is still open.
            let recent = try await f.client(app, first: "Recent", last: "Person")
            let open = try await f.client(app, first: "Open", last: "Case")
            _ = try await f.openCase(app, client: open)
            try await app.sql.raw(
                "UPDATE clients SET updated_at = \(bind: Date(timeIntervalSince1970: 1_400_000_000)) WHERE id = \(bind: open.id)"
            ).run()

            let reports = [
                "/api/v1/reports/data-quality?from=2017-01-01&to=2018-12-31",
                "/api/v1/reports/outcomes/exits?from=2017-01-01&to=2018-12-31",
                "/api/v1/reports/outcomes/caseloads?from=2017-01-01&to=2018-12-31",
                "/api/v1/reports/outcomes/goals?from=2017-01-01&to=2018-12-31",
                "/api/v1/reports/outcomes/compliance?from=2017-01-01&to=2018-12-31"
            ]
            var before: [String] = []
            for r in reports { before.append(try await app.api(.GET, r, as: admin, fixture: f).body) }

            let page = try await app.web(.GET, "/admin/retention", as: admin, fixture: f)
            #expect(page.status == .ok)
            #expect(page.body.contains("Due for removal (1)"))
            #expect(page.body.contains("value=\"\(gone.id.uuidString.lowercased())\""))
            #expect(
                !page.body.contains(recent.id.uuidString.lowercased())
                    && !page.body.contains(open.id.uuidString.lowercased()))
            // The list names no one.
            #expect(!page.body.contains("Quintanilla"))
            #expect(try await app.web(.GET, "/admin/retention", as: f.caseManager, fixture: f).status == .forbidden)

            // Nothing happens without the confirmation, or for a client who is not due.
            let unconfirmed = try await app.web(
                .POST, "/admin/retention/purge", as: admin, fixture: f, form: [("clients[]", gone.id.uuidString)])
            #expect(unconfirmed.status == .unprocessableEntity && unconfirmed.body.contains("must be ticked"))
            let notDue = try await app.web(
                .POST, "/admin/retention/purge", as: admin, fixture: f,
                form: [("clients[]", gone.id.uuidString), ("clients[]", open.id.uuidString), ("confirm", "yes")])
            #expect(notDue.status == .conflict && notDue.body.contains("no longer due"))
            let store = SQLStore(database: app.db)
            #expect(try await store.client(id: gone.id)?.lastName == "Quintanilla")

            let done = try await app.web(
                .POST, "/admin/retention/purge", as: admin, fixture: f,
                form: [("clients[]", gone.id.uuidString), ("confirm", "yes")])
            #expect(done.status == .seeOther)

            let after = try #require(try await store.client(id: gone.id))
            #expect(after.purgedAt != nil)
            #expect(after.firstName == nil && after.lastName == nil && after.ssn == nil && after.birthDate == nil)
            #expect(after.sex == gone.sex && after.veteranStatus == gone.veteranStatus && after.races == gone.races)
            let row = try #require(
                try await app.sql.raw("SELECT ssn, ssn_hmac, search_names FROM clients WHERE id = \(bind: gone.id)")
                    .first())
            #expect(try row.decode(column: "ssn", as: String?.self) == nil)
            #expect(try row.decode(column: "ssn_hmac", as: String?.self) == nil)
            #expect(try row.decode(column: "search_names", as: String.self).isEmpty)
            // The household stays (ids and codes); the son is a client of his own, kept on his own record's dates.
            let household = try #require(try await store.household(ofClient: gone.id))
            let son = try #require(household.members.first { $0.clientID != gone.id })
            #expect(household.head?.clientID == gone.id && son.relationship == .child)
            let sonRecord = try #require(try await store.client(id: son.clientID))
            #expect(sonRecord.firstName == "Tomas" && sonRecord.purgedAt == nil)
            let notes = try await store.notes(caseID: kase.id)
            #expect(notes.count == 1 && notes[0].sections.isEmpty && notes[0].status == .signed)
            #expect(notes[0].contactDate.description == "2026-06-01")
            // The task stays (a count on the case) without what was written about her.
            let tasks = try await app.sql.raw("SELECT body FROM tasks WHERE case_id = \(bind: kase.id)").all()
                .map { try $0.decode(column: "body", as: String.self) }
            #expect(tasks.count == 1 && !tasks[0].contains("Marisol") && !tasks[0].contains("sister"))
            let plans = try await app.sql.raw("SELECT body FROM service_plans WHERE client_id = \(bind: gone.id)").all()
                .map { try $0.decode(column: "body", as: String.self) }
            #expect(!plans.isEmpty && plans.allSatisfy { !$0.contains("apartment") && !$0.contains("three units") })
            #expect(plans.allSatisfy { $0.contains("Stable housing") })
            #expect(try await app.count("documents") == 0)
            #expect(try await app.count("document_contents") == 0)
            // The search finds them no more; their page says what happened, and the record cannot be edited.
            let search = try await app.api(.GET, "/api/v1/clients?q=Quintanilla", as: admin, fixture: f)
            #expect((try search.json()["items"] as? [Any])?.isEmpty == true)
            let record = try await app.web(.GET, "/clients/\(gone.id.uuidString.lowercased())", as: admin, fixture: f)
            #expect(
                record.body.contains("personal data was removed")
                    && record.body.contains("<h1>Personal data removed</h1>"))
            #expect(!record.body.contains("/releases/new") && !record.body.contains("/edit\""))
            #expect(!record.body.contains("Quintanilla") && !record.body.contains("Marisol"))
            let edit = try await app.api(
                .PATCH, "/api/v1/clients/\(gone.id)", as: admin, fixture: f, json: #"{"firstName":"Back"}"#,
                headers: ["If-Match": "\"\(after.version)\""])
            #expect(edit.status == .conflict)

            // Reports already run count the same.
            for (i, r) in reports.enumerated() {
                let now = try await app.api(.GET, r, as: admin, fixture: f).body
                #expect(now == before[i], "\(r)")
            }
            // Recorded on the audit chain, which still verifies.
            let purges = try await app.sql.raw(
                "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'client.purge' AND record_id = \(bind: gone.id)"
            ).first()!.decode(column: "n", as: Int.self)
            #expect(purges == 1)
            #expect(try await store.verifyAuditChain(expecting: nil).fault == nil)
            let empty = try await app.web(.GET, "/admin/retention", as: admin, fixture: f)
            #expect(empty.body.contains("No client is due for removal"))
        }
    }

    @Test func theirAssessmentsTextReleasesAndBreakGlassReasonsAreClearedToo() async throws {
        try await withTrellis { app, f in
            let admin = f.staff[.agencyAdmin]!
            let store = SQLStore(database: app.db)
            let made = try await app.web(
                .POST, "/admin/forms", as: admin, fixture: f,
                form: [
                    ("title", "Housing barriers"), ("purpose", "assessment"), ("scored", "on"),
                    ("fields.0.label", "Urgency"), ("fields.0.kind", "scale"), ("fields.0.scaleMin", "0"),
                    ("fields.0.scaleMax", "5"), ("fields.1.label", "Landlord"), ("fields.1.kind", "text"),
                    ("fields.2.label", "Last eviction"), ("fields.2.kind", "date")
                ])
            #expect(made.status == .seeOther)
            let list = try await app.api(.GET, "/api/v1/instruments", as: f.caseManager, fixture: f)
            let code = try #require(
                (try list.json()["items"] as? [[String: Any]])?.first { $0["title"] as? String == "Housing barriers" }?[
                    "code"] as? String)
            var assessmentID = ""
            var releaseID = ""
            let (gone, _) = try await Self.oldClient(app, f, last: "Quintanilla") { client, kase in
                let a = try await app.api(
                    .POST, "/api/v1/cases/\(kase.id)/assessments", as: f.caseManager, fixture: f,
                    json: """
                        {"instrument": "\(code)", "completedOn": "2026-06-10",
                         "answers": {"q1": 4, "q2": "Her uncle Ruben Quintanilla", "q3": "2025-02-01"}}
                        """)
                #expect(a.status == .created, "\(a.body)")
                assessmentID = try #require(try a.json()["id"] as? String)
                let r = try await app.api(
                    .POST, "/api/v1/clients/\(client.id)/releases", as: f.caseManager, fixture: f,
                    json: """
                        {"recipientKind":"person","recipientName":"Rosa Quintanilla","categories":["identity","contact"],\
                        "purpose":"So her aunt can help with the lease","startsOn":"2026-06-01","endsOn":"2027-01-31",\
                        "method":"verbal","witnessName":"Dana Reyes"}
                        """)
                #expect(r.status == .created, "\(r.body)")
                releaseID = try #require(try r.json()["id"] as? String)
                let glass = try await app.api(
                    .POST, "/api/v1/clients/\(client.id)/break-glass", as: f.caseManager2, fixture: f,
                    json: #"{"reason":"Marisol is at the front desk and cannot reach her worker.","hours":1}"#)
                #expect(glass.status == .created, "\(glass.body)")
            }
            let done = try await app.web(
                .POST, "/admin/retention/purge", as: admin, fixture: f,
                form: [("clients[]", gone.id.uuidString), ("confirm", "yes")])
            #expect(done.status == .seeOther)

            // The assessment keeps its scale answer and total, not its text or date answers.
            let asmt = try await app.api(.GET, "/api/v1/assessments/\(assessmentID)", as: admin, fixture: f)
            #expect(asmt.status == .ok)
            let answers = try #require(try asmt.json()["answers"] as? [String: Any])
            #expect(answers["q1"] as? Int == 4 && answers["q2"] == nil && answers["q3"] == nil)
            #expect(try asmt.json()["total"] as? Int == 4)
            let stored = try await app.sql.raw("SELECT result FROM assessments WHERE client_id = \(bind: gone.id)")
                .all().map { try $0.decode(column: "result", as: String.self) }
            #expect(stored.count == 1 && !stored[0].contains("Ruben") && !stored[0].contains("2025-02-01"))
            // The release keeps what it covered and when, not whom it named, why, or who witnessed it.
            let release = try #require(
                try await store.records(Release.self, [.equals("client_id", .uuid(gone.id))]).first)
            #expect(release.id.uuidString.lowercased() == releaseID.lowercased())
            #expect(release.recipientName.isEmpty && release.purpose.isEmpty && release.witnessName == nil)
            #expect(release.categories == [.identity, .contact] && release.endsOn.description == "2027-01-31")
            let page = try await app.web(.GET, "/releases/\(releaseID)", as: admin, fixture: f)
            #expect(page.status == .ok && page.body.contains("Personal data removed"))
            // The heading names neither the client nor a missing name: their data was removed.
            #expect(page.body.contains("<h1>Release of information: Personal data removed</h1>"))
            #expect(!page.body.contains("Rosa") && !page.body.contains("Dana Reyes"))
            // The break-glass grant keeps who and when; its reason and the task telling the team of it go.
            let grant = try #require(
                try await store.records(AccessGrant.self, [.equals("client_id", .uuid(gone.id))]).first)
            #expect(grant.reason.isEmpty && grant.staffID == f.caseManager2.id)
            for table in ["access_grants", "tasks", "releases"] {
                let bodies = try await app.sql.raw("SELECT body FROM \(ident: table)").all()
                    .map { try $0.decode(column: "body", as: String.self) }
                #expect(!bodies.isEmpty && bodies.allSatisfy { !$0.contains("front desk") && !$0.contains("Rosa") })
            }
            #expect(try await store.verifyAuditChain(expecting: nil).fault == nil)
        }
    }

    @Test func thePeriodIsTheAgencysToSetWithinLimits() async throws {
        try await withTrellis { app, f in
            let admin = f.staff[.agencyAdmin]!
            let page = try await app.web(.GET, "/admin/retention", as: admin, fixture: f)
            #expect(page.body.contains("value=\"7\""))
            for bad in ["0", "31", "seven", ""] {
                let r = try await app.web(.POST, "/admin/retention", as: admin, fixture: f, form: [("years", bad)])
                #expect(r.status == .unprocessableEntity, "\(bad)")
            }
            let (client, _) = try await Self.oldClient(app, f, last: "Villalobos")
            // Ten years: a case closed in 2018 is not due until 2028.
            let saved = try await app.web(.POST, "/admin/retention", as: admin, fixture: f, form: [("years", "10")])
            #expect(saved.status == .seeOther)
            let ten = try await app.web(.GET, "/admin/retention", as: admin, fixture: f)
            #expect(ten.body.contains("Due for removal (0)") && !ten.body.contains(client.id.uuidString.lowercased()))
            #expect(
                try await app.web(.POST, "/admin/retention", as: f.caseManager, fixture: f, form: [("years", "3")])
                    .status == .forbidden)
            let audited = try await app.sql.raw("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'retention.save'")
                .first()!.decode(column: "n", as: Int.self)
            #expect(audited == 1)
        }
    }
}
