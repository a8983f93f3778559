import Foundation

/// How much each signal adds to a case's place on "Who needs me today". Each program keeps its own
/// weights (Admin → Programs); a case is scored with its program's weights.
public struct PriorityWeights: Sendable, Codable, Equatable {
    /// Per unacknowledged risk alert.
    public var riskAlert = 40
    /// Once, when the program's contact frequency (or another of its contact rules) is overdue.
    public var contactOverdue = 20
    /// Per full week since the last contact (counted up to 26 weeks).
    public var weekSinceContact = 2
    /// Once, when the reassessment is overdue.
    public var reassessmentOverdue = 15
    /// Per overdue task on the case (up to 5).
    public var overdueTask = 10
    /// Per acuity tier above standard (moderate 1, high 2), from the latest assessment bands.
    public var acuity = 10
    /// Per Self-Sufficiency Matrix domain in crisis at the latest assessment.
    public var crisisDomain = 8

    public init() {}
    public static let standard = PriorityWeights()

    /// The settings form's fields, in order.
    public static var fields: [(name: String, keyPath: WritableKeyPath<PriorityWeights, Int>)] {
        [
            ("riskAlert", \.riskAlert), ("contactOverdue", \.contactOverdue), ("weekSinceContact", \.weekSinceContact),
            ("reassessmentOverdue", \.reassessmentOverdue), ("overdueTask", \.overdueTask), ("acuity", \.acuity),
            ("crisisDomain", \.crisisDomain)
        ]
    }
}

/// A case's acuity from its latest assessments: the most severe band of any instrument's latest result
/// (PHQ-9, GAD-7, agency forms with bands) and the Self-Sufficiency Matrix domains in crisis.
public enum AcuityTier: Int, Sendable, Codable, CaseIterable, Comparable {
    case standard = 0
    case moderate = 1
    case high = 2
    public static func < (a: AcuityTier, b: AcuityTier) -> Bool { a.rawValue < b.rawValue }

    public init(severity: Int, crisisDomains: Int) {
        if severity >= Severity.moderatelySevere.rawValue || crisisDomains >= 2 {
            self = .high
        } else if severity >= Severity.moderate.rawValue || crisisDomains == 1 {
            self = .moderate
        } else {
            self = .standard
        }
    }

    /// How much of a full caseload slot a case of this tier takes: a high-acuity case counts double.
    public var weight: Double {
        switch self {
        case .standard: 1.0
        case .moderate: 1.5
        case .high: 2.0
        }
    }
}

/// One reason a case is ranked where it is, with the points it added.
public struct PriorityReason: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable {
        case riskAlert = "risk_alert"
        case contactOverdue = "contact_overdue"
        case sinceContact = "since_contact"
        case reassessmentOverdue = "reassessment_overdue"
        case overdueTasks = "overdue_tasks"
        case acuity
        case crisisDomains = "crisis_domains"
        case noContactYet = "no_contact_yet"
    }
    public var kind: Kind
    public var points: Int
    /// The count or number of days the reason is about (alerts, days, tasks, tier, domains).
    public var count: Int
    /// Free detail where there is one: the alerts' reasons, the failing contact rules.
    public var detail: [String]
    public var rules: [ContactRequirement]
    public init(_ kind: Kind, points: Int, count: Int, detail: [String] = [], rules: [ContactRequirement] = []) {
        self.kind = kind
        self.points = points
        self.count = count
        self.detail = detail
        self.rules = rules
    }
}

/// A case on the worker's dashboard, with its score and the reasons for it, largest first.
public struct PrioritizedCase: Sendable, Equatable {
    public var entry: CaseloadEntry
    public var score: Int
    public var reasons: [PriorityReason]
}

/// Ranks a caseload. Pure: everything it needs is passed in, so it is tested without a database.
public enum PriorityRanker {
    public struct Signals: Sendable, Equatable {
        public var alertReasons: [String] = []
        public var overdueTasks = 0
        public init(alertReasons: [String] = [], overdueTasks: Int = 0) {
            self.alertReasons = alertReasons
            self.overdueTasks = overdueTasks
        }
    }

    public static func score(_ e: CaseloadEntry, signals: Signals, weights w: PriorityWeights, today: LocalDate)
        -> PrioritizedCase
    {
        var reasons: [PriorityReason] = []
        func add(
            _ kind: PriorityReason.Kind, _ points: Int, count: Int, detail: [String] = [],
            rules: [ContactRequirement] = []
        ) {
            if points > 0 {
                reasons.append(PriorityReason(kind, points: points, count: count, detail: detail, rules: rules))
            }
        }
        if !signals.alertReasons.isEmpty {
            add(
                .riskAlert, w.riskAlert * signals.alertReasons.count, count: signals.alertReasons.count,
                detail: signals.alertReasons)
        }
        let failing = e.contacts.filter { $0.status == .overdue }
        if e.contactOverdue || !failing.isEmpty {
            let since = e.daysSinceContact ?? e.openedOn.days(until: today)
            add(.contactOverdue, w.contactOverdue, count: since, rules: failing.map(\.requirement))
        }
        if let days = e.daysSinceContact {
            add(.sinceContact, w.weekSinceContact * min(days / 7, 26), count: days)
        } else {
            let days = e.openedOn.days(until: today)
            add(.noContactYet, w.weekSinceContact * min(days / 7, 26), count: days)
        }
        if e.reassessment == .overdue, let due = e.reassessmentDue {
            add(.reassessmentOverdue, w.reassessmentOverdue, count: due.days(until: today))
        }
        if signals.overdueTasks > 0 {
            add(.overdueTasks, w.overdueTask * min(signals.overdueTasks, 5), count: signals.overdueTasks)
        }
        let tier = AcuityTier(severity: e.acuitySeverity, crisisDomains: e.crisisDomains)
        add(.acuity, w.acuity * tier.rawValue, count: tier.rawValue)
        add(.crisisDomains, w.crisisDomain * e.crisisDomains, count: e.crisisDomains)
        reasons.sort { ($0.points, $1.kind.rawValue) > ($1.points, $0.kind.rawValue) }
        return PrioritizedCase(entry: e, score: reasons.reduce(0) { $0 + $1.points }, reasons: reasons)
    }

    /// Highest score first; ties go to the case longest without contact, then by name.
    public static func rank(
        _ entries: [CaseloadEntry], signals: [UUID: Signals], weights: (UUID?) -> PriorityWeights,
        today: LocalDate
    ) -> [PrioritizedCase] {
        entries.map {
            score($0, signals: signals[$0.caseID] ?? Signals(), weights: weights($0.programID), today: today)
        }
        .sorted { a, b in
            let ka = (-a.score, -(a.entry.daysSinceContact ?? 100_000), a.entry.clientName, a.entry.caseID.uuidString)
            let kb = (-b.score, -(b.entry.daysSinceContact ?? 100_000), b.entry.clientName, b.entry.caseID.uuidString)
            return ka < kb
        }
    }
}
