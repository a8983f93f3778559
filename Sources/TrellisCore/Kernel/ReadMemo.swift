import Foundation

/// What one read-only request has already worked out, so that the dozen parts of a page that each ask
/// "may this person read this client?" are answered by one decision, and the page's audit entries are
/// written in one statement at its end rather than one each.
///
/// A memo lives for one request that changes nothing (the web layer opens one around each GET); outside one
/// (writes, the CLI, tests of services) every question is asked of the database afresh and every audit entry
/// is written at once. A decision does not outlive the request, so a release revoked or a colleague taken off
/// a case counts from the next page.
public final class ReadMemo: @unchecked Sendable {
    @TaskLocal public static var current: ReadMemo?

    private let lock = NSLock()
    private var access: [AccessKey: ClientAccess] = [:]
    private var pendingAudit: [AuditEntry] = []
    private var closed = false

    public init() {}

    struct AccessKey: Hashable {
        var actorID: UUID
        var clientID: UUID
    }

    /// The decisions already made for `actorID` on these clients, and the ids still to decide.
    func access(_ ids: [UUID], actorID: UUID) -> (known: [UUID: ClientAccess], missing: [UUID]) {
        lock.withLock {
            var known: [UUID: ClientAccess] = [:]
            var missing: [UUID] = []
            for id in Set(ids) {
                if let a = access[AccessKey(actorID: actorID, clientID: id)] {
                    known[id] = a
                } else {
                    missing.append(id)
                }
            }
            return (known, missing)
        }
    }

    func remember(_ decided: [UUID: ClientAccess], actorID: UUID) {
        lock.withLock {
            for (id, a) in decided { access[AccessKey(actorID: actorID, clientID: id)] = a }
        }
    }

    /// Keeps `entries` for the end of the request; false once the request has written its entries (they are
    /// then to be written at once).
    public func hold(_ entries: [AuditEntry]) -> Bool {
        lock.withLock {
            guard !closed else { return false }
            pendingAudit += entries
            return true
        }
    }

    /// The entries held so far; later ones are no longer held.
    public func close() -> [AuditEntry] {
        lock.withLock {
            closed = true
            defer { pendingAudit = [] }
            return pendingAudit
        }
    }
}
