import Foundation

/// The audit log is a hash chain: each entry carries a SHA-256 over its content and the previous entry's hash,
/// and a place (`seq`, from 1 with no gaps). Editing, deleting, inserting or reordering an entry breaks the chain
/// from that entry on; rewriting the whole chain is caught against a head kept elsewhere.
public struct AuditChainHead: Sendable, Equatable, Codable {
    /// The place of the latest entry (0 when the log is empty).
    public var seq: Int64
    /// Its hash, as 64 lowercase hexadecimal digits.
    public var hash: String
    public init(seq: Int64, hash: String) {
        self.seq = seq
        self.hash = hash
    }

    /// The line `trellis audit head` prints and `--expect` reads back: `trellis-audit-head 1234 9f86…`.
    public var line: String { "trellis-audit-head \(seq) \(hash)" }

    /// Reads a kept head: the line above (anywhere in the text), or just `seq hash`.
    public init?(line text: String) {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" })
            .map(String.init)
        let start = words.firstIndex(of: "trellis-audit-head").map { $0 + 1 } ?? 0
        guard words.count >= start + 2, let seq = Int64(words[start]), seq >= 0 else { return nil }
        let hash = words[start + 1].lowercased()
        guard hash.count == 64, hash.allSatisfy({ $0.isHexDigit }) else { return nil }
        self.init(seq: seq, hash: hash)
    }
}

/// The first thing wrong with the chain, named so an operator can find the entry.
public enum AuditChainFault: Sendable, Equatable {
    /// The entry's content no longer matches its hash: it was edited, or moved to another place.
    case altered(seq: Int64, id: UUID)
    /// Places `from...to` hold no entry: those entries were deleted.
    case missing(from: Int64, to: Int64)
    /// An entry with no place, or a second entry at a place: it was inserted.
    case inserted(seq: Int64?, id: UUID)
    /// The chain's own record of its head no longer matches its last entry: the latest entries were deleted, or
    /// the head was rewritten.
    case headMismatch(recorded: AuditChainHead, found: AuditChainHead)
    /// The head kept elsewhere is not in the chain: the chain was rewritten (or cut short) since it was kept.
    case keptHeadMissing(kept: AuditChainHead, found: AuditChainHead?)

    /// One sentence for an operator or an administrator.
    public var description: String {
        switch self {
        case .altered(let seq, let id):
            return
                "Entry \(seq) (id \(id.uuidString.lowercased())) does not match its hash: it was edited, or moved from another place."
        case .missing(let from, let to):
            return from == to
                ? "Entry \(from) is missing: it was deleted."
                : "Entries \(from) to \(to) are missing: they were deleted."
        case .inserted(let seq, let id):
            let place = seq.map { "at place \($0), which another entry holds" } ?? "with no place in the chain"
            return "An entry (id \(id.uuidString.lowercased())) was inserted \(place)."
        case .headMismatch(let recorded, let found):
            return found.seq < recorded.seq
                ? "The chain's head says \(recorded.seq) entries but the last one is \(found.seq): entries \(found.seq + 1) to \(recorded.seq) were deleted."
                : "The chain's recorded head (\(recorded.seq)) does not match its last entry (\(found.seq)): the head or the latest entries were rewritten."
        case .keptHeadMissing(let kept, let found):
            guard let found else {
                return
                    "The kept head (entry \(kept.seq)) is beyond the end of the chain: entries from there on were deleted."
            }
            return
                "Entry \(kept.seq) no longer carries the kept head's hash (it carries \(found.hash.prefix(12))…): the chain was rewritten since the head was kept."
        }
    }

    /// The place in the chain the fault names, for sorting and tests.
    public var seq: Int64? {
        switch self {
        case .altered(let seq, _): return seq
        case .missing(let from, _): return from
        case .inserted(let seq, _): return seq
        case .headMismatch(_, let found): return found.seq
        case .keptHeadMissing(let kept, _): return kept.seq
        }
    }
}

/// What `verify` found: how many entries it checked, the head it reached, and the first fault (nil: intact).
public struct AuditChainReport: Sendable, Equatable {
    public var entries: Int64
    public var head: AuditChainHead
    public var fault: AuditChainFault?
    public var seconds: Double
    public init(entries: Int64, head: AuditChainHead, fault: AuditChainFault?, seconds: Double) {
        self.entries = entries
        self.head = head
        self.fault = fault
        self.seconds = seconds
    }
    public var intact: Bool { fault == nil }
}

extension AuditService {
    /// The chain's latest entry, to keep elsewhere (administrators and auditors).
    public func chainHead(by actor: ActingUser) async throws -> AuditChainHead {
        try Policy.require(actor, .viewAccessHistory)
        return try await store.auditChainHead()
    }

    /// Checks every entry of the chain (and, when given, that a head kept elsewhere is still in it); for
    /// administrators and auditors.
    public func verifyChain(expecting kept: AuditChainHead? = nil, by actor: ActingUser) async throws
        -> AuditChainReport
    {
        try Policy.require(actor, .viewAccessHistory)
        return try await verify(kept, actor)
    }

    /// The operator's check at the command line, who holds the data directory: audited with no actor.
    public func verifyChainAsOperator(expecting kept: AuditChainHead? = nil) async throws -> AuditChainReport {
        try await verify(kept, nil)
    }

    /// Records something the operator did at the command line (no user acted), such as a key rotation.
    public func recordAsOperator(_ action: AuditAction, recordType: String) async throws {
        try await store.appendAudit([deps.audit(nil, action, recordType, nil, clientID: nil)])
    }

    /// The operator's copy of the head, to keep elsewhere.
    public func chainHeadAsOperator() async throws -> AuditChainHead { try await store.auditChainHead() }

    /// The verification is itself audited, after the walk, so it does not count itself.
    private func verify(_ kept: AuditChainHead?, _ actor: ActingUser?) async throws -> AuditChainReport {
        let report = try await store.verifyAuditChain(expecting: kept)
        try await store.appendAudit([
            deps.audit(actor, report.intact ? .auditVerify : .auditVerifyFailed, "audit_log", nil, clientID: nil)
        ])
        return report
    }
}
