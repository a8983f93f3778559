import Fluent
import SQLKit
import TrellisCore

struct M003_Cases: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("cases").id()
            .field("agency_id", .uuid, .required, .references("agencies", "id"))
            .field("client_id", .uuid, .required, .references("clients", "id"))
            .field("program_id", .uuid, .required, .references("programs", "id"))
            .field("primary_case_manager_id", .uuid, .required, .references("staff", "id"))
            .field("status", .string, .required).field("stage", .string, .required).field(
                "priority", .string, .required
            )
            .field("opened_on", .string, .required).field("closed_on", .string)
            .field("last_contact_on", .string).field("contact_due_on", .string, .required)
            .field("created_at", .datetime, .required).field("updated_at", .datetime, .required)
            .field("version", .int, .required).create()
        try await db.sql.raw("CREATE INDEX cases_manager_status ON cases (primary_case_manager_id, status)").run()
        try await db.sql.raw("CREATE INDEX cases_client ON cases (client_id)").run()
        try await db.sql.raw(
            "CREATE INDEX cases_agency_status ON cases (agency_id, status, primary_case_manager_id, contact_due_on)"
        ).run()
    }
    func revert(on db: any Database) async throws { try await db.schema("cases").delete() }
}
