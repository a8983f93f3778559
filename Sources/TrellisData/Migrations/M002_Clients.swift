import Fluent
import SQLKit
import TrellisCore

struct M002_Clients: AsyncMigration {
    func prepare(on db: any Database) async throws {
        try await db.schema("clients").id()
            .field("agency_id", .uuid, .required, .references("agencies", "id"))
            .field("first_name", .string).field("middle_name", .string).field("last_name", .string)
            .field("name_suffix", .string).field("name_data_quality", .int, .required)
            .field("preferred_name", .string).field("pronouns", .string)
            .field("ssn", .string).field("ssn_data_quality", .int, .required)
            .field("birth_date", .string).field("dob_data_quality", .int, .required)
            .field("sex", .int, .required).field("races", .string, .required).field("race_none", .int)
            .field("additional_race_ethnicity", .string).field("veteran_status", .int, .required)
            .field("phone", .string).field("email", .string).field("address", .string).field(
                "preferred_language", .string
            )
            .field("search_names", .string, .required)
            .field("last_name_key", .string, .required)
            .field("last_name_soundex", .string, .required)
            .field("created_at", .datetime, .required).field("updated_at", .datetime, .required)
            .field("created_by", .uuid, .required, .references("staff", "id"))
            .field("version", .int, .required).create()
        try await db.schema("household_members").id()
            .field("client_id", .uuid, .required, .references("clients", "id", onDelete: .cascade))
            .field("position", .int, .required)
            .field("first_name", .string).field("last_name", .string).field("birth_date", .string)
            .field("relationship", .int, .required).create()
        let sql = db.sql
        try await sql.raw("CREATE INDEX clients_agency_dob ON clients (agency_id, birth_date)").run()
        try await sql.raw("CREATE INDEX clients_agency_last ON clients (agency_id, last_name_key)").run()
        try await sql.raw("CREATE INDEX clients_agency_soundex ON clients (agency_id, last_name_soundex)").run()
        try await sql.raw("CREATE INDEX household_client ON household_members (client_id)").run()
        if db.isSQLite {
            // A trigram index finds any part of a name (3+ characters) without scanning the table.
            try await sql.raw(
                "CREATE VIRTUAL TABLE client_search USING fts5(client_id UNINDEXED, names, tokenize = 'trigram')"
            ).run()
        } else {
            try await sql.raw("CREATE EXTENSION IF NOT EXISTS pg_trgm").run()
            try await sql.raw("CREATE INDEX clients_search_trgm ON clients USING gin (search_names gin_trgm_ops)").run()
        }
    }
    func revert(on db: any Database) async throws {
        if db.isSQLite { try await db.sql.raw("DROP TABLE client_search").run() }
        try await db.schema("household_members").delete()
        try await db.schema("clients").delete()
    }
}
