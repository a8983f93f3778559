import Fluent
import Foundation
import SQLKit
import TrellisCore

extension SQLStore {
    public func insertDocumentContent(id: UUID, bytes: Data) async throws {
        // Sealed like an SSN: uploads are scans of identity cards, releases and letters.
        let sealed = try db.fieldKeys.seal(bytes: bytes, row: id)
        try await sql.insert(into: "document_contents").columns("id", "bytes").values(SQLBind(id), SQLBind(sealed))
            .run()
    }

    public func documentContent(id: UUID) async throws -> Data? {
        guard
            let stored = try await sql.select().column("bytes").from("document_contents").where("id", .equal, id)
                .first()?.decode(column: "bytes", as: Data.self)
        else { return nil }
        return try db.fieldKeys.open(bytes: stored, row: id)
    }

    public func deleteDocumentContent(id: UUID) async throws {
        try await sql.delete(from: "document_contents").where("id", .equal, id).run()
    }
}
