import Foundation
import TrellisCore
import Vapor

enum DirectoryAPI: APIHandlers {
    // Directory
    static func searchDirectory(_ req: Request) async throws -> Response {
        let (limit, offset) = try limits(req)
        if let need = try queryValue(req, "need"), !Needs.contains(Needs.canonical(need)) {
            throw TrellisError.validation([FieldError("need", "is not one of the allowed values")])
        }
        let q = ResourceQuery(
            text: try queryValue(req, "q"), need: try queryValue(req, "need"),
            category: try queryValue(req, "category"),
            place: try queryValue(req, "place"))
        let list = try await req.directory.search(q, by: try req.actor(), limit: limit, offset: offset)
        return try json(Items(items: list.map(\.service)))
    }

    static func getDirectoryService(_ req: Request) async throws -> Response {
        let l = try await req.directory.service(try req.uuid("serviceID"), by: try req.actor())
        return try json(l.service, etag: l.service.version)
    }

    static func createDirectoryService(_ req: Request) async throws -> Response {
        let s = try await req.directory.save(
            nil, try body(req, ResourceServiceInput.self), expectedVersion: nil, by: try req.actor())
        return try json(s, status: .created, etag: s.version, location: path("directory/services", s.id))
    }

    static func putDirectoryService(_ req: Request) async throws -> Response {
        let s = try await req.directory.save(
            try req.uuid("serviceID"), try body(req, ResourceServiceInput.self), expectedVersion: ifMatchVersion(req),
            by: try req.actor())
        return try json(s, etag: s.version)
    }

    struct ImportBody: Decodable { var files: [String: String] }

    static func importDirectory(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        try Policy.require(actor, .importDirectory)
        let files = try body(req, ImportBody.self).files
        return try json(try await req.hsdsImporter.run(files: files, by: actor))
    }
}
