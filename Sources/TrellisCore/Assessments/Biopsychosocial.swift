import Foundation

/// The life areas a biopsychosocial assessment covers.
public enum BPSDomain: String, Sendable, Codable, CaseIterable {
    case physicalHealth = "physical_health"
    case mentalHealth = "mental_health"
    case substanceUse = "substance_use"
    case finances, housing
    case supportSystem = "support_system"
    case legal
    case educationEmployment = "education_employment"
    case safety
}

/// Where a client's strengths lie, for the strengths inventory.
public enum StrengthArea: String, Sendable, Codable, CaseIterable, CodingKeyRepresentable {
    case personal, skills, relationships, community, spiritual, aspirations
}

/// What the worker found in one domain, in the worker's words and the client's, with the needs and
/// strengths it revealed (one per entry).
public struct BPSDomainEntry: Sendable, Codable, Equatable {
    public var domain: BPSDomain
    public var findings: String?
    public var clientWords: String?
    public var needs: [String]
    public var strengths: [String]
    public init(domain: BPSDomain, findings: String?, clientWords: String?, needs: [String], strengths: [String]) {
        self.domain = domain
        self.findings = findings
        self.clientWords = clientWords
        self.needs = needs
        self.strengths = strengths
    }
}

public struct BiopsychosocialAssessment: Sendable, Codable, Equatable {
    public var id: UUID
    public var agencyID: UUID
    public var caseID: UUID
    public var clientID: UUID
    public var authorID: UUID
    public var completedOn: LocalDate
    public var domains: [BPSDomainEntry]
    public var strengths: [StrengthArea: [String]]
    public var createdAt: Date
    public init(
        id: UUID, agencyID: UUID, caseID: UUID, clientID: UUID, authorID: UUID, completedOn: LocalDate,
        domains: [BPSDomainEntry], strengths: [StrengthArea: [String]], createdAt: Date
    ) {
        self.id = id
        self.agencyID = agencyID
        self.caseID = caseID
        self.clientID = clientID
        self.authorID = authorID
        self.completedOn = completedOn
        self.domains = domains
        self.strengths = strengths
        self.createdAt = createdAt
    }

    /// Every need found, each with the reference a plan goal keeps to it.
    public var needs: [AssessedNeed] {
        domains.flatMap { d in
            d.needs.enumerated().map { i, text in
                AssessedNeed(
                    ref: "bps:\(id.uuidString.lowercased()):\(d.domain.rawValue):\(i)", domain: d.domain.rawValue,
                    text: text)
            }
        }
    }
}

/// A need an assessment found, which a plan goal can be built from.
public struct AssessedNeed: Sendable, Codable, Equatable {
    public var ref: String
    public var domain: String
    public var text: String
    public init(ref: String, domain: String, text: String) {
        self.ref = ref
        self.domain = domain
        self.text = text
    }
}

/// What the worker typed, per domain: needs and strengths one per line.
public struct BiopsychosocialInput: Sendable {
    public struct Domain: Sendable {
        public var findings: String?, clientWords: String?, needs: String?, strengths: String?
        public init(findings: String? = nil, clientWords: String? = nil, needs: String? = nil, strengths: String? = nil)
        {
            self.findings = findings
            self.clientWords = clientWords
            self.needs = needs
            self.strengths = strengths
        }
    }
    public var completedOn: String?
    public var domains: [BPSDomain: Domain]
    public var strengths: [StrengthArea: String]
    public init(completedOn: String?, domains: [BPSDomain: Domain], strengths: [StrengthArea: String]) {
        self.completedOn = completedOn
        self.domains = domains
        self.strengths = strengths
    }
}

extension Validator {
    /// One entry per line, blank lines dropped, each line checked as text.
    mutating func lines(_ field: String, _ value: String?, maxEach: Int = 300, maxCount: Int = 30) -> [String] {
        let parts = (value ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        if parts.count > maxCount {
            add(field, "can list at most \(maxCount) entries")
            return []
        }
        var out: [String] = []
        for p in parts {
            guard let t = text(field, p, max: maxEach) else { return [] }
            out.append(t)
        }
        return out
    }
}

extension AssessmentService {
    public func recordBiopsychosocial(caseID: UUID, _ input: BiopsychosocialInput, by actor: ActingUser) async throws
        -> BiopsychosocialAssessment
    {
        let c = try await store.writableCase(caseID, actor, "record an assessment", at: deps.now())
        var v = Validator()
        let date = v.date(
            "completedOn", input.completedOn, required: true, today: deps.today, notBefore: c.openedOn,
            notBeforeMessage: "cannot be before the case was opened (\(c.openedOn))")
        var entries: [BPSDomainEntry] = []
        for d in BPSDomain.allCases {
            let i = input.domains[d] ?? .init()
            let p = "domains.\(d.rawValue)."
            let e = BPSDomainEntry(
                domain: d, findings: v.text(p + "findings", i.findings, max: 5000),
                clientWords: v.text(p + "clientWords", i.clientWords, max: 2000),
                needs: v.lines(p + "needs", i.needs), strengths: v.lines(p + "strengths", i.strengths))
            if e.findings != nil || e.clientWords != nil || !e.needs.isEmpty || !e.strengths.isEmpty {
                entries.append(e)
            }
        }
        var strengths: [StrengthArea: [String]] = [:]
        for a in StrengthArea.allCases {
            let l = v.lines("strengths.\(a.rawValue)", input.strengths[a])
            if !l.isEmpty { strengths[a] = l }
        }
        if entries.isEmpty && v.errors.isEmpty { v.add("domains", "record the findings of at least one domain") }
        try v.check()
        let b = BiopsychosocialAssessment(
            id: deps.newID(), agencyID: c.agencyID, caseID: c.id, clientID: c.clientID, authorID: actor.id,
            completedOn: date!, domains: entries, strengths: strengths, createdAt: deps.now())
        try await store.transaction { tx in
            try await tx.insertBiopsychosocial(b)
            try await tx.markAssessed(caseID: c.id, on: b.completedOn)
            try await tx.appendAudit([
                deps.audit(actor, .assessmentCreate, "biopsychosocial", b.id, clientID: c.clientID)
            ])
        }
        return b
    }

    public func biopsychosocial(id: UUID, by actor: ActingUser) async throws -> BiopsychosocialAssessment {
        guard let b = try await store.biopsychosocial(id: id) else { throw TrellisError.notFound("assessment") }
        try Policy.requireSameAgency(actor, b.agencyID, "assessment")
        let (_, access) = try await store.readableCaseAccess(b.caseID, actor, at: deps.now())
        try await store.appendAudit([
            deps.audit(actor, .assessmentView, "biopsychosocial", b.id, clientID: b.clientID, access: access)
        ])
        return b
    }
}
