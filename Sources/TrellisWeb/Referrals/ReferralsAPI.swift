import Foundation
import TrellisCore
import Vapor

enum ReferralsAPI: APIHandlers {
    // Referrals
    static func listReferrals(_ req: Request) async throws -> Response {
        try await paged(req) { try await req.referrals.list(caseID: try req.uuid("caseID"), by: try req.actor()) }
    }

    static func createReferral(_ req: Request) async throws -> Response {
        let r = try await req.referrals.create(
            caseID: try req.uuid("caseID"), try body(req, ReferralInput.self), by: try req.actor())
        return try json(r, status: .created, etag: r.version, location: path("referrals", r.id))
    }

    static func getReferral(_ req: Request) async throws -> Response {
        let d = try await req.referrals.detail(try req.uuid("referralID"), by: try req.actor())
        return try json(d.referral, etag: d.referral.version)
    }

    static func moveReferral(_ req: Request) async throws -> Response {
        let b = try body(req, StatusBody.self)
        let r = try await req.referrals.move(
            try req.uuid("referralID"), to: b.status, on: b.on, reason: b.reason, expectedVersion: ifMatchVersion(req),
            by: try req.actor())
        return try json(r, etag: r.version)
    }
}
