import Foundation
import TrellisCore
import Vapor

enum DocumentsAPI: APIHandlers {
    // Documents
    static func listDocuments(_ req: Request) async throws -> Response {
        try await paged(req) { try await req.documents.list(clientID: try req.uuid("clientID"), by: try req.actor()) }
    }

    static func uploadDocument(_ req: Request) async throws -> Response {
        let d = try await req.documents.upload(
            clientID: try req.uuid("clientID"), try DocumentsWeb.documentUpload(req), by: try req.actor())
        return try json(d, status: .created, etag: d.version, location: path("documents", d.id))
    }

    static func downloadDocument(_ req: Request) async throws -> Response {
        try await DocumentsWeb.downloadDocument(req)
    }

    static func deleteDocument(_ req: Request) async throws -> Response {
        let reason = try queryValue(req, "reason") ?? (try? req.content.decode(StatusBody.self))?.reason
        let d = try await req.documents.delete(
            try req.uuid("documentID"), reason: reason, expectedVersion: ifMatchVersion(req), by: try req.actor())
        return try json(d, etag: d.version)
    }
}
