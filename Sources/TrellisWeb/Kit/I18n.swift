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
