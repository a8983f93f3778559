import Fluent
import SQLKit

/// Need-to-know: the agency's access policy, a program's restriction and its staff, staff assigned to a case,
/// break-glass grants, and the purpose (and basis) of each audit entry.
struct M022_NeedToKnow: AsyncMigration {
    static let tables: [RecordTableDDL.Table] = [
        (
            "access_grants", [("agency_id", .uuid), ("staff_id", .uuid), ("client_id", .uuid)],
            [["staff_id", "client_id"]]
        )
    ]

    func prepare(on db: any Database) async throws {
        let sql = db.sql
        try await sql.raw("ALTER TABLE agencies ADD COLUMN access_policy TEXT NOT NULL DEFAULT 'need_to_know'").run()
        try await sql.raw("ALTER TABLE programs ADD COLUMN restriction TEXT").run()
        try await sql.raw("ALTER TABLE audit_log ADD COLUMN purpose TEXT").run()
        try await sql.raw("ALTER TABLE audit_log ADD COLUMN basis_id UUID").run()
        try await db.schema("case_staff")
            .field("case_id", .uuid, .required, .references("cases", "id"))
            .field("staff_id", .uuid, .required, .references("staff", "id"))
            .field("added_by", .uuid, .required)
            .field("added_at", .datetime, .required)
            .unique(on: "case_id", "staff_id").create()
        try await db.schema("program_staff")
            .field("program_id", .uuid, .required, .references("programs", "id"))
            .field("staff_id", .uuid, .required, .references("staff", "id"))
            .unique(on: "program_id", "staff_id").create()
        try await sql.raw("CREATE INDEX case_staff_staff ON case_staff (staff_id)").run()
        try await sql.raw("CREATE INDEX program_staff_staff ON program_staff (staff_id)").run()
        try await RecordTableDDL.create(Self.tables, on: db)
    }

    func revert(on db: any Database) async throws {
        for t in Self.tables.reversed() { try await db.schema(t.table).delete() }
        try await db.schema("program_staff").delete()
        try await db.schema("case_staff").delete()
        for (table, column) in [
            ("audit_log", "basis_id"), ("audit_log", "purpose"), ("programs", "restriction"),
            ("agencies", "access_policy")
        ] {
            try await db.sql.raw("ALTER TABLE \(ident: table) DROP COLUMN \(ident: column)").run()
        }
    }
}
