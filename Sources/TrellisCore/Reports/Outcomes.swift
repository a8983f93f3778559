import Foundation

/// The period and program an outcome or data-quality report covers.
public struct ReportFilter: Sendable, Equatable {
    public var from: LocalDate
    public var to: LocalDate
    public var programID: UUID?
    public init(from: LocalDate, to: LocalDate, programID: UUID? = nil) {
        self.from = from
        self.to = to
        self.programID = programID
    }
}

public enum OutcomeReport: String, Sendable, CaseIterable {
    case ssm, goals, referrals, exits, participation, compliance, caseloads
}

/// Self-Sufficiency Matrix change in one domain over the cases whose latest matrix falls in the period.
public struct SSMDomainChange: Sendable, Equatable {
    public var domain: String
    public var cases: Int
    public var firstTotal: Int
    public var latestTotal: Int
    public var improved: Int
    public var worsened: Int
    public var crisisFirst: Int
    public var crisisLatest: Int
    public init(
        domain: String, cases: Int, firstTotal: Int, latestTotal: Int, improved: Int, worsened: Int, crisisFirst: Int,
        crisisLatest: Int
    ) {
        self.domain = domain
        self.cases = cases
        self.firstTotal = firstTotal
        self.latestTotal = latestTotal
        self.improved = improved
        self.worsened = worsened
        self.crisisFirst = crisisFirst
        self.crisisLatest = crisisLatest
    }
    public var firstMean: Double { cases == 0 ? 0 : Double(firstTotal) / Double(cases) }
    public var latestMean: Double { cases == 0 ? 0 : Double(latestTotal) / Double(cases) }
}

/// Counts of one program in a report: `values` keyed by the report's columns.
public struct ProgramCounts: Sendable, Equatable {
    public var programID: UUID
    public var values: [String: Int]
    public init(programID: UUID, values: [String: Int]) {
        self.programID = programID
        self.values = values
    }
    public subscript(_ k: String) -> Int { values[k] ?? 0 }
}

public struct CaseloadMonth: Sendable, Equatable {
    public var monthEnd: LocalDate
    public var openCases: Int
    public var workers: Int
    public var largest: Int
    public var average: Double { workers == 0 ? 0 : Double(openCases) / Double(workers) }
}

public enum DestinationGroup: String, Sendable, CaseIterable {
    case permanent, temporary, institutional, homeless, other, missing

    /// HUD list 3.12 by hundreds: 400s permanent, 300s temporary, 200s institutional, 100s homeless;
    /// 8, 9, 99 and 30 (no exit interview) are missing or unknown.
    public init(code: Int?) {
        switch code {
        case nil, 8?, 9?, 30?, 99?: self = .missing
        case let c? where (400..<500).contains(c): self = .permanent
        case let c? where (300..<400).contains(c): self = .temporary
        case let c? where (200..<300).contains(c): self = .institutional
        case let c? where (100..<200).contains(c): self = .homeless
        default: self = .other
        }
    }
}

public struct OutcomeResult: Sendable {
    public var report: OutcomeReport
    public var filter: ReportFilter
    public var programs: [Program]
    public var ssm: [SSMDomainChange] = []
    /// goals: cases, goals, achieved. referrals: sent, accepted, connected, completed, notCompleted, declined, open.
    /// exits: one per `DestinationGroup`. compliance: open, contactMet, reassessmentDue, reassessmentMet, visitRules, visitMet.
    public var byProgram: [ProgramCounts] = []
    /// Length of participation: days → cases closed in the period.
    public var days: [Int: Int] = [:]
    public var months: [CaseloadMonth] = []
    /// As of this date (compliance is measured today, whatever the period).
    public var asOf: LocalDate
}

/// Universal data elements checked by the data-quality report (modelled on HUD's APR question 6).
public enum DataElement: String, Sendable, CaseIterable {
    case name, ssn
    case birthDate = "birth_date"
    case race, sex, veteran, destination
}

public enum DataIssue: String, Sendable, CaseIterable {
    /// Client doesn't know or prefers not to answer.
    case unknown
    /// Data not collected, or left empty.
    case missing
    /// Present but impossible or partial (HUD's "data issues").
    case invalid
}

public struct DataQualityRow: Sendable, Equatable {
    /// A program or a worker id; nil for the whole scope.
    public var groupID: UUID?
    public var records: Int
    /// Closed cases in the period, the base for the destination element.
    public var exits: Int
    public var counts: [DataElement: [DataIssue: Int]]
    public init(groupID: UUID?, records: Int, exits: Int, counts: [DataElement: [DataIssue: Int]]) {
        self.groupID = groupID
        self.records = records
        self.exits = exits
        self.counts = counts
    }
    public func count(_ e: DataElement, _ i: DataIssue) -> Int { counts[e]?[i] ?? 0 }
    public func errors(_ e: DataElement) -> Int { DataIssue.allCases.reduce(0) { $0 + count(e, $1) } }
    /// What an element's rate is out of: the exits for the exit destination, the enrollments for the rest.
    public func base(_ e: DataElement) -> Int { e == .destination ? exits : records }
    public func rate(_ e: DataElement) -> Double {
        let base = base(e)
        return base == 0 ? 0 : Double(errors(e)) / Double(base)
    }
}

public enum DataQualityGrouping: String, Sendable, CaseIterable { case program, worker }

public struct DataQualityReport: Sendable {
    public var filter: ReportFilter
    public var grouping: DataQualityGrouping
    public var total: DataQualityRow
    public var rows: [DataQualityRow]
    public var names: [UUID: String]
}

/// A record to fix, linked from the data-quality report.
public struct DataQualityRecord: Sendable, Equatable {
    public var clientID: UUID
    public var caseID: UUID
    public var clientName: String
    public var programID: UUID
    public var caseManagerID: UUID
    public init(clientID: UUID, caseID: UUID, clientName: String, programID: UUID, caseManagerID: UUID) {
        self.clientID = clientID
        self.caseID = caseID
        self.clientName = clientName
        self.programID = programID
        self.caseManagerID = caseManagerID
    }
}

/// Aggregations the reports need, done in the database over the whole data set.
public protocol ReportingRepository: Sendable {
    /// Sets each case's latest note of `contactType` (nil clears it), for one case or the whole program.
    func refreshLastVisit(programID: UUID, contactType: ContactType?, caseID: UUID?) async throws
    func ssmChange(_ scope: CaseScope, _ f: ReportFilter, domains: [String]) async throws -> [SSMDomainChange]
    func goalCounts(_ scope: CaseScope, _ f: ReportFilter) async throws -> [ProgramCounts]
    func referralCounts(_ scope: CaseScope, _ f: ReportFilter) async throws -> [ProgramCounts]
    /// Program → destination code (nil: none recorded) → cases closed in the period.
    func exitCounts(_ scope: CaseScope, _ f: ReportFilter) async throws -> [UUID: [Int?: Int]]
    func participationDays(_ scope: CaseScope, _ f: ReportFilter) async throws -> [Int: Int]
    func complianceCounts(_ scope: CaseScope, programs: [Program], today: LocalDate) async throws -> [ProgramCounts]
    /// Open cases per worker at each month end.
    func caseloadHistory(_ scope: CaseScope, monthEnds: [LocalDate]) async throws -> [[Int]]
    func dataQuality(_ scope: CaseScope, _ f: ReportFilter, grouping: DataQualityGrouping, today: LocalDate)
        async throws -> [DataQualityRow]
    /// The records with one issue of an element, or (`issue` nil) with any of its issues.
    func dataQualityRecords(
        _ scope: CaseScope, _ f: ReportFilter, element: DataElement, issue: DataIssue?, today: LocalDate,
        limit: Int, offset: Int
    ) async throws -> [DataQualityRecord]
}

public struct OutcomeService: Sendable {
    let store: any TrellisStore
    let deps: Dependencies
    public init(store: any TrellisStore, deps: Dependencies) {
        self.store = store
        self.deps = deps
    }

    public static let maxDays = 366 * 3

    /// The programs the actor's reports may cover, for the report filter.
    public func programsInScope(by actor: ActingUser) async throws -> [Program] {
        try Policy.require(actor, .viewReports)
        return try await programs(in: try await store.scope(for: actor))
    }

    func programs(in scope: CaseScope) async throws -> [Program] {
        try await store.programs(agencyID: scope.agencyID).filter { scope.programIDs?.contains($0.id) ?? true }
    }

    /// Checks the period and program, and gives the actor's scope narrowed to the program.
    func prepare(_ from: String?, _ to: String?, _ program: String?, by actor: ActingUser) async throws -> (
        ReportFilter, CaseScope, [Program]
    ) {
        try Policy.require(actor, .viewReports)
        var v = Validator()
        let today = deps.today
        let start = from?.isEmpty == false ? v.date("from", from, today: today) : today.adding(days: -364)
        let end = to?.isEmpty == false ? v.date("to", to, today: today) : today
        if let s = start, let e = end {
            if e < s {
                v.add("to", "must be on or after the start of the period")
            } else if s.days(until: e) > Self.maxDays {
                v.add("to", "the period can be at most three years")
            }
        }
        var programID: UUID? = nil
        let scope = try await store.scope(for: actor)
        let all = try await programs(in: scope)
        if let raw = program, !raw.isEmpty {
            if let id = UUID(uuidString: raw), all.contains(where: { $0.id == id }) {
                programID = id
            } else {
                v.add("program", "is not a program you may report on")
            }
        }
        try v.check()
        let filter = ReportFilter(from: start!, to: end!, programID: programID)
        return (filter, scope.narrowed(toProgram: programID), all)
    }

    public func run(_ report: OutcomeReport, from: String?, to: String?, program: String?, by actor: ActingUser)
        async throws -> OutcomeResult
    {
        let (f, listed, programs) = try await prepare(from, to, program, by: actor)
        // Counts name no one: they include the restricted programs the actor does not see the cases of.
        let scope = listed.forAggregates
        var r = OutcomeResult(report: report, filter: f, programs: programs, asOf: deps.today)
        switch report {
        case .ssm:
            r.ssm = try await store.ssmChange(
                scope, f, domains: BuiltInInstruments.selfSufficiencyMatrix.items.map(\.id))
        case .goals:
            r.byProgram = try await store.goalCounts(scope, f)
        case .referrals:
            r.byProgram = try await store.referralCounts(scope, f)
        case .exits:
            r.byProgram = try await store.exitCounts(scope, f).map { pid, codes in
                var values: [String: Int] = [:]
                for (code, n) in codes { values[DestinationGroup(code: code).rawValue, default: 0] += n }
                return ProgramCounts(programID: pid, values: values)
            }
        case .participation:
            r.days = try await store.participationDays(scope, f)
        case .compliance:
            r.byProgram = try await store.complianceCounts(
                scope, programs: programs.filter { f.programID == nil || $0.id == f.programID }, today: deps.today)
        case .caseloads:
            let ends = Self.monthEnds(from: f.from, to: f.to)
            let perWorker = try await store.caseloadHistory(scope, monthEnds: ends)
            r.months = ends.enumerated().map { i, end in
                let counts = perWorker.map { $0[i] }.filter { $0 > 0 }
                return CaseloadMonth(
                    monthEnd: end, openCases: counts.reduce(0, +), workers: counts.count, largest: counts.max() ?? 0)
            }
        }
        let order = Dictionary(programs.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        r.byProgram.sort {
            (order[$0.programID] ?? Int.max, $0.programID.uuidString) < (
                order[$1.programID] ?? Int.max, $1.programID.uuidString
            )
        }
        return r
    }

    /// The last day of each month in the period (the period's end for its last, partial month), at most 36.
    public static func monthEnds(from: LocalDate, to: LocalDate) -> [LocalDate] {
        var out: [LocalDate] = []
        var y = from.year
        var m = from.month
        while out.count < 36 {
            let next = m == 12 ? LocalDate(year: y + 1, month: 1, day: 1)! : LocalDate(year: y, month: m + 1, day: 1)!
            let end = next.adding(days: -1)
            out.append(min(end, to))
            if end >= to { break }
            y = next.year
            m = next.month
        }
        return out
    }

    /// Median of a days → count histogram.
    public static func median(_ days: [Int: Int]) -> Double? {
        let total = days.values.reduce(0, +)
        guard total > 0 else { return nil }
        let sorted = days.keys.sorted()
        func nth(_ k: Int) -> Int {
            var seen = 0
            for d in sorted {
                seen += days[d]!
                if seen > k { return d }
            }
            return sorted.last!
        }
        return total % 2 == 1 ? Double(nth(total / 2)) : Double(nth(total / 2 - 1) + nth(total / 2)) / 2
    }

    // MARK: Data quality

    public func dataQuality(
        from: String?, to: String?, program: String?, grouping: DataQualityGrouping, by actor: ActingUser
    ) async throws -> DataQualityReport {
        let (f, listed, programs) = try await prepare(from, to, program, by: actor)
        let scope = listed.forAggregates
        let grouped = try await store.dataQuality(scope, f, grouping: grouping, today: deps.today)
        // Each case has one program and one worker, so the groups add up to the whole scope.
        var total = DataQualityRow(groupID: nil, records: 0, exits: 0, counts: [:])
        for r in grouped {
            total.records += r.records
            total.exits += r.exits
            for (e, issues) in r.counts { for (i, n) in issues { total.counts[e, default: [:]][i, default: 0] += n } }
        }
        var names: [UUID: String] = [:]
        for p in programs { names[p.id] = p.name }
        if grouping == .worker {
            for s in try await store.staff(ids: grouped.compactMap(\.groupID)) { names[s.id] = s.displayName }
        }
        let rows = grouped.map { r in (r, names[r.groupID ?? UUID()] ?? "", r.groupID?.uuidString ?? "") }
            .sorted { ($0.1, $0.2) < ($1.1, $1.2) }.map(\.0)
        return DataQualityReport(filter: f, grouping: grouping, total: total, rows: rows, names: names)
    }

    /// The records behind one count of the data-quality report, for a worker or program, to fix.
    public func dataQualityRecords(
        element: String?, issue: String?, worker: String?, from: String?, to: String?, program: String?,
        page: Int, by actor: ActingUser
    ) async throws -> (ReportFilter, DataElement, DataIssue?, [DataQualityRecord], Bool) {
        let (f, narrowed, _) = try await prepare(from, to, program, by: actor)
        var scope = narrowed
        var v = Validator()
        let e = v.choice("element", element, as: DataElement.self)
        // No issue named: the records with any of the element's issues (its errors, as the report counts them).
        let i = (issue ?? "").isEmpty ? nil : v.choice("issue", issue, as: DataIssue.self)
        if let raw = worker, !raw.isEmpty {
            if let id = UUID(uuidString: raw), scope.caseManagerIDs?.contains(id) ?? true {
                scope.caseManagerIDs = [id]
            } else {
                v.add("worker", "is not a worker whose records you may see")
            }
        }
        try v.check()
        let size = 50
        let list = try await store.dataQualityRecords(
            scope, f, element: e!, issue: i, today: deps.today, limit: size + 1, offset: (max(1, page) - 1) * size)
        let shown = Array(list.prefix(size))
        // A drill-down names clients: each is audited, as any list that names clients.
        if !shown.isEmpty {
            try await store.appendAudit(
                Array(Set(shown.map(\.clientID))).sorted { $0.uuidString < $1.uuidString }.map {
                    deps.audit(actor, .clientListed, "data_quality_records", $0, clientID: $0)
                })
        }
        return (f, e!, i, shown, list.count > size)
    }

    /// Every view of a report and every export (CSV) is audited, with the report's name.
    public func auditExport(_ name: String, view: Bool, by actor: ActingUser) async throws {
        try Policy.require(actor, .viewReports)
        try await store.appendAudit([
            deps.audit(actor, view ? .reportView : .reportExport, "report." + name, nil, clientID: nil)
        ])
    }
}
