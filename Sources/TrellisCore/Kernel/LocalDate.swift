import Foundation

/// A calendar date with no time or zone (a date of birth, a contact date). Stored as `YYYY-MM-DD`,
/// which sorts correctly as text on every database.
public struct LocalDate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...LocalDate.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD` (HTML date inputs, the API) and `MM/DD/YYYY` (what people type in search).
    public init?(_ text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.count == 10, t[t.index(t.startIndex, offsetBy: 4)] == "-" {
            let parts = t.split(separator: "-")
            guard parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else {
                return nil
            }
            self.init(year: y, month: m, day: d)
        } else {
            let parts = t.split(separator: "/")
            guard parts.count == 3, parts[2].count == 4,
                let m = Int(parts[0]), let d = Int(parts[1]), let y = Int(parts[2])
            else { return nil }
            self.init(year: y, month: m, day: d)
        }
    }

    public init(_ date: Date, calendar: Calendar = .utc) {
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        self.year = c.year!
        self.month = c.month!
        self.day = c.day!
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public var description: String {
        String(format: "%04d-%02d-%02d", year, month, day)
    }

    /// Days since 1970-01-01 (proleptic Gregorian), for date arithmetic without Foundation calendars.
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public init(dayNumber z0: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self.month = m
        self.day = d
    }

    public func adding(days: Int) -> LocalDate { LocalDate(dayNumber: dayNumber + days) }
    /// Days since the Monday of its week: 0 on Monday … 6 on Sunday (1970-01-01 was a Thursday).
    public var daysSinceMonday: Int { ((dayNumber + 3) % 7 + 7) % 7 }
    /// The Monday of the week this day is in.
    public var weekStart: LocalDate { adding(days: -daysSinceMonday) }
    public func days(until other: LocalDate) -> Int { other.dayNumber - dayNumber }
    /// The same day `years` later or earlier (29 February becomes 28 February in other years).
    public func adding(years: Int) -> LocalDate {
        LocalDate(year: year + years, month: month, day: day) ?? LocalDate(
            year: year + years, month: month, day: day - 1)!
    }

    public func age(on date: LocalDate) -> Int {
        var a = date.year - year
        if (date.month, date.day) < (month, day) { a -= 1 }
        return a
    }

    public static func < (a: LocalDate, b: LocalDate) -> Bool { a.dayNumber < b.dayNumber }

    public init(from decoder: Decoder) throws {
        let s = try decoder.singleValueContainer().decode(String.self)
        guard let d = LocalDate(s) else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription: "Expected a date as YYYY-MM-DD"))
        }
        self = d
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

extension Calendar {
    public static let utc: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        return c
    }()
}
