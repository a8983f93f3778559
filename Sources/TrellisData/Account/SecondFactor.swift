import Crypto
import Foundation
import SQLKit
import TrellisCore

/// A user's authenticator, as stored: the secret is sealed with the field keys (the staff id bound in), so a copy
/// of the database alone cannot mint codes.
public struct SecondFactor: Sendable, Equatable {
    public var staffID: UUID
    public var secret: [UInt8]
    public var createdAt: Date
    /// When the user proved their app works by typing a code from it; until then sign-in does not ask for one.
    public var confirmedAt: Date?
    /// The latest time step a code was accepted for: an older or equal step is refused (each code once).
    public var lastStep: Int64
    public var isOn: Bool { confirmedAt != nil }
}

/// How a second step was passed.
public enum SecondStep: Sendable, Equatable {
    case authenticator
    /// A recovery code, used up; how many are left.
    case recoveryCode(left: Int)
}

extension SQLStore {
    // MARK: Second factors

    public func secondFactor(staffID: UUID) async throws -> SecondFactor? {
        guard
            let row = try await sql.raw(
                "SELECT secret, created_at, confirmed_at, last_step FROM second_factors WHERE staff_id = \(bind: staffID)"
            ).first()
        else { return nil }
        let sealed = try row.decode(column: "secret", as: String.self)
        guard let secret = Base32.decode(try db.fieldKeys.open(sealed, row: staffID)) else {
            throw TrellisError.conflict("The stored authenticator secret cannot be read.")
        }
        return SecondFactor(
            staffID: staffID, secret: secret, createdAt: try row.decode(column: "created_at", as: Date.self),
            confirmedAt: try row.decode(column: "confirmed_at", as: Date?.self),
            lastStep: try row.decode(column: "last_step", as: Int64.self))
    }

    /// Replaces the user's authenticator (and recovery codes) with a new, unconfirmed one.
    func startSecondFactor(staffID: UUID, secret: [UInt8], at: Date) async throws {
        try await deleteSecondFactor(staffID: staffID)
        let sealed = try db.fieldKeys.seal(Base32.encode(secret), row: staffID)
        try await sql.raw(
            """
            INSERT INTO second_factors (staff_id, secret, created_at, last_step) \
            VALUES (\(bind: staffID), \(bind: sealed), \(bind: at), 0)
            """
        ).run()
    }

    /// Records `step` as used when it is later than the last one used: false when the code was used already
    /// (or raced with another request using it).
    func acceptStep(staffID: UUID, step: Int64, confirmingAt: Date? = nil) async throws -> Bool {
        let q: SQLQueryString =
            confirmingAt.map {
                """
                UPDATE second_factors SET last_step = \(bind: step), confirmed_at = \(bind: $0) \
                WHERE staff_id = \(bind: staffID) AND last_step < \(bind: step) RETURNING staff_id
                """
            }
                ?? """
                UPDATE second_factors SET last_step = \(bind: step) \
                WHERE staff_id = \(bind: staffID) AND last_step < \(bind: step) RETURNING staff_id
                """
        return try await !sql.raw(q).all().isEmpty
    }

    func deleteSecondFactor(staffID: UUID) async throws {
        try await sql.raw("DELETE FROM recovery_codes WHERE staff_id = \(bind: staffID)").run()
        try await sql.raw("DELETE FROM second_factors WHERE staff_id = \(bind: staffID)").run()
    }

    func replaceRecoveryCodes(staffID: UUID, hashes: [String]) async throws {
        try await sql.raw("DELETE FROM recovery_codes WHERE staff_id = \(bind: staffID)").run()
        for h in hashes {
            try await sql.raw(
                "INSERT INTO recovery_codes (staff_id, code_hash) VALUES (\(bind: staffID), \(bind: h))"
            ).run()
        }
    }

    /// Uses up a recovery code: false when the user has no such code (or it was just used).
    func useRecoveryCode(staffID: UUID, hash: String) async throws -> Bool {
        try await !sql.raw(
            "DELETE FROM recovery_codes WHERE staff_id = \(bind: staffID) AND code_hash = \(bind: hash) RETURNING staff_id"
        ).all().isEmpty
    }

    public func recoveryCodeCount(staffID: UUID) async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS n FROM recovery_codes WHERE staff_id = \(bind: staffID)").first()?
            .decode(column: "n", as: Int.self) ?? 0
    }

    /// The staff, of those given, whose two-step sign-in is on.
    public func staffWithSecondFactor(agencyID: UUID) async throws -> Set<UUID> {
        Set(
            try await sql.raw(
                """
                SELECT f.staff_id FROM second_factors f JOIN staff s ON s.id = f.staff_id \
                WHERE s.agency_id = \(bind: agencyID) AND f.confirmed_at IS NOT NULL
                """
            ).all().map { try $0.decode(column: "staff_id", as: UUID.self) })
    }

    /// The roles the agency requires two-step sign-in of.
    public func secondFactorRoles(agencyID: UUID) async throws -> Set<Role> {
        let text =
            try await sql.raw("SELECT second_factor_roles FROM agencies WHERE id = \(bind: agencyID)").first()?
            .decode(column: "second_factor_roles", as: String.self) ?? ""
        return Set(text.split(separator: ",").compactMap { Role(rawValue: String($0)) })
    }

    func setSecondFactorRoles(agencyID: UUID, _ roles: Set<Role>) async throws {
        let text = roles.map(\.rawValue).sorted().joined(separator: ",")
        try await sql.raw("UPDATE agencies SET second_factor_roles = \(bind: text) WHERE id = \(bind: agencyID)").run()
    }

    /// Whether the user's agency requires two-step sign-in of their role while theirs is not on: one query,
    /// made on every page request of a signed-in browser.
    public func secondFactorMissing(_ staff: StaffMember) async throws -> Bool {
        guard
            let row = try await sql.raw(
                """
                SELECT a.second_factor_roles AS roles, f.confirmed_at FROM agencies a \
                LEFT JOIN second_factors f ON f.staff_id = \(bind: staff.id) WHERE a.id = \(bind: staff.agencyID)
                """
            ).first()
        else { return false }
        let roles = try row.decode(column: "roles", as: String.self).split(separator: ",")
        guard roles.contains(where: { $0 == staff.role.rawValue }) else { return false }
        return try row.decode(column: "confirmed_at", as: Date?.self) == nil
    }

    /// Runs `body` in one transaction on this store's database.
    func inTransaction<T: Sendable>(_ body: @escaping @Sendable (SQLStore) async throws -> T) async throws -> T {
        // SQLStore.transaction hands its body an SQLStore.
        try await transaction { tx in try await body(tx as! SQLStore) }
    }
}

/// Two-step sign-in (issue 15): each user turns it on for themselves with any authenticator app (RFC 6238,
/// `OneTimeCodes`) and gets ten one-time recovery codes; an administrator requires it of roles and resets it for
/// a user who lost their phone. It lives in the data layer because it needs swift-crypto and the field keys.
public struct SecondFactorService: Sendable {
    let store: SQLStore
    let deps: Dependencies
    public init(store: SQLStore, deps: Dependencies) {
        self.store = store
        self.deps = deps
    }

    public static let recoveryCodeCount = 10
    /// Wrong codes a pending sign-in may type before it has to start again from the password.
    public static let maxCodeFailures = 5
    /// How long a sign-in waits for its second step.
    public static let pendingLifetime: TimeInterval = 300

    public struct Status: Sendable {
        public var factor: SecondFactor?
        public var recoveryCodesLeft: Int
        /// The agency requires it of the user's role.
        public var required: Bool
    }

    public func status(of staffID: UUID, by actor: ActingUser) async throws -> Status {
        let s = try await AccountService(store: store, deps: deps).owner(staffID, by: actor)
        return Status(
            factor: try await store.secondFactor(staffID: s.id),
            recoveryCodesLeft: try await store.recoveryCodeCount(staffID: s.id),
            required: try await store.secondFactorRoles(agencyID: s.agencyID).contains(s.role))
    }

    /// A new authenticator secret for the actor, not in force until `confirm` (an earlier unconfirmed one is
    /// replaced). Refused while one is on: turning it off, or an administrator's reset, comes first.
    public func begin(by actor: ActingUser) async throws -> SecondFactor {
        if try await store.secondFactor(staffID: actor.id)?.isOn == true {
            throw TrellisError.validation([FieldError("code", "two-step sign-in is already on")])
        }
        let f = SecondFactor(
            staffID: actor.id, secret: OneTimeCodes.newSecret(), createdAt: deps.now(), confirmedAt: nil, lastStep: 0)
        try await store.startSecondFactor(staffID: f.staffID, secret: f.secret, at: f.createdAt)
        return f
    }

    /// Turns two-step sign-in on once the user types a code their app shows for the new secret; the recovery
    /// codes, shown once.
    public func confirm(code: String?, by actor: ActingUser) async throws -> [String] {
        guard let f = try await store.secondFactor(staffID: actor.id), !f.isOn else {
            throw TrellisError.validation([FieldError("code", "start setting up two-step sign-in first")])
        }
        let codes = Self.newRecoveryCodes()
        try await spend(code, of: f, confirming: true, .twoStepOn, by: actor) { tx in
            try await tx.replaceRecoveryCodes(staffID: actor.id, hashes: codes.map(Self.hash))
        }
        return codes
    }

    /// New recovery codes (the old ones stop working), after a code from the app.
    public func replaceRecoveryCodes(code: String?, by actor: ActingUser) async throws -> [String] {
        let codes = Self.newRecoveryCodes()
        try await spend(code, of: try await onFactor(actor), .recoveryCodes, by: actor) { tx in
            try await tx.replaceRecoveryCodes(staffID: actor.id, hashes: codes.map(Self.hash))
        }
        return codes
    }

    /// Turns it off, after a code from the app; refused when the agency requires it of the user's role.
    public func turnOff(code: String?, by actor: ActingUser) async throws {
        let f = try await onFactor(actor)
        if try await store.secondFactorRoles(agencyID: actor.agencyID).contains(actor.role) {
            throw TrellisError.validation([
                FieldError("code", "cannot be turned off: your agency requires two-step sign-in for your role")
            ])
        }
        try await spend(code, of: f, .twoStepOff, by: actor) { tx in try await tx.deleteSecondFactor(staffID: actor.id)
        }
    }

    /// Takes the code typed from the app (each time step once), then in the same transaction makes the change
    /// and its audit entry; `confirming` turns the factor on with it.
    private func spend(
        _ code: String?, of f: SecondFactor, confirming: Bool = false, _ action: AuditAction, by actor: ActingUser,
        _ change: @escaping @Sendable (SQLStore) async throws -> Void
    ) async throws {
        let step = try step(code, f)
        let deps = deps
        try await store.inTransaction { tx in
            guard try await tx.acceptStep(staffID: actor.id, step: step, confirmingAt: confirming ? deps.now() : nil)
            else {
                throw TrellisError.validation([FieldError("code", "was used already; wait for the next code")])
            }
            try await change(tx)
            try await tx.appendAudit([deps.audit(actor, action, "staff", actor.id, clientID: nil)])
        }
    }

    /// An administrator's reset for a user who lost their authenticator: it and their recovery codes are gone,
    /// their sessions end, and they sign in with their password alone (then set it up again if it is required).
    public func reset(_ staffID: UUID, by actor: ActingUser) async throws {
        try Policy.require(actor, .manageUsers)
        let s = try await AccountService(store: store, deps: deps).owner(staffID, by: actor)
        let deps = deps
        try await store.inTransaction { tx in
            try await tx.deleteSecondFactor(staffID: s.id)
            try await tx.deleteSessions(staffID: s.id, except: nil)
            try await tx.appendAudit([deps.audit(actor, .twoStepReset, "staff", s.id, clientID: nil)])
        }
    }

    /// The roles that must use two-step sign-in, as the agency's administrator sets them.
    public func requiredRoles(by actor: ActingUser) async throws -> Set<Role> {
        try Policy.require(actor, .manageUsers)
        return try await store.secondFactorRoles(agencyID: actor.agencyID)
    }

    public func setRequiredRoles(_ values: [String], by actor: ActingUser) async throws {
        try Policy.require(actor, .manageUsers)
        var roles: Set<Role> = []
        for v in values where !v.isEmpty {
            guard let r = Role(rawValue: v) else {
                throw TrellisError.validation([FieldError("roles", "“\(v)” is not one of the roles")])
            }
            roles.insert(r)
        }
        let deps = deps
        let chosen = roles
        try await store.inTransaction { tx in
            try await tx.setSecondFactorRoles(agencyID: actor.agencyID, chosen)
            try await tx.appendAudit([
                deps.audit(actor, .twoStepRequire, "agency", actor.agencyID, clientID: nil, changed: ["roles"])
            ])
        }
    }

    /// Sign-in's second step: a six-digit code from the user's app (each once), or one of their recovery codes
    /// (used up). Nil when it is neither.
    public func check(_ code: String, staffID: UUID) async throws -> SecondStep? {
        guard let f = try await store.secondFactor(staffID: staffID), f.isOn else { return nil }
        let typed = code.filter { !$0.isWhitespace }
        if typed.count == OneTimeCodes.digits, typed.allSatisfy(\.isNumber) {
            guard let step = OneTimeCodes.matchingStep(typed, secret: f.secret, at: deps.now()) else { return nil }
            return try await store.acceptStep(staffID: staffID, step: Int64(step)) ? .authenticator : nil
        }
        guard try await store.useRecoveryCode(staffID: staffID, hash: Self.hash(typed)) else { return nil }
        return .recoveryCode(left: try await store.recoveryCodeCount(staffID: staffID))
    }

    private func onFactor(_ actor: ActingUser) async throws -> SecondFactor {
        guard let f = try await store.secondFactor(staffID: actor.id), f.isOn else {
            throw TrellisError.validation([FieldError("code", "two-step sign-in is not on")])
        }
        return f
    }

    /// The time step of a code typed for `f`, or a field error that says what to do.
    func step(_ code: String?, _ f: SecondFactor) throws -> Int64 {
        let typed = (code ?? "").filter { !$0.isWhitespace }
        guard !typed.isEmpty else { throw TrellisError.validation([FieldError("code", "is required")]) }
        guard typed.count == OneTimeCodes.digits, typed.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw TrellisError.validation([FieldError("code", "must be the 6 digits your app shows")])
        }
        guard let step = OneTimeCodes.matchingStep(typed, secret: f.secret, at: deps.now()) else {
            throw TrellisError.validation([
                FieldError("code", "does not match; type the newest code, and check that the phone's clock is right")
            ])
        }
        return Int64(step)
    }

    /// Ten codes of 80 random bits, written `abcd-efgh-ijkl-mnop` in base32 (no 0/1/8/9 to mistake).
    static func newRecoveryCodes() -> [String] {
        (0..<recoveryCodeCount).map { _ in
            let bytes = SymmetricKey(size: SymmetricKeySize(bitCount: 80)).withUnsafeBytes { Array($0) }
            let text = Base32.encode(bytes).lowercased()
            return stride(from: 0, to: text.count, by: 4).map { i in
                String(text.dropFirst(i).prefix(4))
            }.joined(separator: "-")
        }
    }

    /// Recovery codes are kept as SHA-256 hashes of their letters (case, spaces and hyphens ignored): 80 random
    /// bits need no slow hash.
    static func hash(_ code: String) -> String {
        let letters = code.uppercased().filter { $0 != "-" && !$0.isWhitespace }
        return SHA256.hash(data: Data(letters.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
