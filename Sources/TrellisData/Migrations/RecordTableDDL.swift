import Fluent
import Foundation
import SQLKit

/// How the shipped migrations create tables of JSON-bodied records (id, version, body and a few indexed
/// columns). Frozen with them: M010 and M011 call it, so a change here would change what they create.
/// A later record table, or a change to one, is a new migration with its own DDL.
enum RecordTableDDL {
    typealias Table = (table: String, columns: [(String, DatabaseSchema.DataType)], indexes: [[String]])

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
