import Foundation
import Testing
@testable import TrellisCore

/// Trivial passwords and the forms looked up in the common list; text with nothing visible and bidirectional
/// overrides (issue 15, point 6).
@Suite("Passwords and names")
struct PasswordRuleTests {
    @Test func trivialPatternsAreRecognisedAndOrdinaryPassphrasesAreNot() {
        for p in [
            "aaaaaaaaaaaa", "abababababab", "abcabcabcabc", "121212121212", "123456789012", "abcdefghijkl",
            "lkjihgfedcba", "aabbaabbaabb"
        ] {
            #expect(PasswordRules.isTrivial(p), "\(p)")
        }
        for p in ["correct horse battery", "river-kettle-57-lantern", "Tq8#wLp2vXz9"] {
            #expect(!PasswordRules.isTrivial(p), "\(p)")
        }
    }

    @Test func commonPasswordsAreLookedUpBehindTheirUsualDisguises() {
        #expect(PasswordRules.candidates("Password2026!").contains("password"))
        #expect(PasswordRules.candidates("P@ssw0rd1234").contains("password"))
        #expect(PasswordRules.candidates("!!dragon123456").contains("dragon"))
        #expect(PasswordRules.candidates("river-kettle") == ["river-kettle"])
    }

    @Test func textWithNothingVisibleIsRefusedAndOverridesAreRemoved() {
        var v = Validator()
        #expect(v.text("lastName", "\u{200B}\u{200B}\u{FEFF}", required: true) == nil)
        #expect(v.text("firstName", "\u{202E}\u{3164}\u{2800}", required: true) == nil)
        #expect(v.errors.map(\.field) == ["lastName", "firstName"])
        #expect(v.errors.allSatisfy { $0.message == "must contain letters, digits or signs you can see" })
        var ok = Validator()
        #expect(ok.text("lastName", "Ru\u{202E}iz\u{202C}") == "Ruiz")
        #expect(ok.text("lastName", "\u{2067}محمد\u{2069}") == "محمد")
        // Marks that belong to letters, and the right-to-left mark, are kept.
        #expect(ok.text("firstName", "Jose\u{301}") == "Jose\u{301}")
        #expect(ok.text("note", "\u{200F}שלום") == "\u{200F}שלום")
        #expect(ok.errors.isEmpty)
    }
}
