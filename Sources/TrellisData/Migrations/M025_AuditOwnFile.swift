import Fluent
import SQLKit

/// On SQLite, moves the audit log into its own file (`audit.sqlite`, attached to every connection as `audit`;
/// see `TrellisDatabase.migrate` for why). Each step commits on its own and the move starts over if it was
/// interrupted, so no entry is lost: the copy is made and checked before the original is dropped.
/// PostgreSQL keeps the log where it is.
struct M025_AuditOwnFile: AsyncMigration {
    static let columns =
        "id, at, actor_id, agency_id, action, record_type, record_id, client_id, changed_fields, purpose, basis_id"

    func prepare(on db: any Database) async throws {
        guard db.isSQLite else { return }
        try await Self.move(db.sql, from: "main", to: "audit")
    }

    func revert(on db: any Database) async throws {
        guard db.isSQLite else { return }
        try await Self.move(db.sql, from: "audit", to: "main")
    }

    static func move(_ sql: any SQLDatabase, from: String, to: String) async throws {
        let there = try await sql.raw(
            SQLQueryString("SELECT 1 FROM \(from).sqlite_master WHERE type = 'table' AND name = 'audit_log'")
        ).all()
        guard !there.isEmpty else { return }
        let steps = [
            "DROP TABLE IF EXISTS \(to).audit_log",
            """
            CREATE TABLE \(to).audit_log (id UUID PRIMARY KEY, at REAL NOT NULL, actor_id UUID, agency_id UUID, \
            action TEXT NOT NULL, record_type TEXT NOT NULL, record_id UUID, client_id UUID, \
            changed_fields TEXT NOT NULL, purpose TEXT, basis_id UUID)
            """,
            "INSERT INTO \(to).audit_log (\(columns)) SELECT \(columns) FROM \(from).audit_log ORDER BY rowid",
            "CREATE INDEX \(to).audit_client_at ON audit_log (client_id, at)",
            "CREATE INDEX \(to).audit_actor_at ON audit_log (actor_id, at)",
            "CREATE INDEX \(to).audit_agency_at ON audit_log (agency_id, at)",
            """
            CREATE TRIGGER \(to).audit_no_update BEFORE UPDATE ON audit_log \
            BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END
            """,
            """
            CREATE TRIGGER \(to).audit_no_delete BEFORE DELETE ON audit_log \
            BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END
            """
        ]
        for step in steps { try await sql.raw(SQLQueryString(step)).run() }
        let counts = try await sql.raw(
            SQLQueryString(
                "SELECT (SELECT COUNT(*) FROM \(from).audit_log) AS a, (SELECT COUNT(*) FROM \(to).audit_log) AS b")
        ).first()
        guard let counts, try counts.decode(column: "a", as: Int.self) == counts.decode(column: "b", as: Int.self)
        else { throw MigrationCopyError(table: "audit_log") }
        try await sql.raw(SQLQueryString("DROP TABLE \(from).audit_log")).run()
    }
}

struct MigrationCopyError: Error, CustomStringConvertible {
    var table: String
    var description: String { "The copy of \(table) does not hold every row; the original is kept." }
}
