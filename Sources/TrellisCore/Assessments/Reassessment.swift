import Foundation

public enum ReassessmentStatus: String, Sendable, Codable {
    case onTime = "on_time"
    case dueSoon = "due_soon"
    case overdue
}

/// When a case is next to be (re)assessed: the program's interval after the latest assessment or,
/// with none yet, after the case opened. "Due soon" is the last 14 days before it.
public enum ReassessmentRule {
    public static let dueSoonDays = 14
    public static func due(lastAssessed: LocalDate?, openedOn: LocalDate, intervalDays: Int?) -> LocalDate? {
        intervalDays.map { (lastAssessed ?? openedOn).adding(days: $0) }
    }
    public static func status(due: LocalDate?, today: LocalDate) -> ReassessmentStatus? {
        guard let due else { return nil }
        let left = today.days(until: due)
        return left < 0 ? .overdue : left <= dueSoonDays ? .dueSoon : .onTime
    }
}
