import Foundation

/// A possible existing record for a person being registered, with the reasons it looks alike, so the
/// worker can judge rather than trust a number.
public struct DuplicateCandidate: Sendable, Equatable, Codable {
    public var client: ClientSummary
    public var score: Double
    public var reasons: [String]
}

/// Scores how likely two records describe the same person from names and date of birth.
/// Fellegi–Sunter in spirit: agreement on each field adds weight, disagreement subtracts; the weights
/// are set so that a matching date of birth plus a similar surname crosses the threshold, while a common
/// first name alone does not.
public enum DuplicateMatcher {
    public static let threshold = 0.6
    /// At least this for a record with the same full SSN.
    public static let sameSSNScore = 0.95

    public struct Probe: Sendable {
        public var firstName: String?
        public var lastName: String?
        public var birthDate: LocalDate?
        public init(firstName: String?, lastName: String?, birthDate: LocalDate?) {
            self.firstName = firstName
            self.lastName = lastName
            self.birthDate = birthDate
        }
    }

    /// Dates a mistyped date of birth is likely to be: the same, a day or two off, day and month
    /// swapped, or a year off.
    public static func nearBirthDates(_ d: LocalDate) -> [LocalDate] {
        var out: Set<LocalDate> = [d]
        for delta in [-2, -1, 1, 2] { out.insert(d.adding(days: delta)) }
        if let swapped = LocalDate(year: d.year, month: d.day, day: d.month) { out.insert(swapped) }
        for dy in [-1, 1] { if let y = LocalDate(year: d.year + dy, month: d.month, day: d.day) { out.insert(y) } }
        return out.sorted()
    }

    public static func score(_ probe: Probe, _ other: ClientSummary) -> DuplicateCandidate {
        var score = 0.0
        var reasons: [String] = []
        let pl = SearchText.normalize(probe.lastName ?? "")
        let ol = SearchText.normalize(other.lastName ?? "")
        let pf = SearchText.normalize(probe.firstName ?? "")
        let ofn = SearchText.normalize(other.firstName ?? "")
        let opn = SearchText.normalize(other.preferredName ?? "")

        // Continuous similarity breaks ties between candidates with the same reasons, so the closest
        // spelling ranks first.
        var closeness = 0.0
        if !pl.isEmpty && !ol.isEmpty {
            let s = jaroWinkler(pl, ol)
            closeness += s
            if pl == ol {
                score += 0.35
                reasons.append("same last name")
            } else if s >= 0.88 {
                score += 0.25
                reasons.append("similar last name")
            } else if Soundex.code(pl) == Soundex.code(ol) {
                score += 0.2
                reasons.append("last name sounds alike")
            } else {
                score -= 0.15
            }
        }
        if !pf.isEmpty && (!ofn.isEmpty || !opn.isEmpty) {
            let s = max(jaroWinkler(pf, ofn), jaroWinkler(pf, opn))
            closeness += s
            if pf == ofn || pf == opn {
                score += 0.3
                reasons.append("same first name")
            } else if s >= 0.88 {
                score += 0.2
                reasons.append("similar first name")
            } else if ofn.hasPrefix(pf) || pf.hasPrefix(ofn) {
                score += 0.15
                reasons.append("first name is a short form")
            } else {
                score -= 0.1
            }
        }
        if let pd = probe.birthDate, let od = other.birthDate {
            if pd == od {
                score += 0.35
                reasons.append("same date of birth")
            } else if abs(pd.days(until: od)) <= 2 {
                score += 0.2
                reasons.append("date of birth within two days")
            } else if pd.year == od.year && pd.month == od.day && pd.day == od.month {
                score += 0.2
                reasons.append("date of birth with day and month swapped")
            } else if pd.month == od.month && pd.day == od.day && abs(pd.year - od.year) == 1 {
                score += 0.15
                reasons.append("date of birth a year apart")
            } else {
                score -= 0.2
            }
        }
        if let pd = probe.birthDate, let od = other.birthDate { closeness += 1 / Double(1 + abs(pd.days(until: od))) }
        return DuplicateCandidate(client: other, score: max(0, min(1, score + closeness * 0.01)), reasons: reasons)
    }

    /// Candidates scoring at or above the threshold, best first.
    public static func likelyDuplicates(of probe: Probe, among others: [ClientSummary], limit: Int = 5)
        -> [DuplicateCandidate]
    {
        others.map { score(probe, $0) }
            .filter { $0.score >= threshold }
            .sorted { ($0.score, $0.client.id.uuidString) > ($1.score, $1.client.id.uuidString) }
            .prefix(limit).map { $0 }
    }

    /// Jaro–Winkler similarity in 0...1.
    public static func jaroWinkler(_ a: String, _ b: String) -> Double {
        let s1 = Array(a)
        let s2 = Array(b)
        if s1.isEmpty && s2.isEmpty { return 1 }
        if s1.isEmpty || s2.isEmpty { return 0 }
        let window = max(0, max(s1.count, s2.count) / 2 - 1)
        var m1 = [Bool](repeating: false, count: s1.count)
        var m2 = [Bool](repeating: false, count: s2.count)
        var matches = 0
        for i in 0..<s1.count {
            let lo = max(0, i - window)
            let hi = min(s2.count - 1, i + window)
            if lo > hi { continue }
            for j in lo...hi where !m2[j] && s1[i] == s2[j] {
                m1[i] = true
                m2[j] = true
                matches += 1
                break
            }
        }
        if matches == 0 { return 0 }
        var t = 0
        var k = 0
        for i in 0..<s1.count where m1[i] {
            while !m2[k] { k += 1 }
            if s1[i] != s2[k] { t += 1 }
            k += 1
        }
        let m = Double(matches)
        let jaro = (m / Double(s1.count) + m / Double(s2.count) + (m - Double(t) / 2) / m) / 3
        var prefix = 0
        for (x, y) in zip(s1, s2).prefix(4) { if x == y { prefix += 1 } else { break } }
        return jaro + Double(prefix) * 0.1 * (1 - jaro)
    }
}

/// American Soundex, used as one signal that two surnames sound alike.
public enum Soundex {
    public static func code(_ name: String) -> String {
        let letters = Array(SearchText.normalize(name).filter { $0.isLetter && $0.isASCII })
        guard let first = letters.first else { return "" }
        func digit(_ c: Character) -> Character? {
            switch c {
            case "b", "f", "p", "v": "1"
            case "c", "g", "j", "k", "q", "s", "x", "z": "2"
            case "d", "t": "3"
            case "l": "4"
            case "m", "n": "5"
            case "r": "6"
            default: nil
            }
        }
        var out = String(first).uppercased()
        var last = digit(first)
        for c in letters.dropFirst() {
            let d = digit(c)
            if let d, d != last { out.append(d) }
            if c != "h" && c != "w" { last = d }
            if out.count == 4 { break }
        }
        return out.padding(toLength: 4, withPad: "0", startingAt: 0)
    }
}
