import Fluent
import SQLKit
import TrellisCore

/// A client has at most one open (or on-hold) case per program, even when two workers open one at once.
struct M007_OneOpenCasePerProgram: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.sql.raw(
            "CREATE UNIQUE INDEX cases_one_open_per_program ON cases (client_id, program_id) WHERE status <> 'closed'"
        ).run()
    }
    func revert(on db: any Database) async throws {
        try await db.sql.raw("DROP INDEX cases_one_open_per_program").run()
    }
}
