import Foundation

/// A standard or agency-defined instrument, held as data: items, response options, scoring, severity
/// bands and alert rules. Definitions are versioned; a completed assessment keeps the version it was
/// answered under, so changing an instrument never changes past results.
public struct InstrumentDefinition: Sendable, Codable, Equatable {
    public var code: String
    public var version: Int
    public var title: String
    /// LOINC code of the panel, where the instrument has one.
    public var loinc: String?
    /// LOINC code of the total score.
    public var totalLoinc: String?
    public var items: [InstrumentItem]
    public var scoring: Scoring
    public var bands: [SeverityBand]
    public var alerts: [AlertRule]
    /// Agency-defined forms belong to one agency; the built-in instruments to none.
    public var agencyID: UUID?
    public var purpose: InstrumentPurpose
    /// The programs that use it; empty means every program.
    public var programIDs: [UUID]

    public init(
        code: String, version: Int, title: String, loinc: String? = nil, totalLoinc: String? = nil,
        items: [InstrumentItem], scoring: Scoring, bands: [SeverityBand] = [], alerts: [AlertRule] = [],
        agencyID: UUID? = nil, purpose: InstrumentPurpose = .assessment, programIDs: [UUID] = []
    ) {
        self.code = code
        self.version = version
        self.title = title
        self.loinc = loinc
        self.totalLoinc = totalLoinc
        self.items = items
        self.scoring = scoring
        self.bands = bands
        self.alerts = alerts
        self.agencyID = agencyID
        self.purpose = purpose
        self.programIDs = programIDs
    }

    public func usable(inProgram programID: UUID) -> Bool { programIDs.isEmpty || programIDs.contains(programID) }

    public func item(_ id: String) -> InstrumentItem? { items.first { $0.id == id } }

    /// The highest total the items allow (the top option of every scored item; every option of a
    /// multiple-choice item).
    public var maximumTotal: Int {
        items.filter(\.kind.isScored).reduce(0) { sum, item in
            sum
                + (item.kind == .multipleChoice
                    ? item.options.map(\.value).filter { $0 > 0 }.reduce(0, +)
                    : (item.options.map(\.value).max() ?? 0))
        }
    }
}

public enum InstrumentPurpose: String, Sendable, Codable, CaseIterable {
    case assessment
    /// Extra questions asked at intake for a program.
    case intakeSupplement = "intake_supplement"
}

/// How an item is answered. Choice, yes/no, scale and multiple choice carry option values and count
/// toward a sum; number, text and date are recorded but not scored.
public enum ItemKind: String, Sendable, Codable, CaseIterable {
    case choice
    case yesNo = "yes_no"
    case scale
    case multipleChoice = "multiple_choice"
    case number, text
    case longText = "long_text"
    case date
    public var isScored: Bool { [.choice, .yesNo, .scale, .multipleChoice].contains(self) }
}

public struct InstrumentItem: Sendable, Codable, Equatable {
    public var id: String
    public var text: String
    public var kind: ItemKind
    public var options: [ResponseOption]
    public var required: Bool
    /// Whether "not applicable" is an allowed answer (the Self-Sufficiency Matrix's domains).
    public var allowsNotApplicable: Bool

    public init(
        id: String, text: String, kind: ItemKind = .choice, options: [ResponseOption], required: Bool = true,
        allowsNotApplicable: Bool = false
    ) {
        self.id = id
        self.text = text
        self.kind = kind
        self.options = options
        self.required = required
        self.allowsNotApplicable = allowsNotApplicable
    }
}

public struct ResponseOption: Sendable, Codable, Equatable {
    public var value: Int
    public var label: String
    /// What this level means, shown to the worker (SSM level descriptions).
    public var description: String?
    public init(value: Int, label: String, description: String? = nil) {
        self.value = value
        self.label = label
        self.description = description
    }
}

public enum Scoring: String, Sendable, Codable, Equatable {
    /// Total = sum of the answered items' values.
    case sum
    /// Items are reported one by one (and as a sum of the applicable ones, for charts).
    case domains
    /// Answers are recorded, nothing is totalled (a form of facts, such as an intake supplement).
    case none
}

public enum Severity: Int, Sendable, Codable, Comparable, CaseIterable {
    case minimal, mild, moderate, moderatelySevere, severe
    public static func < (a: Severity, b: Severity) -> Bool { a.rawValue < b.rawValue }
}

/// An inclusive range of totals with its label.
public struct SeverityBand: Sendable, Codable, Equatable {
    public var min: Int
    public var max: Int
    public var label: String
    public var severity: Severity
    public init(_ min: Int, _ max: Int, _ label: String, _ severity: Severity) {
        self.min = min
        self.max = max
        self.label = label
        self.severity = severity
    }
}

/// When an assessment must raise a risk alert for the case manager and their supervisor.
public enum AlertRule: Sendable, Codable, Equatable {
    /// An item answered above `threshold` (PHQ-9 item 9 above 0).
    case itemAbove(item: String, threshold: Int, reason: String)
    /// An item answered at or below `value` (an SSM Safety or Housing domain at 1, In Crisis).
    case itemAtMost(item: String, value: Int, reason: String)
    /// The total falls in a band at least this severe.
    case severityAtLeast(Severity, reason: String)
}

/// One answer: a response option's value, or "not applicable" where the item allows it.
public enum Answer: Sendable, Codable, Equatable {
    /// The value of the chosen option (choice, yes/no, scale).
    case value(Int)
    /// The values of every chosen option (multiple choice).
    case values([Int])
    case number(Double)
    /// Free text, or a date as YYYY-MM-DD.
    case text(String)
    case notApplicable
}

public struct TriggeredAlert: Sendable, Codable, Equatable {
    public var reason: String
    public var item: String?
}

/// The scored result, tied to the exact instrument version it was answered under.
public struct ScoredAssessment: Sendable, Codable, Equatable {
    public var instrumentCode: String
    public var instrumentVersion: Int
    public var answers: [String: Answer]
    public var total: Int?
    public var band: SeverityBand?
    public var alerts: [TriggeredAlert]
}

public enum InstrumentScorer {
    /// Validates every answer against the definition (all problems at once) and scores it.
    public static func score(_ def: InstrumentDefinition, answers: [String: Answer]) throws -> ScoredAssessment {
        var v = Validator()
        for key in answers.keys.sorted() where def.item(key) == nil {
            v.add("answers.\(key)", "is not an item of this instrument")
        }
        var values: [String: Int] = [:]
        var clean: [String: Answer] = [:]
        for item in def.items {
            let field = "answers.\(item.id)"
            func option(_ x: Int) -> Bool { item.options.contains { $0.value == x } }
            switch (answers[item.id], item.kind) {
            case (nil, _), (.text("")?, _), (.values([])?, _):
                if item.required { v.add(field, "is required") }
            case (.notApplicable?, _):
                if item.allowsNotApplicable {
                    clean[item.id] = .notApplicable
                } else {
                    v.add(field, "cannot be marked not applicable")
                }
            case (.value(let x)?, .choice), (.value(let x)?, .yesNo), (.value(let x)?, .scale):
                if option(x) {
                    values[item.id] = x
                    clean[item.id] = .value(x)
                } else {
                    v.add(field, "is not one of the item's options")
                }
            case (.values(let xs)?, .multipleChoice):
                if xs.allSatisfy(option) && Set(xs).count == xs.count {
                    values[item.id] = xs.reduce(0, +)
                    clean[item.id] = .values(xs.sorted())
                } else {
                    v.add(field, "is not one of the item's options")
                }
            case (.value(let x)?, .multipleChoice):
                if option(x) {
                    values[item.id] = x
                    clean[item.id] = .values([x])
                } else {
                    v.add(field, "is not one of the item's options")
                }
            case (.number(let x)?, .number):
                if x.isFinite && abs(x) < 1e12 { clean[item.id] = .number(x) } else { v.add(field, "must be a number") }
            case (.value(let x)?, .number):
                clean[item.id] = .number(Double(x))
            case (.text(let s)?, .text), (.text(let s)?, .longText):
                let limit = item.kind == .text ? 500 : 10_000
                if let t = v.text(field, s, required: item.required, max: limit) { clean[item.id] = .text(t) }
            case (.text(let s)?, .date):
                if let d = LocalDate(s.trimmingCharacters(in: .whitespaces)) {
                    clean[item.id] = .text(d.description)
                } else {
                    v.add(field, "must be a real date (YYYY-MM-DD)")
                }
            case (_?, .number): v.add(field, "must be a number")
            case (_?, .date): v.add(field, "must be a real date (YYYY-MM-DD)")
            case (_?, .text), (_?, .longText): v.add(field, "must be text")
            case (_?, _): v.add(field, "is not one of the item's options")
            }
        }
        try v.check()
        let total: Int? = values.isEmpty || def.scoring == .none ? nil : values.values.reduce(0, +)
        let band = total.flatMap { t in def.bands.first { $0.min <= t && t <= $0.max } }
        var alerts: [TriggeredAlert] = []
        for rule in def.alerts {
            switch rule {
            case .itemAbove(let item, let threshold, let reason):
                if let x = values[item], x > threshold { alerts.append(TriggeredAlert(reason: reason, item: item)) }
            case .itemAtMost(let item, let limit, let reason):
                if let x = values[item], x <= limit { alerts.append(TriggeredAlert(reason: reason, item: item)) }
            case .severityAtLeast(let severity, let reason):
                if let b = band, b.severity >= severity { alerts.append(TriggeredAlert(reason: reason, item: nil)) }
            }
        }
        return ScoredAssessment(
            instrumentCode: def.code, instrumentVersion: def.version, answers: clean,
            total: total, band: band, alerts: alerts)
    }
}
