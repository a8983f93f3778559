import Fluent
import Foundation
import SQLKit
import TrellisCore

/// Directory, referrals, services, tasks, advocacy, letters, documents and case events.
struct M010_Coordination: AsyncMigration {
    /// The record tables this migration creates, as it shipped.
    static let tables: [RecordTableDDL.Table] = [
        (
            "directory_organizations", [("agency_id", .uuid), ("external_id", .string), ("name_key", .string)],
            [["agency_id", "name_key"], ["agency_id", "external_id"]]
        ),
        (
            "directory_services",
            [
                ("agency_id", .uuid), ("organization_id", .uuid), ("external_id", .string), ("name_key", .string),
                ("status", .string),
                ("search_text", .string), ("place_text", .string), ("category_text", .string), ("need_text", .string)
            ],
            [["agency_id", "name_key"], ["agency_id", "external_id"], ["organization_id"]]
        ),
        (
            "referrals",
            [
                ("agency_id", .uuid), ("case_id", .uuid), ("client_id", .uuid), ("status", .string),
                ("sent_on", .string),
                ("response_due_on", .string), ("follow_up_task_id", .uuid)
            ],
            [["case_id"], ["agency_id", "sent_on"], ["status", "response_due_on"]]
        ),
        (
            "service_records",
            [
                ("agency_id", .uuid), ("case_id", .uuid), ("client_id", .uuid), ("provided_on", .string),
                ("record_type", .int)
            ],
            [["case_id"], ["agency_id", "provided_on"]]
        ),
        (
            "tasks",
            [
                ("agency_id", .uuid), ("assignee_id", .uuid), ("case_id", .uuid), ("status", .string),
                ("due_on", .string), ("source_id", .uuid)
            ],
            [["assignee_id", "status", "due_on"], ["case_id"], ["source_id"]]
        ),
        ("calendar_feeds", [("token_hash", .string)], [["token_hash"]]),
        ("advocacy_actions", [("agency_id", .uuid), ("case_id", .uuid), ("status", .string)], [["case_id"]]),
        ("letter_templates", [("agency_id", .uuid)], [["agency_id"]]),
        ("letters", [("agency_id", .uuid), ("case_id", .uuid)], [["case_id"]]),
        (
            "documents", [("agency_id", .uuid), ("client_id", .uuid), ("case_id", .uuid), ("deleted", .int)],
            [["client_id"]]
        ),
        ("case_events", [("agency_id", .uuid), ("case_id", .uuid)], [["case_id"]])
    ]

    func prepare(on db: any Database) async throws {
        let sql = db.sql
        try await sql.raw("ALTER TABLE programs ADD COLUMN contact_rules TEXT").run()
        try await sql.raw("ALTER TABLE programs ADD COLUMN referral_response_days INTEGER").run()
        try await sql.raw("ALTER TABLE cases ADD COLUMN closure_reason VARCHAR(40)").run()
        try await sql.raw("ALTER TABLE cases ADD COLUMN exit_destination INTEGER").run()
        try await RecordTableDDL.create(Self.tables, on: db)
        try await db.schema("document_contents").id().field("bytes", .data, .required).create()
        try await sql.raw("CREATE INDEX case_notes_case_type ON case_notes (case_id, contact_type, contact_date)").run()
    }
    func revert(on db: any Database) async throws {
        try await db.schema("document_contents").delete()
        for t in Self.tables.reversed() { try await db.schema(t.table).delete() }
        for (t, c) in [
            ("cases", "exit_destination"), ("cases", "closure_reason"), ("programs", "referral_response_days"),
            ("programs", "contact_rules")
        ] {
            try await db.sql.raw("ALTER TABLE \(unsafeRaw: t) DROP COLUMN \(unsafeRaw: c)").run()
        }
    }
}
