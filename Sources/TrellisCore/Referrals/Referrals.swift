import Foundation

/// Where a referral stands. Each status may only move to the ones `next` lists.
public enum ReferralStatus: String, Sendable, Codable, CaseIterable {
    case draft, sent, accepted, declined, waitlisted, connected, completed
    case notCompleted = "not_completed"

    public var next: [ReferralStatus] {
        switch self {
        case .draft: [.sent]
        case .sent: [.accepted, .declined, .waitlisted]
        case .waitlisted: [.accepted, .declined]
        case .accepted: [.connected, .notCompleted]
        case .connected: [.completed, .notCompleted]
        case .declined, .completed, .notCompleted: []
        }
    }
    /// Moving here needs a reason: the provider said no, the client is waiting, or it fell through.
    public var needsReason: Bool { [.declined, .waitlisted, .notCompleted].contains(self) }
    public var isClosed: Bool { next.isEmpty }
}

/// One step of a referral: what it became, on which day, who recorded it and why.
public struct ReferralEvent: Sendable, Codable, Equatable {
    public var status: ReferralStatus
    public var on: LocalDate
    public var by: UUID
    public var at: Date
    public var reason: String?
    public init(status: ReferralStatus, on: LocalDate, by: UUID, at: Date, reason: String? = nil) {
        self.status = status
        self.on = on
        self.by = by
        self.at = at
        self.reason = reason
    }
}

public struct Referral: StoredRecord, AgencyOwned, Equatable {
    public static let table = "referrals"
    public var id: UUID
    public var agencyID: UUID
    public var caseID: UUID
    public var clientID: UUID
    /// The plan goal the referral serves, and its text and domain when it was made.
    public var goalID: UUID?
    public var goalText: String?
    public var need: String?
    /// A directory service, or nil for a provider typed in by hand.
    public var serviceID: UUID?
    public var providerName: String
    public var providerContact: String?
    public var reason: String
    /// The client agreed that their information may be shared with the provider.
    public var consentOn: LocalDate?
    public var status: ReferralStatus
    public var sentOn: LocalDate?
    public var connectedOn: LocalDate?
    /// When the provider should have answered; a follow-up task is made if it has not.
    public var responseDueOn: LocalDate?
    public var followUpTaskID: UUID?
    /// A referral to another agency in this Trellis, sent under a release that names it: what the receiving
    /// agency sees is what the release covers, and it accepts the client into a case of its own.
    public var toAgencyID: UUID? = nil
    public var releaseID: UUID? = nil
    /// The receiving agency's case, once it accepted.
    public var acceptedCaseID: UUID? = nil
    public var events: [ReferralEvent]
    public var createdBy: UUID
    public var createdAt: Date
    public var updatedAt: Date
    public var version: Int
    public var index: [String: IndexValue] {
        [
            "agency_id": .uuid(agencyID), "case_id": .uuid(caseID), "client_id": .uuid(clientID),
            "status": .text(status.rawValue),
            "sent_on": .text(sentOn?.description),
            "response_due_on": .text(status == .sent ? responseDueOn?.description : nil),
            "follow_up_task_id": .uuid(followUpTaskID), "to_agency_id": .uuid(toAgencyID)
        ]
    }
    public init(
        id: UUID, agencyID: UUID, caseID: UUID, clientID: UUID, goalID: UUID? = nil, goalText: String? = nil,
        need: String? = nil,
        serviceID: UUID? = nil, providerName: String, providerContact: String? = nil, reason: String,
        consentOn: LocalDate? = nil,
        status: ReferralStatus, sentOn: LocalDate? = nil, connectedOn: LocalDate? = nil,
        responseDueOn: LocalDate? = nil,
        followUpTaskID: UUID? = nil, events: [ReferralEvent], createdBy: UUID, createdAt: Date, updatedAt: Date,
        version: Int
    ) {
        self.id = id
        self.agencyID = agencyID
        self.caseID = caseID
        self.clientID = clientID
        self.goalID = goalID
        self.goalText = goalText
        self.need = need
        self.serviceID = serviceID
        self.providerName = providerName
        self.providerContact = providerContact
        self.reason = reason
        self.consentOn = consentOn
        self.status = status
        self.sentOn = sentOn
        self.connectedOn = connectedOn
        self.responseDueOn = responseDueOn
        self.followUpTaskID = followUpTaskID
        self.events = events
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.version = version
    }
    public func reached(_ s: ReferralStatus) -> Bool { events.contains { $0.status == s } }
    public var daysToConnection: Int? { sentOn.flatMap { s in connectedOn.map { s.days(until: $0) } } }
}

public struct ReferralInput: Sendable, Codable, Equatable {
    public var goalID: UUID?
    public var serviceID: UUID?
    public var providerName: String?
    public var providerContact: String?
    public var reason: String?
    public var consentOn: String?
    /// Send at once instead of keeping a draft.
    public var send: Bool?
    /// For a referral to another agency in this Trellis: the client's release that names it.
    public var releaseID: UUID?
    public init(
        goalID: UUID? = nil, serviceID: UUID? = nil, providerName: String? = nil, providerContact: String? = nil,
        reason: String? = nil, consentOn: String? = nil, send: Bool? = nil, releaseID: UUID? = nil
    ) {
        self.releaseID = releaseID
        self.goalID = goalID
        self.serviceID = serviceID
        self.providerName = providerName
        self.providerContact = providerContact
        self.reason = reason
        self.consentOn = consentOn
        self.send = send
    }
}

public struct ReferralDetail: Sendable {
    public var referral: Referral
    public var `case`: Case
    public var client: Client
    public var service: ResourceListing?
    public var caseManager: StaffMember?
    public var agency: Agency?
    /// The client's release the referral was made under, if any: what its printed form may show.
    public var release: Release? = nil
}

public struct ReferralService: Sendable {
    let store: any TrellisStore
    let deps: Dependencies
    public init(store: any TrellisStore, deps: Dependencies) {
        self.store = store
        self.deps = deps
    }

    public static let defaultResponseDays = 7

    public func create(caseID: UUID, _ input: ReferralInput, by actor: ActingUser) async throws -> Referral {
        let c = try await store.writableCase(caseID, actor, "make a referral", at: deps.now())
        var v = Validator()
        var goalText: String? = nil
        var need: String? = nil
        if let gid = input.goalID {
            let plan = try await store.planVersions(caseID: caseID).first
            if let g = plan?.goals.first(where: { $0.id == gid }) {
                goalText = g.goal
                need = g.domain.map(Needs.canonical)
            } else {
                v.add("goalID", "is not a goal of this case's plan")
            }
        }
        var service: ResourceService? = nil
        var org: ResourceOrganization? = nil
        if let sid = input.serviceID {
            service = try await store.record(ResourceService.self, id: sid)
            if service == nil || service?.agencyID != actor.agencyID {
                v.add("serviceID", "is not a service in your directory")
                service = nil
            } else {
                org = try await store.record(ResourceOrganization.self, id: service!.organizationID)
            }
        }
        var typed = v.text("providerName", input.providerName, max: 200)
        // Under the client's release, in force, that covers at least who the client is (consent is checked here,
        // in the service, before anything is disclosed): to another agency in this Trellis, which then sees what
        // the release covers, or to the outside organization or person it names, whose printed form shows only
        // what it covers.
        var release: Release? = nil
        if let rid = input.releaseID {
            if let r = try await store.record(Release.self, id: rid), r.clientID == c.clientID,
                r.recipientKind != .agency || r.recipientAgencyID != nil, r.active(on: deps.today),
                r.covers(.identity)
            {
                release = r
                if r.recipientKind == .agency || (service == nil && typed == nil) { typed = r.recipientName }
            } else {
                v.add("releaseID", "must be a release of this client, in force, that covers identity")
            }
        }
        if service == nil && typed == nil && input.serviceID == nil {
            v.add("providerName", "choose a directory service or type the provider's name")
        }
        let contact = v.text("providerContact", input.providerContact, max: 300)
        let reason = v.text("reason", input.reason, required: true, max: 2000)
        let consent = v.date("consentOn", input.consentOn, today: deps.today)
        let send = input.send ?? false
        if send && consent == nil && release == nil && !v.errors.contains(where: { $0.field == "consentOn" }) {
            v.add("consentOn", "record the client's consent to share their information before sending")
        }
        try v.check()
        let program = try await store.program(id: c.programID)
        let now = deps.now()
        let today = deps.today
        let providerName = service.map { s in org.map { "\($0.name) — \(s.name)" } ?? s.name } ?? typed!
        var r = Referral(
            id: deps.newID(), agencyID: c.agencyID, caseID: c.id, clientID: c.clientID, goalID: input.goalID,
            goalText: goalText,
            need: need, serviceID: service?.id, providerName: providerName,
            providerContact: contact
                ?? service.flatMap { s in [s.phone, s.email].compactMap { $0 }.joined(separator: " · ").nilIfEmpty },
            reason: reason!, consentOn: consent ?? release?.startsOn, status: .draft,
            events: [ReferralEvent(status: .draft, on: today, by: actor.id, at: now)],
            createdBy: actor.id, createdAt: now, updatedAt: now, version: 1)
        r.toAgencyID = release?.recipientAgencyID
        r.releaseID = release?.id
        if send {
            r.status = .sent
            r.sentOn = today
            r.responseDueOn = today.adding(days: program?.referralResponseDays ?? Self.defaultResponseDays)
            r.events.append(ReferralEvent(status: .sent, on: today, by: actor.id, at: now))
        }
        let saved = r
        try await store.transaction { tx in
            try await tx.insertRecord(saved)
            try await tx.appendAudit([
                deps.audit(actor, .referralCreate, "referral", saved.id, clientID: saved.clientID)
            ])
        }
        return saved
    }

    /// Moves a referral one step along its lifecycle. A step the lifecycle does not allow is refused (409).
    public func move(
        _ id: UUID, to target: String?, on date: String?, reason: String?, expectedVersion: Int?, by actor: ActingUser
    ) async throws -> Referral {
        var r = try await store.agencyRecord(Referral.self, id, actor, "referral")
        try Policy.require(actor, .writeNote)
        try await store.caseForWrite(r.caseID, actor, at: deps.now())
        guard let expectedVersion else { throw TrellisError.preconditionRequired("Send the version you edited.") }
        guard expectedVersion == r.version else {
            throw TrellisError.conflict("Someone else changed this referral since you opened it.")
        }
        var v = Validator()
        let status = v.choice("status", target, as: ReferralStatus.self)
        let last = r.events.last?.on ?? deps.localDate(of: r.createdAt)
        let on =
            date?.isEmpty == false
            ? v.date(
                "on", date, today: deps.today, notBefore: last,
                notBeforeMessage: "cannot be before the referral's last step (\(last))") : deps.today
        let why = v.text("reason", reason, max: 2000)
        if let status, status.needsReason, why == nil {
            v.add("reason", "say why the referral was \(status.rawValue.replacingOccurrences(of: "_", with: " "))")
        }
        if status == .sent && r.consentOn == nil {
            v.add("status", "record the client's consent to share their information before sending")
        }
        if status == .sent, let rid = r.releaseID,
            try await store.record(Release.self, id: rid)?.active(on: deps.today) != true
        {
            v.add("status", "the client's release for this referral has ended or was revoked; record a new one")
        }
        try v.check()
        guard r.status.next.contains(status!) else {
            let allowed = r.status.next.map(\.rawValue).joined(separator: ", ")
            throw TrellisError.conflict(
                "A \(r.status.rawValue) referral cannot become \(status!.rawValue)"
                    + (allowed.isEmpty ? "; it is closed." : "; it can become: \(allowed)."))
        }
        let now = deps.now()
        r.status = status!
        r.events.append(ReferralEvent(status: status!, on: on!, by: actor.id, at: now, reason: why))
        if status == .sent {
            r.sentOn = on
            let program = try await store.program(id: (try await store.case(id: r.caseID))?.programID ?? UUID())
            r.responseDueOn = on!.adding(days: program?.referralResponseDays ?? Self.defaultResponseDays)
        }
        if status == .connected { r.connectedOn = on }
        r.version += 1
        r.updatedAt = now
        let saved = r
        let followUp = r.followUpTaskID
        try await store.transaction { tx in
            try await tx.update(saved, from: expectedVersion, "Someone else changed this referral since you opened it.")
            // The provider answered: the follow-up for "no response" is no longer needed.
            if saved.status != .sent, let tid = followUp, var task = try await tx.record(CaseTask.self, id: tid),
                task.status == .open
            {
                let tv = task.version
                task.status = .done
                task.completedAt = now
                task.completedBy = actor.id
                task.version += 1
                try await tx.update(task, from: tv)
            }
            try await tx.appendAudit([
                deps.audit(actor, .referralStatus, "referral", saved.id, clientID: saved.clientID, changed: ["status"])
            ])
        }
        return saved
    }

    public func list(caseID: UUID, by actor: ActingUser) async throws -> [Referral] {
        let (c, access) = try await store.readableCaseAccess(caseID, actor, at: deps.now())
        try await store.appendAudit([deps.listed(actor, "referrals", c, access)])
        return try await store.records(Referral.self, [.equals("case_id", .uuid(c.id))]).sorted {
            $0.createdAt > $1.createdAt
        }
    }

    /// One referral with what its printable form shows; the read is audited.
    public func detail(_ id: UUID, by actor: ActingUser) async throws -> ReferralDetail {
        let r = try await store.agencyRecord(Referral.self, id, actor, "referral")
        let (c, access) = try await store.readableCaseAccess(r.caseID, actor, at: deps.now())
        guard let client = try await store.client(id: r.clientID) else { throw TrellisError.notFound("referral") }
        try await store.appendAudit([
            deps.audit(actor, .referralView, "referral", id, clientID: r.clientID, access: access)
        ])
        let svc = try await r.serviceID.asyncMap { sid in try await store.record(ResourceService.self, id: sid) } ?? nil
        let org =
            try await svc.asyncMap { s in try await store.record(ResourceOrganization.self, id: s.organizationID) }
            ?? nil
        return ReferralDetail(
            referral: r, case: c, client: client, service: svc.map { ResourceListing(service: $0, organization: org) },
            caseManager: try await store.staff(id: c.primaryCaseManagerID),
            agency: try await store.agency(id: c.agencyID),
            release: try await r.releaseID.asyncMap { try await store.record(Release.self, id: $0) } ?? nil)
    }

    /// Sent referrals with no answer by their response date get a follow-up task for the case manager.
    /// Runs on a timer and before task lists are shown; a referral gets at most one such task.
    public func createFollowUps(agencyID: UUID? = nil) async throws -> Int {
        var filters: [RecordFilter] = [
            .equals("status", .text(ReferralStatus.sent.rawValue)),
            .atMost("response_due_on", .text(deps.today.description)),
            .isNull("follow_up_task_id")
        ]
        if let agencyID { filters.append(.equals("agency_id", .uuid(agencyID))) }
        let due = try await store.records(Referral.self, filters, order: [], limit: 500)
        var made = 0
        for var r in due {
            guard let c = try await store.case(id: r.caseID), c.status != .closed else { continue }
            let now = deps.now()
            let task = CaseTask(
                id: deps.newID(), agencyID: r.agencyID, assigneeID: c.primaryCaseManagerID, caseID: r.caseID,
                clientID: r.clientID,
                goalID: r.goalID, kind: .task,
                title:
                    "Follow up referral to \(r.providerName): no response since \(r.sentOn?.description ?? "sending")",
                dueOn: deps.today, status: .open, source: .referralFollowUp, sourceID: r.id, createdBy: nil,
                createdAt: now, version: 1)
            let version = r.version
            r.followUpTaskID = task.id
            r.version += 1
            let saved = r
            do {
                try await store.transaction { tx in
                    try await tx.insertRecord(task)
                    try await tx.update(saved, from: version)
                }
                made += 1
                // someone moved the referral meanwhile; the next run decides again
            } catch TrellisError.conflict { continue }
        }
        return made
    }
}
