import Fluent
import SQLKit
import TrellisCore

/// Agency forms, biopsychosocial assessments, versioned service plans, and each program's
/// reassessment schedule and plan-approval rule.
struct M009_PlansAndForms: AsyncMigration {
    func prepare(on db: any Database) async throws {
        let sql = db.sql
        try await sql.raw("ALTER TABLE programs ADD COLUMN reassessment_days INTEGER").run()
        try await sql.raw("ALTER TABLE programs ADD COLUMN requires_plan_approval BOOLEAN NOT NULL DEFAULT FALSE").run()
        try await sql.raw("ALTER TABLE cases ADD COLUMN last_assessed_on VARCHAR(10)").run()
        try await db.schema("instruments").id()
            .field("agency_id", .uuid, .required, .references("agencies", "id"))
            .field("code", .string, .required).field("version", .int, .required)
            .field("definition", .string, .required)
            .field("created_by", .uuid, .required, .references("staff", "id"))
            .field("created_at", .datetime, .required)
            .unique(on: "agency_id", "code", "version").create()
        try await db.schema("biopsychosocial_assessments").id()
            .field("agency_id", .uuid, .required, .references("agencies", "id"))
            .field("case_id", .uuid, .required, .references("cases", "id"))
            .field("client_id", .uuid, .required, .references("clients", "id"))
            .field("author_id", .uuid, .required, .references("staff", "id"))
            .field("completed_on", .string, .required)
            .field("body", .string, .required)
            .field("created_at", .datetime, .required).create()
        try await db.schema("service_plans").id()
            .field("agency_id", .uuid, .required, .references("agencies", "id"))
            .field("case_id", .uuid, .required, .references("cases", "id"))
            .field("client_id", .uuid, .required, .references("clients", "id"))
            .field("version", .int, .required)
            .field("status", .string, .required)
            .field("body", .string, .required)
            .field("created_by", .uuid, .required, .references("staff", "id"))
            .field("created_at", .datetime, .required)
            .field("reviewed_by", .uuid, .references("staff", "id"))
            .field("reviewed_at", .datetime).field("review_comment", .string)
            .unique(on: "case_id", "version").create()
        try await sql.raw("CREATE INDEX bps_case ON biopsychosocial_assessments (case_id, completed_on)").run()
    }
    func revert(on db: any Database) async throws {
        for t in ["service_plans", "biopsychosocial_assessments", "instruments"] { try await db.schema(t).delete() }
        for (t, c) in [
            ("cases", "last_assessed_on"), ("programs", "requires_plan_approval"), ("programs", "reassessment_days")
        ] {
            try await db.sql.raw("ALTER TABLE \(unsafeRaw: t) DROP COLUMN \(unsafeRaw: c)").run()
        }
    }
}
