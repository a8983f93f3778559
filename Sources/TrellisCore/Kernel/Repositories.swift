import Foundation

/// Storage the services need. The data layer implements these on SQLite and PostgreSQL; the core
/// never sees SQL. `transaction` gives a store whose every call is in one database transaction.
public protocol TrellisStore: OrganizationRepository, ClientRepository, CaseRepository, NoteRepository,
    AuditRepository, AuthRepository, AssessmentRepository, RecordRepository, SupervisionRepository, ReportingRepository,
    AccessRepository
{
    func transaction<T: Sendable>(_ body: @escaping @Sendable (any TrellisStore) async throws -> T) async throws -> T
}

/// Side effects the domain depends on, injected so tests are deterministic.
public struct Dependencies: Sendable {
    public var now: @Sendable () -> Date
    public var newID: @Sendable () -> UUID
    public var timeZone: TimeZone

    public init(
        now: @escaping @Sendable () -> Date = { Date() },
        newID: @escaping @Sendable () -> UUID = { UUID() },
        timeZone: TimeZone = .current
    ) {
        self.now = now
        self.newID = newID
        self.timeZone = timeZone
    }

    /// Today's date where the agency works.
    public var today: LocalDate { localDate(of: now()) }

    /// The calendar date of a moment where the agency works.
    public func localDate(of date: Date) -> LocalDate {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = timeZone
        return LocalDate(date, calendar: cal)
    }
}
