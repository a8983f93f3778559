import Foundation

public struct NoteInput: Sendable, Codable, Equatable {
    public var contactType: String?
    public var contactDate: String?
    public var durationMinutes: Int?
    public var participants: [String]?
    public var format: String?
    public var sections: [String: String]?
    public init(
        contactType: String? = nil, contactDate: String? = nil, durationMinutes: Int? = nil,
        participants: [String]? = nil, format: String? = nil, sections: [String: String]? = nil
    ) {
        self.contactType = contactType
        self.contactDate = contactDate
        self.durationMinutes = durationMinutes
        self.participants = participants
        self.format = format
        self.sections = sections
    }
}

public struct NoteDetail: Sendable {
    public var note: CaseNote
    public var `case`: Case
    public var client: Client
    public var author: StaffMember?
    public var addenda: [CaseNote]
    public var original: CaseNote?
    /// The note's latest co-signature review, where its program asks for one.
    public var review: NoteReview? = nil
    /// Names of the addenda's authors and of the co-signer.
    public var names: [UUID: String] = [:]
}

public struct NoteService: Sendable {
    let store: any TrellisStore
    let deps: Dependencies
    public init(store: any TrellisStore, deps: Dependencies) {
        self.store = store
        self.deps = deps
    }

    public static let maxSectionLength = 20_000

    /// Writes a draft note on a case. With `addendumTo`, the note is an addendum to a signed note.
    public func create(caseID: UUID, _ input: NoteInput, addendumTo: UUID? = nil, by actor: ActingUser) async throws
        -> CaseNote
    {
        guard let c = try await store.case(id: caseID) else { throw TrellisError.notFound("case") }
        try Policy.requireSameAgency(actor, c.agencyID, "case")
        try Policy.require(actor, .writeNote)
        _ = try await store.requireCaseAccess(c, actor, .write, at: deps.now())
        let now = deps.now()
        var note = CaseNote(
            id: deps.newID(), agencyID: c.agencyID, caseID: caseID, clientID: c.clientID, authorID: actor.id,
            contactType: .inPerson, contactDate: deps.today, durationMinutes: 0, participants: [],
            format: .narrative, sections: [:], status: .draft, signedAt: nil, addendumTo: addendumTo,
            createdAt: now, updatedAt: now, version: 1)
        try validate(input, into: &note, case: c)
        let saved = note
        try await store.transaction { tx in
            try await tx.insertNote(saved)
            try await Self.refreshLastContact(c.id, in: tx, deps: deps)
            try await tx.appendAudit([deps.audit(actor, .noteCreate, "note", saved.id, clientID: saved.clientID)])
        }
        return saved
    }

    /// An addendum corrects or adds to a signed note, which itself never changes.
    public func addendum(to noteID: UUID, _ input: NoteInput, by actor: ActingUser) async throws -> CaseNote {
        guard let original = try await store.note(id: noteID) else { throw TrellisError.notFound("note") }
        try Policy.requireSameAgency(actor, original.agencyID, "note")
        guard original.status == .signed else {
            throw TrellisError.conflict("This note is still a draft: edit it instead of adding an addendum.")
        }
        return try await create(caseID: original.caseID, input, addendumTo: noteID, by: actor)
    }

    public func detail(_ id: UUID, by actor: ActingUser) async throws -> NoteDetail {
        guard let note = try await store.note(id: id) else { throw TrellisError.notFound("note") }
        try Policy.requireSameAgency(actor, note.agencyID, "note")
        let (c, access) = try await store.readableCaseAccess(note.caseID, actor, at: deps.now())
        guard let client = try await store.client(id: note.clientID) else { throw TrellisError.notFound("note") }
        try await store.appendAudit([
            deps.audit(actor, .noteView, "note", id, clientID: note.clientID, access: access)
        ])
        // The note's addenda and the note it adds to, if any: not the case's every note.
        let addenda = try await store.addenda(noteID: id)
        let original = try await note.addendumTo.asyncMap { try await store.note(id: $0) } ?? nil
        let review = try await store.records(NoteReview.self, [.equals("note_id", .uuid(id))]).max {
            $0.submittedAt < $1.submittedAt
        }
        return NoteDetail(
            note: note, case: c, client: client, author: try await store.staff(id: note.authorID),
            addenda: addenda, original: original,
            review: review,
            names: try await store.staffNames(
                ids: addenda.map(\.authorID) + (review?.reviewedBy.map { [$0] } ?? []), agencyID: actor.agencyID))
    }

    /// Who a new note on the case is about, for showing its form again after a failed save: the client's
    /// name and birth date, audited as a view of the client.
    public func formSubject(caseID: UUID, by actor: ActingUser) async throws -> ClientSummary {
        let c = try await store.readableCase(caseID, actor, at: deps.now())
        return try await ClientService(store: store, deps: deps).summary(c.clientID, by: actor)
    }

    /// The note as stored and who it is about, for showing its edit or addendum form again after a failed
    /// save; the client is audited as viewed.
    public func formSubject(noteID: UUID, by actor: ActingUser) async throws -> (note: CaseNote, client: ClientSummary)
    {
        guard let note = try await store.note(id: noteID) else { throw TrellisError.notFound("note") }
        try Policy.requireSameAgency(actor, note.agencyID, "note")
        _ = try await store.readableCase(note.caseID, actor, at: deps.now())
        return (note, try await ClientService(store: store, deps: deps).summary(note.clientID, by: actor))
    }

    /// Every note on a case, each read audited.
    /// One page of the case's notes, newest contact first; each note read is audited (a page's worth, not the
    /// case's thousands).
    public func list(caseID: UUID, limit: Int, offset: Int, by actor: ActingUser) async throws -> [CaseNote] {
        let (_, access) = try await store.readableCaseAccess(caseID, actor, at: deps.now())
        let notes = try await store.notes(caseID: caseID, limit: limit, offset: offset)
        if !notes.isEmpty {
            try await store.appendAudit(
                notes.map { deps.audit(actor, .noteView, "note", $0.id, clientID: $0.clientID, access: access) })
        }
        return notes
    }

    public func updateDraft(_ id: UUID, _ input: NoteInput, expectedVersion: Int?, by actor: ActingUser) async throws
        -> CaseNote
    {
        guard var note = try await store.note(id: id) else { throw TrellisError.notFound("note") }
        try Policy.requireSameAgency(actor, note.agencyID, "note")
        guard note.status == .draft else {
            throw TrellisError.conflict("A signed note cannot be changed. Add an addendum to correct it.")
        }
        try Policy.require(actor, .editDraftNote(authorID: note.authorID))
        let c = try await store.caseForWrite(note.caseID, actor, at: deps.now())
        guard let expectedVersion else { throw TrellisError.preconditionRequired("Send the version you edited.") }
        guard expectedVersion == note.version else {
            throw TrellisError.conflict("This note was changed since you opened it.")
        }
        let before = note
        try validate(input, into: &note, case: c)
        var diff = ChangedFields(before, note)
        diff.check("contactType", \.contactType)
        diff.check("contactDate", \.contactDate)
        diff.check("durationMinutes", \.durationMinutes)
        diff.check("participants", \.participants)
        diff.check("format", \.format)
        diff.check("sections", \.sections)
        let changed = diff.names
        if changed.isEmpty { return before }
        note.version += 1
        note.updatedAt = deps.now()
        let saved = note
        let fields = changed
        try await store.transaction { tx in
            guard try await tx.updateNote(saved, expectedVersion: expectedVersion) else {
                throw TrellisError.conflict("This note was changed since you opened it.")
            }
            try await Self.refreshLastContact(c.id, in: tx, deps: deps)
            try await tx.appendAudit([
                deps.audit(actor, .noteUpdate, "note", id, clientID: saved.clientID, changed: fields)
            ])
        }
        return saved
    }

    /// Signs a draft. From then on the note is immutable.
    public func sign(_ id: UUID, expectedVersion: Int? = nil, by actor: ActingUser) async throws -> CaseNote {
        guard var note = try await store.note(id: id) else { throw TrellisError.notFound("note") }
        try Policy.requireSameAgency(actor, note.agencyID, "note")
        try Policy.require(actor, .signNote(authorID: note.authorID))
        try await store.caseForWrite(note.caseID, actor, at: deps.now())
        guard note.status == .draft else { throw TrellisError.conflict("This note is already signed.") }
        // The signer must have seen what they sign: the version they read is required.
        guard let expectedVersion else {
            throw TrellisError.preconditionRequired("Send the version of the note you read (If-Match or version).")
        }
        guard expectedVersion == note.version else {
            throw TrellisError.conflict("This note was changed since you opened it.")
        }
        let version = note.version
        note.status = .signed
        note.signedAt = deps.now()
        note.updatedAt = note.signedAt!
        note.version += 1
        let saved = note
        try await store.transaction { tx in
            guard try await tx.updateNote(saved, expectedVersion: version) else {
                throw TrellisError.conflict("This note was changed since you opened it.")
            }
            try await tx.appendAudit([deps.audit(actor, .noteSign, "note", id, clientID: saved.clientID)])
            if let c = try await tx.case(id: saved.caseID), let program = try await tx.program(id: c.programID) {
                try await ReviewService.noteSigned(saved, program: program, by: actor, in: tx, deps: deps)
            }
        }
        return saved
    }

    /// Keeps the case's last contact and next due date in step with its notes.
    static func refreshLastContact(_ caseID: UUID, in tx: any TrellisStore, deps: Dependencies) async throws {
        guard var c = try await tx.case(id: caseID), let program = try await tx.program(id: c.programID) else { return }
        if let type = program.visitRule?.contactType {
            try await tx.refreshLastVisit(programID: program.id, contactType: type, caseID: c.id)
        }
        let latest = try await tx.latestContactDate(caseID: c.id)
        guard latest != c.lastContactOn else { return }
        let version = c.version
        c.lastContactOn = latest
        c.contactDueOn = (latest ?? c.openedOn).adding(days: program.contactFrequencyDays)
        c.version += 1
        c.updatedAt = deps.now()
        guard try await tx.updateCase(c, expectedVersion: version) else {
            throw TrellisError.conflict("The case changed while the note was being saved; try again.")
        }
    }

    func validate(_ input: NoteInput, into note: inout CaseNote, case c: Case) throws {
        var v = Validator()
        let type = v.choice("contactType", input.contactType, as: ContactType.self)
        let date = v.date(
            "contactDate", input.contactDate, required: true, today: deps.today,
            notBefore: c.openedOn, notBeforeMessage: "cannot be before the case was opened (\(c.openedOn))")
        let minutes = v.integer("durationMinutes", input.durationMinutes ?? 0, range: 0...1440)
        var participants: [String] = []
        for (i, p) in (input.participants ?? []).enumerated() {
            if let t = v.text("participants[\(i)]", p, max: 100) { participants.append(t) }
        }
        if participants.count > 20 { v.add("participants", "at most 20 participants") }
        let format = v.choice("format", input.format ?? NoteFormat.narrative.rawValue, as: NoteFormat.self)
        var sections: [String: String] = [:]
        if let format {
            let given = input.sections ?? [:]
            for key in given.keys where !format.sections.contains(key) {
                v.add("sections.\(key)", "is not a section of a \(format.rawValue) note")
            }
            for key in format.sections {
                if let t = v.text("sections.\(key)", given[key], max: Self.maxSectionLength) { sections[key] = t }
            }
            if sections.isEmpty && !v.errors.contains(where: { $0.field.hasPrefix("sections.") }) {
                v.add("sections.\(format.sections[0])", "write the note before saving it")
            }
        }
        try v.check()
        note.contactType = type!
        note.contactDate = date!
        note.durationMinutes = minutes!
        note.participants = participants
        note.format = format!
        note.sections = sections
    }
}
