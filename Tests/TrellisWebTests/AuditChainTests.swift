import Foundation
import SQLKit
import Testing
import TrellisCore
@testable import TrellisData
@testable import TrellisWeb
import VaporTesting

/// The audit log is a hash chain that names the first entry edited, deleted, inserted or reordered, and
/// catches a rewrite of the whole chain against a kept head (issue 15, point 1).
@Suite("Audit chain")
struct AuditChainTests {
    static func entries(_ n: Int, agency: UUID, action: String = "client.view") -> [AuditEntry] {
        (0..<n).map { i -> AuditEntry in
            let at: Date = testNow.addingTimeInterval(Double(i) * 0.0004)
            let changed: [String] = i % 3 == 0 ? ["first_name", "birth_date"] : []
            let purpose: AccessPurpose? = i % 2 == 0 ? .care : nil
            let basis: UUID? = i % 5 == 0 ? UUID() : nil
            return AuditEntry(
                id: UUID.timeOrdered(at: testNow), at: at, actorID: UUID(), agencyID: agency, action: action,
                recordType: "client", recordID: UUID(), clientID: UUID(), changedFields: changed, purpose: purpose,
                basisID: basis)
        }
    }

    /// Lets the test edit and delete entries as someone holding the database file could.
    static func liftAppendOnly(_ app: Application) async throws {
        if app.sql.dialect.name == "sqlite" {
            try await app.sql.raw("DROP TRIGGER audit.audit_no_update").run()
            try await app.sql.raw("DROP TRIGGER audit.audit_no_delete").run()
        } else {
            try await app.sql.raw("ALTER TABLE audit_log DISABLE TRIGGER audit_append_only").run()
        }
    }

    static func verify(_ app: Application, kept: AuditChainHead? = nil) async throws -> AuditChainReport {
        try await SQLStore(database: app.db).verifyAuditChain(expecting: kept)
    }

    @Test func entriesWrittenAloneAndInTransactionsFormOneChain() async throws {
        try await withTrellis { app, f in
            let store = SQLStore(database: app.db)
            let before = try await store.auditChainHead()
            for batch in 0..<10 { try await store.appendAudit(Self.entries(1 + batch % 3, agency: f.agencyA.id)) }
            try await store.transaction { tx in
                try await tx.appendAudit(Self.entries(4, agency: f.agencyA.id))
                try await tx.appendAudit(Self.entries(2, agency: f.agencyA.id))
            }
            // A transaction that fails writes none of its entries, and the chain goes on without a gap.
            struct Fails: Error {}
            await #expect(throws: Fails.self) {
                try await store.transaction { tx in
                    try await tx.appendAudit(Self.entries(3, agency: f.agencyA.id))
                    throw Fails()
                }
            }
            let head = try await store.auditChainHead()
            #expect(head.seq == before.seq + 19 + 6)
            let report = try await Self.verify(app)
            #expect(report.intact, "\(String(describing: report.fault))")
            #expect(report.entries == head.seq)
            #expect(report.head == head)
            #expect(try await app.count("audit_log") == Int(head.seq))
            // The head as printed reads back.
            #expect(AuditChainHead(line: "kept on paper:\n" + head.line + "\n") == head)
            #expect(AuditChainHead(line: "trellis-audit-head 12 xyz") == nil)
        }
    }

    @Test func theFirstEditedInsertedReorderedOrDeletedEntryIsNamed() async throws {
        try await withTrellis { app, f in
            let store = SQLStore(database: app.db)
            try await store.appendAudit(Self.entries(40, agency: f.agencyA.id))
            try await Self.liftAppendOnly(app)
            let head = try await store.auditChainHead()
            let k = head.seq - 20
            func idAt(_ seq: Int64) async throws -> UUID {
                try await app.sql.raw("SELECT id FROM audit_log WHERE seq = \(bind: seq)").first()!
                    .decode(column: "id", as: UUID.self)
            }
            #expect(try await Self.verify(app).intact)

            // Edited: one field of one entry.
            let edited = try await idAt(k)
            try await app.sql.raw("UPDATE audit_log SET action = 'client.search' WHERE seq = \(bind: k)").run()
            #expect(try await Self.verify(app).fault == .altered(seq: k, id: edited))
            try await app.sql.raw("UPDATE audit_log SET action = 'client.view' WHERE seq = \(bind: k)").run()
            #expect(try await Self.verify(app).intact)

            // Reordered: two entries swap places.
            let (a, b) = (try await idAt(k), try await idAt(k + 1))
            try await app.sql.raw("UPDATE audit_log SET seq = -1 WHERE id = \(bind: a)").run()
            try await app.sql.raw("UPDATE audit_log SET seq = \(bind: k) WHERE id = \(bind: b)").run()
            try await app.sql.raw("UPDATE audit_log SET seq = \(bind: k + 1) WHERE id = \(bind: a)").run()
            #expect(try await Self.verify(app).fault == .altered(seq: k, id: b))
            try await app.sql.raw("UPDATE audit_log SET seq = -1 WHERE id = \(bind: b)").run()
            try await app.sql.raw("UPDATE audit_log SET seq = \(bind: k) WHERE id = \(bind: a)").run()
            try await app.sql.raw("UPDATE audit_log SET seq = \(bind: k + 1) WHERE id = \(bind: b)").run()
            #expect(try await Self.verify(app).intact)

            // Inserted: a made-up entry with no place, then one squeezed in by renumbering those after it.
            let fake = UUID()
            try await app.sql.raw(
                """
                INSERT INTO audit_log (id, at, action, record_type, changed_fields) \
                VALUES (\(bind: fake), \(bind: testNow), 'client.view', 'client', '')
                """
            ).run()
            #expect(try await Self.verify(app).fault == .inserted(seq: nil, id: fake))
            try await app.sql.raw("DELETE FROM audit_log WHERE id = \(bind: fake)").run()
            #expect(try await Self.verify(app).intact)

            // Deleted: an entry in the middle …
            let gone = k + 5
            try await app.sql.raw("DELETE FROM audit_log WHERE seq = \(bind: gone)").run()
            #expect(try await Self.verify(app).fault == .missing(from: gone, to: gone))
            // … and, renumbered to hide the gap, the entry after it no longer follows its new predecessor.
            // (In two steps: each row's new place must be free when it moves.)
            try await app.sql.raw("UPDATE audit_log SET seq = -seq WHERE seq > \(bind: gone)").run()
            try await app.sql.raw("UPDATE audit_log SET seq = -seq - 1 WHERE seq < 0").run()
            let next = try await idAt(gone)
            #expect(try await Self.verify(app).fault == .altered(seq: gone, id: next))
        }
    }

    @Test func deletingTheLatestEntriesOrRewritingTheWholeChainIsCaught() async throws {
        try await withTrellis { app, f in
            let store = SQLStore(database: app.db)
            try await store.appendAudit(Self.entries(30, agency: f.agencyA.id))
            let kept = try await store.auditChainHead()
            try await store.appendAudit(Self.entries(5, agency: f.agencyA.id))
            #expect(try await Self.verify(app, kept: kept).intact)
            try await Self.liftAppendOnly(app)

            // The last entry deleted: the chain's recorded head is past its end.
            let head = try await store.auditChainHead()
            try await app.sql.raw("DELETE FROM audit_log WHERE seq = \(bind: head.seq)").run()
            guard case .headMismatch(let recorded, let found)? = try await Self.verify(app).fault else {
                Issue.record("a deleted last entry went unnoticed")
                return
            }
            #expect(recorded == head && found.seq == head.seq - 1)

            // Whoever holds the file rewrites every hash from an edited entry on, and the head with them: the
            // chain is consistent again, and only the kept head shows it is not the one that was.
            let victim = kept.seq - 10
            try await app.sql.raw("UPDATE audit_log SET action = 'client.search' WHERE seq = \(bind: victim)").run()
            let rows = try await app.sql.raw(
                "SELECT \(unsafeRaw: SQLStore.chainColumns) FROM audit_log WHERE seq >= \(bind: victim - 1) ORDER BY seq"
            ).all()
            var hasher = AuditChainHasher()
            var prev = [UInt8](try rows[0].decode(column: "hash", as: Data.self))
            var last = (Int64(0), prev)
            for row in rows.dropFirst() {
                let e = try row.decode(model: AuditRow.self).domain
                let seq = try row.decode(column: "seq", as: Int64.self)
                prev = hasher.hash(prev: prev, seq: seq, e)
                try await app.sql.raw("UPDATE audit_log SET hash = \(bind: Data(prev)) WHERE seq = \(bind: seq)").run()
                last = (seq, prev)
            }
            try await app.sql.raw(
                "UPDATE audit_chain SET seq = \(bind: last.0), hash = \(bind: Data(last.1)) WHERE id = 1"
            ).run()
            #expect(try await Self.verify(app).intact)
            let caught = try await Self.verify(app, kept: kept).fault
            guard case .keptHeadMissing(let k, let found?)? = caught else {
                Issue.record("the rewrite went unnoticed against the kept head: \(String(describing: caught))")
                return
            }
            #expect(k == kept && found.seq == kept.seq && found.hash != kept.hash)
            // A kept head past the end of the chain: its entries were cut off.
            let beyond = AuditChainHead(seq: last.0 + 100, hash: kept.hash)
            #expect(try await Self.verify(app, kept: beyond).fault == .keptHeadMissing(kept: beyond, found: nil))
        }
    }

    /// Two application instances on one database (two SQLite connection pools on one directory, or two
    /// PostgreSQL pools on one schema) and many writers at once: every entry takes its own place.
    @Test func concurrentWritersOfTwoInstancesTakeTurns() async throws {
        var shared = TrellisConfig()
        try await withTrellis(adjust: { shared = $0 }) { app, f in
            let second = try await Application.make(.testing)
            second.logger.logLevel = .warning
            do {
                try await TrellisApp.configure(second, config: shared, deps: testDeps)
                let before = try await SQLStore(database: app.db).auditChainHead()
                let stores = [SQLStore(database: app.db), SQLStore(database: second.db)]
                // On SQLite both instances' connections share the process's two-thread SQLite pool, and a writer
                // waiting for the file's lock holds a thread while it waits: 40 at once, beside the rest of the
                // suite, starved the pool (connection requests timed out after 10 s). 12 still interleave.
                let writers = app.sql.dialect.name == "sqlite" ? 12 : 40
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for i in 0..<writers {
                        let store = stores[i % 2]
                        group.addTask {
                            if i % 4 < 2 {
                                try await store.appendAudit(Self.entries(3, agency: f.agencyA.id))
                            } else {
                                try await store.transaction { tx in
                                    try await tx.appendAudit(Self.entries(2, agency: f.agencyA.id))
                                    try await tx.appendAudit(Self.entries(1, agency: f.agencyA.id))
                                }
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                let report = try await Self.verify(second)
                #expect(report.intact, "\(String(describing: report.fault))")
                #expect(report.head.seq == before.seq + Int64(writers * 3))
                try await second.asyncShutdown()
            } catch {
                try? await second.asyncShutdown()
                throw error
            }
        }
    }

    @Test func entriesWrittenBeforeTheChainAreChainedInTheOrderTheyWereWritten() async throws {
        try await withTrellis { app, f in
            let store = SQLStore(database: app.db)
            try await store.appendAudit(Self.entries(25, agency: f.agencyA.id))
            let count = try await app.count("audit_log")
            // On one connection: SQLite checks ALTER TABLE against the schema the connection last read.
            try await app.db.withConnection { conn in
                try await M027_AuditChain().revert(on: conn)
                try await M027_AuditChain().prepare(on: conn)
            }
            let report = try await Self.verify(app)
            #expect(report.intact, "\(String(describing: report.fault))")
            #expect(report.entries == Int64(count) && report.head.seq == Int64(count))
            // The append-only rule is back.
            await #expect(throws: (any Error).self) {
                try await app.sql.raw("UPDATE audit_log SET action = 'x' WHERE seq = 1").run()
            }
        }
    }

    @Test func administratorsSeeTheHeadAndCheckTheChainOthersDoNot() async throws {
        try await withTrellis { app, f in
            let admin = f.staff[.agencyAdmin]!
            // An empty chain's head is place 0, and it verifies against itself.
            let empty = try await SQLStore(database: app.db).auditChainHead()
            #expect(try await Self.verify(app, kept: empty).intact)
            try await SQLStore(database: app.db).appendAudit(Self.entries(5, agency: f.agencyA.id))
            let page = try await app.web(.GET, "/admin/audit/chain", as: admin, fixture: f)
            #expect(page.status == .ok)
            let head = try await SQLStore(database: app.db).auditChainHead()
            #expect(page.body.contains(head.line))
            let file = try await app.web(.GET, "/admin/audit/chain/head.txt", as: f.staff[.auditor]!, fixture: f)
            #expect(file.status == .ok && AuditChainHead(line: file.body) != nil)
            #expect(try await app.web(.GET, "/admin/audit/chain", as: f.caseManager, fixture: f).status == .forbidden)

            let ok = try await app.web(.POST, "/admin/audit/chain", as: admin, fixture: f, form: [("kept", file.body)])
            #expect(ok.status == .ok && ok.body.contains("The chain is intact."), "\(ok.status)")
            let bad = try await app.web(
                .POST, "/admin/audit/chain", as: admin, fixture: f, form: [("kept", "nonsense")])
            #expect(bad.status == .unprocessableEntity && bad.body.contains("is not a head Trellis printed"))

            try await Self.liftAppendOnly(app)
            try await app.sql.raw("UPDATE audit_log SET record_type = 'staff' WHERE seq = 2").run()
            let broken = try await app.web(.POST, "/admin/audit/chain", as: admin, fixture: f)
            #expect(broken.status == .conflict && broken.body.contains("Entry 2 (id"), "\(broken.body)")
            // Each check is itself in the log.
            let actions = try await app.sql.raw("SELECT action FROM audit_log ORDER BY seq DESC LIMIT 2").all()
                .map { try $0.decode(column: "action", as: String.self) }
            #expect(actions == ["audit.verify_failed", "audit.verify"])
        }
    }
}
