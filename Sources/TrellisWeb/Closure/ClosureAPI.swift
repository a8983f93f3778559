import Foundation
import TrellisCore
import Vapor

enum ClosureAPI: APIHandlers {
    // Closure, reopening, transfer
    static func closeCase(_ req: Request) async throws -> Response {
        let r = try await req.closures.close(
            try req.uuid("caseID"), try body(req, ClosureInput.self), expectedVersion: ifMatchVersion(req),
            by: try req.actor())
        if let pending = r.pendingRequest {
            // Accepted, not done: the closure waits for a supervisor's approval.
            let res = try json(ClosureRequestDTO(pending), etag: pending.version)
            res.status = .accepted
            return res
        }
        return try json(CaseDTO(r.case), etag: r.case.version)
    }

    static func reopenCase(_ req: Request) async throws -> Response {
        let c = try await req.closures.reopen(
            try req.uuid("caseID"), reason: try body(req, StatusBody.self).reason, expectedVersion: ifMatchVersion(req),
            by: try req.actor())
        return try json(CaseDTO(c), etag: c.version)
    }

    static func transferCase(_ req: Request) async throws -> Response {
        let c = try await req.closures.transfer(
            try req.uuid("caseID"), try body(req, TransferInput.self), expectedVersion: ifMatchVersion(req),
            by: try req.actor())
        return try json(CaseDTO(c), etag: c.version)
    }

    static func caseHistory(_ req: Request) async throws -> Response {
        try await paged(req) { try await req.closures.history(caseID: try req.uuid("caseID"), by: try req.actor()) }
    }
}
