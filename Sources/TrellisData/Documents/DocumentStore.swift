import Fluent
import Foundation
import SQLKit
import TrellisCore

extension SQLStore {
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
}
