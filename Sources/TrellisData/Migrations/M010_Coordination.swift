import Fluent
import Foundation
import SQLKit
import TrellisCore

/// Directory, referrals, services, tasks, advocacy, letters, documents and case events.
struct M010_Coordination: AsyncMigration {
    func prepare(on db: any Database) async throws {
        let sql = db.sql
        try await sql.raw("ALTER TABLE programs ADD COLUMN contact_rules TEXT").run()
        try await sql.raw("ALTER TABLE programs ADD COLUMN referral_response_days INTEGER").run()
        try await sql.raw("ALTER TABLE cases ADD COLUMN closure_reason VARCHAR(40)").run()
        try await sql.raw("ALTER TABLE cases ADD COLUMN exit_destination INTEGER").run()
        try await RecordTables.create(RecordTables.all, on: db)
        try await db.schema("document_contents").id().field("bytes", .data, .required).create()
        try await sql.raw("CREATE INDEX case_notes_case_type ON case_notes (case_id, contact_type, contact_date)").run()
    }
    func revert(on db: any Database) async throws {
        try await db.schema("document_contents").delete()
        for t in RecordTables.all.reversed() { try await db.schema(t.table).delete() }
        for (t, c) in [
            ("cases", "exit_destination"), ("cases", "closure_reason"), ("programs", "referral_response_days"),
            ("programs", "contact_rules")
        ] {
            try await db.sql.raw("ALTER TABLE \(unsafeRaw: t) DROP COLUMN \(unsafeRaw: c)").run()
        }
    }
}
