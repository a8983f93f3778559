import Foundation

/// A client whose record the agency's retention period has passed: no open case, and nothing changed on the
/// client or closed on a case for the period (HUD's HMIS privacy standard: personal data no longer needed is
/// disposed of, commonly seven years after it was last changed).
public struct RetentionCandidate: Sendable, Equatable {
    public var clientID: UUID
    public var createdAt: Date
    /// The latest change to the client's own record.
    public var updatedAt: Date
    /// When the last of their cases closed, if they had any.
    public var lastClosedOn: LocalDate?
    public var cases: Int
    public init(clientID: UUID, createdAt: Date, updatedAt: Date, lastClosedOn: LocalDate?, cases: Int) {
        self.clientID = clientID
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.lastClosedOn = lastClosedOn
        self.cases = cases
    }
}

public protocol RetentionRepository: Sendable {
    /// How many years the agency keeps a client's personal data after the record was last changed.
    func retentionYears(agencyID: UUID) async throws -> Int
    func setRetentionYears(agencyID: UUID, _ years: Int) async throws
    /// The agency's clients due for de-identification (see `RetentionCandidate`), the longest unchanged first.
    func dueForPurge(agencyID: UUID, changedBefore: Date, closedBefore: LocalDate, limit: Int, offset: Int)
        async throws -> [RetentionCandidate]
    func dueForPurgeCount(agencyID: UUID, changedBefore: Date, closedBefore: LocalDate) async throws -> Int
    /// Those of `ids` that are due.
    func dueForPurge(_ ids: [UUID], agencyID: UUID, changedBefore: Date, closedBefore: LocalDate) async throws
        -> Set<UUID>
    /// Removes the client's personal data and keeps what reports count (see `RetentionService.purge`).
    func purgeClient(_ id: UUID, at: Date) async throws
}

/// Retention (issue 15, point 9): an administrator sets how long the agency keeps closed clients' personal data,
/// sees who is due, and confirms; each client's identifying and contact data, case
/// notes' and assessments' narrative, uploaded documents and the free text of their referrals, services, advocacy,
/// letters, tasks, closure reviews and case events are removed, while the client row, cases, dates,
/// programs, HUD codes, scores and counts stay, so reports already run count the same. The audit chain records
/// each purge (ids only, as every entry).
public struct RetentionService: Sendable {
    let store: any TrellisStore
    let deps: Dependencies
    public init(store: any TrellisStore, deps: Dependencies) {
        self.store = store
        self.deps = deps
    }

    public static let defaultYears = 7
    public static let years = 1...30
    public static let perPage = 50
    /// At most this many clients are de-identified by one confirmation.
    public static let maxPerPurge = 200

    public struct Due: Sendable {
        public var years: Int
        /// Clients last changed before this, whose cases all closed before `closedBefore`, are due.
        public var changedBefore: Date
        public var closedBefore: LocalDate
        public var total: Int
        public var page: Int
        public var clients: [RetentionCandidate]
    }

    public func setYears(_ text: String?, by actor: ActingUser) async throws {
        try Policy.require(actor, .purgeRecords)
        let raw = (text ?? "").trimmingCharacters(in: .whitespaces)
        guard let years = Int(raw), Self.years.contains(years) else {
            throw TrellisError.validation([
                FieldError(
                    "years", raw.isEmpty ? "is required" : "must be a whole number of years from 1 to 30")
            ])
        }
        let deps = deps
        try await store.transaction { tx in
            try await tx.setRetentionYears(agencyID: actor.agencyID, years)
            try await tx.appendAudit([
                deps.audit(actor, .retentionSave, "agency", actor.agencyID, clientID: nil, changed: ["years"])
            ])
        }
    }

    func cutoffs(years: Int) -> (Date, LocalDate) {
        let today = deps.today
        let closedBefore = today.adding(years: -years)
        return (
            deps.now().addingTimeInterval(-Double(closedBefore.days(until: today)) * 86400), closedBefore
        )
    }

    /// One page of the clients due; the list holds ids and dates only, and reading it is audited.
    public func due(page: Int, by actor: ActingUser) async throws -> Due {
        try Policy.require(actor, .purgeRecords)
        let years = try await store.retentionYears(agencyID: actor.agencyID)
        let (changedBefore, closedBefore) = cutoffs(years: years)
        let page = max(1, page)
        let clients = try await store.dueForPurge(
            agencyID: actor.agencyID, changedBefore: changedBefore, closedBefore: closedBefore, limit: Self.perPage,
            offset: (page - 1) * Self.perPage)
        let total = try await store.dueForPurgeCount(
            agencyID: actor.agencyID, changedBefore: changedBefore, closedBefore: closedBefore)
        try await store.appendAudit([deps.audit(actor, .retentionView, "agency", actor.agencyID, clientID: nil)])
        return Due(
            years: years, changedBefore: changedBefore, closedBefore: closedBefore, total: total, page: page,
            clients: clients)
    }

    /// De-identifies the clients named, each of which must still be due, after the administrator confirmed; all
    /// or none, in one transaction, each purge on the audit chain. The number purged.
    public func purge(_ ids: [UUID], confirmed: Bool, by actor: ActingUser) async throws -> Int {
        try Policy.require(actor, .purgeRecords)
        var v = Validator()
        let unique = Array(Set(ids))
        if unique.isEmpty { v.add("clients", "choose at least one client") }
        if unique.count > Self.maxPerPurge { v.add("clients", "at most \(Self.maxPerPurge) at a time") }
        if !confirmed { v.add("confirm", "must be ticked to remove these clients' personal data") }
        try v.check()
        let years = try await store.retentionYears(agencyID: actor.agencyID)
        let (changedBefore, closedBefore) = cutoffs(years: years)
        let deps = deps
        let agencyID = actor.agencyID
        return try await store.transaction { tx in
            // Read again inside the transaction: a client changed or reopened since the list was shown is not due.
            let due = try await tx.dueForPurge(
                unique, agencyID: agencyID, changedBefore: changedBefore, closedBefore: closedBefore)
            let notDue = unique.filter { !due.contains($0) }
            guard notDue.isEmpty else {
                throw TrellisError.conflict(
                    "\(notDue.count) of the clients chosen are no longer due (changed, reopened or already removed). Reload the list."
                )
            }
            for id in unique.sorted(by: { $0.uuidString < $1.uuidString }) {
                try await tx.purgeClient(id, at: deps.now())
                try await tx.deidentifyRecords(ofClient: id)
                try await tx.appendAudit([deps.audit(actor, .clientPurge, "client", id, clientID: id)])
            }
            return unique.count
        }
    }
}
