import Fluent
import SQLKit
import TrellisCore

/// Completed instruments and the risk alerts they raise.
struct M008_Assessments: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("assessments").id()
            .field("agency_id", .uuid, .required, .references("agencies", "id"))
            .field("case_id", .uuid, .required, .references("cases", "id"))
            .field("client_id", .uuid, .required, .references("clients", "id"))
            .field("assessor_id", .uuid, .required, .references("staff", "id"))
            .field("instrument_code", .string, .required).field("instrument_version", .int, .required)
            .field("completed_on", .string, .required)
            .field("result", .string, .required)
            .field("created_at", .datetime, .required).create()
        try await db.schema("risk_alerts").id()
            .field("agency_id", .uuid, .required, .references("agencies", "id"))
            .field("case_id", .uuid, .required, .references("cases", "id"))
            .field("client_id", .uuid, .required, .references("clients", "id"))
            .field("assessment_id", .uuid, .required, .references("assessments", "id"))
            .field("reason", .string, .required).field("raised_at", .datetime, .required)
            .field("acknowledged_at", .datetime).field("acknowledged_by", .uuid, .references("staff", "id"))
            .field("action_taken", .string).create()
        try await db.sql.raw("CREATE INDEX assessments_case ON assessments (case_id, completed_on)").run()
        try await db.sql.raw("CREATE INDEX risk_alerts_open ON risk_alerts (agency_id, acknowledged_at, case_id)").run()
    }
    func revert(on db: any Database) async throws {
        try await db.schema("risk_alerts").delete()
        try await db.schema("assessments").delete()
    }
}
