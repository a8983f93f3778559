import Foundation

/// One client's place in a household: their relationship to its head (HMIS data element 3.15). Each member
/// is a client record of their own; a client belongs to at most one household at a time.
public struct HouseholdMembership: Sendable, Codable, Equatable {
    public var householdID: UUID
    public var clientID: UUID
    public var relationship: RelationshipToHoH
    public var addedAt: Date
    public var addedBy: UUID
    public init(householdID: UUID, clientID: UUID, relationship: RelationshipToHoH, addedAt: Date, addedBy: UUID) {
        self.householdID = householdID
        self.clientID = clientID
        self.relationship = relationship
        self.addedAt = addedAt
        self.addedBy = addedBy
    }
}

/// The people who present together: exactly one head (relationship 1), every other member related to them.
public struct Household: Sendable, Equatable {
    public var id: UUID
    public var agencyID: UUID
    public var createdAt: Date
    public var updatedAt: Date
    public var version: Int
    /// The head first, then the others in the order they joined.
    public var members: [HouseholdMembership]
    public init(
        id: UUID, agencyID: UUID, createdAt: Date, updatedAt: Date, version: Int, members: [HouseholdMembership]
    ) {
        self.id = id
        self.agencyID = agencyID
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.version = version
        self.members = members
    }
    public var head: HouseholdMembership? { members.first { $0.relationship == .selfHead } }
    public func member(_ clientID: UUID) -> HouseholdMembership? { members.first { $0.clientID == clientID } }
}

/// A household as one reader sees it: the members they may know of, by name; the others only counted.
public struct HouseholdView: Sendable {
    public var household: Household
    public var members: [HouseholdMemberView]
    /// Members the reader may not know of (a restricted program's clients): counted, never named.
    public var hidden: Int
    /// Whether the reader may add, relate and remove members (write access to the head's record).
    public var canChange: Bool
}

/// The household page of one client: who they are, their household, and what the reader may do with it.
public struct HouseholdPage: Sendable {
    public var client: ClientSummary
    public var view: HouseholdView?
    /// Members are managed from the head's record; a client with no household may start one as its head.
    public var isHead: Bool
    public var canChange: Bool
}

public struct HouseholdMemberView: Sendable {
    public var client: ClientSummary
    public var relationship: RelationshipToHoH
    /// Whether the reader may open the member's record (their care team).
    public var canRead: Bool
}

public protocol HouseholdRepository: Sendable {
    func household(ofClient clientID: UUID) async throws -> Household?
    func households(ofClients clientIDs: [UUID]) async throws -> [UUID: Household]
    func insertHousehold(_ household: Household) async throws
    func addHouseholdMember(_ membership: HouseholdMembership) async throws
    func setHouseholdRelationship(clientID: UUID, _ relationship: RelationshipToHoH) async throws
    func removeHouseholdMember(clientID: UUID) async throws
    func deleteHousehold(id: UUID) async throws
    /// Bumps the household's version if it is still `expectedVersion`; false means someone else changed it.
    func touchHousehold(id: UUID, expectedVersion: Int, at: Date) async throws -> Bool
}

/// Where a client being registered joins an existing household.
public struct HouseholdJoin: Sendable, Equatable {
    /// A client of the household (or one with none yet, who becomes its head).
    public var headID: UUID
    public var relationship: Int?
    public init(headID: UUID, relationship: Int?) {
        self.headID = headID
        self.relationship = relationship
    }
}

/// Households (issue 16, point 1): who is in whose household and how they are related to its head. Reading one
/// shows the members' names to the head's care team (audited as a list); changes need write access to the
/// household's head and knowledge of the member, and are audited on both records.
public struct HouseholdService: Sendable {
    let store: any TrellisStore
    let deps: Dependencies
    public init(store: any TrellisStore, deps: Dependencies) {
        self.store = store
        self.deps = deps
    }

    static let maxMembers = 30
    static let conflictMessage = "Someone else changed this household since you opened it. Reload to see their changes."

    /// The household of client `id` as the actor may see it, or nil when they have none.
    public func view(of id: UUID, by actor: ActingUser) async throws -> HouseholdView? {
        _ = try await readable(id, by: actor)
        return try await view(ofReadable: id, by: actor)
    }

    /// The household of a client the caller has already checked the actor may read (their record's page).
    func view(ofReadable id: UUID, by actor: ActingUser) async throws -> HouseholdView? {
        guard let h = try await store.household(ofClient: id) else { return nil }
        let (shown, access) = try await known(h.members, of: h, listing: id, by: actor)
        let head = h.head.flatMap { access[$0.clientID] }
        return HouseholdView(
            household: h, members: shown, hidden: h.members.count - shown.count,
            canChange: Policy.allows(actor, .writeClient) && head?.client.canWrite == true)
    }

    /// The household page of client `id` (the reader must be on their care team).
    public func page(of id: UUID, by actor: ActingUser) async throws -> HouseholdPage {
        let client = try await readable(id, by: actor)
        let view = try await view(ofReadable: id, by: actor)
        let isHead = view.map { $0.household.head?.clientID == id } ?? true
        let canChange: Bool
        if let view {
            canChange = view.canChange
        } else {
            let access = try await store.access(toClient: id, actor, at: deps.now())
            canChange = Policy.allows(actor, .writeClient) && client.purgedAt == nil && access.client.canWrite
        }
        return HouseholdPage(client: client.summary, view: view, isHead: isHead, canChange: canChange)
    }

    /// The members who could be enrolled with client `id` in a case they open: the rest of the household when the
    /// client is its head (none otherwise), as the actor may know them (their names are audited as a list).
    public func enrollable(with id: UUID, by actor: ActingUser) async throws -> [HouseholdMemberView] {
        try Policy.require(actor, .openCase)
        guard let client = try await store.client(id: id) else { throw TrellisError.notFound("client") }
        try Policy.requireSameAgency(actor, client.agencyID, "client")
        _ = try await store.requireClientAccess(id, actor, .identity, at: deps.now())
        guard let h = try await store.household(ofClient: id), h.head?.clientID == id else { return [] }
        return try await known(h.members.filter { $0.clientID != id }, of: h, listing: id, by: actor).0
    }

    /// Client `id`, once the actor is found to be on their care team.
    private func readable(_ id: UUID, by actor: ActingUser) async throws -> Client {
        guard let client = try await store.client(id: id) else { throw TrellisError.notFound("client") }
        try Policy.requireSameAgency(actor, client.agencyID, "client")
        _ = try await store.requireClientAccess(id, actor, .read, at: deps.now())
        return client
    }

    /// The `members` of `h` the actor may know of, by name, with the actor's access to each; showing them on the
    /// page of client `listing` is audited as a list on every other member shown.
    private func known(_ members: [HouseholdMembership], of h: Household, listing: UUID, by actor: ActingUser)
        async throws -> ([HouseholdMemberView], [UUID: ClientAccess])
    {
        let ids = members.map(\.clientID)
        let access = try await store.access(toClients: ids, actor, at: deps.now())
        let names = try await store.clientSummaries(ids: ids, agencyID: actor.agencyID)
        let shown = members.compactMap { m -> HouseholdMemberView? in
            guard let a = access[m.clientID], a.client.level != .none, let s = names[m.clientID] else { return nil }
            return HouseholdMemberView(client: s, relationship: m.relationship, canRead: a.client.canRead)
        }
        let listed = shown.filter { $0.client.id != listing }
        if !listed.isEmpty {
            try await store.appendAudit(
                listed.map {
                    deps.audit(
                        actor, .clientListed, "household", h.id, clientID: $0.client.id,
                        access: access[$0.client.id]?.client)
                })
        }
        return (shown, access)
    }

    /// Refuses (not found, forbidden) an actor who may not change the household of client `id`, before a
    /// request's body is read: their role must write clients and they must be able to write the client's record.
    @discardableResult
    public func requireChange(of id: UUID, by actor: ActingUser) async throws -> Client {
        try Policy.require(actor, .writeClient)
        guard let client = try await store.client(id: id) else { throw TrellisError.notFound("client") }
        try Policy.requireSameAgency(actor, client.agencyID, "client")
        _ = try await store.requireClientAccess(id, actor, .write, at: deps.now())
        return client
    }

    /// Which of these clients (already shown to the actor, by a search) are in a household: the form to add
    /// someone offers only those who are not.
    public func inHouseholds(_ ids: [UUID], by actor: ActingUser) async throws -> Set<UUID> {
        try Policy.require(actor, .writeClient)
        return Set(try await store.households(ofClients: ids).filter { $0.value.agencyID == actor.agencyID }.keys)
    }

    /// Adds client `memberID` to the household of `headID` (making one, with `headID` as its head, if they have
    /// none). `expectedVersion` is the household's version when there is one.
    public func add(
        _ memberID: UUID, relationship: Int?, to headID: UUID, expectedVersion: Int?, by actor: ActingUser
    ) async throws -> Household {
        let plan = try await planJoin(memberID, HouseholdJoin(headID: headID, relationship: relationship), by: actor)
        if let h = plan.existing {
            try requireVersion(expectedVersion, h)
        }
        try await store.transaction { tx in try await apply(plan, in: tx, by: actor, expectedVersion: expectedVersion) }
        return try await store.household(ofClient: headID)!
    }

    /// What joining needs, checked without writing: the household (or nil to make one) and the relationship.
    struct JoinPlan: Sendable {
        var memberID: UUID
        var headID: UUID
        var existing: Household?
        var relationship: RelationshipToHoH
    }

    /// Checks that `memberID` (nil for a client about to be registered) may join the household of `join.headID`.
    func planJoin(_ memberID: UUID?, _ join: HouseholdJoin, by actor: ActingUser) async throws -> JoinPlan {
        let head = try await requireChange(of: join.headID, by: actor)
        var v = Validator()
        let rel = v.code("relationship", join.relationship, as: RelationshipToHoH.self)
        if rel == .selfHead {
            v.add("relationship", "the household already has its head; choose how this person is related to them")
        }
        let existing = try await store.household(ofClient: head.id)
        if let existing, existing.head?.clientID != head.id {
            v.add("householdOf", "add members from the record of the head of household")
        }
        if let existing, existing.members.count >= Self.maxMembers {
            v.add("clientID", "a household has at most \(Self.maxMembers) members")
        }
        if let memberID {
            if memberID == head.id { v.add("clientID", "is the head of this household") }
            if let member = try await store.client(id: memberID), member.agencyID == actor.agencyID {
                let a = try await store.access(toClient: memberID, actor, at: deps.now())
                if a.client.level == .none {
                    v.add("clientID", "is not a client of your agency")
                } else if member.purgedAt != nil {
                    v.add("clientID", "this client's personal data was removed; they cannot join a household")
                } else if memberID != head.id, try await store.household(ofClient: memberID) != nil {
                    v.add("clientID", "is already in a household; remove them from it first")
                }
            } else {
                v.add("clientID", "is not a client of your agency")
            }
        }
        if head.purgedAt != nil { throw TrellisError.conflict(ClientService.purgedMessage) }
        try v.check()
        return JoinPlan(memberID: memberID ?? head.id, headID: head.id, existing: existing, relationship: rel!)
    }

    /// Writes a checked join inside the caller's transaction.
    func apply(_ plan: JoinPlan, in tx: any TrellisStore, by actor: ActingUser, expectedVersion: Int?) async throws {
        let now = deps.now()
        let householdID: UUID
        if let h = plan.existing {
            guard try await tx.touchHousehold(id: h.id, expectedVersion: expectedVersion ?? h.version, at: now) else {
                throw TrellisError.conflict(Self.conflictMessage)
            }
            householdID = h.id
        } else {
            // A concurrent join may have made one since the plan was checked: the unique client index refuses
            // a second household for the head.
            householdID = deps.newID()
            try await tx.insertHousehold(
                Household(
                    id: householdID, agencyID: actor.agencyID, createdAt: now, updatedAt: now, version: 1,
                    members: [
                        HouseholdMembership(
                            householdID: householdID, clientID: plan.headID, relationship: .selfHead, addedAt: now,
                            addedBy: actor.id)
                    ]))
        }
        try await tx.addHouseholdMember(
            HouseholdMembership(
                householdID: householdID, clientID: plan.memberID, relationship: plan.relationship, addedAt: now,
                addedBy: actor.id))
        try await tx.appendAudit([
            deps.audit(actor, .householdChange, "household", householdID, clientID: plan.headID, changed: ["members"]),
            deps.audit(
                actor, .householdChange, "household", householdID, clientID: plan.memberID,
                changed: ["relationship"])
        ])
    }

    /// Changes a member's relationship to the head.
    public func setRelationship(
        of memberID: UUID, in clientID: UUID, to relationship: Int?, expectedVersion: Int?, by actor: ActingUser
    ) async throws -> Household {
        let (h, _) = try await changeable(memberID, in: clientID, expectedVersion, by: actor)
        var v = Validator()
        let rel = v.code("relationship", relationship, as: RelationshipToHoH.self)
        if rel == .selfHead { v.add("relationship", "the household has its head; choose how this person is related") }
        if h.head?.clientID == memberID { v.add("relationship", "is the head of household; it cannot change") }
        try v.check()
        guard h.member(memberID)?.relationship != rel else { return h }
        try await store.transaction { tx in
            guard try await tx.touchHousehold(id: h.id, expectedVersion: h.version, at: deps.now()) else {
                throw TrellisError.conflict(Self.conflictMessage)
            }
            try await tx.setHouseholdRelationship(clientID: memberID, rel!)
            try await tx.appendAudit([
                deps.audit(actor, .householdChange, "household", h.id, clientID: memberID, changed: ["relationship"])
            ])
        }
        return try await store.household(ofClient: memberID)!
    }

    /// Takes a member out of the household (their record stays). The head leaves only last: when no one else is
    /// left, the household itself goes.
    public func remove(_ memberID: UUID, from clientID: UUID, expectedVersion: Int?, by actor: ActingUser)
        async throws -> Household?
    {
        let (h, head) = try await changeable(memberID, in: clientID, expectedVersion, by: actor)
        if head == memberID && h.members.count > 1 {
            throw TrellisError.validation([
                FieldError("clientID", "is the head of household; remove the other members first")
            ])
        }
        try await store.transaction { tx in
            guard try await tx.touchHousehold(id: h.id, expectedVersion: h.version, at: deps.now()) else {
                throw TrellisError.conflict(Self.conflictMessage)
            }
            try await tx.removeHouseholdMember(clientID: memberID)
            // A head left alone is no household.
            if h.members.count <= 2 { try await tx.deleteHousehold(id: h.id) }
            try await tx.appendAudit([
                deps.audit(actor, .householdChange, "household", h.id, clientID: head, changed: ["members"]),
                deps.audit(actor, .householdChange, "household", h.id, clientID: memberID, changed: ["members"])
            ])
        }
        return head == memberID ? nil : try await store.household(ofClient: head)
    }

    /// The household of `memberID`, which must be that of `clientID`, checked for a change by the actor: write
    /// access to the head, knowledge of the member, and the version they saw.
    private func changeable(_ memberID: UUID, in clientID: UUID, _ expectedVersion: Int?, by actor: ActingUser)
        async throws -> (Household, UUID)
    {
        try Policy.require(actor, .writeClient)
        guard let member = try await store.client(id: memberID) else { throw TrellisError.notFound("client") }
        try Policy.requireSameAgency(actor, member.agencyID, "client")
        _ = try await store.requireClientAccess(memberID, actor, .identity, at: deps.now())
        guard let h = try await store.household(ofClient: memberID), let head = h.head?.clientID,
            h.member(clientID) != nil
        else {
            throw TrellisError.notFound("household member")
        }
        _ = try await store.requireClientAccess(head, actor, .write, at: deps.now())
        try requireVersion(expectedVersion, h)
        return (h, head)
    }

    private func requireVersion(_ expected: Int?, _ h: Household) throws {
        guard let expected else {
            throw TrellisError.preconditionRequired("Send the household's version you saw (If-Match or version).")
        }
        guard expected == h.version else { throw TrellisError.conflict(Self.conflictMessage) }
    }
}
