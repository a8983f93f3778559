import Fluent
import Foundation
import SQLKit
import TrellisCore

/// A worker's open alerts are found from their cases.
struct M012_AlertsByCase: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.sql.raw(
            "CREATE INDEX IF NOT EXISTS risk_alerts_case_open ON risk_alerts (case_id, acknowledged_at)"
        ).run()
    }
    func revert(on db: any Database) async throws {
        try await db.sql.raw("DROP INDEX risk_alerts_case_open").run()
    }
}
