import Foundation

/// A household member enrolled with the head in the head's case: one HMIS enrollment each, all under one
/// HouseholdID (the case's id). The head is the case's own client and has no row here.
public struct CaseMember: Sendable, Codable, Equatable {
    public var caseID: UUID
    public var clientID: UUID
    /// HUD 3.15 at project start.
    public var relationship: RelationshipToHoH
    public var enteredOn: LocalDate
    /// When the member left before the household did; otherwise they exit with the case (`Case.closedOn`).
    public var exitedOn: LocalDate?
    public var addedAt: Date
    public var addedBy: UUID
    public init(
        caseID: UUID, clientID: UUID, relationship: RelationshipToHoH, enteredOn: LocalDate, exitedOn: LocalDate?,
        addedAt: Date, addedBy: UUID
    ) {
        self.caseID = caseID
        self.clientID = clientID
        self.relationship = relationship
        self.enteredOn = enteredOn
        self.exitedOn = exitedOn
        self.addedAt = addedAt
        self.addedBy = addedBy
    }
}

/// One person of a case's household as a page shows them.
public struct CaseMemberView: Sendable {
    public var client: ClientSummary
    public var relationship: RelationshipToHoH
    public var enteredOn: LocalDate
    public var exitedOn: LocalDate?
    public var canRead: Bool
}

public protocol CaseMemberRepository: Sendable {
    func insertCaseMembers(_ members: [CaseMember]) async throws
    func caseMembers(caseID: UUID) async throws -> [CaseMember]
    /// Cases in which the client is enrolled as a member of the head's household (not as the head).
    func memberCases(clientID: UUID) async throws -> [Case]
}

extension CaseService {
    /// The household members to enrol with the client in a new case: each must be in the client's household, of
    /// which the client must be the head, and none may have an open case in the program already.
    func enrolledMembers(_ c: Case, _ ids: [UUID]?, _ v: inout Validator, by actor: ActingUser) async throws
        -> [CaseMember]
    {
        let chosen = Array(Set(ids ?? []).subtracting([c.clientID]))
        guard !chosen.isEmpty else { return [] }
        guard let h = try await store.household(ofClient: c.clientID), h.head?.clientID == c.clientID else {
            v.add("memberIDs", "only the head of household's case enrols others: open this case for the client alone")
            return []
        }
        var members: [CaseMember] = []
        for id in chosen.sorted(by: { $0.uuidString < $1.uuidString }) {
            guard let m = h.member(id) else {
                v.add("memberIDs", "\(id.uuidString.lowercased()) is not a member of this client's household")
                continue
            }
            let own = try await store.cases(clientID: id)
            let open = try await own + store.memberCases(clientID: id)
            if open.contains(where: { $0.programID == c.programID && $0.status != .closed }) {
                v.add("memberIDs", "a household member already has an open case in this program")
                continue
            }
            members.append(
                CaseMember(
                    caseID: c.id, clientID: id, relationship: m.relationship, enteredOn: c.openedOn, exitedOn: nil,
                    addedAt: c.createdAt, addedBy: actor.id))
        }
        return members
    }

    /// The household enrolled in a case, as the actor may see it; naming them is audited as a list on each.
    public func household(ofCase id: UUID, by actor: ActingUser) async throws -> [CaseMemberView] {
        let (c, _) = try await store.readableCaseAccess(id, actor, at: deps.now())
        let members = try await store.caseMembers(caseID: id)
        guard !members.isEmpty else { return [] }
        let ids = [c.clientID] + members.map(\.clientID)
        let access = try await store.access(toClients: ids, actor, at: deps.now())
        let names = try await store.clientSummaries(ids: ids, agencyID: actor.agencyID)
        let head = CaseMember(
            caseID: id, clientID: c.clientID, relationship: .selfHead, enteredOn: c.openedOn, exitedOn: nil,
            addedAt: c.createdAt, addedBy: c.primaryCaseManagerID)
        var shown: [CaseMemberView] = []
        for m in [head] + members {
            guard let a = access[m.clientID], a.client.level != .none, let s = names[m.clientID] else { continue }
            shown.append(
                CaseMemberView(
                    client: s, relationship: m.relationship, enteredOn: m.enteredOn, exitedOn: m.exitedOn ?? c.closedOn,
                    canRead: a.client.canRead))
        }
        try await store.appendAudit(
            shown.dropFirst().map {
                deps.audit(
                    actor, .clientListed, "case_household", id, clientID: $0.client.id,
                    access: access[$0.client.id]?.client)
            })
        return shown
    }
}
