import Fluent
import Foundation
import SQLKit
import TrellisCore

/// The audit log becomes a hash chain (see `AuditChainHasher`): each entry gains its place (`seq`) and hash,
/// and `audit_chain` keeps the head. Entries already written are chained in the order they were written
/// (SQLite's rowid; time then id on PostgreSQL), in one transaction, with the append-only trigger lifted for
/// that transaction only.
struct M027_AuditChain: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.transaction { tx in
            let sql = tx.sql
            let lite = sql.dialect.name == "sqlite"
            let schema = lite ? "audit." : ""
            if lite {
                try await sql.raw("ALTER TABLE audit.audit_log ADD COLUMN seq INTEGER").run()
                try await sql.raw("ALTER TABLE audit.audit_log ADD COLUMN hash BLOB").run()
                try await sql.raw("DROP TRIGGER audit.audit_no_update").run()
                try await sql.raw(
                    "CREATE TABLE audit.audit_chain (id INTEGER PRIMARY KEY, seq INTEGER NOT NULL, hash BLOB NOT NULL)"
                ).run()
            } else {
                try await sql.raw("ALTER TABLE audit_log ADD COLUMN seq BIGINT, ADD COLUMN hash BYTEA").run()
                try await sql.raw("ALTER TABLE audit_log DISABLE TRIGGER audit_append_only").run()
                try await sql.raw(
                    "CREATE TABLE audit_chain (id INTEGER PRIMARY KEY, seq BIGINT NOT NULL, hash BYTEA NOT NULL)"
                ).run()
            }
            let (seq, hash) = try await Self.chainExisting(sql, lite: lite)
            try await sql.raw("INSERT INTO audit_chain (id, seq, hash) VALUES (1, \(bind: seq), \(bind: Data(hash)))")
                .run()
            try await sql.raw(SQLQueryString("CREATE UNIQUE INDEX \(schema)audit_seq ON audit_log (seq)")).run()
            if lite {
                try await sql.raw(
                    """
                    CREATE TRIGGER audit.audit_no_update BEFORE UPDATE ON audit_log \
                    BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END
                    """
                ).run()
            } else {
                try await sql.raw("ALTER TABLE audit_log ENABLE TRIGGER audit_append_only").run()
            }
        }
    }

    /// Hashes the entries already there, a page at a time (keyset paging: SQLite's rowid, PostgreSQL's time
    /// and id), and writes each page's places and hashes in one UPDATE per 500 entries. Returns the head.
    static func chainExisting(_ sql: any SQLDatabase, lite: Bool) async throws -> (Int64, [UInt8]) {
        struct Keyed: Decodable {
            var k: Int64?
        }
        var seq: Int64 = 0
        var prev = AuditChainHasher.genesis
        var hasher = AuditChainHasher()
        var lastRowID: Int64 = 0
        var last: AuditRow? = nil
        let columns =
            "id, at, actor_id, agency_id, action, record_type, record_id, client_id, changed_fields, purpose, basis_id"
        while true {
            let q: SQLQueryString
            if lite {
                q =
                    "SELECT rowid AS k, \(unsafeRaw: columns) FROM audit_log WHERE rowid > \(bind: lastRowID) ORDER BY rowid LIMIT 2000"
            } else if let last {
                q =
                    "SELECT \(unsafeRaw: columns) FROM audit_log WHERE (at, id) > (\(bind: last.at), \(bind: last.id)) ORDER BY at, id LIMIT 2000"
            } else {
                q = "SELECT \(unsafeRaw: columns) FROM audit_log ORDER BY at, id LIMIT 2000"
            }
            let raw = try await sql.raw(q).all()
            if raw.isEmpty { break }
            let rows = try raw.map { try $0.decode(model: AuditRow.self) }
            if lite, let k = try raw.last?.decode(model: Keyed.self).k { lastRowID = k }
            last = rows.last
            var tuples: [SQLQueryString] = []
            for row in rows {
                seq += 1
                prev = hasher.hash(prev: prev, seq: seq, row.domain)
                tuples.append("(\(bind: row.id), \(bind: seq), \(bind: Data(prev)))")
            }
            for chunk in tuples.chunked(500) {
                let update: SQLQueryString =
                    "WITH v(id, seq, hash) AS (VALUES " + chunk.joined(separator: ", ")
                    + ") UPDATE audit_log SET seq = (SELECT v.seq FROM v WHERE v.id = audit_log.id), hash = (SELECT v.hash FROM v WHERE v.id = audit_log.id) WHERE id IN (SELECT id FROM v)"
                try await sql.raw(update).run()
            }
            if raw.count < 2000 { break }
        }
        return (seq, prev)
    }

    func revert(on db: any Database) async throws {
        try await db.transaction { tx in
            let lite = tx.sql.dialect.name == "sqlite"
            try await tx.sql.raw(SQLQueryString("DROP TABLE \(lite ? "audit." : "")audit_chain")).run()
            try await tx.sql.raw(SQLQueryString("DROP INDEX \(lite ? "audit." : "")audit_seq")).run()
            try await tx.sql.raw("ALTER TABLE audit_log DROP COLUMN hash").run()
            try await tx.sql.raw("ALTER TABLE audit_log DROP COLUMN seq").run()
        }
    }
}
