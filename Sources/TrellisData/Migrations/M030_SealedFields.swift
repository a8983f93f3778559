import Fluent
import Foundation
import SQLKit
import TrellisCore

/// SSNs and document contents sealed with the field keys (`FieldKeys`): each SSN gets its keyed hash
/// (`ssn_hmac`, indexed, for exact search and the duplicate check) and whether it breaks HUD's rules
/// (`ssn_invalid`, for the data-quality report); `field_keys` records which keys the database's values need,
/// so an instance started with the wrong key file refuses to run instead of failing on each record.
struct M030_SealedFields: AsyncMigration {
    func prepare(on db: any Database) async throws {
        let keys = try db.fieldKeys
        let sql = db.sql
        try await sql.raw("ALTER TABLE clients ADD COLUMN ssn_hmac VARCHAR(64)").run()
        try await sql.raw("ALTER TABLE clients ADD COLUMN ssn_invalid INTEGER").run()
        try await sql.raw(
            "CREATE INDEX clients_ssn_hmac ON clients (agency_id, ssn_hmac) WHERE ssn_hmac IS NOT NULL"
        ).run()
        try await sql.raw(
            "CREATE TABLE field_keys (number INTEGER PRIMARY KEY, key_check VARCHAR(64) NOT NULL)"
        ).run()
        try await db.transaction { tx in
            try await FieldKeyRecord.record(keys.current, on: tx.sql)
            try await Self.sealSSNs(tx.sql, keys)
            try await Self.sealDocuments(tx.sql, keys)
        }
    }

    func revert(on db: any Database) async throws {
        let keys = try db.fieldKeys
        let sql = db.sql
        try await db.transaction { tx in
            try await SealedRows.eachSSN(tx.sql) { id, stored in
                let clear = try keys.open(stored, row: id)
                try await tx.sql.raw("UPDATE clients SET ssn = \(bind: clear) WHERE id = \(bind: id)").run()
            }
            try await SealedRows.eachDocument(tx.sql) { id, stored in
                let clear = try keys.open(bytes: stored, row: id)
                try await tx.sql.raw("UPDATE document_contents SET bytes = \(bind: clear) WHERE id = \(bind: id)")
                    .run()
            }
        }
        try await sql.raw("DROP TABLE field_keys").run()
        try await sql.raw("DROP INDEX clients_ssn_hmac").run()
        try await sql.raw("ALTER TABLE clients DROP COLUMN ssn_invalid").run()
        try await sql.raw("ALTER TABLE clients DROP COLUMN ssn_hmac").run()
    }

    /// Seals every SSN still in clear.
    static func sealSSNs(_ sql: any SQLDatabase, _ keys: FieldKeys) async throws {
        try await SealedRows.eachSSN(sql) { id, stored in
            guard FieldKeys.keyNumber(stored) == nil else { return }
            try await sql.raw(
                """
                UPDATE clients SET ssn = \(bind: try keys.seal(stored, row: id)), \
                ssn_hmac = \(bind: keys.index(stored)), \
                ssn_invalid = \(bind: SSNRules.breaksHUDRules(stored) ? 1 : 0) WHERE id = \(bind: id)
                """
            ).run()
        }
    }

    static func sealDocuments(_ sql: any SQLDatabase, _ keys: FieldKeys) async throws {
        try await SealedRows.eachDocument(sql) { id, stored in
            guard FieldKeys.keyNumber(bytes: stored) == nil else { return }
            try await sql.raw(
                "UPDATE document_contents SET bytes = \(bind: try keys.seal(bytes: stored, row: id)) WHERE id = \(bind: id)"
            ).run()
        }
    }
}
