import Foundation
import SQLiteNIO
import TrellisCore
import VaporCSQLite

/// Walks the audit chain straight from its SQLite file on a read-only connection of its own, reading each
/// column in place by position. SQLiteNIO hands every row to the event loop as a task of its own and copies
/// each value into a Swift string first; at ten million entries that alone took most of three minutes
/// (measured: 165.75 s through it against the figure in the README through this).
///
/// The head and the entries are read in one read transaction, so they are one snapshot even while a server
/// goes on writing.
enum AuditChainFileReader {
    /// Returns the head recorded in the file, with `walk` fed every entry in order of place up to the first
    /// fault; nil when the file cannot be opened read-only (the caller reads through its own connection).
    static func walk(path: String, into walk: AuditChainWalk) throws -> AuditChainHead? {
        guard let db = try? SQLiteHandle(path: path, flags: SQLITE_OPEN_READONLY) else { return nil }
        // 64 MB of cache and the file mapped: the walk reads it once from end to end.
        try db.exec("PRAGMA cache_size = -65536")
        try db.exec("PRAGMA mmap_size = 2147418112")
        try db.exec("BEGIN")
        defer { try? db.exec("COMMIT") }
        let recorded = try db.one("SELECT seq, hash FROM audit_chain WHERE id = 1") { row in
            AuditChainHead(
                seq: sqlite_nio_sqlite3_column_int64(row, 0),
                hash: AuditChainHasher.hex(blob(row, 1) ?? .init(start: nil, count: 0)))
        }
        guard let recorded else { throw AuditChainMissing() }
        try db.each(SQLStore.chainQuery, while: { walk.fault == nil }) { row in try feed(row, walk) }
        return recorded
    }

    /// One row of `SQLStore.chainColumns`: seq, hash, id, at, actor_id, agency_id, action, record_type,
    /// record_id, client_id, changed_fields, purpose, basis_id.
    private static func feed(_ row: OpaquePointer?, _ walk: AuditChainWalk) throws {
        guard let id = uuid(row, 2), let atMs = milliseconds(row, 3) else { throw AuditChainUnreadable() }
        let seq: Int64? =
            sqlite_nio_sqlite3_column_type(row, 0) == SQLITE_NULL ? nil : sqlite_nio_sqlite3_column_int64(row, 0)
        let empty = UnsafeRawBufferPointer(start: nil, count: 0)
        walk.check(seq: seq, stored: blob(row, 1), id: { UUID(uuid: id) }) { hasher, prev in
            hasher.begin(prev: prev, seq: seq ?? 0)
            hasher.uuid(id)
            hasher.int(atMs)
            hasher.optional(uuid(row, 4))
            hasher.optional(uuid(row, 5))
            hasher.text(text(row, 6) ?? empty)
            hasher.text(text(row, 7) ?? empty)
            hasher.optional(uuid(row, 8))
            hasher.optional(uuid(row, 9))
            hasher.text(text(row, 10) ?? empty)
            hasher.text(text(row, 11))
            hasher.optional(uuid(row, 12))
        }
    }

    private static func blob(_ row: OpaquePointer?, _ column: Int32) -> UnsafeRawBufferPointer? {
        guard sqlite_nio_sqlite3_column_type(row, column) != SQLITE_NULL else { return nil }
        let start = sqlite_nio_sqlite3_column_blob(row, column)
        return UnsafeRawBufferPointer(start: start, count: Int(sqlite_nio_sqlite3_column_bytes(row, column)))
    }

    private static func text(_ row: OpaquePointer?, _ column: Int32) -> UnsafeRawBufferPointer? {
        guard sqlite_nio_sqlite3_column_type(row, column) != SQLITE_NULL else { return nil }
        let start = sqlite_nio_sqlite3_column_text(row, column)
        return UnsafeRawBufferPointer(start: start, count: Int(sqlite_nio_sqlite3_column_bytes(row, column)))
    }

    /// The time as the hasher takes it; SQLite keeps Fluent's dates as seconds since 1970 (a double, or an
    /// integer when whole), and text only if something other than Trellis wrote it.
    private static func milliseconds(_ row: OpaquePointer?, _ column: Int32) -> Int64? {
        switch sqlite_nio_sqlite3_column_type(row, column) {
        case SQLITE_FLOAT, SQLITE_INTEGER:
            return Int64((sqlite_nio_sqlite3_column_double(row, column) * 1000).rounded())
        case SQLITE_TEXT:
            guard let bytes = text(row, column) else { return nil }
            return Date(sqliteData: .text(String(decoding: bytes, as: UTF8.self)))
                .map(AuditChainHasher.milliseconds)
        default:
            return nil
        }
    }

    /// A UUID kept as text (36 characters with hyphens, either case) or as 16 bytes.
    private static func uuid(_ row: OpaquePointer?, _ column: Int32) -> uuid_t? {
        switch sqlite_nio_sqlite3_column_type(row, column) {
        case SQLITE_TEXT:
            guard let s = text(row, column), s.count == 36 else { return nil }
            var out: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            let ok = withUnsafeMutableBytes(of: &out) { out -> Bool in
                var i = 0
                var n = 0
                while i < 36 {
                    if i == 8 || i == 13 || i == 18 || i == 23 {
                        guard s[i] == UInt8(ascii: "-") else { return false }
                        i += 1
                        continue
                    }
                    guard let hi = nibble(s[i]), let lo = nibble(s[i + 1]) else { return false }
                    out[n] = hi << 4 | lo
                    n += 1
                    i += 2
                }
                return true
            }
            return ok ? out : nil
        case SQLITE_BLOB:
            guard let b = blob(row, column), b.count == 16 else { return nil }
            return (
                b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]
            )
        default:
            return nil
        }
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
