import Crypto
import Foundation

import SQLKit
import FluentSQLiteDriver
import TrellisCore

/// The bytes an audit entry's hash covers, in a fixed layout that does not depend on how a database stores
/// them: the previous entry's hash, the entry's place, then each field (UUIDs as 16 bytes, the time in whole
/// milliseconds, text with its length, a marker for each absent value).
struct AuditChainHasher {
    static let genesis = [UInt8](repeating: 0, count: 32)
    private var bytes: [UInt8] = []

    init() { bytes.reserveCapacity(256) }

    /// Audit times are kept to the millisecond, so the time hashed when an entry is written is the time read
    /// back from either database (SQLite keeps a double, PostgreSQL microseconds).
    static func milliseconds(_ d: Date) -> Int64 { Int64((d.timeIntervalSince1970 * 1000).rounded()) }
    static func rounded(_ d: Date) -> Date { Date(timeIntervalSince1970: Double(milliseconds(d)) / 1000) }

    mutating func hash(
        prev: some Collection<UInt8>, seq: Int64, id: UUID, atMs: Int64, actor: UUID?, agency: UUID?,
        action: String, recordType: String, recordID: UUID?, clientID: UUID?, changed: String, purpose: String?,
        basis: UUID?
    ) -> [UInt8] {
        lay(
            prev: prev, seq: seq, id: id, atMs: atMs, actor: actor, agency: agency, action: action,
            recordType: recordType, recordID: recordID, clientID: clientID, changed: changed, purpose: purpose,
            basis: basis)
        return Array(digest())
    }

    mutating func lay(
        prev: some Collection<UInt8>, seq: Int64, id: UUID, atMs: Int64, actor: UUID?, agency: UUID?,
        action: String, recordType: String, recordID: UUID?, clientID: UUID?, changed: String, purpose: String?,
        basis: UUID?
    ) {
        begin(prev: prev, seq: seq)
        uuid(id.uuid)
        int(atMs)
        optional(actor?.uuid)
        optional(agency?.uuid)
        text(action)
        text(recordType)
        optional(recordID?.uuid)
        optional(clientID?.uuid)
        text(changed)
        text(purpose)
        optional(basis?.uuid)
    }

    mutating func hash(prev: some Collection<UInt8>, seq: Int64, _ e: AuditEntry) -> [UInt8] {
        hash(
            prev: prev, seq: seq, id: e.id, atMs: Self.milliseconds(e.at), actor: e.actorID, agency: e.agencyID,
            action: e.action, recordType: e.recordType, recordID: e.recordID, clientID: e.clientID,
            changed: e.changedFields.joined(separator: ","), purpose: e.purpose?.rawValue, basis: e.basisID)
    }

    // The layout, piece by piece: `hash` above and the SQLite file reader (which hands raw column bytes) both
    // build it from these, in this order: begin, id, time, actor, agency, action, record type, record id,
    // client id, changed fields, purpose, basis.
    mutating func begin(prev: some Collection<UInt8>, seq: Int64) {
        bytes.removeAll(keepingCapacity: true)
        bytes.append(contentsOf: prev)
        int(seq)
    }
    mutating func int(_ v: Int64) {
        withUnsafeBytes(of: v.bigEndian) { bytes.append(contentsOf: $0) }
    }
    mutating func optional(_ u: uuid_t?) {
        guard let u else { return bytes.append(0) }
        bytes.append(1)
        uuid(u)
    }
    mutating func uuid(_ u: uuid_t) {
        withUnsafeBytes(of: u) { bytes.append(contentsOf: $0) }
    }
    mutating func text(_ value: String?) {
        guard var s = value else { return bytes.append(0) }
        s.withUTF8 { text(UnsafeRawBufferPointer($0)) }
    }
    mutating func text(_ utf8: UnsafeRawBufferPointer?) {
        guard let utf8 else { return bytes.append(0) }
        bytes.append(1)
        withUnsafeBytes(of: UInt32(utf8.count).bigEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: utf8)
    }
    func digest() -> SHA256.Digest { SHA256.hash(data: bytes) }

    static func hex(_ bytes: some Collection<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Walks the entries in the order of their places, checking each against the one before: the first fault wins.
/// Fed one row at a time from the database's row callback (in order, never concurrently).
final class AuditChainWalk: @unchecked Sendable {
    private var hasher = AuditChainHasher()
    private(set) var entries: Int64 = 0
    private(set) var lastSeq: Int64 = 0
    private(set) var lastHash: [UInt8] = AuditChainHasher.genesis
    private(set) var fault: AuditChainFault?
    /// The stored hash at the kept head's place, when one is being looked for.
    let keptSeq: Int64?
    private(set) var hashAtKept: [UInt8]?
    var failure: (any Error)?

    init(keptSeq: Int64?) { self.keptSeq = keptSeq }

    func row(
        seq: Int64?, stored: [UInt8]?, id: UUID, atMs: Int64, actor: UUID?, agency: UUID?, action: String,
        recordType: String, recordID: UUID?, clientID: UUID?, changed: String, purpose: String?, basis: UUID?
    ) {
        guard let seq, let stored else { return check(seq: nil, stored: nil, id: { id }, hash: { _, _ in }) }
        stored.withUnsafeBytes { storedBytes in
            check(seq: seq, stored: storedBytes, id: { id }) { hasher, prev in
                hasher.lay(
                    prev: prev, seq: seq, id: id, atMs: atMs, actor: actor, agency: agency, action: action,
                    recordType: recordType, recordID: recordID, clientID: clientID, changed: changed,
                    purpose: purpose, basis: basis)
            }
        }
    }

    /// Checks one entry: `hash` lays out its bytes in the hasher after the previous hash (which it is given);
    /// `id` is read only to name a fault.
    func check(
        seq: Int64?, stored: UnsafeRawBufferPointer?, id: () -> UUID,
        hash: (inout AuditChainHasher, [UInt8]) -> Void
    ) {
        guard fault == nil else { return }
        entries += 1
        guard let seq, let stored else { return fault = .inserted(seq: nil, id: id()) }
        if seq <= lastSeq { return fault = .inserted(seq: seq, id: id()) }
        if seq > lastSeq + 1 { return fault = .missing(from: lastSeq + 1, to: seq - 1) }
        hash(&hasher, lastHash)
        let same = hasher.digest().withUnsafeBytes { $0.elementsEqual(stored) }
        guard same else { return fault = .altered(seq: seq, id: id()) }
        // The next entry is checked against this one's stored hash, so an edited entry is named alone.
        lastSeq = seq
        if stored.count == lastHash.count {
            lastHash.withUnsafeMutableBytes { $0.copyMemory(from: stored) }
        } else {
            lastHash = Array(stored)
        }
        if seq == keptSeq { hashAtKept = lastHash }
    }

    var head: AuditChainHead { AuditChainHead(seq: lastSeq, hash: AuditChainHasher.hex(lastHash)) }
}

extension SQLStore {
    static let chainQuery = "SELECT \(chainColumns) FROM audit_log ORDER BY seq"
    static let chainColumns =
        "seq, hash, id, at, actor_id, agency_id, action, record_type, record_id, client_id, changed_fields, purpose, basis_id"

    /// Writes entries at the end of the chain, inside the transaction `self` is in: the head row is locked
    /// first (an UPDATE: SQLite's write lock on the audit file, a row lock on PostgreSQL that every instance
    /// waits on), so no two writers take the same place.
    func writeChained(_ entries: [AuditEntry]) async throws {
        guard !entries.isEmpty else { return }
        guard
            let head = try await sql.raw(
                "UPDATE audit_chain SET seq = seq WHERE id = 1 RETURNING seq, hash"
            ).first()
        else { throw AuditChainMissing() }
        var seq = try head.decode(column: "seq", as: Int64.self)
        var prev = [UInt8](try head.decode(column: "hash", as: Data.self))
        var hasher = AuditChainHasher()
        for chunk in entries.chunked(1000) {
            var insert = sql.insert(into: "audit_log").columns(
                "id", "at", "actor_id", "agency_id", "action", "record_type", "record_id", "client_id",
                "changed_fields", "purpose", "basis_id", "seq", "hash")
            for var e in chunk {
                e.at = AuditChainHasher.rounded(e.at)
                seq += 1
                prev = hasher.hash(prev: prev, seq: seq, e)
                insert = insert.values(
                    SQLBind(e.id), SQLBind(e.at), SQLBind(e.actorID), SQLBind(e.agencyID), SQLBind(e.action),
                    SQLBind(e.recordType), SQLBind(e.recordID), SQLBind(e.clientID),
                    SQLBind(e.changedFields.joined(separator: ",")), SQLBind(e.purpose?.rawValue), SQLBind(e.basisID),
                    SQLBind(seq), SQLBind(Data(prev)))
            }
            try await insert.run()
        }
        try await sql.raw("UPDATE audit_chain SET seq = \(bind: seq), hash = \(bind: Data(prev)) WHERE id = 1").run()
    }

    public func auditChainHead() async throws -> AuditChainHead {
        guard let row = try await sql.raw("SELECT seq, hash FROM audit_chain WHERE id = 1").first() else {
            throw AuditChainMissing()
        }
        return AuditChainHead(
            seq: try row.decode(column: "seq", as: Int64.self),
            hash: AuditChainHasher.hex(try row.decode(column: "hash", as: Data.self)))
    }

    public func verifyAuditChain(expecting kept: AuditChainHead?) async throws -> AuditChainReport {
        let start = Date()
        let walk = AuditChainWalk(keptSeq: kept?.seq)
        let recorded: AuditChainHead
        if db is any SQLiteDatabase, let file = try await auditFile(),
            let head = try await OffThread.run({ try AuditChainFileReader.walk(path: file, into: walk) })
        {
            recorded = head
        } else {
            recorded = try await auditChainHead()
            // Entries with no place sort first on SQLite and last on PostgreSQL; either way the walk names them.
            try await sql.raw(SQLQueryString(Self.chainQuery)).run { row in
                do {
                    walk.row(
                        seq: try row.decode(column: "seq", as: Int64?.self),
                        stored: try row.decode(column: "hash", as: Data?.self).map { [UInt8]($0) },
                        id: try row.decode(column: "id", as: UUID.self),
                        atMs: AuditChainHasher.milliseconds(try row.decode(column: "at", as: Date.self)),
                        actor: try row.decode(column: "actor_id", as: UUID?.self),
                        agency: try row.decode(column: "agency_id", as: UUID?.self),
                        action: try row.decode(column: "action", as: String.self),
                        recordType: try row.decode(column: "record_type", as: String.self),
                        recordID: try row.decode(column: "record_id", as: UUID?.self),
                        clientID: try row.decode(column: "client_id", as: UUID?.self),
                        changed: try row.decode(column: "changed_fields", as: String.self),
                        purpose: try row.decode(column: "purpose", as: String?.self),
                        basis: try row.decode(column: "basis_id", as: UUID?.self))
                } catch {
                    if walk.failure == nil { walk.failure = error }
                }
            }
        }
        if let failure = walk.failure { throw failure }
        var fault = walk.fault
        if fault == nil, walk.head != recorded {
            fault = .headMismatch(recorded: recorded, found: walk.head)
        }
        if fault == nil, let kept {
            // Place 0 is the empty chain's head, before any entry.
            let atKept = kept.seq == 0 ? AuditChainHasher.genesis : walk.hashAtKept
            let found = atKept.map { AuditChainHead(seq: kept.seq, hash: AuditChainHasher.hex($0)) }
            if found != kept { fault = .keptHeadMissing(kept: kept, found: found) }
        }
        return AuditChainReport(
            entries: walk.entries, head: walk.head, fault: fault, seconds: Date().timeIntervalSince(start))
    }

    /// The file the audit log lives in on SQLite (attached as `audit`, or the main file before M025), or nil
    /// when it has none (an in-memory database).
    private func auditFile() async throws -> String? {
        let files = try await sql.raw("PRAGMA database_list").all()
        var byName: [String: String] = [:]
        for row in files {
            byName[try row.decode(column: "name", as: String.self)] = try row.decode(column: "file", as: String.self)
        }
        let file = byName["audit"] ?? byName["main"] ?? ""
        return file.isEmpty ? nil : file
    }
}

struct AuditChainMissing: Error, CustomStringConvertible {
    var description: String { "The audit chain's head row (audit_chain, id 1) is missing." }
}

struct AuditChainUnreadable: Error, CustomStringConvertible {
    var description: String { "An audit entry has no readable id or time." }
}
