import Foundation

/// One disclosure of a client's record to someone outside its care team.
public struct Disclosure: Sendable, Equatable {
    public var at: Date
    /// Who saw it, and of which agency.
    public var staffName: String
    public var agencyName: String
    /// What was seen (the audit action and record type).
    public var action: String
    public var recordType: String
    public var purpose: AccessPurpose
    /// For a consented disclosure, the release's recipient and purpose; for break-the-glass, the reason given.
    public var basis: String
}

/// A client's accounting of disclosures, as HIPAA (45 CFR 164.528) and HUD's privacy standard expect it:
/// who outside the care team saw what, when, and under which consent or emergency; the releases in force or
/// ended; and the referrals that sent their information to providers.
public struct AccountingOfDisclosures: Sendable {
    public var client: ClientSummary
    public var agencyName: String
    public var disclosures: [Disclosure]
    public var releases: [Release]
    public var referrals: [Referral]
    public var asOf: LocalDate
}

public struct AccountingService: Sendable {
    let store: any TrellisStore
    let deps: Dependencies
    public init(store: any TrellisStore, deps: Dependencies) {
        self.store = store
        self.deps = deps
    }

    /// For the care team and those who read access histories; printing it for the client is itself audited.
    public func accounting(clientID: UUID, by actor: ActingUser) async throws -> AccountingOfDisclosures {
        guard let c = try await store.client(id: clientID) else { throw TrellisError.notFound("client") }
        try Policy.requireSameAgency(actor, c.agencyID, "client")
        let access = try await store.requireClientAccess(clientID, actor, .read, at: deps.now())
        var q = AuditQuery(clientID: clientID, limit: 5000, offset: 0)
        q.purposes = [.breakGlass, .consent]
        let entries = try await store.auditEntries(q, agencyID: c.agencyID)
            .filter {
                $0.action != AuditAction.accessHistoryView.rawValue && $0.action != AuditAction.disclosuresView.rawValue
            }
        let staff = Dictionary(
            try await store.staff(ids: Array(Set(entries.compactMap(\.actorID)))).map { ($0.id, $0) },
            uniquingKeysWith: { a, _ in a })
        var agencies: [UUID: String] = [:]
        for a in try await store.agencies() { agencies[a.id] = a.name }
        let releases = try await store.records(Release.self, [.equals("client_id", .uuid(clientID))]).sorted {
            $0.createdAt > $1.createdAt
        }
        let byID = Dictionary(releases.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var grants: [UUID: AccessGrant] = [:]
        for g in try await store.records(AccessGrant.self, [.equals("client_id", .uuid(clientID))]) { grants[g.id] = g }
        let disclosures = entries.compactMap { e -> Disclosure? in
            guard let p = e.purpose, let who = e.actorID.flatMap({ staff[$0] }) else { return nil }
            let basis: String
            switch p {
            case .consent: basis = e.basisID.flatMap { byID[$0] }.map { "\($0.recipientName): \($0.purpose)" } ?? "—"
            case .breakGlass: basis = e.basisID.flatMap { grants[$0]?.reason } ?? "—"
            default: basis = "—"
            }
            return Disclosure(
                at: e.at, staffName: who.displayName, agencyName: agencies[who.agencyID] ?? "—", action: e.action,
                recordType: e.recordType, purpose: p, basis: basis)
        }
        let referrals = try await store.records(Referral.self, [.equals("client_id", .uuid(clientID))]).filter {
            $0.sentOn != nil
        }.sorted { ($0.sentOn ?? deps.today) > ($1.sentOn ?? deps.today) }
        try await store.appendAudit([
            deps.audit(actor, .disclosuresView, "client", clientID, clientID: clientID, access: access)
        ])
        return AccountingOfDisclosures(
            client: c.summary, agencyName: agencies[c.agencyID] ?? "—", disclosures: disclosures,
            releases: releases, referrals: referrals, asOf: deps.today)
    }
}
