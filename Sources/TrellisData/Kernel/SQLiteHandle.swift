import Foundation
import VaporCSQLite

/// A connection through SQLite's C API, for the work SQLiteNIO's row-at-a-time futures make slow or cannot
/// do: walking the audit chain, the online backup, integrity checks.
final class SQLiteHandle {
    let db: OpaquePointer?
    let path: String

    static let readWrite = SQLITE_OPEN_READWRITE

    init(path: String, flags: Int32) throws {
        var db: OpaquePointer?
        let rc = sqlite_nio_sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, nil)
        self.db = db
        self.path = path
        guard rc == SQLITE_OK else {
            let message = db.flatMap { sqlite_nio_sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "cannot open"
            sqlite_nio_sqlite3_close(db)
            throw BackupError("Cannot open \(path): \(message)")
        }
        sqlite_nio_sqlite3_busy_timeout(db, 10_000)
    }

    deinit { sqlite_nio_sqlite3_close(db) }

    var message: String { sqlite_nio_sqlite3_errmsg(db).map { String(cString: $0) } ?? "" }

    func exec(_ sql: String) throws {
        guard sqlite_nio_sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else {
            throw BackupError("\(path): \(message)")
        }
    }

    /// Steps through the rows of `sql` while `more` holds.
    func each(_ sql: String, while more: () -> Bool = { true }, _ row: (OpaquePointer?) throws -> Void) throws {
        var s: OpaquePointer?
        guard sqlite_nio_sqlite3_prepare_v2(db, sql, -1, &s, nil) == SQLITE_OK else {
            throw BackupError("\(path): \(message)")
        }
        defer { sqlite_nio_sqlite3_finalize(s) }
        while more() {
            let rc = sqlite_nio_sqlite3_step(s)
            if rc == SQLITE_DONE { return }
            guard rc == SQLITE_ROW else { throw BackupError("\(path): \(message)") }
            try row(s)
        }
    }

    func one<T>(_ sql: String, _ row: (OpaquePointer?) throws -> T) throws -> T? {
        var out: T? = nil
        try each(sql) { s in if out == nil { out = try row(s) } }
        return out
    }
}
