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

extension SQLStore {
    static func bodyText<R: Encodable>(_ r: R) throws -> String {
        String(decoding: try JSONEncoder().encode(r), as: UTF8.self)
    }

    static func bind(_ v: IndexValue) -> any SQLExpression {
        switch v {
        case .uuid(let u): u.map { SQLBind($0) } ?? SQLLiteral.null
        case .text(let t): t.map { SQLBind($0) } ?? SQLLiteral.null
        case .int(let i): i.map { SQLBind($0) } ?? SQLLiteral.null
        }
    }

    public func insertRecord<R: StoredRecord>(_ r: R) async throws {
        let idx = r.index.sorted { $0.key < $1.key }
        try await sql.insert(into: R.table).columns(["id", "version", "body"] + idx.map(\.key))
            .values(
                [SQLBind(r.id), SQLBind(r.version), SQLBind(try Self.bodyText(r))] + idx.map { Self.bind($0.value) }
            ).run()
    }

    public func updateRecord<R: StoredRecord>(_ r: R, expectedVersion: Int) async throws -> Bool {
        let q = sql.update(R.table).set("version", to: r.version).set("body", to: try Self.bodyText(r))
        for (k, v) in r.index { q.set(k, to: Self.bind(v)) }
        return !(try await q.where("id", .equal, r.id).where("version", .equal, expectedVersion).returning("id").all())
            .isEmpty
    }

    public func record<R: StoredRecord>(_ type: R.Type, id: UUID) async throws -> R? {
        try await records(type, [.equals("id", .uuid(id))], order: [], limit: 1).first
    }

    public func records<R: StoredRecord>(_ type: R.Type, _ filters: [RecordFilter], order: [RecordOrder], limit: Int?)
        async throws -> [R]
    {
        let q = sql.select().column("body").from(R.table)
        for f in filters {
            switch f {
            case .equals(let c, let v): q.where(SQLIdentifier(c), .equal, Self.bind(v))
            case .atMost(let c, let v): q.where(SQLIdentifier(c), .lessThanOrEqual, Self.bind(v))
            case .atLeast(let c, let v): q.where(SQLIdentifier(c), .greaterThanOrEqual, Self.bind(v))
            case .isNull(let c): q.where(SQLIdentifier(c), .is, SQLLiteral.null)
            case .contains(let c, let s):
                // A plain substring test: LIKE would read "_" and "%" in codes and searches as wildcards.
                q.where(
                    SQLFunction(isSQLite ? "instr" : "strpos", args: SQLIdentifier(c), SQLBind(s)), .greaterThan,
                    SQLLiteral.numeric("0"))
            case .oneOf(let c, let vs):
                if vs.isEmpty { return [] }
                q.where(SQLIdentifier(c), .in, SQLGroupExpression(vs.map(Self.bind)))
            }
        }
        for o in order { q.orderBy(o.column, o.descending ? .descending : .ascending) }
        q.orderBy("id")
        if let limit { q.limit(limit) }
        let decoder = JSONDecoder()
        return try await q.all().map { row in
            try decoder.decode(R.self, from: Data(try row.decode(column: "body", as: String.self).utf8))
        }
    }

    public func deleteRecord<R: StoredRecord>(_ type: R.Type, id: UUID) async throws {
        try await sql.delete(from: R.table).where("id", .equal, id).run()
    }

    public func insertDocumentContent(id: UUID, bytes: Data) async throws {
        try await sql.insert(into: "document_contents").columns("id", "bytes").values(SQLBind(id), SQLBind(bytes)).run()
    }

    public func documentContent(id: UUID) async throws -> Data? {
        try await sql.select().column("bytes").from("document_contents").where("id", .equal, id).first()?.decode(
            column: "bytes", as: Data.self)
    }

    public func deleteDocumentContent(id: UUID) async throws {
        try await sql.delete(from: "document_contents").where("id", .equal, id).run()
    }

    public func latestContacts(caseIDs: [UUID]) async throws -> [UUID: [ContactType: LocalDate]] {
        var out: [UUID: [ContactType: LocalDate]] = [:]
        for chunk in Array(Set(caseIDs)).chunked(500) where !chunk.isEmpty {
            let rows = try await sql.select().column("case_id").column("contact_type").column(
                SQLFunction("MAX", args: SQLIdentifier("contact_date")), as: "last"
            )
            .from("case_notes").where("case_id", .in, chunk).groupBy("case_id").groupBy("contact_type").all()
            for r in rows {
                guard let type = ContactType(rawValue: try r.decode(column: "contact_type", as: String.self)),
                    let d = LocalDate(try r.decode(column: "last", as: String.self))
                else { continue }
                out[try r.decode(column: "case_id", as: UUID.self), default: [:]][type] = d
            }
        }
        return out
    }
}
