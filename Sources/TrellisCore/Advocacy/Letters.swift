import Foundation

// MARK: Letters

public struct LetterTemplate: StoredRecord, AgencyOwned, Equatable {
    public static let table = "letter_templates"
    public var id: UUID
    public var agencyID: UUID
    public var name: String
    /// Text with merge fields in double braces: `{{client.name}}`.
    public var body: String
    public var active: Bool
    public var updatedAt: Date
    public var updatedBy: UUID?
    public var version: Int
    public init(
        id: UUID, agencyID: UUID, name: String, body: String, active: Bool = true, updatedAt: Date, updatedBy: UUID?,
        version: Int
    ) {
        self.id = id
        self.agencyID = agencyID
        self.name = name
        self.body = body
        self.active = active
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
        self.version = version
    }
    public var index: [String: IndexValue] { ["agency_id": .uuid(agencyID)] }
}

/// A letter as it was produced: the merged text is kept, so it reads the same later.
public struct Letter: StoredRecord, AgencyOwned, Equatable {
    public static let table = "letters"
    public var id: UUID
    public var agencyID: UUID
    public var caseID: UUID
    public var clientID: UUID
    public var templateID: UUID?
    public var title: String
    public var body: String
    public var advocacyID: UUID?
    public var createdBy: UUID
    public var createdAt: Date
    public var version: Int
    public var index: [String: IndexValue] { ["agency_id": .uuid(agencyID), "case_id": .uuid(caseID)] }
}

public enum LetterMerge {
    /// A letter's text with one kind of line break: forms send CR LF, and a paragraph is a blank line between
    /// lines however they were typed, so the stored letter, its page, its print view and the API agree.
    public static func normalized(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
    }

    /// The paragraphs of a letter, each a list of its lines.
    public static func paragraphs(_ body: String) -> [[String]] {
        var out: [[String]] = []
        var current: [String] = []
        for line in normalized(body).components(separatedBy: "\n") {
            if line.trimmingCharacters(in: .whitespaces).isEmpty {
                if !current.isEmpty { out.append(current) }
                current = []
            } else {
                current.append(line)
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    /// Every merge field a template may use.
    public static let fields = [
        "client.name", "client.first_name", "client.last_name", "client.address", "client.birth_date",
        "case_manager.name", "agency.name", "program.name", "case.opened_on", "today",
        "advocacy.other_party", "advocacy.filing_deadline", "advocacy.hearing_on"
    ]

    public static func fieldsUsed(_ body: String) -> [String] {
        var out: [String] = []
        var rest = body[...]
        while let open = rest.range(of: "{{") {
            guard let close = rest[open.upperBound...].range(of: "}}") else { break }
            out.append(rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces))
            rest = rest[close.upperBound...]
        }
        return out
    }

    public static func merge(_ body: String, _ values: [String: String]) -> String {
        var out = ""
        var rest = body[...]
        while let open = rest.range(of: "{{") {
            guard let close = rest[open.upperBound...].range(of: "}}") else { break }
            out += rest[..<open.lowerBound]
            let key = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            // A field with no value (the client has no address, say) stays a merge field, so the worker sees it
            // in the draft and the letter cannot be kept until it is filled in or taken out.
            if let value = values[key], !value.isEmpty { out += value } else { out += "{{" + key + "}}" }
            rest = rest[close.upperBound...]
        }
        return out + rest
    }
}

public struct LetterService: Sendable {
    let store: any TrellisStore
    let deps: Dependencies
    public init(store: any TrellisStore, deps: Dependencies) {
        self.store = store
        self.deps = deps
    }

    public func templates(by actor: ActingUser) async throws -> [LetterTemplate] {
        try await store.records(LetterTemplate.self, [.equals("agency_id", .uuid(actor.agencyID))]).sorted {
            $0.name < $1.name
        }
    }

    public func saveTemplate(
        _ id: UUID?, name: String?, body: String?, active: Bool, expectedVersion: Int?, by actor: ActingUser
    ) async throws -> LetterTemplate {
        try Policy.require(actor, .manageTemplates)
        var v = Validator()
        let n = v.text("name", name, required: true, max: 120)
        let b = v.text("body", body.map(LetterMerge.normalized), required: true, max: 20_000)
        if let b {
            let unknown = LetterMerge.fieldsUsed(b).filter { !LetterMerge.fields.contains($0) }
            if !unknown.isEmpty {
                v.add("body", "unknown merge fields: \(unknown.map { "{{\($0)}}" }.joined(separator: ", "))")
            }
        }
        var t: LetterTemplate
        if let id {
            t = try await store.agencyRecord(LetterTemplate.self, id, actor, "template")
            guard let expectedVersion else { throw TrellisError.preconditionRequired("Send the version you edited.") }
            guard expectedVersion == t.version else {
                throw TrellisError.conflict("Someone else changed this template since you opened it.")
            }
        } else {
            t = LetterTemplate(
                id: deps.newID(), agencyID: actor.agencyID, name: "", body: "", updatedAt: deps.now(),
                updatedBy: actor.id, version: 0)
        }
        try v.check()
        let from = t.version
        t.name = n!
        t.body = b!
        t.active = active
        t.updatedAt = deps.now()
        t.updatedBy = actor.id
        t.version += 1
        let saved = t
        try await store.transaction { tx in
            if from == 0 { try await tx.insertRecord(saved) } else { try await tx.update(saved, from: from) }
            try await tx.appendAudit([deps.audit(actor, .templateSave, "letter_template", saved.id, clientID: nil)])
        }
        return saved
    }

    /// The merge values for a case (and an advocacy action, if the letter is about one).
    public func values(caseID: UUID, advocacyID: UUID?, by actor: ActingUser) async throws -> [String: String] {
        let c = try await store.readableCase(caseID, actor, at: deps.now())
        guard let client = try await store.client(id: c.clientID) else { throw TrellisError.notFound("case") }
        let manager = try await store.staff(id: c.primaryCaseManagerID)
        let agency = try await store.agency(id: c.agencyID)
        let program = try await store.program(id: c.programID)
        var out = [
            "client.name": client.legalName.isEmpty ? client.displayName : client.legalName,
            "client.first_name": client.firstName ?? "",
            "client.last_name": client.lastName ?? "", "client.address": client.address ?? "",
            "client.birth_date": client.birthDate?.description ?? "", "case_manager.name": manager?.displayName ?? "",
            "agency.name": agency?.name ?? "", "program.name": program?.name ?? "",
            "case.opened_on": c.openedOn.description,
            "today": deps.today.description
        ]
        if let aid = advocacyID {
            let a = try await store.agencyRecord(AdvocacyAction.self, aid, actor, "advocacy action")
            if a.caseID == c.id {
                out["advocacy.other_party"] = a.otherParty
                out["advocacy.filing_deadline"] = a.filingDeadline?.description ?? ""
                out["advocacy.hearing_on"] = a.hearingOn?.description ?? ""
            }
        }
        return out
    }

    /// Merges a template for a case; nothing is kept until `keep`.
    public func preview(caseID: UUID, templateID: UUID?, advocacyID: UUID?, by actor: ActingUser) async throws -> (
        LetterTemplate, String
    ) {
        guard let templateID else { throw TrellisError.validation([FieldError("templateID", "is required")]) }
        let t = try await store.agencyRecord(LetterTemplate.self, templateID, actor, "template")
        return (t, LetterMerge.merge(t.body, try await values(caseID: caseID, advocacyID: advocacyID, by: actor)))
    }

    /// Keeps a letter on the case, as finally worded.
    public func keep(
        caseID: UUID, templateID: UUID?, advocacyID: UUID?, title: String?, body: String?, by actor: ActingUser
    ) async throws -> Letter {
        let c = try await store.writableCase(caseID, actor, "write a letter", at: deps.now())
        var v = Validator()
        let t = v.text("title", title, required: true, max: 200)
        let b = v.text("body", body.map(LetterMerge.normalized), required: true, max: 40_000)
        if let b, let left = LetterMerge.fieldsUsed(b).first { v.add("body", "still has the merge field {{\(left)}}") }
        try v.check()
        let letter = Letter(
            id: deps.newID(), agencyID: c.agencyID, caseID: c.id, clientID: c.clientID, templateID: templateID,
            title: t!, body: b!,
            advocacyID: advocacyID, createdBy: actor.id, createdAt: deps.now(), version: 1)
        try await store.transaction { tx in
            try await tx.insertRecord(letter)
            try await tx.appendAudit([deps.audit(actor, .letterCreate, "letter", letter.id, clientID: letter.clientID)])
        }
        return letter
    }

    public func letter(_ id: UUID, by actor: ActingUser) async throws -> Letter {
        let l = try await store.agencyRecord(Letter.self, id, actor, "letter")
        let (_, access) = try await store.readableCaseAccess(l.caseID, actor, at: deps.now())
        try await store.appendAudit([deps.audit(actor, .letterView, "letter", id, clientID: l.clientID, access: access)]
        )
        return l
    }

    public func list(caseID: UUID, by actor: ActingUser) async throws -> [Letter] {
        let (c, access) = try await store.readableCaseAccess(caseID, actor, at: deps.now())
        try await store.appendAudit([deps.listed(actor, "letters", c, access)])
        return try await store.records(Letter.self, [.equals("case_id", .uuid(c.id))]).sorted {
            $0.createdAt > $1.createdAt
        }
    }
}
