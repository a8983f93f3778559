import Fluent
import SQLKit
import TrellisCore

/// HUD project descriptor data on each program (issue 16, point 2): one JSON document (`ProjectDescriptor`) and
/// its own version for optimistic concurrency. Programs saved before have none (version 0).
struct M034_ProjectDescriptors: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.sql.runSteps([
            "ALTER TABLE programs ADD COLUMN hud TEXT",
            "ALTER TABLE programs ADD COLUMN hud_version INTEGER NOT NULL DEFAULT 0"
        ])
    }

    func revert(on db: any Database) async throws {
        try await db.sql.runSteps([
            "ALTER TABLE programs DROP COLUMN hud_version", "ALTER TABLE programs DROP COLUMN hud"
        ])
    }
}
