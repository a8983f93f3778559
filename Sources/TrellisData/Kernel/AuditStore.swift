import Fluent
import Foundation
import SQLKit
import TrellisCore

struct AuditRow: Codable {
    var id: UUID
    var at: Date
    var actor_id: UUID?
    var agency_id: UUID?
    var action: String
    var record_type: String
    var record_id: UUID?
    var client_id: UUID?
    var changed_fields: String
    var purpose: String?
    var basis_id: UUID?
    init(_ a: AuditEntry) {
        purpose = a.purpose?.rawValue
        basis_id = a.basisID
        id = a.id
        at = a.at
        actor_id = a.actorID
        agency_id = a.agencyID
        action = a.action
        record_type = a.recordType
        record_id = a.recordID
        client_id = a.clientID
        changed_fields = a.changedFields.joined(separator: ",")
    }
    var domain: AuditEntry {
        AuditEntry(
            id: id, at: at, actorID: actor_id, agencyID: agency_id, action: action, recordType: record_type,
            recordID: record_id, clientID: client_id,
            changedFields: changed_fields.split(separator: ",").map(String.init),
            purpose: purpose.flatMap(AccessPurpose.init(rawValue:)), basisID: basis_id)
    }
}

extension SQLStore {
    // MARK: Audit

    /// Entries go on the end of the hash chain (`writeChained`). Inside a transaction they are kept until its
    /// body is done and written last, just before it commits: the chain's lock is then the last one a
    /// transaction takes, held for an instant, and never waited on while holding another (no deadlocks). A
    /// read-only request holds its entries until it ends (see `ReadMemo`). Otherwise they are written at once, in
    /// a transaction of their own.
    public func appendAudit(_ entries: [AuditEntry]) async throws {
        guard !entries.isEmpty else { return }
        if let auditBuffer { return auditBuffer.add(entries) }
        if let memo = ReadMemo.current, memo.hold(entries) { return }
        try await db.transaction { tx in try await SQLStore(database: tx, inTransaction: true).writeChained(entries) }
    }

    public func auditEntries(clientID: UUID, limit: Int, offset: Int) async throws -> [AuditEntry] {
        try await sql.select().column("*").from("audit_log").where("client_id", .equal, clientID)
            .orderBy("at", .descending).orderBy("id").limit(limit).offset(offset)
            .all(decoding: AuditRow.self).map(\.domain)
    }

    private func filtered(_ q: AuditQuery, agencyID: UUID, _ select: SQLSelectBuilder) -> SQLSelectBuilder {
        var s = select.from("audit_log").where("agency_id", .equal, agencyID)
        if let c = q.clientID { s = s.where("client_id", .equal, c) }
        if let a = q.actorID { s = s.where("actor_id", .equal, a) }
        if let action = q.action { s = s.where("action", .equal, action) }
        if let since = q.since { s = s.where("at", .greaterThanOrEqual, since) }
        if let before = q.before { s = s.where("at", .lessThan, before) }
        if let p = q.purposes { s = s.where("purpose", .in, p.map(\.rawValue)) }
        return s
    }

    public func auditEntries(_ q: AuditQuery, agencyID: UUID) async throws -> [AuditEntry] {
        try await filtered(q, agencyID: agencyID, sql.select().column("*")).orderBy("at", .descending).orderBy("id")
            .limit(q.limit).offset(q.offset).all(decoding: AuditRow.self).map(\.domain)
    }

    public func auditCount(_ q: AuditQuery, agencyID: UUID) async throws -> Int {
        try await filtered(
            q, agencyID: agencyID, sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
        )
        .first()?.decode(column: "n", as: Int.self) ?? 0
    }

    public func auditCount(clientID: UUID) async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS n FROM audit_log WHERE client_id = \(bind: clientID)").first()?
            .decode(column: "n", as: Int.self) ?? 0
    }
}
