import Fluent
import Foundation
import SQLKit
import TrellisCore

/// The tables of the JSON-bodied records, with their indexed columns. Each record type's `index`
/// names exactly these columns (a storage test round-trips one of each).
enum RecordTables {
    static let all: [(table: String, columns: [(String, DatabaseSchema.DataType)], indexes: [[String]])] = [
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
    typealias Table = (table: String, columns: [(String, DatabaseSchema.DataType)], indexes: [[String]])
    /// Added by M011.
    static let supervision: [Table] = [
        (
            "closure_requests",
            [
                ("agency_id", .uuid), ("case_id", .uuid), ("program_id", .uuid), ("case_manager_id", .uuid),
                ("requested_by", .uuid), ("status", .string)
            ],
            [["agency_id", "status"], ["case_id"], ["requested_by", "status"]]
        ),
        (
            "note_reviews",
            [
                ("agency_id", .uuid), ("case_id", .uuid), ("note_id", .uuid), ("program_id", .uuid),
                ("author_id", .uuid), ("status", .string)
            ],
            [["agency_id", "status"], ["case_id"], ["note_id"], ["author_id", "status"]]
        )
    ]

    static func create(_ tables: [Table], on db: any Database) async throws {
        for (table, columns, indexes) in tables {
            var schema = db.schema(table).id().field("version", .int, .required).field("body", .string, .required)
            for (name, type) in columns { schema = schema.field(.string(name), type) }
            try await schema.create()
            for cols in indexes {
                try await db.sql.raw(
                    "CREATE INDEX \(unsafeRaw: table)_\(unsafeRaw: cols.joined(separator: "_")) ON \(unsafeRaw: table) (\(unsafeRaw: cols.joined(separator: ", ")))"
                ).run()
            }
        }
    }
}
