import Fluent
import Foundation
import SQLKit
import TrellisCore

struct HouseholdMembershipRow: Codable, BulkRow {
    var household_id: UUID
    var client_id: UUID
    var relationship: Int
    var added_at: Date
    var added_by: UUID
    static let columns = ["household_id", "client_id", "relationship", "added_at", "added_by"]
    var values: [any Encodable & Sendable] { [household_id, client_id, relationship, added_at, added_by] }
    init(_ m: HouseholdMembership) {
        household_id = m.householdID
        client_id = m.clientID
        relationship = m.relationship.rawValue
        added_at = m.addedAt
        added_by = m.addedBy
    }
    var domain: HouseholdMembership {
        HouseholdMembership(
            householdID: household_id, clientID: client_id,
            relationship: RelationshipToHoH(rawValue: relationship) ?? .notCollected, addedAt: added_at,
            addedBy: added_by)
    }
}

struct HouseholdRow: Codable, BulkRow {
    var id: UUID
    var agency_id: UUID
    var created_at: Date
    var updated_at: Date
    var version: Int
    static let columns = ["id", "agency_id", "created_at", "updated_at", "version"]
    var values: [any Encodable & Sendable] { [id, agency_id, created_at, updated_at, version] }
    init(_ h: Household) {
        id = h.id
        agency_id = h.agencyID
        created_at = h.createdAt
        updated_at = h.updatedAt
        version = h.version
    }
}

extension SQLStore {
    // MARK: Households

    public func household(ofClient clientID: UUID) async throws -> Household? {
        try await households(ofClients: [clientID])[clientID]
    }

    /// Two indexed queries per 500 clients: their memberships' households, then every member of those.
    public func households(ofClients clientIDs: [UUID]) async throws -> [UUID: Household] {
        var out: [UUID: Household] = [:]
        for chunk in clientIDs.chunked(500) {
            let ids = SQLGroupExpression(chunk.map { SQLBind($0) })
            let rows = try await sql.raw(
                """
                SELECT h.id, h.agency_id, h.created_at, h.updated_at, h.version FROM households h \
                WHERE h.id IN (SELECT household_id FROM household_memberships WHERE client_id IN \(ids))
                """
            ).all(decoding: HouseholdRow.self)
            guard !rows.isEmpty else { continue }
            var byID: [UUID: Household] = [:]
            for r in rows {
                byID[r.id] = Household(
                    id: r.id, agencyID: r.agency_id, createdAt: r.created_at, updatedAt: r.updated_at,
                    version: r.version, members: [])
            }
            let hids = SQLGroupExpression(rows.map { SQLBind($0.id) })
            for m in try await sql.raw(
                """
                SELECT household_id, client_id, relationship, added_at, added_by FROM household_memberships \
                WHERE household_id IN \(hids) ORDER BY CASE WHEN relationship = 1 THEN 0 ELSE 1 END, added_at, client_id
                """
            ).all(decoding: HouseholdMembershipRow.self) {
                byID[m.household_id]?.members.append(m.domain)
            }
            for h in byID.values {
                for m in h.members where chunk.contains(m.clientID) { out[m.clientID] = h }
            }
        }
        return out
    }

    public func insertHousehold(_ h: Household) async throws {
        try await insertHouseholds([h])
    }

    /// Households and all their memberships, in bulk (the demo generator and imports).
    public func insertHouseholds(_ households: [Household]) async throws {
        try await joiningOnce {
            for chunk in households.map(HouseholdRow.init).chunked(1000) { try await bulkInsert("households", chunk) }
            let members = households.flatMap(\.members).map(HouseholdMembershipRow.init)
            for chunk in members.chunked(1000) { try await bulkInsert("household_memberships", chunk) }
        }
    }

    public func addHouseholdMember(_ m: HouseholdMembership) async throws {
        try await joiningOnce { try await bulkInsert("household_memberships", [HouseholdMembershipRow(m)]) }
    }

    /// A client joining a second household at the same moment as a first (the unique client index, or the one
    /// head per household) is a conflict to reload, not a server error.
    private func joiningOnce(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let e as any DatabaseError where e.isConstraintFailure {
            throw TrellisError.conflict(
                "Someone else changed this household or its members since you opened it. Reload to see their changes.")
        }
    }

    public func setHouseholdRelationship(clientID: UUID, _ relationship: RelationshipToHoH) async throws {
        try await sql.update("household_memberships").set("relationship", to: relationship.rawValue)
            .where("client_id", .equal, clientID).run()
    }

    public func removeHouseholdMember(clientID: UUID) async throws {
        try await sql.delete(from: "household_memberships").where("client_id", .equal, clientID).run()
    }

    public func deleteHousehold(id: UUID) async throws {
        try await sql.delete(from: "household_memberships").where("household_id", .equal, id).run()
        try await sql.delete(from: "households").where("id", .equal, id).run()
    }

    public func touchHousehold(id: UUID, expectedVersion: Int, at: Date) async throws -> Bool {
        try await !sql.update("households").set("version", to: SQLRaw("version + 1")).set("updated_at", to: at)
            .where("id", .equal, id).where("version", .equal, expectedVersion).returning("id").all().isEmpty
    }
}
