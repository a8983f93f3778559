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
        var last_seen_at: Date?
        var user_agent: String?
        var address: String?
        var second_factor_pending: Int
        var code_failures: Int
        var domain: StaffSession {
            StaffSession(
                tokenHash: token_hash, staffID: staff_id, csrfToken: csrf_token, createdAt: created_at,
                expiresAt: expires_at, lastSeenAt: last_seen_at, userAgent: user_agent, address: address,
                secondFactorPending: second_factor_pending != 0, codeFailures: code_failures)
        }
    }

    public func insertSession(_ s: StaffSession) async throws {
        try await sql.insert(into: "sessions").model(
            SessionRow(
                token_hash: s.tokenHash, staff_id: s.staffID, csrf_token: s.csrfToken, created_at: s.createdAt,
                expires_at: s.expiresAt, last_seen_at: s.lastSeenAt, user_agent: s.userAgent, address: s.address,
                second_factor_pending: s.secondFactorPending ? 1 : 0, code_failures: s.codeFailures),
            with: Self.encoder
        ).run()
    }

    public func session(tokenHash: String) async throws -> StaffSession? {
        try await sql.select().column("*").from("sessions").where("token_hash", .equal, tokenHash)
            .first(decoding: SessionRow.self)?.domain
    }

    public func sessions(staffID: UUID) async throws -> [StaffSession] {
        try await sql.select().column("*").from("sessions").where("staff_id", .equal, staffID)
            .all(decoding: SessionRow.self).map(\.domain)
    }

    public func touchSession(tokenHash: String, at: Date) async throws {
        try await sql.update("sessions").set("last_seen_at", to: at).where("token_hash", .equal, tokenHash).run()
    }

    /// Counts one more wrong code in a session's second step; the count after it.
    public func countCodeFailure(tokenHash: String) async throws -> Int {
        try await sql.raw(
            "UPDATE sessions SET code_failures = code_failures + 1 WHERE token_hash = \(bind: tokenHash) RETURNING code_failures"
        ).first()?.decode(column: "code_failures", as: Int.self) ?? 0
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
        var name: String
        var expires_at: Date?
        var last_used_at: Date?
        var domain: APITokenRecord {
            APITokenRecord(
                id: id, tokenHash: token_hash, staffID: staff_id, createdAt: created_at, name: name,
                expiresAt: expires_at, lastUsedAt: last_used_at)
        }
    }

    public func insertAPIToken(_ t: APITokenRecord) async throws {
        try await sql.insert(into: "api_tokens").model(
            TokenRow(
                id: t.id, token_hash: t.tokenHash, staff_id: t.staffID, created_at: t.createdAt, name: t.name,
                expires_at: t.expiresAt, last_used_at: t.lastUsedAt),
            with: Self.encoder
        ).run()
    }

    public func apiToken(tokenHash: String) async throws -> APITokenRecord? {
        try await sql.select().column("*").from("api_tokens").where("token_hash", .equal, tokenHash)
            .first(decoding: TokenRow.self)?.domain
    }

    public func apiToken(id: UUID) async throws -> APITokenRecord? {
        try await sql.select().column("*").from("api_tokens").where("id", .equal, id)
            .first(decoding: TokenRow.self)?.domain
    }

    public func apiTokens(staffID: UUID) async throws -> [APITokenRecord] {
        try await sql.select().column("*").from("api_tokens").where("staff_id", .equal, staffID)
            .all(decoding: TokenRow.self).map(\.domain)
    }

    public func deleteAPIToken(id: UUID) async throws {
        try await sql.delete(from: "api_tokens").where("id", .equal, id).run()
    }

    public func touchAPIToken(id: UUID, at: Date) async throws {
        try await sql.update("api_tokens").set("last_used_at", to: at).where("id", .equal, id).run()
    }

    struct FailureRow: Codable {
        var id: UUID
        var username: String
        var at: Date
        var address: String?
    }

    public func recordFailedSignIn(username: String, address: String?, at: Date) async throws {
        try await sql.insert(into: "failed_sign_ins").model(
            FailureRow(id: UUID(), username: username.lowercased(), at: at, address: address), with: Self.encoder
        ).run()
    }

    private func failures(_ column: String, _ value: String, since: Date) async throws -> (count: Int, latest: Date?) {
        guard
            let row = try await sql.raw(
                "SELECT COUNT(*) AS n, MAX(at) AS latest FROM failed_sign_ins WHERE \(ident: column) = \(bind: value) AND at >= \(bind: since)"
            ).first()
        else { return (0, nil) }
        return (try row.decode(column: "n", as: Int.self), try row.decode(column: "latest", as: Date?.self))
    }

    public func failedSignIns(address: String, since: Date) async throws -> (count: Int, latest: Date?) {
        try await failures("address", address, since: since)
    }

    public func unclearedFailedSignIns(username: String) async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS n FROM failed_sign_ins WHERE username = \(bind: username.lowercased())")
            .first()?.decode(column: "n", as: Int.self) ?? 0
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

    public func failedSignIns(username: String, since: Date) async throws -> (count: Int, latest: Date?) {
        try await failures("username", username.lowercased(), since: since)
    }

    public func clearFailedSignIns(username: String) async throws {
        try await sql.delete(from: "failed_sign_ins").where("username", .equal, username.lowercased()).run()
    }
}
