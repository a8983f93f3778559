import Fluent
import Foundation
import SQLKit
import TrellisCore

/// A one-word search lists surnames that begin with the word first, off a name-ordered index; SQLite's trigram
/// table gains the surname as its own column, so the other matches can leave those out without reading rows.
struct M013_RankedNameSearch: AsyncMigration {
    func prepare(on db: any Database) async throws {
        let sql = db.sql
        if db.isSQLite {
            try await sql.raw("DROP TABLE client_search").run()
            try await sql.raw(
                "CREATE VIRTUAL TABLE client_search USING fts5(client_id UNINDEXED, surname, names, tokenize = 'trigram')"
            ).run()
            try await sql.raw(
                "INSERT INTO client_search (client_id, surname, names) SELECT id, last_name_key, search_names FROM clients"
            ).run()
            try await sql.raw(
                "CREATE INDEX IF NOT EXISTS clients_agency_name_order ON clients (agency_id, last_name_key, first_name, id)"
            ).run()
        } else {
            try await sql.raw(
                #"CREATE INDEX clients_agency_name_order ON clients (agency_id, last_name_key COLLATE "C", first_name COLLATE "C", id)"#
            ).run()
        }
    }
    func revert(on db: any Database) async throws {
        let sql = db.sql
        try await sql.raw("DROP INDEX clients_agency_name_order").run()
        if db.isSQLite {
            try await sql.raw("DROP TABLE client_search").run()
            try await sql.raw(
                "CREATE VIRTUAL TABLE client_search USING fts5(client_id UNINDEXED, names, tokenize = 'trigram')"
            ).run()
            try await sql.raw("INSERT INTO client_search (client_id, names) SELECT id, search_names FROM clients").run()
        }
    }
}
