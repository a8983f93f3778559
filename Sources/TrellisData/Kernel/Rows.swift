import Foundation
import TrellisCore

// Database rows, named as their columns. They stay in the data layer and map to the domain's
// plain structs; nothing outside this module sees them.

/// Column names and values in one order, for bulk inserts that skip Codable's per-row cost.
protocol BulkRow {
    static var columns: [String] { get }
    var values: [any Encodable & Sendable] { get }
}

enum JSONText {
    static func encode<T: Encodable>(_ v: T) -> String {
        let e = JSONEncoder()
        e.outputFormatting = .sortedKeys
        return String(decoding: (try? e.encode(v)) ?? Data("null".utf8), as: UTF8.self)
    }
    /// The common shapes of note columns, without a JSONEncoder per row.
    static func encode(_ strings: [String]) -> String {
        "[" + strings.map(quote).joined(separator: ",") + "]"
    }
    static func encode(_ dict: [String: String]) -> String {
        "{" + dict.keys.sorted().map { quote($0) + ":" + quote(dict[$0]!) }.joined(separator: ",") + "}"
    }
    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20: out += String(format: "\\u%04x", u.value)
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
    static func decode<T: Decodable>(_ t: T.Type, _ s: String) -> T? {
        try? JSONDecoder().decode(t, from: Data(s.utf8))
    }
}
