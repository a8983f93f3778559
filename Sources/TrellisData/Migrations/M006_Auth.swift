import Fluent
import SQLKit
import TrellisCore

struct M006_Auth: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("sessions")
            .field("token_hash", .string, .identifier(auto: false))
            .field("staff_id", .uuid, .required, .references("staff", "id", onDelete: .cascade))
            .field("csrf_token", .string, .required)
            .field("created_at", .datetime, .required).field("expires_at", .datetime, .required).create()
        try await db.schema("api_tokens").id()
            .field("token_hash", .string, .required).unique(on: "token_hash")
            .field("staff_id", .uuid, .required, .references("staff", "id", onDelete: .cascade))
            .field("created_at", .datetime, .required).create()
        try await db.schema("failed_sign_ins").id()
            .field("username", .string, .required).field("at", .datetime, .required).create()
        try await db.sql.raw("CREATE INDEX failed_sign_ins_user ON failed_sign_ins (username, at)").run()
        try await db.sql.raw("CREATE INDEX sessions_expiry ON sessions (expires_at)").run()
    }
    func revert(on db: any Database) async throws {
        for t in ["failed_sign_ins", "api_tokens", "sessions"] { try await db.schema(t).delete() }
    }
}
