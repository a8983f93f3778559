import Foundation

/// Storage the services need. The data layer implements these on SQLite and PostgreSQL; the core
/// never sees SQL. `transaction` gives a store whose every call is in one database transaction.
public protocol TrellisStore: OrganizationRepository, ClientRepository, CaseRepository, NoteRepository,
    AuditRepository, AuthRepository, AssessmentRepository, RecordRepository, SupervisionRepository, ReportingRepository,
    AccessRepository, RetentionRepository, HouseholdRepository, CaseMemberRepository,
    ProjectDescriptorRepository
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

    /// An audit entry's id: time-ordered (UUID version 7, RFC 9562), so entries written one after another sit
    /// together in the id index instead of each dirtying a page of its own.
    public func auditID() -> UUID { UUID.timeOrdered(at: now()) }

    /// The calendar date of a moment where the agency works.
    public func localDate(of date: Date) -> LocalDate {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = timeZone
        return LocalDate(date, calendar: cal)
    }
}

extension UUID {
    /// A version-7 UUID (RFC 9562 §5.7): the Unix time in milliseconds in the first 48 bits, then the version,
    /// random bits and the variant. Ids made later sort after (in bytes and in their text form) whatever the
    /// random part.
    public static func timeOrdered(at date: Date) -> UUID {
        let ms = UInt64(max(0, (date.timeIntervalSince1970 * 1000).rounded(.down)))
        // Random bits from the system generator (getrandom), not `UUID()`, which opens /dev/urandom each time.
        var g = SystemRandomNumberGenerator()
        var bits = (g.next() as UInt64, g.next() as UInt64)
        return withUnsafeMutableBytes(of: &bits) { raw in
            for i in 0..<6 { raw[i] = UInt8(truncatingIfNeeded: ms >> (40 - 8 * i)) }
            raw[6] = 0x70 | (raw[6] & 0x0F)
            raw[8] = 0x80 | (raw[8] & 0x3F)
            return UUID(uuid: raw.load(as: uuid_t.self))
        }
    }
}
