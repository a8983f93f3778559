import Foundation
import SQLKit
import TrellisCore
import TrellisData
import Vapor

enum AppAPI: APIHandlers {
    static func health(_ req: Request) async throws -> Response {
        let sql = req.db as! any SQLDatabase
        _ = try await sql.raw("SELECT 1 AS ok").first()
        return try json(["status": "ok", "database": sql.dialect.name == "sqlite" ? "sqlite" : "postgresql"])
    }

    static func openAPI(_ req: Request) async throws -> Response {
        guard
            let url = Bundle.module.url(forResource: "openapi", withExtension: "json", subdirectory: "Resources")
                ?? Bundle.module.url(forResource: "openapi", withExtension: "json")
        else { throw Abort(.notFound) }
        return Response(
            status: .ok, headers: ["Content-Type": "application/json"], body: .init(data: try Data(contentsOf: url)))
    }
}
