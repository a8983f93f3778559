import Foundation

/// What makes a password too easy to guess, beyond its length: being (a thin disguise of) one of the most
/// common passwords, or a trivial pattern. The list itself is the web layer's (`PasswordHasher.isCommon`);
/// the rules here are pure.
public enum PasswordRules {
    /// The forms of `password` looked up in the common list: as typed (lower-cased), without the digits and
    /// symbols people add at either end ("Password2026!"), and with the usual letter swaps undone ("p@ssw0rd").
    public static func candidates(_ password: String) -> [String] {
        let lower = password.lowercased()
        func trimmed(_ s: String) -> String {
            s.trimmingCharacters(in: CharacterSet.decimalDigits.union(.punctuationCharacters).union(.symbols))
        }
        let swaps: [Character: Character] = [
            "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"
        ]
        func unswapped(_ s: String) -> String { String(s.map { swaps[$0] ?? $0 }) }
        var out: [String] = []
        for s in [lower, trimmed(lower), unswapped(lower), trimmed(unswapped(lower)), unswapped(trimmed(lower))]
        where !s.isEmpty && !out.contains(s) {
            out.append(s)
        }
        return out
    }

    /// True for a password made of few distinct characters, one short unit repeated ("abcabcabcabc"), or a run
    /// of consecutive characters ("123456789012", "abcdefghijkl").
    public static func isTrivial(_ password: String) -> Bool {
        let chars = Array(password.lowercased())
        guard !chars.isEmpty else { return true }
        if Set(chars).count <= 3 { return true }
        for unit in 1...min(6, chars.count / 2) where chars.count % unit == 0 {
            let head = Array(chars[0..<unit])
            if stride(from: 0, to: chars.count, by: unit).allSatisfy({ Array(chars[$0..<$0 + unit]) == head }) {
                return true
            }
        }
        let scalars = password.lowercased().unicodeScalars.map { Int($0.value) }
        let steps = zip(scalars.dropFirst(), scalars).map { $0 - $1 }
        // Digits wrap ("…890123…") as they do on a keyboard.
        let up = steps.allSatisfy { $0 == 1 || $0 == -9 }
        let down = steps.allSatisfy { $0 == -1 || $0 == 9 }
        return up || down
    }
}
