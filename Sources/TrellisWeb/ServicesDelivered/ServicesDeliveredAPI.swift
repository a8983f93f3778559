import Foundation
import TrellisCore
import Vapor

enum ServicesDeliveredAPI: APIHandlers {
    // Services delivered
    static func listServiceRecords(_ req: Request) async throws -> Response {
        try await paged(req) { try await req.serviceRecords.list(caseID: try req.uuid("caseID"), by: try req.actor()) }
    }

    static func createServiceRecord(_ req: Request) async throws -> Response {
        let s = try await req.serviceRecords.record(
            caseID: try req.uuid("caseID"), try body(req, ServiceRecordInput.self), by: try req.actor())
        return try json(s, status: .created)
    }
}
