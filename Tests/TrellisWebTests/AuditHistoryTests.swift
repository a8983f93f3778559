import Foundation
import Testing
import TrellisCore
import TrellisData
@testable import TrellisWeb
import VaporTesting

/// The access history reads as people speak, groups one page view, filters and pages; admins and auditors
/// search the agency's whole log (issue 13, point 9).
@Suite("Audit history")
struct AuditHistoryTests {
    @Test func everyAuditActionHasAHumanLabelInBothLanguages() throws {
        let catalogs = try Catalogs.load()
        for action in AuditAction.allCases {
            for lang in Language.allCases {
                #expect(catalogs.tables[lang]!["audit.\(action.rawValue)"] != nil, "\(lang): audit.\(action.rawValue)")
            }
        }
    }

    @Test func entriesOfOnePageViewAreGroupedAndOthersAreNot() {
        let who = UUID()
        let client = UUID()
        let t0 = Date(timeIntervalSince1970: 1_781_524_800)
        func e(_ action: String, _ at: Date, _ actor: UUID? = nil) -> AuditEntry {
            AuditEntry(
                id: UUID(), at: at, actorID: actor ?? who, agencyID: nil, action: action, recordType: "case",
                recordID: nil, clientID: client)
        }
        let entries = [
            e("note.view", t0), e("case.view", t0), e("plan.view", t0.addingTimeInterval(-1)),
            e("case.view", t0.addingTimeInterval(-60)), e("case.view", t0.addingTimeInterval(-61), UUID())
        ]
        let groups = AuditPages.grouped(entries)
        #expect(groups.map(\.count) == [3, 1, 1])
    }

    @Test func theHistoryIsReadableGroupedFilteredAndPaged() async throws {
        try await withTrellis { app, f in
            let admin = f.staff[.agencyAdmin]!
            let c = try await f.client(app)
            let k = try await f.openCase(app, client: c)
            _ = try await f.note(app, case: k)
            _ = try await f.note(app, case: k, date: "2026-06-02")
            _ = try await f.plan(app, case: k)
            _ = try await f.assessment(app, case: k)
            // One view of the case page writes an entry for the case and for each record it shows.
            _ = try await app.web(.GET, "/cases/\(k.id)", as: f.caseManager, fixture: f)
            let page = try await app.web(.GET, "/clients/\(c.id)/history", as: admin, fixture: f)
            #expect(page.status == .ok)
            #expect(!page.body.contains(">audit.") && !page.body.contains("plan.view<"))
            #expect(page.body.contains("Viewed the service plan") || page.body.contains("related record"))
            // Who, in which role, on the agency's clock (the tests' zone is UTC).
            #expect(page.body.contains("Fx-Casemanager · Case manager"))
            #expect(page.body.contains("2026-06-15 12:00"))
            // The case page view is one row, its records under it.
            let summary = try #require(page.body.firstMatch(of: /<summary>Viewed a case ([^<]*)<\/summary>/))
            #expect(summary.1.contains("related record"), "\(summary.1)")
            // Filters by person, action and dates.
            let byAction = try await app.web(
                .GET, "/clients/\(c.id)/history?action=plan.save", as: admin, fixture: f)
            #expect(byAction.body.contains("Saved the service plan") && byAction.body.contains("1 entry"))
            let byPerson = try await app.web(
                .GET, "/clients/\(c.id)/history?person=\(f.staff[.supervisor]!.id)", as: admin, fixture: f)
            #expect(byPerson.body.contains("No entries match."))
            let dated = try await app.web(
                .GET, "/clients/\(c.id)/history?from=2026-06-16", as: admin, fixture: f)
            #expect(dated.status == .unprocessableEntity && dated.body.contains("href=\"#f-from\""))
            let before = try await app.web(
                .GET, "/clients/\(c.id)/history?to=2026-06-14", as: admin, fixture: f)
            #expect(before.body.contains("No entries match."))
            let bad = try await app.web(.GET, "/clients/\(c.id)/history?action=nothing", as: admin, fixture: f)
            #expect(bad.status == .unprocessableEntity && bad.body.contains("href=\"#f-action\""))
        }
    }

    @Test func adminsAndAuditorsSearchTheAgencysLog() async throws {
        try await withTrellis { app, f in
            let c = try await f.client(app, first: "Ana", last: "Ruiz")
            let other = try await f.client(app, first: "Ben", last: "Okafor", dob: "1975-02-03")
            _ = try await f.openCase(app, client: c)
            _ = try await f.openCase(app, client: other)
            for who in [f.staff[.agencyAdmin]!, f.staff[.auditor]!] {
                let all = try await app.web(.GET, "/admin/audit", as: who, fixture: f)
                #expect(all.status == .ok)
                #expect(all.body.contains(">Ana Ruiz</a>") && all.body.contains(">Ben Okafor</a>"))
                let one = try await app.web(.GET, "/admin/audit?client=\(c.id)&action=case.open", as: who, fixture: f)
                #expect(one.body.contains(">Ana Ruiz</a>") && !one.body.contains(">Ben Okafor</a>"))
                #expect(one.body.contains("1 entry"))
            }
            #expect(try await app.web(.GET, "/admin/audit", as: f.caseManager, fixture: f).status == .forbidden)
            #expect(try await app.web(.GET, "/admin/audit", as: f.staff[.supervisor]!, fixture: f).status == .forbidden)
            // Another agency's client is not searchable, and the search itself is recorded.
            let foreign = try await f.client(app, by: f.otherAgencyStaff, first: "Cara", last: "Diaz")
            let refused = try await app.web(
                .GET, "/admin/audit?client=\(foreign.id)", as: f.staff[.agencyAdmin]!, fixture: f)
            #expect(refused.status == .unprocessableEntity)
            let searches = try await app.sql.raw(
                "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'audit.search' AND record_type = 'audit_log'"
            )
            .first()?.decode(column: "n", as: Int.self)
            #expect(searches == 4)
            // Each client a search showed is recorded on that client's history.
            let shown = try await app.sql.raw(
                "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'audit.search' AND client_id = \(bind: other.id)"
            ).first()?.decode(column: "n", as: Int.self)
            #expect((shown ?? 0) >= 2)
        }
    }
    @Test func aReadOnlyRequestHoldsItsEntriesTillItEndsButATransactionWritesItsOwnWithItsChange() async throws {
        try await withTrellis { app, f in
            let store = SQLStore(database: app.db)
            let entry: @Sendable (String) -> AuditEntry = { action in
                AuditEntry(
                    id: testDeps.auditID(), at: testNow, actorID: f.caseManager.id, agencyID: f.agencyA.id,
                    action: action, recordType: "client", recordID: nil, clientID: nil)
            }
            let count = { (action: String) in
                try await app.sql.raw("SELECT COUNT(*) AS n FROM audit_log WHERE action = \(bind: action)").first()?
                    .decode(column: "n", as: Int.self) ?? -1
            }
            struct RolledBack: Error {}
            let memo = ReadMemo()
            try await ReadMemo.$current.withValue(memo) {
                try await store.appendAudit([entry("test.held")])
                // Inside a transaction the entry goes with the transaction: written when it commits, gone when
                // it rolls back, never held for later.
                try await store.transaction { tx in try await tx.appendAudit([entry("test.committed")]) }
                _ = try? await store.transaction { tx in
                    try await tx.appendAudit([entry("test.rolled_back")])
                    throw RolledBack()
                }
            }
            let (held, committed) = (try await count("test.held"), try await count("test.committed"))
            #expect(held == 0 && committed == 1)
            try await store.appendAudit(memo.close())
            let (written, rolledBack) = (try await count("test.held"), try await count("test.rolled_back"))
            #expect(written == 1 && rolledBack == 0)
        }
    }
}
