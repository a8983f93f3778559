import Foundation

/// A value kept in a column beside a record's JSON body, so lists can filter and sort on it.
public enum IndexValue: Sendable, Equatable {
    case uuid(UUID?)
    case text(String?)
    case int(Int?)
}

/// A condition on an indexed column. Column names are those a record's `index` declares.
public enum RecordFilter: Sendable {
    case equals(String, IndexValue)
    case atMost(String, IndexValue)
    case atLeast(String, IndexValue)
    case isNull(String)
    /// The column contains the text (columns built for search hold lowercased text).
    case contains(String, String)
    case oneOf(String, [IndexValue])
}

/// A record stored as a JSON body with a version and a few indexed columns. The coordination records
/// (directory, referrals, services, tasks, advocacy, letters, documents, case events) are all of this
/// shape: read and written whole, listed by their indexed columns.
public protocol StoredRecord: Codable, Sendable {
    static var table: String { get }
    var id: UUID { get }
    var version: Int { get }
    var index: [String: IndexValue] { get }
}

public struct RecordOrder: Sendable {
    public var column: String
    public var descending: Bool
    public init(_ column: String, descending: Bool = false) {
        self.column = column
        self.descending = descending
    }
}

public protocol RecordRepository: Sendable {
    func insertRecord<R: StoredRecord>(_ r: R) async throws
    /// Writes the record only if its stored version is `expectedVersion`; false means someone else won.
    func updateRecord<R: StoredRecord>(_ r: R, expectedVersion: Int) async throws -> Bool
    func record<R: StoredRecord>(_ type: R.Type, id: UUID) async throws -> R?
    func records<R: StoredRecord>(_ type: R.Type, _ filters: [RecordFilter], order: [RecordOrder], limit: Int?)
        async throws -> [R]
    func deleteRecord<R: StoredRecord>(_ type: R.Type, id: UUID) async throws
    /// A document's bytes, kept apart from its description so lists never load them.
    func insertDocumentContent(id: UUID, bytes: Data) async throws
    func documentContent(id: UUID) async throws -> Data?
    func deleteDocumentContent(id: UUID) async throws
    /// The latest contact date of each contact type on each of `caseIDs`.
    func latestContacts(caseIDs: [UUID]) async throws -> [UUID: [ContactType: LocalDate]]
}

extension RecordRepository {
    public func records<R: StoredRecord>(_ type: R.Type, _ filters: [RecordFilter], order: [RecordOrder] = [])
        async throws -> [R]
    {
        try await records(type, filters, order: order, limit: nil)
    }
}

extension String {
    /// Lowercased and folded for search columns ("Café" matches "cafe").
    var searchKey: String { folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).lowercased() }
}

extension TrellisStore {
    /// A case the actor may read: same agency (else "not found"), and on its care team (else forbidden, with
    /// the way in), or a restricted program's case they do not work in (not found).
    public func readableCase(_ caseID: UUID, _ actor: ActingUser, at now: Date) async throws -> Case {
        try await readableCaseAccess(caseID, actor, at: now).0
    }

    /// The case and the access it was read under, for the audit entry of the read.
    public func readableCaseAccess(_ caseID: UUID, _ actor: ActingUser, at now: Date) async throws -> (Case, Access) {
        guard let c = try await `case`(id: caseID) else { throw TrellisError.notFound("case") }
        return (c, try await requireCaseAccess(c, actor, .read, at: now))
    }

    /// An open case the actor may record work on; `what` names the work for the closed-case message.
    public func writableCase(_ caseID: UUID, _ actor: ActingUser, _ what: String, at now: Date) async throws -> Case {
        guard let c = try await `case`(id: caseID) else { throw TrellisError.notFound("case") }
        try Policy.requireSameAgency(actor, c.agencyID, "case")
        try Policy.require(actor, .writeNote)
        _ = try await requireCaseAccess(c, actor, .write, at: now)
        guard c.status != .closed else { throw TrellisError.conflict("This case is closed; reopen it to \(what).") }
        return c
    }

    /// A record of the actor's agency, or "not found" (another agency's records do not exist for them).
    public func agencyRecord<R: StoredRecord & AgencyOwned>(
        _ type: R.Type, _ id: UUID, _ actor: ActingUser, _ what: String
    ) async throws -> R {
        guard let r = try await record(type, id: id) else { throw TrellisError.notFound(what) }
        try Policy.requireSameAgency(actor, r.agencyID, what)
        return r
    }

    /// Saves a changed record or reports a concurrent change.
    public func update<R: StoredRecord>(
        _ r: R, from version: Int, _ message: String = "Someone else changed this record since you opened it."
    ) async throws {
        guard try await updateRecord(r, expectedVersion: version) else { throw TrellisError.conflict(message) }
    }
}

public protocol AgencyOwned { var agencyID: UUID { get } }

extension Validator {
    /// A date that may lie in the future (deadlines, hearings, appointments), within `years` either side of `around`.
    mutating func anyDate(_ field: String, _ value: String?, required: Bool = false, around: LocalDate, years: Int = 20)
        -> LocalDate?
    {
        let t = value?.trimmingCharacters(in: .whitespaces) ?? ""
        if t.isEmpty {
            if required { add(field, "is required") }
            return nil
        }
        guard let d = LocalDate(t) else {
            add(field, "must be a real date (YYYY-MM-DD)")
            return nil
        }
        if abs(d.year - around.year) > years {
            add(field, "is too far from today")
            return nil
        }
        return d
    }

    /// An amount of money as entered ("1,250.50", "$80"), in cents; negative amounts are refused.
    mutating func money(_ field: String, _ value: String?, required: Bool) -> Int? {
        var t = (value ?? "").trimmingCharacters(in: .whitespaces)
        t = t.replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "$", with: "")
        if t.isEmpty {
            if required { add(field, "is required") }
            return nil
        }
        guard let d = Decimal(string: t, locale: Locale(identifier: "en_US_POSIX")),
            t.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" })
        else {
            add(field, "must be an amount such as 1250.00")
            return nil
        }
        if d < 0 {
            add(field, "cannot be negative")
            return nil
        }
        if d > 10_000_000 {
            add(field, "is larger than any single payment Trellis accepts")
            return nil
        }
        var cents = d * 100
        var rounded = Decimal()
        NSDecimalRound(&rounded, &cents, 0, .plain)
        if rounded != cents {
            add(field, "has more than two decimal places")
            return nil
        }
        return NSDecimalNumber(decimal: rounded).intValue
    }
}

/// Writes RFC 4180 CSV: every field quoted when it needs to be, CRLF line ends.
public enum CSV {
    public static func line(_ fields: [String]) -> String {
        fields.map { f -> String in
            // A leading =, +, - or @ would be run as a formula by spreadsheet programs.
            var v = f
            if let c = v.first, "=+-@".contains(c), Double(v) == nil { v = "'" + v }
            return v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : v
        }.joined(separator: ",") + "\r\n"
    }

    /// Parses CSV text (quoted fields, doubled quotes, CR/LF line ends) into rows of fields.
    public static func parse(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var inQuotes = false
        var fieldStarted = false
        var it = Array(text.unicodeScalars).makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let p = pending {
                pending = nil
                return p
            }
            return it.next()
        }
        while let c = next() {
            if inQuotes {
                if c == "\"" {
                    if let n = next() {
                        if n == "\"" {
                            field.unicodeScalars.append("\"")
                        } else {
                            inQuotes = false
                            pending = n
                        }
                    } else {
                        inQuotes = false
                    }
                } else {
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"" where !fieldStarted || field.isEmpty:
                inQuotes = true
                fieldStarted = true
            case ",":
                row.append(field)
                field = ""
                fieldStarted = false
            case "\r":
                if let n = next(), n != "\n" { pending = n }
                row.append(field)
                rows.append(row)
                row = []
                field = ""
                fieldStarted = false
            case "\n":
                row.append(field)
                rows.append(row)
                row = []
                field = ""
                fieldStarted = false
            case "\u{FEFF}" where rows.isEmpty && row.isEmpty && field.isEmpty: continue
            default:
                field.unicodeScalars.append(c)
                fieldStarted = true
            }
        }
        if fieldStarted || !field.isEmpty || !row.isEmpty {
            row.append(field)
            rows.append(row)
        }
        return rows.filter { !($0.count == 1 && $0[0].isEmpty) }
    }
}
