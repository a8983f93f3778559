import Foundation

/// A message about one field of a form or request body. `field` uses the request's field names,
/// so the web layer can place the message beside its input and the API can point at it.
public struct FieldError: Sendable, Equatable, Codable {
    public let field: String
    public let message: String
    public init(_ field: String, _ message: String) {
        self.field = field
        self.message = message
    }
}

/// The one error type the domain raises. The web layer maps each case to an HTTP status and to an
/// HTML page or RFC 9457 problem JSON; nothing here knows about HTTP.
public enum TrellisError: Error, Sendable, Equatable {
    case notFound(String)
    case forbidden(String)
    case unauthenticated
    case validation([FieldError])
    /// Someone else changed the record since it was read (optimistic concurrency).
    case conflict(String)
    /// The request needs a version (If-Match) and did not send one.
    case preconditionRequired(String)
    case tooManyAttempts(retryAfterSeconds: Int)
}

/// Collects field errors so a form reports every problem at once rather than the first.
public struct Validator: Sendable {
    public private(set) var errors: [FieldError] = []
    public init() {}

    public mutating func add(_ field: String, _ message: String) {
        errors.append(FieldError(field, message))
    }

    /// Trims, enforces presence and a maximum length; returns nil when empty. Bidirectional overrides,
    /// embeddings and isolates are removed (they make text display other than it reads, "RLO" spoofing), and
    /// text with nothing visible in it (only spaces, zero-width or filler characters) is refused.
    public mutating func text(_ field: String, _ value: String?, required: Bool = false, max: Int = 200) -> String? {
        let t = Self.withoutBidiControls(value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if t.isEmpty {
            if required { add(field, "is required") }
            return nil
        }
        if !t.unicodeScalars.contains(where: Self.isVisible) {
            add(field, "must contain letters, digits or signs you can see")
            return nil
        }
        if t.count > max {
            add(field, "must be at most \(max) characters")
            return nil
        }
        if t.unicodeScalars.contains(where: {
            $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\r" && $0 != "\t"
        }) {
            add(field, "contains characters that are not allowed")
            return nil
        }
        return t
    }

    static func withoutBidiControls(_ s: String) -> String {
        guard
            s.unicodeScalars.contains(where: {
                (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value)
            })
        else { return s }
        var out = String.UnicodeScalarView()
        out.append(
            contentsOf: s.unicodeScalars.filter {
                !(0x202A...0x202E).contains($0.value) && !(0x2066...0x2069).contains($0.value)
            })
        return String(out)
    }

    /// Not white space, not a format character (zero-width space, joiners, marks), not a combining mark on its
    /// own, not one of the blank "filler" letters (Hangul, Braille blank).
    static func isVisible(_ u: Unicode.Scalar) -> Bool {
        let p = u.properties
        if p.isWhitespace
            || [.format, .control, .nonspacingMark, .enclosingMark, .spaceSeparator].contains(p.generalCategory)
        {
            return false
        }
        return ![0x115F, 0x1160, 0x3164, 0xFFA0, 0x2800, 0x180E, 0x034F].contains(u.value)
    }

    /// A past-or-present date no earlier than 1900.
    public mutating func date(
        _ field: String, _ value: String?, required: Bool = false, today: LocalDate,
        notBefore: LocalDate? = nil, notBeforeMessage: String? = nil
    ) -> LocalDate? {
        let t = value?.trimmingCharacters(in: .whitespaces) ?? ""
        if t.isEmpty {
            if required { add(field, "is required") }
            return nil
        }
        guard let d = LocalDate(t) else {
            add(field, "must be a real date (YYYY-MM-DD)")
            return nil
        }
        if d > today {
            add(field, "cannot be in the future")
            return nil
        }
        if d.year < 1900 {
            add(field, "must be after 1900")
            return nil
        }
        if let nb = notBefore, d < nb {
            add(field, notBeforeMessage ?? "cannot be before \(nb)")
            return nil
        }
        return d
    }

    public mutating func choice<E: RawRepresentable>(
        _ field: String, _ value: String?, as: E.Type,
        required: Bool = true
    ) -> E? where E.RawValue == String {
        guard let v = value, !v.isEmpty else {
            if required { add(field, "is required") }
            return nil
        }
        guard let e = E(rawValue: v) else {
            add(field, "is not one of the allowed values")
            return nil
        }
        return e
    }

    public mutating func code<E: RawRepresentable>(
        _ field: String, _ value: Int?, as: E.Type,
        required: Bool = true
    ) -> E? where E.RawValue == Int {
        guard let v = value else {
            if required { add(field, "is required") }
            return nil
        }
        guard let e = E(rawValue: v) else {
            add(field, "is not one of HUD's allowed codes")
            return nil
        }
        return e
    }

    public mutating func integer(_ field: String, _ value: Int?, range: ClosedRange<Int>, required: Bool = true) -> Int?
    {
        guard let v = value else {
            if required { add(field, "is required") }
            return nil
        }
        guard range.contains(v) else {
            add(field, "must be between \(range.lowerBound) and \(range.upperBound)")
            return nil
        }
        return v
    }

    public func check() throws {
        if !errors.isEmpty { throw TrellisError.validation(errors) }
    }
}
