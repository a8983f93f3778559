import Fluent
import SQLKit

/// A note's addenda are found by the note they add to, so reading one note reads only its own (partial: most
/// notes are not addenda).
struct M026_AddendaIndex: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.sql.raw(
            "CREATE INDEX case_notes_addendum_to ON case_notes (addendum_to) WHERE addendum_to IS NOT NULL"
        ).run()
    }

    func revert(on db: any Database) async throws {
        try await db.sql.raw("DROP INDEX case_notes_addendum_to").run()
    }
}
