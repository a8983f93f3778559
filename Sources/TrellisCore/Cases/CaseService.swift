import Foundation

public struct CaseInput: Sendable, Codable, Equatable {
    public var programID: UUID?
    public var primaryCaseManagerID: UUID?
    public var priority: String?
    public var stage: String?
    public var openedOn: String?
    /// Members of the client's household (the client being its head) enrolled with them under one HouseholdID.
    public var memberIDs: [UUID]?
    public init(
        programID: UUID? = nil, primaryCaseManagerID: UUID? = nil, priority: String? = nil, stage: String? = nil,
        openedOn: String? = nil, memberIDs: [UUID]? = nil
    ) {
        self.memberIDs = memberIDs
        self.programID = programID
        self.primaryCaseManagerID = primaryCaseManagerID
        self.priority = priority
        self.stage = stage
        self.openedOn = openedOn
    }
}

public struct CaseUpdate: Sendable, Codable, Equatable {
    public var stage: String?
    public var status: String?
    public var priority: String?
    public var closedOn: String?
    public init(stage: String? = nil, status: String? = nil, priority: String? = nil, closedOn: String? = nil) {
        self.stage = stage
        self.status = status
        self.priority = priority
        self.closedOn = closedOn
    }
}

public struct CaseDetail: Sendable {
    public var `case`: Case
    public var client: Client
    public var program: Program
    public var caseManager: StaffMember?
    /// One page of the case's notes, newest contact first.
    public var notes: [CaseNote]
    /// How many notes the case has in all, and which page `notes` is (from 1).
    public var noteCount: Int = 0
    public var notesPage: Int = 1
    public static let notesPerPage = 25
    public var notePages: Int { max(1, (noteCount + Self.notesPerPage - 1) / Self.notesPerPage) }
}

public struct CaseService: Sendable {
    let store: any TrellisStore
    let deps: Dependencies
    public init(store: any TrellisStore, deps: Dependencies) {
        self.store = store
        self.deps = deps
    }

    /// Validates an opening without writing anything (for forms that found other problems first).
    public func check(clientID: UUID, _ input: CaseInput, by actor: ActingUser) async throws -> Case {
        try await validated(clientID: clientID, input, by: actor).0
    }

    public func open(clientID: UUID, _ input: CaseInput, by actor: ActingUser) async throws -> Case {
        let (c, members) = try await validated(clientID: clientID, input, by: actor)
        try await store.transaction { tx in
            // Checked again inside the transaction; a unique index backs it against a concurrent twin.
            if try await tx.cases(clientID: clientID).contains(where: {
                $0.programID == c.programID && $0.status != .closed
            }) {
                throw TrellisError.validation([
                    FieldError("programID", "this client already has an open case in this program")
                ])
            }
            try await tx.insertCase(c)
            try await tx.insertCaseMembers(members)
            // Each member's record shows the enrolment too.
            try await tx.appendAudit(
                [deps.audit(actor, .caseOpen, "case", c.id, clientID: clientID)]
                    + members.map { deps.audit(actor, .caseOpen, "case", c.id, clientID: $0.clientID) })
        }
        return c
    }

    func validated(clientID: UUID, _ input: CaseInput, by actor: ActingUser) async throws -> (Case, [CaseMember]) {
        guard let client = try await store.client(id: clientID) else { throw TrellisError.notFound("client") }
        try Policy.requireSameAgency(actor, client.agencyID, "client")
        try Policy.require(actor, .openCase)
        // Enrolling a client one knows by name is intake, not a read: the new case puts its case manager on
        // its care team. A client one may not know of (a restricted program's) is not found.
        _ = try await store.requireClientAccess(clientID, actor, .identity, at: deps.now())
        var v = Validator()
        var program: Program? = nil
        if let pid = input.programID {
            program = try await store.program(id: pid)
            if program == nil || program?.agencyID != actor.agencyID {
                v.add("programID", "is not a program of your agency")
                program = nil
            } else if program?.active == false {
                v.add("programID", "is not accepting new cases")
            }
        } else {
            v.add("programID", "is required")
        }
        let managerID = input.primaryCaseManagerID ?? actor.id
        let manager = try await store.staff(id: managerID)
        if manager == nil || manager?.agencyID != actor.agencyID || manager?.active == false {
            v.add("primaryCaseManagerID", "is not an active staff member of your agency")
        } else if manager?.role == .auditor {
            v.add("primaryCaseManagerID", "an auditor cannot carry cases")
        }
        let priority = v.choice("priority", input.priority ?? CasePriority.medium.rawValue, as: CasePriority.self)
        let stage = v.choice("stage", input.stage ?? CaseStage.engagement.rawValue, as: CaseStage.self)
        let opened =
            input.openedOn?.isEmpty == false ? v.date("openedOn", input.openedOn, today: deps.today) : deps.today
        if let program,
            try await store.cases(clientID: clientID).contains(where: {
                $0.programID == program.id && $0.status != .closed
            })
        {
            v.add("programID", "this client already has an open case in this program")
        }
        try v.check()
        let now = deps.now()
        let c = Case(
            id: deps.newID(), agencyID: actor.agencyID, clientID: clientID, programID: program!.id,
            primaryCaseManagerID: managerID, status: .open, stage: stage!, priority: priority!,
            openedOn: opened!, closedOn: nil, lastContactOn: nil,
            contactDueOn: opened!.adding(days: program!.contactFrequencyDays),
            createdAt: now, updatedAt: now, version: 1)
        var household = Validator()
        let members = try await enrolledMembers(c, input.memberIDs, &household, by: actor)
        try household.check()
        return (c, members)
    }

    /// A case with its client, program and notes; the read of the case and client is audited.
    public func detail(_ id: UUID, notesPage: Int = 1, by actor: ActingUser) async throws -> CaseDetail {
        let (c, access) = try await store.readableCaseAccess(id, actor, at: deps.now())
        guard let client = try await store.client(id: c.clientID),
            let program = try await store.program(id: c.programID)
        else {
            throw TrellisError.notFound("case")
        }
        try await store.appendAudit([deps.audit(actor, .caseView, "case", id, clientID: c.clientID, access: access)])
        return CaseDetail(
            case: c, client: client, program: program,
            caseManager: try await store.staff(id: c.primaryCaseManagerID),
            notes: try await store.notes(
                caseID: id, limit: CaseDetail.notesPerPage, offset: (max(1, notesPage) - 1) * CaseDetail.notesPerPage),
            noteCount: try await store.noteCount(caseID: id), notesPage: max(1, notesPage))
    }

    public func update(_ id: UUID, _ input: CaseUpdate, expectedVersion: Int?, by actor: ActingUser) async throws
        -> Case
    {
        guard var c = try await store.case(id: id) else { throw TrellisError.notFound("case") }
        try Policy.requireSameAgency(actor, c.agencyID, "case")
        try Policy.require(actor, .updateCase(primaryCaseManagerID: c.primaryCaseManagerID))
        _ = try await store.requireCaseAccess(c, actor, .write, at: deps.now())
        guard let expectedVersion else { throw TrellisError.preconditionRequired("Send the version you edited.") }
        guard expectedVersion == c.version else {
            throw TrellisError.conflict("Someone else changed this case since you opened it.")
        }
        var v = Validator()
        let before = c
        if let s = input.stage, let stage = v.choice("stage", s, as: CaseStage.self) { c.stage = stage }
        if let p = input.priority, let pr = v.choice("priority", p, as: CasePriority.self) { c.priority = pr }
        if let s = input.status, let status = v.choice("status", s, as: CaseStatus.self) {
            // Closing needs a reason and a destination, and reopening a reason: each has its own step.
            if status == .closed && c.status != .closed {
                v.add("status", "close a case with Close case, which records the reason and the client's destination")
            } else if status != .closed && c.status == .closed {
                v.add("status", "reopen a closed case with Reopen, which records why")
            } else {
                c.status = status
            }
        }
        try v.check()
        var diff = ChangedFields(before, c)
        diff.check("stage", \.stage)
        diff.check("priority", \.priority)
        diff.check("status", \.status)
        diff.check("closedOn", \.closedOn)
        let changed = diff.names
        if changed.isEmpty { return before }
        c.version += 1
        c.updatedAt = deps.now()
        let saved = c
        let fields = changed
        try await store.transaction { tx in
            guard try await tx.updateCase(saved, expectedVersion: expectedVersion) else {
                throw TrellisError.conflict("Someone else changed this case since you opened it.")
            }
            try await tx.appendAudit([
                deps.audit(actor, .caseUpdate, "case", id, clientID: saved.clientID, changed: fields)
            ])
        }
        return saved
    }
}
