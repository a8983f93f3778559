import Fluent
import SQLKit
import TrellisCore

struct M001_Organization: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("agencies").id()
            .field("name", .string, .required).unique(on: "name")
            .field("created_at", .datetime, .required).create()
        try await db.schema("programs").id()
            .field("agency_id", .uuid, .required, .references("agencies", "id"))
            .field("name", .string, .required)
            .field("type", .string, .required)
            .field("contact_frequency_days", .int, .required)
            .field("active", .bool, .required)
            .field("created_at", .datetime, .required).create()
        try await db.schema("teams").id()
            .field("agency_id", .uuid, .required, .references("agencies", "id"))
            .field("program_id", .uuid, .references("programs", "id"))
            .field("name", .string, .required)
            .field("created_at", .datetime, .required).create()
        try await db.schema("staff").id()
            .field("agency_id", .uuid, .required, .references("agencies", "id"))
            .field("team_id", .uuid, .references("teams", "id"))
            .field("username", .string, .required).unique(on: "username")
            .field("display_name", .string, .required)
            .field("role", .string, .required)
            .field("language", .string, .required)
            .field("password_hash", .string, .required)
            .field("active", .bool, .required)
            .field("created_at", .datetime, .required).create()
        try await db.sql.raw("CREATE INDEX programs_agency ON programs (agency_id)").run()
        try await db.sql.raw("CREATE INDEX staff_agency_team ON staff (agency_id, team_id)").run()
    }
    func revert(on db: any Database) async throws {
        for t in ["staff", "teams", "programs", "agencies"] { try await db.schema(t).delete() }
    }
}
