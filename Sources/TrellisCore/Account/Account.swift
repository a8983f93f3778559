import Foundation

public struct StaffSession: Sendable, Equatable {
    public var tokenHash: String
    public var staffID: UUID
    public var csrfToken: String
    public var createdAt: Date
    public var expiresAt: Date
    public init(tokenHash: String, staffID: UUID, csrfToken: String, createdAt: Date, expiresAt: Date) {
        self.tokenHash = tokenHash
        self.staffID = staffID
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

public struct APITokenRecord: Sendable, Equatable {
    public var id: UUID
    public var tokenHash: String
    public var staffID: UUID
    public var createdAt: Date
    public init(id: UUID, tokenHash: String, staffID: UUID, createdAt: Date) {
        self.id = id
        self.tokenHash = tokenHash
        self.staffID = staffID
        self.createdAt = createdAt
    }
}

/// Sessions, API tokens and sign-in throttling live in the database so several app instances share them.
public protocol AuthRepository: Sendable {
    func insertSession(_ s: StaffSession) async throws
    func session(tokenHash: String) async throws -> StaffSession?
    func deleteSession(tokenHash: String) async throws
    func deleteExpiredSessions(before: Date) async throws
    /// Ends a user's sessions, except the one named (the session that made the change).
    func deleteSessions(staffID: UUID, except tokenHash: String?) async throws
    func insertAPIToken(_ t: APITokenRecord) async throws
    func apiToken(tokenHash: String) async throws -> APITokenRecord?
    func recordFailedSignIn(username: String, at: Date) async throws
    func failedSignIns(username: String, since: Date) async throws -> Int
    /// Failed sign-ins since `since`, by username, for every username that has any.
    func failedSignInCounts(since: Date) async throws -> [String: Int]
    /// Revokes every API token of the staff member.
    func deleteAPITokens(staffID: UUID) async throws
    func clearFailedSignIns(username: String) async throws
}

/// Hashes and verifies passwords; the web layer supplies bcrypt, run off the request threads.
public protocol PasswordHasher: Sendable {
    func hash(_ password: String) async throws -> String
    func verify(_ password: String, hash: String) async throws -> Bool
}
