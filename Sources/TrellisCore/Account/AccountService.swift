import Foundation

/// A user's ways in: their API tokens (named, expiring, revocable) and their signed-in sessions (seen,
/// ended). Each user manages their own; an administrator manages those of the agency's staff. Every change is
/// audited.
public struct AccountService: Sendable {
    let store: any TrellisStore
    let deps: Dependencies
    public init(store: any TrellisStore, deps: Dependencies) {
        self.store = store
        self.deps = deps
    }

    public static let defaultTokenDays = 90
    public static let maxTokenDays = 365

    /// The user whose tokens or sessions `actor` manages: themselves, or one of the agency's staff for an
    /// administrator.
    public func owner(_ staffID: UUID, by actor: ActingUser) async throws -> StaffMember {
        guard let s = try await store.staff(id: staffID), s.agencyID == actor.agencyID else {
            throw TrellisError.notFound("user")
        }
        if s.id != actor.id { try Policy.require(actor, .manageUsers) }
        return s
    }

    public func tokens(of staffID: UUID, by actor: ActingUser) async throws -> [APITokenRecord] {
        let s = try await owner(staffID, by: actor)
        return try await store.apiTokens(staffID: s.id).sorted { $0.createdAt > $1.createdAt }
    }

    /// Checks a new token's name and lifetime: the name 1–80 characters, 1–365 days (90 unless given).
    public static func validateToken(name: String?, days: String?) throws -> (String, Int) {
        var v = Validator()
        let n = v.text("name", name, required: true, max: 80) ?? ""
        var d = defaultTokenDays
        if let days = days?.trimmingCharacters(in: .whitespaces), !days.isEmpty {
            if let parsed = Int(days), (1...maxTokenDays).contains(parsed) {
                d = parsed
            } else {
                v.add("days", "must be a whole number of days from 1 to \(maxTokenDays)")
            }
        }
        try v.check()
        return (n, d)
    }

    /// Stores a new token (only its hash; the caller shows the secret once).
    public func createToken(
        name: String?, days: String?, secretHash: String, for staffID: UUID, by actor: ActingUser?
    ) async throws -> APITokenRecord {
        let (n, d) = try Self.validateToken(name: name, days: days)
        let s: StaffMember
        if let actor {
            s = try await owner(staffID, by: actor)
        } else {
            guard let found = try await store.staff(id: staffID) else { throw TrellisError.notFound("user") }
            s = found
        }
        let record = APITokenRecord(
            id: deps.newID(), tokenHash: secretHash, staffID: s.id, createdAt: deps.now(), name: n,
            expiresAt: deps.now().addingTimeInterval(Double(d) * 86400))
        let deps = deps
        try await store.transaction { tx in
            try await tx.insertAPIToken(record)
            try await tx.appendAudit([
                AuditEntry(
                    id: deps.auditID(), at: deps.now(), actorID: actor?.id, agencyID: s.agencyID,
                    action: AuditAction.tokenCreate.rawValue, recordType: "api_token", recordID: record.id,
                    clientID: nil)
            ])
        }
        return record
    }

    /// Revokes one token of its owner (by the owner, an administrator, or the operator when `actor` is nil).
    public func revokeToken(_ id: UUID, by actor: ActingUser?) async throws -> APITokenRecord {
        guard let t = try await store.apiToken(id: id) else { throw TrellisError.notFound("token") }
        let agencyID: UUID?
        if let actor {
            agencyID = try await owner(t.staffID, by: actor).agencyID
        } else {
            agencyID = try await store.staff(id: t.staffID)?.agencyID
        }
        let deps = deps
        try await store.transaction { tx in
            try await tx.deleteAPIToken(id: t.id)
            try await tx.appendAudit([
                AuditEntry(
                    id: deps.auditID(), at: deps.now(), actorID: actor?.id, agencyID: agencyID,
                    action: AuditAction.tokenRevoke.rawValue, recordType: "api_token", recordID: t.id, clientID: nil)
            ])
        }
        return t
    }

    /// The user's sessions still in force, the latest seen first.
    public func sessions(of staffID: UUID, by actor: ActingUser) async throws -> [StaffSession] {
        let s = try await owner(staffID, by: actor)
        return try await store.sessions(staffID: s.id).filter { $0.expiresAt > deps.now() && !$0.secondFactorPending }
            .sorted { $0.lastSeenAt > $1.lastSeenAt }
    }

    /// Ends one session of the user, or every one but `keeping` when `tokenHash` is nil.
    public func endSessions(
        of staffID: UUID, tokenHash: String?, keeping: String?, by actor: ActingUser
    ) async throws {
        let s = try await owner(staffID, by: actor)
        let deps = deps
        try await store.transaction { tx in
            if let tokenHash {
                guard try await tx.sessions(staffID: s.id).contains(where: { $0.tokenHash == tokenHash }) else {
                    throw TrellisError.notFound("session")
                }
                try await tx.deleteSession(tokenHash: tokenHash)
            } else {
                try await tx.deleteSessions(staffID: s.id, except: keeping)
            }
            try await tx.appendAudit([deps.audit(actor, .sessionEnd, "staff", s.id, clientID: nil)])
        }
    }
}
