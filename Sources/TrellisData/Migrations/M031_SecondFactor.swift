import Fluent
import SQLKit
import TrellisCore

/// Two-step sign-in: each user's authenticator secret (sealed with the field keys, like SSNs), the last time
/// step a code was accepted for (so each code signs in once), their recovery codes (hashes only), the roles an
/// agency requires it of, and sessions that have passed the password but not yet the code.
struct M031_SecondFactor: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("second_factors")
            .field("staff_id", .uuid, .identifier(auto: false), .references("staff", "id", onDelete: .cascade))
            .field("secret", .string, .required)
            .field("created_at", .datetime, .required)
            .field("confirmed_at", .datetime)
            .field("last_step", .int64, .required, .sql(.default(0)))
            .create()
        try await db.schema("recovery_codes")
            .field("staff_id", .uuid, .required, .references("staff", "id", onDelete: .cascade))
            .field("code_hash", .string, .required)
            .compositeIdentifier(over: "staff_id", "code_hash")
            .create()
        try await db.transaction { tx in
            try await tx.sql.runSteps([
                "ALTER TABLE agencies ADD COLUMN second_factor_roles TEXT NOT NULL DEFAULT ''",
                "ALTER TABLE sessions ADD COLUMN second_factor_pending INTEGER NOT NULL DEFAULT 0",
                "ALTER TABLE sessions ADD COLUMN code_failures INTEGER NOT NULL DEFAULT 0"
            ])
        }
    }

    func revert(on db: any Database) async throws {
        try await db.sql.runSteps([
            "ALTER TABLE agencies DROP COLUMN second_factor_roles",
            "DELETE FROM sessions WHERE second_factor_pending = 1",
            "ALTER TABLE sessions DROP COLUMN second_factor_pending",
            "ALTER TABLE sessions DROP COLUMN code_failures"
        ])
        try await db.schema("recovery_codes").delete()
        try await db.schema("second_factors").delete()
    }
}
