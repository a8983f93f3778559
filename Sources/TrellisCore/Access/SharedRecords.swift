import Foundation

/// One case of a shared record, with only what the release lets through.
public struct SharedCase: Sendable {
    public var programName: String
    public var openedOn: LocalDate
    public var closedOn: LocalDate?
    public var notes: [CaseNote]
    public var assessments: [Assessment]
    public var plan: ServicePlan?
}

/// What another agency's staff see of a client under a release: exactly the categories it covers.
public struct SharedRecord: Sendable {
    public var release: Release
    public var agencyName: String
    /// Nil unless the release covers identity (and, for a victim-service client, names that category too).
    public var client: Client?
    public var showsContact: Bool
    public var cases: [SharedCase]
}

/// A release naming the actor's agency, as the list of records shared with it shows it.
public struct IncomingShare: Sendable {
    public var release: Release
    public var agencyName: String
    /// Nil when the release does not cover identity.
    public var name: String?
}

/// The shared client index of agencies of one Continuum of Care in this Trellis, and what a release lets one
/// agency read of another's record. Every read is written to the owning agency's audit log, with the release.
public struct SharedRecordService: Sendable {
    let store: any TrellisStore
    let deps: Dependencies
    public init(store: any TrellisStore, deps: Dependencies) {
        self.store = store
        self.deps = deps
    }

    /// How many other agencies of the actor's Continuum of Care hold a likely match for this client: the
    /// existence only, never who or where.
    public func knownElsewhere(clientID: UUID, by actor: ActingUser) async throws -> Int {
        guard let c = try await store.client(id: clientID) else { throw TrellisError.notFound("client") }
        try Policy.requireSameAgency(actor, c.agencyID, "client")
        _ = try await store.requireClientAccess(clientID, actor, .read, at: deps.now())
        guard let code = try await store.agency(id: actor.agencyID)?.continuumCode else { return 0 }
        let clients = ClientService(store: store, deps: deps)
        var n = 0
        for other in try await store.agencies() where other.id != actor.agencyID && other.continuumCode == code {
            if !(try await clients.likelyDuplicates(of: c, agencyID: other.id)).isEmpty { n += 1 }
        }
        return n
    }

    /// The releases in force that name the actor's agency, newest first. Each name shown is a disclosure, so
    /// each is audited in the owning agency's log.
    public func incoming(by actor: ActingUser) async throws -> [IncomingShare] {
        try Policy.require(actor, .writeNote)
        let today = deps.today
        let releases = try await store.records(
            Release.self, [.equals("recipient_agency_id", .uuid(actor.agencyID))], order: [], limit: 1000
        ).filter { $0.active(on: today) }.sorted { $0.createdAt > $1.createdAt }
        var out: [IncomingShare] = []
        var audit: [AuditEntry] = []
        var agencyNames: [UUID: String] = [:]
        for r in releases {
            if agencyNames[r.agencyID] == nil { agencyNames[r.agencyID] = try await store.agency(id: r.agencyID)?.name }
            var name: String? = nil
            if try await identityAllowed(r), let c = try await store.client(id: r.clientID) {
                name = c.displayName
                audit.append(disclosure(actor, .sharedView, "client", r.clientID, r))
            }
            out.append(IncomingShare(release: r, agencyName: agencyNames[r.agencyID] ?? "—", name: name))
        }
        if !audit.isEmpty { try await store.appendAudit(audit) }
        return out
    }

    /// Another agency's record under a release naming the actor's agency: only while it is in force (a
    /// revoked one is not found at once), and only the categories it covers. A restricted program's cases come
    /// only when the release names that category on its own.
    public func shared(_ releaseID: UUID, by actor: ActingUser) async throws -> SharedRecord {
        try Policy.require(actor, .writeNote)
        guard let r = try await store.record(Release.self, id: releaseID), r.recipientAgencyID == actor.agencyID,
            r.active(on: deps.today)
        else { throw TrellisError.notFound("shared record") }
        guard let client = try await store.client(id: r.clientID) else { throw TrellisError.notFound("shared record") }
        let programs = Dictionary(
            try await store.programs(agencyID: r.agencyID).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var cases: [SharedCase] = []
        var audit: [AuditEntry] = []
        let wantsNotes = r.covers(.caseNotes)
        let wantsAssessments = r.covers(.assessments)
        let wantsPlans = r.covers(.plans)
        for c in try await store.cases(clientID: client.id) {
            guard let p = programs[c.programID] else { continue }
            if let restricted = p.restriction, !r.covers(ReleaseCategory(restricted)) { continue }
            guard wantsNotes || wantsAssessments || wantsPlans else { continue }
            let notes = wantsNotes ? try await store.notes(caseID: c.id).filter { $0.status == .signed } : []
            let assessments = wantsAssessments ? try await store.assessments(caseID: c.id) : []
            let plan = wantsPlans ? try await store.planVersions(caseID: c.id).first : nil
            audit += notes.map { disclosure(actor, .sharedView, "note", $0.id, r) }
            audit += assessments.map { disclosure(actor, .sharedView, "assessment", $0.id, r) }
            if let plan { audit.append(disclosure(actor, .sharedView, "service_plan", plan.id, r)) }
            cases.append(
                SharedCase(
                    programName: p.name, openedOn: c.openedOn, closedOn: c.closedOn, notes: notes,
                    assessments: assessments, plan: plan))
        }
        let identity = try await identityAllowed(r)
        audit.append(disclosure(actor, .sharedView, "client", client.id, r))
        try await store.appendAudit(audit)
        return SharedRecord(
            release: r, agencyName: try await store.agency(id: r.agencyID)?.name ?? "—",
            client: identity ? client : nil, showsContact: identity && r.covers(.contact), cases: cases)
    }

    /// Referrals other agencies sent to the actor's agency, waiting for an answer; each client named is audited in
    /// the sending agency's log (under the release the referral went with).
    public func incomingReferrals(by actor: ActingUser) async throws -> [(Referral, name: String?, from: String)] {
        try Policy.require(actor, .writeNote)
        let waiting = try await store.records(
            Referral.self, [.equals("to_agency_id", .uuid(actor.agencyID))], order: [RecordOrder("sent_on")],
            limit: 1000
        ).filter { [.sent, .waitlisted].contains($0.status) }
        var out: [(Referral, name: String?, from: String)] = []
        var audit: [AuditEntry] = []
        for r in waiting {
            guard let rid = r.releaseID, let release = try await store.record(Release.self, id: rid),
                release.active(on: deps.today)
            else { continue }
            var name: String? = nil
            if try await identityAllowed(release), let c = try await store.client(id: r.clientID) {
                name = c.displayName
                audit.append(disclosure(actor, .sharedView, "referral", r.id, release))
            }
            out.append((r, name, try await store.agency(id: r.agencyID)?.name ?? "—"))
        }
        if !audit.isEmpty { try await store.appendAudit(audit) }
        return out
    }

    /// Accepts another agency's referral into a case of the actor's agency: the client is registered here with
    /// what the release covers (identity, and contact details when it covers them; never the SSN), a case is
    /// opened in `programID` with the actor as case manager, and the sending agency's referral is marked accepted.
    /// All in one transaction; the release must still be in force.
    public func acceptReferral(_ id: UUID, programID: UUID?, by actor: ActingUser) async throws -> Case {
        try Policy.require(actor, .openCase)
        guard let r = try await store.record(Referral.self, id: id), r.toAgencyID == actor.agencyID else {
            throw TrellisError.notFound("referral")
        }
        guard [.sent, .waitlisted].contains(r.status) else {
            throw TrellisError.conflict("This referral was already answered.")
        }
        guard let rid = r.releaseID, let release = try await store.record(Release.self, id: rid),
            release.active(on: deps.today), try await identityAllowed(release),
            let source = try await store.client(id: r.clientID)
        else {
            throw TrellisError.conflict(
                "The client's release behind this referral is no longer in force; ask the referring agency.")
        }
        guard let programID, let p = try await store.program(id: programID), p.agencyID == actor.agencyID else {
            throw TrellisError.validation([FieldError("programID", "choose one of your agency's programs")])
        }
        var input = ClientInput(source)
        input.ssn = nil
        input.ssnDataQuality = DataQuality.notCollected.rawValue
        if !release.covers(.contact) {
            input.phone = nil
            input.email = nil
            input.address = nil
        }
        let deps = deps
        let today = deps.today
        let registration = input
        return try await store.transaction { tx in
            guard
                case .created(let client) = try await ClientService(store: tx, deps: deps).register(
                    registration, by: actor, duplicatesAcknowledged: true)
            else { throw TrellisError.conflict("The client could not be registered.") }
            let kase = try await CaseService(store: tx, deps: deps).open(
                clientID: client.id,
                CaseInput(programID: p.id, primaryCaseManagerID: actor.id, openedOn: today.description), by: actor)
            var accepted = r
            accepted.status = .accepted
            accepted.acceptedCaseID = kase.id
            accepted.events.append(ReferralEvent(status: .accepted, on: today, by: actor.id, at: deps.now()))
            accepted.updatedAt = deps.now()
            accepted.version += 1
            try await tx.update(accepted, from: r.version, "This referral was answered by someone else just now.")
            try await tx.appendAudit([self.disclosure(actor, .referralStatus, "referral", r.id, release)])
            return kase
        }
    }

    /// Identity goes only under a release that covers it; for a client of a victim-service program it also
    /// needs that category named (VAWA: a survivor's identifying data leaves only with specific consent).
    func identityAllowed(_ r: Release) async throws -> Bool {
        guard r.covers(.identity) else { return false }
        for c in try await store.cases(clientID: r.clientID) {
            if try await store.program(id: c.programID)?.restriction == .domesticViolence {
                return r.covers(.domesticViolence)
            }
        }
        return true
    }

    /// An audit entry in the owning agency's log: who of the other agency read what, under which release.
    func disclosure(_ actor: ActingUser, _ action: AuditAction, _ type: String, _ id: UUID, _ r: Release) -> AuditEntry
    {
        var e = deps.audit(
            actor, action, type, id, clientID: r.clientID, access: Access(.read, .consent, basisID: r.id))
        e.agencyID = r.agencyID
        return e
    }
}
