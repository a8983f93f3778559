import Foundation

/// One completed assessment as a point on a progress chart.
public struct ProgressPoint: Sendable, Equatable {
    public var assessmentID: UUID
    public var date: LocalDate
    public var total: Int?
    public var band: String?
    /// Scored items' values; an item answered "not applicable" is absent.
    public var values: [String: Int]
}

/// One line of the comparison table: an item (or the total) at intake, the previous and the latest assessment.
public struct ProgressRow: Sendable, Equatable {
    /// nil for the total.
    public var itemID: String?
    public var label: String
    public var first: Int?
    public var previous: Int?
    public var latest: Int?
    /// Latest minus first, where both exist.
    public var change: Int? { latest.flatMap { l in first.map { l - $0 } } }
}

public struct InstrumentProgress: Sendable {
    public var definition: InstrumentDefinition
    /// Oldest first.
    public var points: [ProgressPoint]
    public var rows: [ProgressRow]
    /// Whether each item is a domain worth its own chart (the Self-Sufficiency Matrix's).
    public var chartsPerItem: Bool { definition.scoring == .domains }
    public func maximum(item: String) -> Int { definition.item(item)?.options.map(\.value).max() ?? 1 }
    public func minimum(item: String) -> Int { definition.item(item)?.options.map(\.value).min() ?? 0 }
}

public struct CaseProgress: Sendable {
    public var `case`: Case
    public var instruments: [InstrumentProgress]
}

extension AssessmentService {
    /// Scores over time for every instrument completed on the case, compared at intake, the previous
    /// and the latest assessment. Labels come from the newest version of each instrument.
    public func progress(caseID: UUID, by actor: ActingUser) async throws -> CaseProgress {
        let (c, access) = try await store.readableCaseAccess(caseID, actor, at: deps.now())
        let history = try await auditedAssessments(of: c, access: access, by: actor)
        let all = try await allVersions(agencyID: c.agencyID)
        var out: [InstrumentProgress] = []
        for (code, list) in Dictionary(grouping: history, by: \.result.instrumentCode) {
            guard let def = all.filter({ $0.code == code }).max(by: { $0.version < $1.version }), def.scoring != .none
            else { continue }
            let points = list.map { a in
                var values: [String: Int] = [:]
                for (k, ans) in a.result.answers {
                    switch ans {
                    case .value(let x): values[k] = x
                    case .values(let xs): values[k] = xs.reduce(0, +)
                    default: break
                    }
                }
                return ProgressPoint(
                    assessmentID: a.id, date: a.completedOn, total: a.result.total, band: a.result.band?.label,
                    values: values)
            }
            func row(_ id: String?, _ label: String, _ value: (ProgressPoint) -> Int?) -> ProgressRow {
                ProgressRow(
                    itemID: id, label: label, first: points.first.flatMap(value),
                    previous: points.count > 1 ? value(points[points.count - 2]) : nil,
                    latest: points.count > 1 ? points.last.flatMap(value) : nil)
            }
            var rows = [row(nil, "Total", \.total)]
            for item in def.items where item.kind.isScored {
                rows.append(row(item.id, item.text) { $0.values[item.id] })
            }
            out.append(InstrumentProgress(definition: def, points: points, rows: rows))
        }
        return CaseProgress(case: c, instruments: out.sorted { $0.definition.title < $1.definition.title })
    }
}
