import Fluent
import Foundation
import SQLKit
import TrellisCore

struct CaseMemberRow: Codable, BulkRow {
    var case_id: UUID
    var client_id: UUID
    var relationship: Int
    var entered_on: String
    var exited_on: String?
    var added_at: Date
    var added_by: UUID
    static let columns = ["case_id", "client_id", "relationship", "entered_on", "exited_on", "added_at", "added_by"]
    var values: [any Encodable & Sendable] {
        [case_id, client_id, relationship, entered_on, exited_on, added_at, added_by]
    }
    init(_ m: CaseMember) {
        case_id = m.caseID
        client_id = m.clientID
        relationship = m.relationship.rawValue
        entered_on = m.enteredOn.description
        exited_on = m.exitedOn?.description
        added_at = m.addedAt
        added_by = m.addedBy
    }
    var domain: CaseMember {
        CaseMember(
            caseID: case_id, clientID: client_id,
            relationship: RelationshipToHoH(rawValue: relationship) ?? .notCollected,
            enteredOn: LocalDate(entered_on) ?? LocalDate(year: 1900, month: 1, day: 1)!,
            exitedOn: exited_on.flatMap(LocalDate.init), addedAt: added_at, addedBy: added_by)
    }
}

extension SQLStore {
    // MARK: Household enrolments

    public func insertCaseMembers(_ members: [CaseMember]) async throws {
        for chunk in members.map(CaseMemberRow.init).chunked(1000) { try await bulkInsert("case_members", chunk) }
    }

    public func caseMembers(caseID: UUID) async throws -> [CaseMember] {
        try await sql.select().column("*").from("case_members").where("case_id", .equal, caseID)
            .orderBy("added_at").orderBy("client_id").all(decoding: CaseMemberRow.self).map(\.domain)
    }

    public func memberCases(clientID: UUID) async throws -> [Case] {
        try await sql.raw(
            """
            SELECT c.* FROM cases c JOIN case_members m ON m.case_id = c.id WHERE m.client_id = \(bind: clientID) \
            ORDER BY c.opened_on DESC
            """
        ).all(decoding: CaseRow.self).map(\.domain)
    }
}
