import Foundation

/// Normalises names for search and matching: lower case, accents removed, punctuation dropped, so
/// "José Núñez-García" is found by "jose nunez garcia" on SQLite and PostgreSQL alike.
public enum SearchText {
    public static func normalize(_ s: String) -> String {
        if s.utf8.allSatisfy({ $0 < 0x80 }) { return normalizeASCII(s) }
        var out = ""
        out.reserveCapacity(s.count)
        var lastWasSpace = true
        for scalar in s.decomposedStringWithCanonicalMapping.unicodeScalars {
            if scalar.properties.generalCategory == .nonspacingMark { continue }
            if CharacterSet.alphanumerics.contains(scalar) {
                out.unicodeScalars.append(contentsOf: String(scalar).lowercased().unicodeScalars)
                lastWasSpace = false
            } else if !lastWasSpace {
                out.append(" ")
                lastWasSpace = true
            }
        }
        if out.hasSuffix(" ") { out.removeLast() }
        return out
    }

    /// The same result for plain ASCII, without Unicode tables (most names, and the demo's hot path).
    static func normalizeASCII(_ s: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        var lastWasSpace = true
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                out.append(b)
                lastWasSpace = false
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                out.append(b + 32)
                lastWasSpace = false
            default:
                if !lastWasSpace {
                    out.append(UInt8(ascii: " "))
                    lastWasSpace = true
                }
            }
        }
        if out.last == UInt8(ascii: " ") { out.removeLast() }
        return String(decoding: out, as: UTF8.self)
    }

    /// The words of a query, normalised.
    public static func terms(_ s: String) -> [String] {
        normalize(s).split(separator: " ").map(String.init)
    }

    /// The indexed name text for a client: every name they go by.
    public static func indexText(first: String?, middle: String?, last: String?, preferred: String?) -> String {
        normalize([first, middle, last, preferred].compactMap { $0 }.joined(separator: " "))
    }
}

/// What a client search asks for, decided from the text a worker typed.
public enum ClientQuery: Sendable, Equatable {
    case id(UUID)
    case birthDate(LocalDate)
    /// Nine digits typed as an SSN: matched exactly, through the keyed hash.
    case ssn(String)
    /// Normalised words; each must occur in one of the client's names.
    case name([String])

    public static func parse(_ text: String) -> ClientQuery? {
        let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if t.isEmpty { return nil }
        if let id = UUID(uuidString: t) { return .id(id) }
        if let d = LocalDate(t) { return .birthDate(d) }
        if let digits = SSNRules.digits(t) { return .ssn(digits) }
        let terms = SearchText.terms(t)
        return terms.isEmpty ? nil : .name(terms)
    }
}
