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
    public init(
        id: UUID, at: Date, actorID: UUID?, agencyID: UUID?, action: String, recordType: String,
        recordID: UUID?, clientID: UUID?, changedFields: [String] = []
    ) {
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
}

/// Actions written to the audit log. Reads of client records and notes are audited, not only writes.
public enum AuditAction: String, Sendable, CaseIterable {
    case clientCreate = "client.create"
    case clientUpdate = "client.update"
    case clientView = "client.view"
    case clientSearch = "client.search"
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
    case calendarReset = "calendar.reset"
    case advocacySave = "advocacy.save"
    case templateSave = "template.save"
    case letterCreate = "letter.create"
    case letterView = "letter.view"
    case documentUpload = "document.upload"
    case documentDownload = "document.download"
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
    case signIn = "auth.sign_in"
    case signInFailed = "auth.sign_in_failed"
    case signOut = "auth.sign_out"
}

extension Dependencies {
    func audit(
        _ actor: ActingUser?, _ action: AuditAction, _ recordType: String, _ recordID: UUID?,
        clientID: UUID?, changed: [String] = []
    ) -> AuditEntry {
        AuditEntry(
            id: newID(), at: now(), actorID: actor?.id, agencyID: actor?.agencyID, action: action.rawValue,
            recordType: recordType, recordID: recordID, clientID: clientID, changedFields: changed)
    }
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

    /// Who has seen or changed a client's record, newest first, with the client's name and the staff named.
    /// Viewing the history is itself audited.
    public func accessHistory(clientID: UUID, by actor: ActingUser, limit: Int = 50, offset: Int = 0) async throws
        -> AccessHistory
    {
        guard let client = try await store.client(id: clientID) else { throw TrellisError.notFound("client") }
        try Policy.requireSameAgency(actor, client.agencyID, "client")
        try Policy.require(actor, .viewAccessHistory)
        try await store.appendAudit([deps.audit(actor, .accessHistoryView, "client", clientID, clientID: clientID)])
        let entries = try await store.auditEntries(clientID: clientID, limit: limit, offset: offset)
        let total = try await store.auditCount(clientID: clientID)
        let staff = try await store.agencyStaff(ids: entries.compactMap(\.actorID), agencyID: actor.agencyID)
        return AccessHistory(
            client: ClientSummary(
                id: clientID, firstName: client.firstName, lastName: client.lastName,
                preferredName: client.preferredName, birthDate: nil),
            entries: entries, total: total, staff: Dictionary(uniqueKeysWithValues: staff.map { ($0.id, $0) }))
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
