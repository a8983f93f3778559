import Foundation

// MARK: Contact rules

/// A program's rule that a kind of contact happens at least every so many days; no type means any contact.
extension Program {
    /// The rule the compliance report and the case's `visit_last_on` follow: the first with a contact type.
    public var visitRule: ContactRequirement? { contactRules.first { $0.contactType != nil } }
}

public struct ContactRequirement: Sendable, Codable, Equatable {
    public var contactType: ContactType?
    public var everyDays: Int
    public init(contactType: ContactType?, everyDays: Int) {
        self.contactType = contactType
        self.everyDays = everyDays
    }
}

public enum ComplianceStatus: String, Sendable, Codable, CaseIterable {
    case compliant
    case dueSoon = "due_soon"
    case overdue
    var rank: Int {
        switch self {
        case .compliant: 0
        case .dueSoon: 1
        case .overdue: 2
        }
    }
}

public struct ContactCompliance: Sendable, Equatable, Codable {
    public var requirement: ContactRequirement
    public var lastOn: LocalDate?
    public var dueOn: LocalDate
    public var status: ComplianceStatus
}

extension ContactRule {
    /// Every rule of the program: the any-contact frequency first, then the program's extra rules.
    public static func requirements(_ p: Program) -> [ContactRequirement] {
        (p.contactFrequencyDays > 0 ? [ContactRequirement(contactType: nil, everyDays: p.contactFrequencyDays)] : [])
            + p.contactRules
    }

    /// "Due soon" is the last quarter of the interval, at most 14 days.
    public static func dueSoonDays(_ every: Int) -> Int { max(1, min(14, every / 4)) }

    /// Each rule evaluated from the latest contact of its type (for "any", the latest that counts as contact).
    public static func evaluate(_ p: Program, openedOn: LocalDate, latest: [ContactType: LocalDate], today: LocalDate)
        -> [ContactCompliance]
    {
        requirements(p).map { r in
            let last: LocalDate? =
                r.contactType.map { latest[$0] } ?? latest.filter { $0.key.countsAsContact }.values.max()
            let due = (last ?? openedOn).adding(days: r.everyDays)
            let left = today.days(until: due)
            let status: ComplianceStatus =
                left < 0 ? .overdue : left <= dueSoonDays(r.everyDays) ? .dueSoon : .compliant
            return ContactCompliance(requirement: r, lastOn: last, dueOn: due, status: status)
        }
    }

    public static func overall(_ list: [ContactCompliance]) -> ComplianceStatus {
        list.map(\.status).max { $0.rank < $1.rank } ?? .compliant
    }
}

/// Whether a case has had a contact recently enough for its program.
public enum ContactRule {
    public static func daysSinceContact(lastContact: LocalDate?, today: LocalDate) -> Int? {
        lastContact.map { $0.days(until: today) }
    }

    /// Overdue when the last counted contact (or, with none yet, the opening date) is more than
    /// `frequencyDays` ago.
    public static func isOverdue(lastContact: LocalDate?, openedOn: LocalDate, frequencyDays: Int, today: LocalDate)
        -> Bool
    {
        guard frequencyDays > 0 else { return false }
        let since = (lastContact ?? openedOn).days(until: today)
        return since > frequencyDays
    }
}
