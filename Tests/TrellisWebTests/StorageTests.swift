import Foundation
import Testing
import TrellisCore
import TrellisData
@testable import TrellisWeb
import VaporTesting

@Suite("Storage")
struct StorageTests {
    @Test func nameSearchUsesAnIndexNotATableScan() async throws {
        try await withTrellis { app, f in
            _ = try await f.client(app, first: "José", last: "García")
            let sqlite = app.sql.dialect.name == "sqlite"
            let plan: String
            if sqlite {
                let rows = try await app.sql.raw(
                    """
                    EXPLAIN QUERY PLAN SELECT c.id FROM client_search s JOIN clients c ON c.id = s.client_id
                    WHERE s.names MATCH \(bind: "\"garc\"") AND c.agency_id = \(bind: f.agencyA.id)
                    """
                ).all()
                plan = try rows.map { try $0.decode(column: "detail", as: String.self) }.joined(separator: "\n")
                #expect(plan.contains("VIRTUAL TABLE INDEX"), "\(plan)")
                #expect(!plan.contains("SCAN c"), "\(plan)")
                // A one-word search's first group is read in name order off the index, with no sort.
                let ranked = try await app.sql.raw(
                    """
                    EXPLAIN QUERY PLAN SELECT c.id, c.first_name FROM clients c WHERE c.agency_id = \
                    \(bind: f.agencyA.id)
                    AND c.last_name_key >= \(bind: "garc") AND c.last_name_key < \(bind: "garc\u{10FFFF}") ORDER BY \
                    c.last_name_key, c.first_name, c.id LIMIT 25
                    """
                ).all().map { try $0.decode(column: "detail", as: String.self) }.joined(separator: "\n")
                #expect(ranked.contains("clients_agency_name_order") && !ranked.contains("TEMP B-TREE"), "\(ranked)")
                // And its second group (a first name beginning with the word) off the whole-name index.
                let given = try await app.sql.raw(
                    """
                    EXPLAIN QUERY PLAN SELECT c.id, c.first_name FROM clients c WHERE c.agency_id = \
                    \(bind: f.agencyA.id)
                    AND c.search_names >= \(bind: "jos") AND c.search_names < \(bind: "jos\u{10FFFF}") ORDER BY \
                    c.search_names, c.id LIMIT 25
                    """
                ).all().map { try $0.decode(column: "detail", as: String.self) }.joined(separator: "\n")
                #expect(given.contains("clients_agency_names") && !given.contains("TEMP B-TREE"), "\(given)")
            } else {
                // Enough other clients that the plan is the one a real table gets: on a table of one row a scan of
                // any index on the names costs about the same as the trigram index's, and which wins then
                // depends on the order the indexes were made in.
                let base = try #require(try await SQLStore(database: app.db).client(id: f.client(app).id))
                let others = (0..<3000).map { i -> Client in
                    var c = base
                    c.id = UUID()
                    c.firstName = "Name\(i)"
                    c.lastName = "Surname\(i % 700)"
                    return c
                }
                try await SQLStore(database: app.db).insertClients(others)
                // As autovacuum leaves it: the trigram index's pending entries merged, the table analysed.
                try await app.sql.raw("SELECT gin_clean_pending_list('clients_search_trgm')").run()
                try await app.sql.raw("ANALYZE clients").run()
                // One connection for both statements: the setting is per session.
                let rows = try await app.sql.withSession { s in
                    try await s.raw("SET enable_seqscan = off").run()
                    return try await s.raw("EXPLAIN SELECT id FROM clients WHERE search_names LIKE \(bind: "%garc%")")
                        .all()
                }
                plan = try rows.map { try $0.decode(column: "QUERY PLAN", as: String.self) }.joined(separator: "\n")
                #expect(plan.contains("clients_search_trgm"), "\(plan)")
            }
        }
    }

    @Test func theEmbeddedDatabaseUsesWALAndEnforcesForeignKeys() async throws {
        try await withTrellis { app, f in
            guard app.sql.dialect.name == "sqlite" else { return }
            let mode = try await app.sql.raw("PRAGMA journal_mode").first()!.decode(
                column: "journal_mode", as: String.self)
            #expect(mode == "wal")
            // The audit log's own file (attached as `audit`) too.
            let auditMode = try await app.sql.raw("PRAGMA audit.journal_mode").first()!.decode(
                column: "journal_mode", as: String.self)
            #expect(auditMode == "wal")
            // A case for a client that does not exist is refused by the database itself.
            await #expect(throws: (any Error).self) {
                try await app.sql.raw(
                    """
                    INSERT INTO cases (id, agency_id, client_id, program_id, primary_case_manager_id, status, stage, \
                    priority,
                                       opened_on, contact_due_on, created_at, updated_at, version)
                    VALUES (\(bind: UUID()), \(bind: f.agencyA.id), \(bind: UUID()), \(bind: f.programA.id), \
                    \(bind: f.caseManager.id),
                            'open', 'engagement', 'low', '2026-01-01', '2026-02-01', \(bind: testNow), \
                    \(bind: testNow), 1)
                    """
                ).run()
            }
        }
    }

    @Test func migrationsRevertAndReapplyCleanly() async throws {
        try await withTrellis { app, _ in
            try await app.autoRevert()
            try await app.autoMigrate()
            #expect(try await app.count("clients") == 0)
        }
    }

    @Test func demoDataIsDeterministicForASeed() async throws {
        var firstNames: [[String]] = []
        for _ in 0..<2 {
            try await withTrellis { app, _ in
                try await app.sql.raw("DELETE FROM sessions").run()
                let s = try await DemoSeeder(
                    store: SQLStore(database: app.db), deps: testDeps, hasher: app.trellis.hasher
                ).seed(clients: 50, seed: 7)
                #expect(s.clients == 50)
                // Household members are clients of their own, counted in the 50; each head has one case, a second
                // for about half.
                let heads = s.clients - s.household
                #expect(s.household > 0 && (heads...(2 * heads)).contains(s.cases))
                // Each program carries HUD project data that passed HUD's rules.
                let store = SQLStore(database: app.db)
                let demoPrograms = try await app.sql.raw(
                    """
                    SELECT p.id, p.type FROM programs p JOIN agencies a ON a.id = p.agency_id \
                    WHERE a.name IN ('Riverbend Family Services', 'Harbor Light Shelter')
                    """
                ).all()
                #expect(demoPrograms.count == 12) // six programs in each of the two demo agencies
                for row in demoPrograms {
                    let (d, version) = try await store.projectDescriptor(
                        programID: try row.decode(column: "id", as: UUID.self))
                    #expect(version == 1 && d != nil)
                    if try row.decode(column: "type", as: String.self) == "rapid_rehousing" {
                        #expect(d?.projectType == 13 && d?.rrhSubType == 2 && d?.inventory.first?.bedInventory == 80)
                    }
                }
                let households = try await app.count("households")
                #expect(try await app.count("household_memberships") == s.household + households)
                let rows = try await app.sql.raw(
                    "SELECT first_name, last_name, birth_date FROM clients ORDER BY last_name, first_name, birth_date"
                ).all()
                firstNames.append(
                    try rows.map {
                        [
                            try $0.decode(column: "first_name", as: String.self),
                            try $0.decode(column: "last_name", as: String.self),
                            try $0.decode(column: "birth_date", as: String?.self) ?? "-"
                        ].joined(separator: " ")
                    })
            }
        }
        #expect(firstNames[0].count >= 50)
        #expect(firstNames[0] == firstNames[1])
    }
}
