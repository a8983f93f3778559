import Fluent
import Foundation
import SQLKit
import TrellisCore

/// A one-word search's second group (names that begin with the word: a first name) is read in order off an
/// index of the whole normalised name, as the surname group is off the surname index.
struct M016_NameBeginsSearch: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.sql.raw(
            db.isSQLite
                ? "CREATE INDEX clients_agency_names ON clients (agency_id, search_names, id)"
                : #"CREATE INDEX clients_agency_names ON clients (agency_id, search_names COLLATE "C", id)"#
        ).run()
    }
    func revert(on db: any Database) async throws {
        try await db.sql.raw("DROP INDEX clients_agency_names").run()
    }
}
