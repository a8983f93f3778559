import Fluent
import Foundation
import SQLKit
import TrellisCore

extension SQLStore {
    // MARK: Auth

    struct SessionRow: Codable {
        var token_hash: String
        var staff_id: UUID
        var csrf_token: String
        var created_at: Date
        var expires_at: Date
    }

    public func insertSession(_ s: StaffSession) async throws {
        try await sql.insert(into: "sessions").model(
            SessionRow(
                token_hash: s.tokenHash, staff_id: s.staffID,
                csrf_token: s.csrfToken, created_at: s.createdAt, expires_at: s.expiresAt)
        ).run()
    }

    public func session(tokenHash: String) async throws -> StaffSession? {
        try await sql.select().column("*").from("sessions").where("token_hash", .equal, tokenHash)
            .first(decoding: SessionRow.self).map {
                StaffSession(
                    tokenHash: $0.token_hash, staffID: $0.staff_id, csrfToken: $0.csrf_token,
                    createdAt: $0.created_at, expiresAt: $0.expires_at)
            }
    }

    public func deleteSession(tokenHash: String) async throws {
        try await sql.delete(from: "sessions").where("token_hash", .equal, tokenHash).run()
    }

    public func deleteExpiredSessions(before: Date) async throws {
        try await sql.delete(from: "sessions").where("expires_at", .lessThan, before).run()
    }

    public func deleteSessions(staffID: UUID, except tokenHash: String?) async throws {
        let q = sql.delete(from: "sessions").where("staff_id", .equal, staffID)
        if let tokenHash { q.where("token_hash", .notEqual, tokenHash) }
        try await q.run()
    }

    struct TokenRow: Codable {
        var id: UUID
        var token_hash: String
        var staff_id: UUID
        var created_at: Date
    }

    public func insertAPIToken(_ t: APITokenRecord) async throws {
        try await sql.insert(into: "api_tokens").model(
            TokenRow(id: t.id, token_hash: t.tokenHash, staff_id: t.staffID, created_at: t.createdAt),
            with: Self.encoder
        ).run()
    }

    public func apiToken(tokenHash: String) async throws -> APITokenRecord? {
        try await sql.select().column("*").from("api_tokens").where("token_hash", .equal, tokenHash)
            .first(decoding: TokenRow.self).map {
                APITokenRecord(id: $0.id, tokenHash: $0.token_hash, staffID: $0.staff_id, createdAt: $0.created_at)
            }
    }

    struct FailureRow: Codable {
        var id: UUID
        var username: String
        var at: Date
    }

    public func recordFailedSignIn(username: String, at: Date) async throws {
        try await sql.insert(into: "failed_sign_ins").model(
            FailureRow(id: UUID(), username: username.lowercased(), at: at), with: Self.encoder
        ).run()
    }

    public func failedSignInCounts(since: Date) async throws -> [String: Int] {
        var out: [String: Int] = [:]
        for row in try await sql.raw(
            "SELECT username, COUNT(*) AS n FROM failed_sign_ins WHERE at >= \(bind: since) GROUP BY username"
        ).all() {
            out[try row.decode(column: "username", as: String.self)] = try row.decode(column: "n", as: Int.self)
        }
        return out
    }

    public func deleteAPITokens(staffID: UUID) async throws {
        try await sql.delete(from: "api_tokens").where("staff_id", .equal, staffID).run()
    }

    public func failedSignIns(username: String, since: Date) async throws -> Int {
        try await sql.raw(
            "SELECT COUNT(*) AS n FROM failed_sign_ins WHERE username = \(bind: username.lowercased()) AND at >= \(bind: since)"
        )
        .first()?.decode(column: "n", as: Int.self) ?? 0
    }

    public func clearFailedSignIns(username: String) async throws {
        try await sql.delete(from: "failed_sign_ins").where("username", .equal, username.lowercased()).run()
    }
}
