import Foundation

public struct StaffSession: Sendable, Equatable {
    public var tokenHash: String
    public var staffID: UUID
    public var csrfToken: String
    public var createdAt: Date
    /// The end of the session's absolute lifetime, however active it is.
    public var expiresAt: Date
    /// The last request it made (written at most once a minute): the idle timeout counts from here.
    public var lastSeenAt: Date
    /// What the user recognises it by on their list of sessions.
    public var userAgent: String?
    public var address: String?
    /// The password was right but the second step (an authenticator or recovery code) is still to come: such a
    /// session signs in no one, lives a few minutes, and ends after a few wrong codes.
    public var secondFactorPending: Bool
    /// Wrong codes typed in this session's second step.
    public var codeFailures: Int
    public init(
        tokenHash: String, staffID: UUID, csrfToken: String, createdAt: Date, expiresAt: Date,
        lastSeenAt: Date? = nil, userAgent: String? = nil, address: String? = nil, secondFactorPending: Bool = false,
        codeFailures: Int = 0
    ) {
        self.tokenHash = tokenHash
        self.staffID = staffID
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.lastSeenAt = lastSeenAt ?? createdAt
        self.userAgent = userAgent
        self.address = address
        self.secondFactorPending = secondFactorPending
        self.codeFailures = codeFailures
    }
}

public struct APITokenRecord: Sendable, Equatable {
    public var id: UUID
    public var tokenHash: String
    public var staffID: UUID
    public var createdAt: Date
    /// What the owner calls it ("Reporting script").
    public var name: String
    /// After this the token no longer signs in (default 90 days after it was made).
    public var expiresAt: Date
    /// The last request it made (written at most once a minute).
    public var lastUsedAt: Date?
    public init(
        id: UUID, tokenHash: String, staffID: UUID, createdAt: Date, name: String = "API token",
        expiresAt: Date? = nil, lastUsedAt: Date? = nil
    ) {
        self.id = id
        self.tokenHash = tokenHash
        self.staffID = staffID
        self.createdAt = createdAt
        self.name = name
        self.expiresAt = expiresAt ?? createdAt.addingTimeInterval(90 * 86400)
        self.lastUsedAt = lastUsedAt
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
    func apiToken(id: UUID) async throws -> APITokenRecord?
    func apiTokens(staffID: UUID) async throws -> [APITokenRecord]
    func deleteAPIToken(id: UUID) async throws
    func touchAPIToken(id: UUID, at: Date) async throws
    func sessions(staffID: UUID) async throws -> [StaffSession]
    func touchSession(tokenHash: String, at: Date) async throws
    func recordFailedSignIn(username: String, address: String?, at: Date) async throws
    /// Failures since `since` for the username, and the latest one.
    func failedSignIns(username: String, since: Date) async throws -> (count: Int, latest: Date?)
    /// Failures since `since` from the address, for any username, and the latest one.
    func failedSignIns(address: String, since: Date) async throws -> (count: Int, latest: Date?)
    /// Failures for the username not yet cleared by a successful sign-in (or an administrator).
    func unclearedFailedSignIns(username: String) async throws -> Int
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
    /// Whether the password, in one of its `PasswordRules.candidates` forms, is on the list of common and
    /// breached passwords Trellis ships.
    func isCommon(_ password: String) -> Bool
}
