import Foundation
import Plot
import TrellisCore

enum Format {
    /// A moment as the agency's clock shows it, `2026-06-15 14:05`.
    static func dateTime(_ d: Date, in zone: TimeZone) -> String {
        formatter("yyyy-MM-dd HH:mm", zone).string(from: d)
    }

    /// The agency's calendar day of a moment, `2026-06-15`.
    static func date(_ d: Date, in zone: TimeZone) -> String {
        formatter("yyyy-MM-dd", zone).string(from: d)
    }

    private static func formatter(_ format: String, _ zone: TimeZone) -> DateFormatter {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = zone
        f.dateFormat = format
        return f
    }
}
