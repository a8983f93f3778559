import Fluent
import Foundation
import SQLKit
import TrellisCore

/// Which keys the database's sealed values need (`field_keys`: each key's number and check, never the key).
enum FieldKeyRecord {
    static func record(_ key: FieldKeys.Key, on sql: any SQLDatabase) async throws {
        try await sql.raw(
            "INSERT INTO field_keys (number, key_check) VALUES (\(bind: key.number), \(bind: key.check))"
        ).run()
    }

    /// Refuses keys that lack one the database needs, or hold different bytes under its number.
    static func verify(_ keys: FieldKeys, on sql: any SQLDatabase) async throws {
        var missing: [Int] = []
        for row in try await sql.raw("SELECT number, key_check FROM field_keys ORDER BY number").all() {
            let number = try row.decode(column: "number", as: Int.self)
            if keys.key(number)?.check != (try row.decode(column: "key_check", as: String.self)) {
                missing.append(number)
            }
        }
        guard missing.isEmpty else { throw FieldKeyError.missing(missing, source: keys.source) }
    }
}

/// What `trellis key rotate` did.
public struct FieldKeyRotation: Sendable {
    public var from: [Int]
    public var to: Int
    public var ssns: Int
    public var documents: Int
    /// Authenticator secrets of two-step sign-in.
    public var secrets: Int
}

extension SQLStore {
    /// Reseals every SSN, document and authenticator secret with the current key of `keys` (which must also hold every key the
    /// database's values were sealed with), recomputes the keyed hashes, and records the current key as the only
    /// one the database needs, all in one transaction: a failure changes nothing.
    public func resealFields(with keys: FieldKeys) async throws -> FieldKeyRotation {
        try await FieldKeyRecord.verify(keys, on: sql)
        let before = try await sql.raw("SELECT number FROM field_keys ORDER BY number").all().map {
            try $0.decode(column: "number", as: Int.self)
        }
        return try await db.transaction { tx in
            let sql = tx.sql
            var ssns = 0
            var documents = 0
            try await SealedRows.eachSSN(sql) { id, stored in
                let clear = try keys.open(stored, row: id)
                try await sql.raw(
                    """
                    UPDATE clients SET ssn = \(bind: try keys.seal(clear, row: id)), \
                    ssn_hmac = \(bind: keys.index(clear)) WHERE id = \(bind: id)
                    """
                ).run()
                ssns += 1
            }
            try await SealedRows.eachDocument(sql) { id, stored in
                let clear = try keys.open(bytes: stored, row: id)
                try await sql.raw(
                    "UPDATE document_contents SET bytes = \(bind: try keys.seal(bytes: clear, row: id)) WHERE id = \(bind: id)"
                ).run()
                documents += 1
            }
            // One row a user who turned two-step sign-in on: no paging needed.
            let secrets = try await sql.raw("SELECT staff_id, secret FROM second_factors").all()
            for row in secrets {
                let id = try row.decode(column: "staff_id", as: UUID.self)
                let clear = try keys.open(try row.decode(column: "secret", as: String.self), row: id)
                try await sql.raw(
                    "UPDATE second_factors SET secret = \(bind: try keys.seal(clear, row: id)) WHERE staff_id = \(bind: id)"
                ).run()
            }
            try await sql.raw("DELETE FROM field_keys").run()
            try await FieldKeyRecord.record(keys.current, on: sql)
            return FieldKeyRotation(
                from: before, to: keys.current.number, ssns: ssns, documents: documents, secrets: secrets.count)
        }
    }
}

/// The rows that hold sealed values, a page at a time in order of id (so an update of a row never moves it
/// into a later page).
enum SealedRows {
    static func eachSSN(_ sql: any SQLDatabase, _ body: (UUID, String) async throws -> Void) async throws {
        try await each(sql, "SELECT id, ssn AS v FROM clients WHERE ssn IS NOT NULL", and: true, page: 1000) {
            try await body($0, try $1.decode(column: "v", as: String.self))
        }
    }

    static func eachDocument(_ sql: any SQLDatabase, _ body: (UUID, Data) async throws -> Void) async throws {
        // Uploads are up to 12 MB: a small page.
        try await each(sql, "SELECT id, bytes AS v FROM document_contents", and: false, page: 20) {
            try await body($0, try $1.decode(column: "v", as: Data.self))
        }
    }

    private static func each(
        _ sql: any SQLDatabase, _ select: String, and: Bool, page: Int,
        _ body: (UUID, any SQLRow) async throws -> Void
    ) async throws {
        var after: UUID? = nil
        while true {
            var q = SQLQueryString(stringLiteral: select)
            if let after {
                q.appendInterpolation(unsafeRaw: and ? " AND id > " : " WHERE id > ")
                q.appendInterpolation(bind: after)
            }
            q.appendInterpolation(unsafeRaw: " ORDER BY id LIMIT \(page)")
            let rows = try await sql.raw(q).all()
            guard !rows.isEmpty else { return }
            for row in rows {
                let id = try row.decode(column: "id", as: UUID.self)
                after = id
                try await body(id, row)
            }
        }
    }
}
