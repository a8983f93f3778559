import Foundation

/// What a release of information may cover. The restricted categories are named on their own: a release that
/// names only "case notes" never carries a substance-use program's notes (42 CFR Part 2) or a victim-service
/// program's (VAWA).
public enum ReleaseCategory: String, Sendable, Codable, CaseIterable {
    case identity
    case contact
    case caseNotes = "case_notes"
    case assessments
    case plans
    case substanceUse = "substance_use"
    case domesticViolence = "domestic_violence"
    case hiv
    case mentalHealth = "mental_health"
    case legal

    public init(_ r: RestrictedCategory) { self = ReleaseCategory(rawValue: r.rawValue)! }
}

public enum ReleaseRecipientKind: String, Sendable, Codable, CaseIterable {
    /// Another agency in this Trellis (a shared client index).
    case agency
    case organization
    case person
}

public enum ConsentMethod: String, Sendable, Codable, CaseIterable {
    /// A signed form, kept as one of the client's documents.
    case signedForm = "signed_form"
    /// Given aloud, with a witness named.
    case verbal
}

/// A client's consent to share named parts of their record with one recipient, for a purpose, between two
/// dates, until revoked.
public struct Release: StoredRecord, AgencyOwned, Equatable {
    public static let table = "releases"
    public var id: UUID
    public var agencyID: UUID
    public var clientID: UUID
    public var recipientKind: ReleaseRecipientKind
    public var recipientAgencyID: UUID?
    public var recipientName: String
    public var categories: [ReleaseCategory]
    public var purpose: String
    public var startsOn: LocalDate
    public var endsOn: LocalDate
    public var method: ConsentMethod
    public var documentID: UUID?
    public var witnessName: String?
    public var createdBy: UUID
    public var createdAt: Date
    public var revokedAt: Date?
    public var revokedBy: UUID?
    public var revocationReason: String?
    public var version: Int
    public var index: [String: IndexValue] {
        [
            "agency_id": .uuid(agencyID), "client_id": .uuid(clientID), "recipient_agency_id": .uuid(recipientAgencyID),
            "ends_on": .text(endsOn.description)
        ]
    }
    public func active(on day: LocalDate) -> Bool { revokedAt == nil && startsOn <= day && day <= endsOn }
    public func covers(_ c: ReleaseCategory) -> Bool { categories.contains(c) }
}

public struct ReleaseInput: Sendable, Codable, Equatable {
    public var recipientKind: String?
    public var recipientAgencyID: UUID?
    public var recipientName: String?
    public var categories: [String]?
    public var purpose: String?
    public var startsOn: String?
    public var endsOn: String?
    public var method: String?
    public var documentID: UUID?
    public var witnessName: String?
    public init(
        recipientKind: String? = nil, recipientAgencyID: UUID? = nil, recipientName: String? = nil,
        categories: [String]? = nil, purpose: String? = nil, startsOn: String? = nil, endsOn: String? = nil,
        method: String? = nil, documentID: UUID? = nil, witnessName: String? = nil
    ) {
        self.recipientKind = recipientKind
        self.recipientAgencyID = recipientAgencyID
        self.recipientName = recipientName
        self.categories = categories
        self.purpose = purpose
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.method = method
        self.documentID = documentID
        self.witnessName = witnessName
    }
}

/// A release that ends soon, for the case manager's dashboard.
public struct ExpiringRelease: Sendable, Equatable {
    public var release: Release
    public var client: ClientSummary
}

public struct ReleaseService: Sendable {
    let store: any TrellisStore
    let deps: Dependencies
    public init(store: any TrellisStore, deps: Dependencies) {
        self.store = store
        self.deps = deps
    }

    /// Longest a release may run: HUD's and most states' forms stay within a year or two; Trellis allows three.
    public static let maxYears = 3
    /// How far ahead the dashboard warns.
    public static let warningDays = 30

    /// The client's releases, newest first (the care team; the list is audited).
    public func list(clientID: UUID, by actor: ActingUser) async throws -> [Release] {
        guard let client = try await store.client(id: clientID) else { throw TrellisError.notFound("client") }
        try Policy.requireSameAgency(actor, client.agencyID, "client")
        let access = try await store.requireClientAccess(clientID, actor, .read, at: deps.now())
        try await store.appendAudit([
            deps.audit(actor, .recordList, "releases", clientID, clientID: clientID, access: access)
        ])
        return try await store.records(Release.self, [.equals("client_id", .uuid(clientID))]).sorted {
            $0.createdAt > $1.createdAt
        }
    }

    /// One release of a client of the actor's agency whose care team they are on.
    public func release(_ id: UUID, by actor: ActingUser) async throws -> Release {
        let r = try await store.agencyRecord(Release.self, id, actor, "release")
        let access = try await store.requireClientAccess(r.clientID, actor, .read, at: deps.now())
        try await store.appendAudit([
            deps.audit(actor, .releaseView, "release", id, clientID: r.clientID, access: access)
        ])
        return r
    }

    /// Every problem at once; nothing is written unless all is well. A client of another agency is not found:
    /// only the agency that holds the record records its client's consent.
    public func create(clientID: UUID, _ input: ReleaseInput, by actor: ActingUser) async throws -> Release {
        guard let client = try await store.client(id: clientID) else { throw TrellisError.notFound("client") }
        try Policy.requireSameAgency(actor, client.agencyID, "client")
        try Policy.require(actor, .writeClient)
        _ = try await store.requireClientAccess(clientID, actor, .write, at: deps.now())
        var v = Validator()
        let kind = v.choice("recipientKind", input.recipientKind, as: ReleaseRecipientKind.self)
        var recipientName = v.text("recipientName", input.recipientName, max: 200)
        var recipientAgency: UUID? = nil
        if kind == .agency {
            if let id = input.recipientAgencyID, let a = try await store.agency(id: id), a.id != actor.agencyID {
                recipientAgency = a.id
                recipientName = a.name
            } else {
                v.add("recipientAgencyID", "must be another agency in this Trellis")
            }
        } else if kind != nil && recipientName == nil {
            v.add("recipientName", "is required")
        }
        var categories: [ReleaseCategory] = []
        let raw = (input.categories ?? []).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if raw.isEmpty { v.add("categories", "choose at least one category") }
        for c in raw {
            if let cat = ReleaseCategory(rawValue: c) {
                if !categories.contains(cat) { categories.append(cat) }
            } else {
                v.add("categories", "\"\(c.prefix(40))\" is not a category of information")
            }
        }
        let purpose = v.text("purpose", input.purpose, required: true, max: 500)
        let starts = v.anyDate("startsOn", input.startsOn, required: true, around: deps.today, years: 5)
        let ends = v.anyDate("endsOn", input.endsOn, required: true, around: deps.today, years: 10)
        if let s = starts, let e = ends {
            if e < s {
                v.add("endsOn", "must not be before the start")
            } else if s.days(until: e) > Self.maxYears * 366 {
                v.add("endsOn", "a release can run at most \(Self.maxYears) years")
            }
        }
        let method = v.choice("method", input.method, as: ConsentMethod.self)
        var witness: String? = nil
        var documentID: UUID? = nil
        switch method {
        case .signedForm?:
            if let d = input.documentID, let doc = try await store.record(StoredDocument.self, id: d),
                doc.clientID == clientID, doc.deletedAt == nil
            {
                documentID = d
            } else {
                v.add("documentID", "attach the signed form: a document of this client")
            }
        case .verbal?:
            witness = v.text("witnessName", input.witnessName, required: true, max: 200)
        case nil: break
        }
        try v.check()
        let r = Release(
            id: deps.newID(), agencyID: actor.agencyID, clientID: clientID, recipientKind: kind!,
            recipientAgencyID: recipientAgency, recipientName: recipientName!, categories: categories,
            purpose: purpose!, startsOn: starts!, endsOn: ends!, method: method!, documentID: documentID,
            witnessName: witness, createdBy: actor.id, createdAt: deps.now(), version: 1)
        try await store.transaction { tx in
            try await tx.insertRecord(r)
            try await tx.appendAudit([deps.audit(actor, .releaseCreate, "release", r.id, clientID: clientID)])
        }
        return r
    }

    /// Ends a release at once: whatever it opened closes with it. Revoking twice is a conflict.
    public func revoke(_ id: UUID, reason: String?, expectedVersion: Int?, by actor: ActingUser) async throws
        -> Release
    {
        var r = try await store.agencyRecord(Release.self, id, actor, "release")
        try Policy.require(actor, .writeClient)
        _ = try await store.requireClientAccess(r.clientID, actor, .write, at: deps.now())
        guard r.revokedAt == nil else { throw TrellisError.conflict("This release was already revoked.") }
        var v = Validator()
        let why = v.text("reason", reason, max: 500)
        try v.check()
        guard let expectedVersion else { throw TrellisError.preconditionRequired("Send the version you read.") }
        guard expectedVersion == r.version else {
            throw TrellisError.conflict("This release changed since you opened it.")
        }
        r.revokedAt = deps.now()
        r.revokedBy = actor.id
        r.revocationReason = why
        r.version += 1
        let saved = r
        try await store.transaction { tx in
            try await tx.update(saved, from: expectedVersion, "This release changed since you opened it.")
            try await tx.appendAudit([
                deps.audit(actor, .releaseRevoke, "release", id, clientID: saved.clientID, changed: ["revokedAt"])
            ])
        }
        return saved
    }

    /// What the release form offers: the client, the agencies a release may name (those of the agency's
    /// Continuum of Care when it has one), and the client's documents to attach the signed form from.
    public func formContext(clientID: UUID, by actor: ActingUser) async throws
        -> (client: ClientSummary, agencies: [Agency], documents: [StoredDocument])
    {
        guard let c = try await store.client(id: clientID) else { throw TrellisError.notFound("client") }
        try Policy.requireSameAgency(actor, c.agencyID, "client")
        try Policy.require(actor, .writeClient)
        _ = try await store.requireClientAccess(clientID, actor, .write, at: deps.now())
        let mine = try await store.agency(id: actor.agencyID)
        let others = try await store.agencies().filter { a in
            a.id != actor.agencyID && (mine?.continuumCode == nil || a.continuumCode == mine?.continuumCode)
        }
        let docs = try await DocumentService(store: store, deps: deps).list(clientID: clientID, by: actor)
        return (c.summary, others, docs)
    }

    /// Releases of the actor's own clients (their caseload's, which the caller may hand over if it has it) that end
    /// within 30 days and are not revoked.
    public func expiring(for actor: ActingUser, caseload: Caseload? = nil) async throws -> [ExpiringRelease] {
        let today = deps.today
        let clientIDs: Set<UUID>
        if let caseload, caseload.staff.id == actor.id {
            clientIDs = Set(caseload.entries.map(\.clientID))
        } else {
            clientIDs = Set(try await store.openCases(caseManagerID: actor.id).map(\.clientID))
        }
        guard !clientIDs.isEmpty else { return [] }
        let soon = try await store.records(
            Release.self,
            [
                .equals("agency_id", .uuid(actor.agencyID)), .atLeast("ends_on", .text(today.description)),
                .atMost("ends_on", .text(today.adding(days: Self.warningDays).description))
            ], order: [RecordOrder("ends_on")], limit: 2000
        )
        .filter { $0.revokedAt == nil && clientIDs.contains($0.clientID) }
        let names = try await store.clientSummaries(ids: soon.map(\.clientID), agencyID: actor.agencyID)
        return soon.compactMap { r in names[r.clientID].map { ExpiringRelease(release: r, client: $0) } }
    }
}
