import Foundation

public struct AuditEntry: Sendable, Codable, Equatable {
    public var id: UUID
    public var at: Date
    public var actorID: UUID?
    public var agencyID: UUID?
    public var action: String
    public var recordType: String
    public var recordID: UUID?
    public var clientID: UUID?
    /// Names of the fields an update changed; never their values.
    public var changedFields: [String]
    /// Why the record was read or changed (care, supervision, break-glass, consented disclosure …); nil on
    /// entries written before purposes were kept and on events that touch no client.
    public var purpose: AccessPurpose? = nil
    /// The break-glass grant or release the access rested on.
    public var basisID: UUID? = nil
    public init(
        id: UUID, at: Date, actorID: UUID?, agencyID: UUID?, action: String, recordType: String,
        recordID: UUID?, clientID: UUID?, changedFields: [String] = [], purpose: AccessPurpose? = nil,
        basisID: UUID? = nil
    ) {
        self.purpose = purpose
        self.basisID = basisID
        self.id = id
        self.at = at
        self.actorID = actorID
        self.agencyID = agencyID
        self.action = action
        self.recordType = recordType
        self.recordID = recordID
        self.clientID = clientID
        self.changedFields = changedFields
    }
}

public protocol AuditRepository: Sendable {
    func appendAudit(_ entries: [AuditEntry]) async throws
    func auditEntries(clientID: UUID, limit: Int, offset: Int) async throws -> [AuditEntry]
    func auditCount(clientID: UUID) async throws -> Int
    /// The agency's entries that match, newest first.
    func auditEntries(_ query: AuditQuery, agencyID: UUID) async throws -> [AuditEntry]
    func auditCount(_ query: AuditQuery, agencyID: UUID) async throws -> Int
    /// The chain's latest entry (see `AuditChainHead`).
    func auditChainHead() async throws -> AuditChainHead
    /// Walks the whole chain in order and reports the first fault.
    func verifyAuditChain(expecting kept: AuditChainHead?) async throws -> AuditChainReport
}

/// Which audit entries to show: of a client, by a person, of one action, in a span of time.
public struct AuditQuery: Sendable, Equatable {
    public var clientID: UUID?
    public var actorID: UUID?
    public var action: String?
    /// From this moment (the start of the first day, in the agency's time zone) …
    public var since: Date?
    /// … to before this one (the start of the day after the last).
    public var before: Date?
    /// Only entries written for one of these purposes (nil: any).
    public var purposes: [AccessPurpose]? = nil
    public var limit: Int
    public var offset: Int
    public init(
        clientID: UUID? = nil, actorID: UUID? = nil, action: String? = nil, since: Date? = nil, before: Date? = nil,
        limit: Int = 50, offset: Int = 0
    ) {
        self.clientID = clientID
        self.actorID = actorID
        self.action = action
        self.since = since
        self.before = before
        self.limit = limit
        self.offset = offset
    }
}

/// Filters as typed: `person` a staff id, `client` a client id, `action` one of `AuditAction`, `from` and `to`
/// days. Bad values are field errors.
public struct AuditFilter: Sendable, Equatable {
    public var person: String?
    public var client: String?
    public var action: String?
    public var from: String?
    public var to: String?
    public init(
        person: String? = nil, client: String? = nil, action: String? = nil, from: String? = nil, to: String? = nil
    ) {
        self.person = person
        self.client = client
        self.action = action
        self.from = from
        self.to = to
    }
}

/// Actions written to the audit log. Reads of client records and notes are audited, not only writes.
public enum AuditAction: String, Sendable, CaseIterable {
    case clientCreate = "client.create"
    case clientUpdate = "client.update"
    case clientView = "client.view"
    case clientSearch = "client.search"
    /// Someone outside the care team opened the client's page and saw name, birth date and programs.
    case clientIdentityView = "client.identity_view"
    /// A client joined or left a household, or their relationship to its head changed (recorded on each record).
    case householdChange = "household.change"
    case caseOpen = "case.open"
    case caseUpdate = "case.update"
    case caseView = "case.view"
    case noteCreate = "note.create"
    case noteUpdate = "note.update"
    case noteSign = "note.sign"
    case noteView = "note.view"
    case accessHistoryView = "audit.view"
    case assessmentCreate = "assessment.create"
    case assessmentView = "assessment.view"
    case alertRaise = "alert.raise"
    case alertAcknowledge = "alert.acknowledge"
    case alertView = "alert.view"
    case planSave = "plan.save"
    case planView = "plan.view"
    case planReview = "plan.review"
    case formSave = "form.save"
    case programUpdate = "program.update"
    case directorySave = "directory.save"
    case directoryImport = "directory.import"
    case referralCreate = "referral.create"
    case referralStatus = "referral.status"
    case referralView = "referral.view"
    case serviceRecord = "service.record"
    case taskCreate = "task.create"
    case taskUpdate = "task.update"
    case taskSnooze = "task.snooze"
    case taskView = "task.view"
    /// A task list showed the client's name beside a task.
    case taskList = "task.list"
    /// A caseload (one's own or a colleague's) showed the client's name.
    case caseloadList = "caseload.list"
    /// A list (review queue, report drill-down; the record type says which) showed the client's name.
    case clientListed = "client.listed"
    case calendarReset = "calendar.reset"
    case calendarRead = "calendar.read"
    case advocacySave = "advocacy.save"
    case advocacyView = "advocacy.view"
    /// A list of one kind of a case's records (its referrals, services, letters …) was shown; the record type
    /// names the kind.
    case recordList = "record.list"
    case templateSave = "template.save"
    case letterheadSave = "letterhead.save"
    case letterCreate = "letter.create"
    case letterView = "letter.view"
    case documentUpload = "document.upload"
    case documentDownload = "document.download"
    /// A client's list of documents (names, types and dates) was shown.
    case documentList = "document.list"
    case documentDelete = "document.delete"
    case caseClose = "case.close"
    case caseReopen = "case.reopen"
    case caseTransfer = "case.transfer"
    case reportExport = "report.export"
    case reportView = "report.view"
    case closureRequest = "case.closure_request"
    case closureReview = "case.closure_review"
    case noteCosign = "note.cosign"
    case caseReassign = "case.reassign"
    case staffCreate = "staff.create"
    case passwordChange = "staff.password_change"
    case staffUpdate = "staff.update"
    case staffDeactivate = "staff.deactivate"
    case staffReactivate = "staff.reactivate"
    case staffUnlock = "staff.unlock"
    case passwordReset = "staff.password_reset"
    case programCreate = "program.create"
    case teamCreate = "team.create"
    case tokenCreate = "token.create"
    case tokenRevoke = "token.revoke"
    /// A user ended one or more of their sessions, or an administrator ended a user's.
    case sessionEnd = "auth.session_end"
    case signIn = "auth.sign_in"
    case signInFailed = "auth.sign_in_failed"
    case signOut = "auth.sign_out"
    /// A wrong authenticator or recovery code at sign-in's second step.
    case signInCodeFailed = "auth.code_failed"
    /// A user turned two-step sign-in on, or off; made new recovery codes; an administrator reset it for a user,
    /// or set the roles that must use it.
    case twoStepOn = "auth.two_step_on"
    case twoStepOff = "auth.two_step_off"
    case recoveryCodes = "auth.recovery_codes"
    case twoStepReset = "auth.two_step_reset"
    case twoStepRequire = "auth.two_step_require"
    /// An administrator or auditor searched the agency's audit log.
    case auditSearch = "audit.search"
    /// The audit chain was verified and found intact, or found broken.
    case auditVerify = "audit.verify"
    case auditVerifyFailed = "audit.verify_failed"
    /// The operator resealed the encrypted fields with a new key (`trellis key rotate`).
    case keyRotate = "key.rotate"
    /// Retention: the agency's period was set; the list of clients due was read; a client's personal data was
    /// removed.
    case retentionSave = "retention.save"
    case retentionView = "retention.view"
    case clientPurge = "client.purge"
    case breakGlass = "access.break_glass"
    case accessRequest = "access.request"
    case careTeamAdd = "case.team_add"
    case careTeamRemove = "case.team_remove"
    case accessPolicySave = "access.policy"
    case releaseCreate = "release.create"
    case releaseView = "release.view"
    case releaseRevoke = "release.revoke"
    /// Someone of another agency read the client's record under a release.
    case sharedView = "shared.view"
    /// The client's accounting of disclosures was read or printed.
    case disclosuresView = "audit.disclosures"
}

extension Dependencies {
    public func audit(
        _ actor: ActingUser?, _ action: AuditAction, _ recordType: String, _ recordID: UUID?,
        clientID: UUID?, changed: [String] = [], access: Access? = nil
    ) -> AuditEntry {
        AuditEntry(
            id: auditID(), at: now(), actorID: actor?.id, agencyID: actor?.agencyID, action: action.rawValue,
            recordType: recordType, recordID: recordID, clientID: clientID, changedFields: changed,
            purpose: access?.purpose ?? (clientID == nil ? nil : Self.purpose(of: actor)),
            basisID: access?.basisID)
    }

    /// One entry for a list of a case's records of one kind (`kind` is the record type written).
    func listed(_ actor: ActingUser, _ kind: String, _ c: Case, _ access: Access) -> AuditEntry {
        audit(actor, .recordList, kind, c.id, clientID: c.clientID, access: access)
    }

    /// The purpose of an entry whose service did not pass its access decision: the actor's role's usual one.
    static func purpose(of actor: ActingUser?) -> AccessPurpose? {
        switch actor?.role {
        case .caseManager?: .care
        case .supervisor?, .programManager?: .supervision
        case .agencyAdmin?: .administration
        case .auditor?: .oversight
        case nil: nil
        }
    }
}

/// One page of the agency's audit log as searched.
public struct AuditSearchResult: Sendable {
    public var entries: [AuditEntry]
    public var total: Int
    public var staff: [UUID: StaffMember]
    public var clients: [UUID: ClientSummary]
}

/// One page of a client's access history.
public struct AccessHistory: Sendable {
    /// The client's name (no birth date).
    public var client: ClientSummary
    public var entries: [AuditEntry]
    /// Entries on every page.
    public var total: Int
    /// The staff members named by the entries.
    public var staff: [UUID: StaffMember]
}

public struct AuditService: Sendable {
    let store: any TrellisStore
    let deps: Dependencies
    public init(store: any TrellisStore, deps: Dependencies) {
        self.store = store
        self.deps = deps
    }

    /// Reads typed filters into a query, in the agency's time zone; bad values are field errors.
    func query(_ f: AuditFilter, limit: Int, offset: Int) throws -> AuditQuery {
        var v = Validator()
        var q = AuditQuery(limit: limit, offset: offset)
        func uuid(_ field: String, _ text: String?) -> UUID? {
            guard let t = text?.trimmingCharacters(in: .whitespaces), !t.isEmpty else { return nil }
            guard let id = UUID(uuidString: t) else {
                v.add(field, "is not a valid id")
                return nil
            }
            return id
        }
        q.actorID = uuid("person", f.person)
        q.clientID = uuid("client", f.client)
        if let a = f.action?.trimmingCharacters(in: .whitespaces), !a.isEmpty {
            if AuditAction(rawValue: a) == nil {
                v.add("action", "is not one of the allowed values")
            } else {
                q.action = a
            }
        }
        let from = v.date("from", f.from, today: deps.today)
        let to = v.date("to", f.to, today: deps.today)
        if let from, let to, to < from { v.add("to", "must not be before the first day") }
        try v.check()
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = deps.timeZone
        func start(_ d: LocalDate) -> Date? { cal.date(from: DateComponents(year: d.year, month: d.month, day: d.day)) }
        q.since = from.flatMap(start)
        q.before = to.flatMap { start($0.adding(days: 1)) }
        return q
    }

    /// Who has seen or changed a client's record, newest first, filtered by person, action and dates, with the
    /// client's name and the staff named. Viewing the history is itself audited.
    public func accessHistory(
        clientID: UUID, filter: AuditFilter, by actor: ActingUser, limit: Int = 50, offset: Int = 0
    ) async throws -> AccessHistory {
        guard let client = try await store.client(id: clientID) else { throw TrellisError.notFound("client") }
        try Policy.requireSameAgency(actor, client.agencyID, "client")
        try Policy.require(actor, .viewAccessHistory)
        // A restricted program's client is not found by those outside it, history included.
        _ = try await store.requireClientAccess(clientID, actor, .read, at: deps.now())
        var q = try query(filter, limit: limit, offset: offset)
        q.clientID = clientID
        try await store.appendAudit([deps.audit(actor, .accessHistoryView, "client", clientID, clientID: clientID)])
        let entries = try await store.auditEntries(q, agencyID: actor.agencyID)
        let total = try await store.auditCount(q, agencyID: actor.agencyID)
        let staff = try await store.agencyStaff(ids: entries.compactMap(\.actorID), agencyID: actor.agencyID)
        return AccessHistory(
            client: ClientSummary(
                id: clientID, firstName: client.firstName, lastName: client.lastName,
                preferredName: client.preferredName, birthDate: nil),
            entries: entries, total: total, staff: Dictionary(uniqueKeysWithValues: staff.map { ($0.id, $0) }))
    }

    /// The agency's audit log searched by person, client, action and dates (administrators and auditors). The
    /// names of the clients it shows are part of what it reads: the search itself is audited.
    public func search(_ filter: AuditFilter, by actor: ActingUser, limit: Int = 50, offset: Int = 0) async throws
        -> AuditSearchResult
    {
        try Policy.require(actor, .viewAccessHistory)
        let q = try query(filter, limit: limit, offset: offset)
        if let c = q.clientID, try await store.client(id: c)?.agencyID != actor.agencyID {
            throw TrellisError.validation([FieldError("client", "is not a client of your agency")])
        }
        let entries = try await store.auditEntries(q, agencyID: actor.agencyID)
        let total = try await store.auditCount(q, agencyID: actor.agencyID)
        let staff = try await store.agencyStaff(ids: entries.compactMap(\.actorID), agencyID: actor.agencyID)
        let named = Array(Set(entries.compactMap(\.clientID)))
        // A restricted program's client is named only to its staff; others see the entry without the name.
        let known = try await store.access(toClients: named, actor, at: deps.now())
        let clients = try await store.clientSummaries(
            ids: named.filter { known[$0]?.client.level != AccessLevel.none }, agencyID: actor.agencyID)
        // The search, and each client whose name it shows, as any list that names clients is audited.
        try await store.appendAudit(
            [deps.audit(actor, .auditSearch, "audit_log", nil, clientID: q.clientID)]
                + clients.keys.filter { $0 != q.clientID }.sorted { $0.uuidString < $1.uuidString }.map {
                    deps.audit(actor, .auditSearch, "client", $0, clientID: $0)
                })
        // Entries about a client the actor may not know of keep what happened and who did it, not which record.
        let hidden = Set(named.filter { known[$0]?.client.level == AccessLevel.none })
        let shown = entries.map { e -> AuditEntry in
            guard let c = e.clientID, hidden.contains(c) else { return e }
            var masked = e
            masked.clientID = nil
            masked.recordID = nil
            return masked
        }
        return AuditSearchResult(
            entries: shown, total: total, staff: Dictionary(uniqueKeysWithValues: staff.map { ($0.id, $0) }),
            clients: clients)
    }

    /// Records an event that has no service of its own (sign-in, sign-out).
    public func record(_ actor: ActingUser?, _ action: AuditAction, recordType: String, recordID: UUID?) async throws {
        try await store.appendAudit([deps.audit(actor, action, recordType, recordID, clientID: nil)])
    }
}

/// Names the fields that differ between two versions of a record, for the audit entry of an update.
struct ChangedFields<Record> {
    let before: Record, after: Record
    private(set) var names: [String] = []
    init(_ before: Record, _ after: Record) {
        self.before = before
        self.after = after
    }
    mutating func check<Value: Equatable>(_ name: String, _ field: KeyPath<Record, Value>) {
        if before[keyPath: field] != after[keyPath: field] { names.append(name) }
    }
}
