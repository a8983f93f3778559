import Foundation
import TrellisCore
import Vapor

/// UI strings, one JSON catalog per language under Resources/i18n. Keys are stable ids; a key missing
/// from a catalog falls back to English, then to the key itself (which a test forbids).
struct Catalogs: Sendable {
    var tables: [Language: [String: String]]
    /// English text → the keys that hold it, to show text Trellis stored in English (an alert's reason, a
    /// band's label) in the reader's language.
    var keysOfEnglish: [String: [String]] = [:]

    static func load() throws -> Catalogs {
        var tables: [Language: [String: String]] = [:]
        for lang in Language.allCases {
            guard
                let url = Bundle.module.url(
                    forResource: lang.rawValue, withExtension: "json", subdirectory: "Resources/i18n")
                    ?? Bundle.module.url(forResource: lang.rawValue, withExtension: "json")
            else {
                throw Abort(.internalServerError, reason: "missing catalog \(lang.rawValue)")
            }
            tables[lang] = try JSONDecoder().decode([String: String].self, from: Data(contentsOf: url))
        }
        var keys: [String: [String]] = [:]
        for (k, v) in tables[.en] ?? [:] { keys[v, default: []].append(k) }
        return Catalogs(tables: tables, keysOfEnglish: keys.mapValues { $0.sorted() })
    }
}

struct Strings: Sendable {
    let language: Language
    let catalogs: Catalogs
    /// The agency's time zone: every moment on a page is shown on its clock, never as raw ISO 8601.
    var timeZone = TimeZone(identifier: "UTC")!

    func dateTime(_ d: Date) -> String { Format.dateTime(d, in: timeZone) }
    func date(_ d: Date) -> String { Format.date(d, in: timeZone) }

    func callAsFunction(_ key: String) -> String {
        catalogs.tables[language]?[key] ?? catalogs.tables[.en]?[key] ?? key
    }

    /// Text Trellis stored in English (from the built-in instruments' rules), in the reader's language when a
    /// catalog key under `prefix` holds that English; otherwise as stored.
    func stored(_ prefix: String, _ english: String) -> String {
        guard let key = catalogs.keysOfEnglish[english]?.first(where: { $0.hasPrefix(prefix) }) else { return english }
        return self(key)
    }

    /// A client's name as a page shows it: a de-identified client's says their personal data was removed.
    func name(_ client: ClientSummary) -> String {
        client.purged ? self("retention.removedName") : client.displayName
    }

    /// A risk alert's reason in the reader's language.
    func alertReason(_ english: String) -> String { stored("alertReason.", english) }

    /// `{name}` placeholders filled from `args`.
    func callAsFunction(_ key: String, _ args: [String: String]) -> String {
        var s = self(key)
        for (k, v) in args { s = s.replacingOccurrences(of: "{\(k)}", with: v) }
        return s
    }

    /// A count's sentence in the right number: `key.one` for 1, `key.other` otherwise (English and Spanish both
    /// use one form for 1 and another for every other count). `{n}` is the count.
    func plural(_ key: String, _ n: Int, _ args: [String: String] = [:]) -> String {
        self(key + (n == 1 ? ".one" : ".other"), args.merging(["n": String(n)]) { a, _ in a })
    }

    /// Domain messages are English sentences; the catalog may translate them under `msg.` + sentence.
    func message(_ english: String) -> String {
        catalogs.tables[language]?["msg." + english] ?? english
    }

    func label<E: RawRepresentable>(_ prefix: String, _ value: E) -> String { self("\(prefix).\(value.rawValue)") }
}

extension Request {
    var language: Language {
        if let p = principal { return p.staff.language }
        if let q = try? query.get(String.self, at: "lang"), let l = Language(rawValue: q) { return l }
        if let accept = headers.first(name: .acceptLanguage)?.lowercased(), accept.hasPrefix("es") { return .es }
        return .en
    }
    var strings: Strings { Strings(language: language, catalogs: runtime.strings, timeZone: deps.timeZone) }
}

/// The built-in instruments' text and HUD's code lists, from the catalogs in the reader's language. Agency
/// forms are the agency's own words and are shown as written.
extension Strings {
    /// A catalog entry in the reader's language (or English), or nil when no catalog has the key.
    func entry(_ key: String) -> String? { catalogs.tables[language]?[key] ?? catalogs.tables[.en]?[key] }

    private func builtIn(_ def: InstrumentDefinition?, _ suffix: String) -> String? {
        guard let def, def.agencyID == nil else { return nil }
        return entry("instrument.\(def.code).\(suffix)")
    }

    func instrumentTitle(_ def: InstrumentDefinition) -> String { builtIn(def, "title") ?? def.title }

    /// The instruction the items answer ("Over the last 2 weeks, how often…"), where the instrument has one.
    func instrumentStem(_ def: InstrumentDefinition) -> String? { builtIn(def, "stem") }

    func itemText(_ def: InstrumentDefinition?, _ item: InstrumentItem) -> String {
        builtIn(def, item.id) ?? item.text
    }

    func optionLabel(_ def: InstrumentDefinition?, _ option: ResponseOption) -> String {
        builtIn(def, "option.\(option.value)") ?? option.label
    }

    func optionDescription(_ def: InstrumentDefinition?, _ item: InstrumentItem, _ option: ResponseOption) -> String? {
        guard option.description != nil else { return nil }
        return builtIn(def, "\(item.id).\(option.value)") ?? option.description
    }

    /// A score band's label: the built-in instruments' from the catalog by its severity, an agency form's as written.
    func bandLabel(_ def: InstrumentDefinition?, _ band: SeverityBand) -> String {
        let key = "band.\(String(describing: band.severity))"
        if let def { return def.agencyID == nil ? self(key) : band.label }
        // A band kept without its instrument is translated only when it is the built-in label for its severity.
        return catalogs.tables[.en]?[key] == band.label ? self(key) : band.label
    }

    func destination(_ code: Int) -> String {
        guard let d = HUDDestination.find(code) else { return String(code) }
        return "\(d.code) · " + (entry("destination.\(d.code)") ?? d.label)
    }

    func recordType(_ code: Int, fallback: String) -> String { entry("recordType.\(code)") ?? fallback }

    /// "Record type: service type" for a service type code ("141:1"), or `fallback` for a code Trellis does not know.
    func serviceTypeLabel(code: String, fallback: String) -> String {
        guard let type = HUDServiceTypes.all.first(where: { $0.code == code }) else { return fallback }
        return recordType(type.recordType, fallback: type.recordLabel) + ": " + serviceType(type)
    }

    func serviceType(_ type: HUDServiceType) -> String {
        entry("serviceType.\(type.recordType).\(type.typeProvided)") ?? type.label
    }
}
