import Foundation
import Testing
@testable import TrellisCore

/// Answers that add up to `total`: item 9 (if given) first, the rest filled in order with at most 3 each.
func answers(_ def: InstrumentDefinition, total: Int, item9: Int? = nil) -> [String: Answer] {
    var left = total - (item9 ?? 0)
    var out: [String: Answer] = [:]
    for item in def.items {
        if item.id == "item9", let fixed = item9 {
            out[item.id] = .value(fixed)
            continue
        }
        let v = min(3, left)
        out[item.id] = .value(v)
        left -= v
    }
    return out
}

@Suite("PHQ-9 scoring")
struct PHQ9Tests {
    let phq9 = BuiltInInstruments.phq9

    @Test(arguments: [
        (0, "Minimal"), (4, "Minimal"), (5, "Mild"), (9, "Mild"), (10, "Moderate"), (14, "Moderate"),
        (15, "Moderately severe"), (19, "Moderately severe"), (20, "Severe"), (27, "Severe")
    ])
    func bandBoundaries(total: Int, band: String) throws {
        // 27 needs every item at 3, item 9 included; below 25 item 9 stays at 0.
        let r = try InstrumentScorer.score(phq9, answers: answers(phq9, total: total, item9: total > 24 ? 3 : 0))
        #expect(r.total == total)
        #expect(r.band?.label == band)
        #expect(r.alerts.contains { $0.reason.contains("severe range") } == (total >= 20))
    }

    @Test func anyAnswerAboveZeroOnItem9RaisesASafetyAlertWhateverTheTotal() throws {
        for value in 1...3 {
            let r = try InstrumentScorer.score(phq9, answers: answers(phq9, total: value, item9: value))
            #expect(r.total == value)
            #expect(r.band?.label == "Minimal")
            #expect(r.alerts.contains { $0.item == "item9" }, "item 9 = \(value)")
        }
        let none = try InstrumentScorer.score(phq9, answers: answers(phq9, total: 12, item9: 0))
        #expect(!none.alerts.contains { $0.item == "item9" })
    }

    @Test func keepsItsLOINCCodesAndVersion() throws {
        #expect(phq9.loinc == "44249-1")
        #expect(phq9.items.count == 9)
        #expect(phq9.maximumTotal == 27)
        let r = try InstrumentScorer.score(phq9, answers: answers(phq9, total: 3, item9: 0))
        #expect(r.instrumentCode == "phq9" && r.instrumentVersion == 1)
    }

    @Test func everyProblemWithTheAnswersIsReportedAtOnce() {
        var a = answers(phq9, total: 5, item9: 0)
        a["item2"] = .value(4)
        a["item3"] = nil
        a["item4"] = .notApplicable
        a["item10"] = .value(1)
        #expect(
            throws: TrellisError.validation([
                FieldError("answers.item10", "is not an item of this instrument"),
                FieldError("answers.item2", "is not one of the item's options"),
                FieldError("answers.item3", "is required"),
                FieldError("answers.item4", "cannot be marked not applicable")
            ])
        ) { try InstrumentScorer.score(phq9, answers: a) }
        a["item2"] = .value(-1)
        a["item3"] = .value(0)
        a["item4"] = .value(0)
        a["item10"] = nil
        #expect(throws: TrellisError.self) { try InstrumentScorer.score(phq9, answers: a) }
    }
}

@Suite("GAD-7 scoring")
struct GAD7Tests {
    let gad7 = BuiltInInstruments.gad7

    @Test(arguments: [
        (0, "Minimal"), (4, "Minimal"), (5, "Mild"), (9, "Mild"), (10, "Moderate"), (14, "Moderate"),
        (15, "Severe"), (21, "Severe")
    ])
    func bandBoundaries(total: Int, band: String) throws {
        let r = try InstrumentScorer.score(gad7, answers: answers(gad7, total: total))
        #expect(r.total == total)
        #expect(r.band?.label == band)
        #expect(!r.alerts.isEmpty == (total >= 15))
    }

    @Test func keepsItsTotalLOINCCode() {
        #expect(gad7.totalLoinc == "70274-6")
        #expect(gad7.items.count == 7)
        #expect(gad7.maximumTotal == 21)
    }
}

@Suite("Self-Sufficiency Matrix")
struct SSMTests {
    let ssm = BuiltInInstruments.selfSufficiencyMatrix

    func all(_ level: Int) -> [String: Answer] {
        Dictionary(uniqueKeysWithValues: ssm.items.map { ($0.id, Answer.value(level)) })
    }

    @Test func hasTheSeventeenDomainsWithFiveDescribedLevels() {
        #expect(
            ssm.items.map(\.text) == [
                "Housing", "Employment", "Income", "Food", "Child care", "Children's education",
                "Adult education", "Health care coverage", "Life skills", "Mental health", "Substance use",
                "Family relations",
                "Mobility", "Community involvement", "Parenting skills", "Legal", "Safety"
            ])
        for item in ssm.items {
            #expect(item.options.map(\.label) == ["In Crisis", "Vulnerable", "Safe", "Building Capacity", "Empowered"])
            #expect(item.options.map(\.value) == [1, 2, 3, 4, 5])
            #expect(item.options.allSatisfy { !($0.description ?? "").isEmpty }, "\(item.id)")
        }
    }

    @Test func safetyOrHousingInCrisisRaisesAnAlertAndOtherDomainsDoNot() throws {
        #expect(try InstrumentScorer.score(ssm, answers: all(3)).alerts.isEmpty)
        var a = all(3)
        a["safety"] = .value(1)
        #expect(try InstrumentScorer.score(ssm, answers: a).alerts.map(\.item) == ["safety"])
        a = all(3)
        a["housing"] = .value(1)
        #expect(try InstrumentScorer.score(ssm, answers: a).alerts.map(\.item) == ["housing"])
        a = all(3)
        a["housing"] = .value(2)
        a["income"] = .value(1)
        #expect(try InstrumentScorer.score(ssm, answers: a).alerts.isEmpty)
    }

    @Test func notApplicableDomainsAreLeftOutOfTheTotal() throws {
        var a = all(4)
        a["childCare"] = .notApplicable
        a["parentingSkills"] = .notApplicable
        a["childrensEducation"] = .notApplicable
        let r = try InstrumentScorer.score(ssm, answers: a)
        #expect(r.total == 14 * 4)
        #expect(r.band == nil)
        a["safety"] = .value(6)
        #expect(throws: TrellisError.validation([FieldError("answers.safety", "is not one of the item's options")])) {
            try InstrumentScorer.score(ssm, answers: a)
        }
    }

    @Test func aNewVersionDoesNotChangeAResultScoredUnderTheOldOne() throws {
        let before = try InstrumentScorer.score(
            BuiltInInstruments.phq9, answers: answers(BuiltInInstruments.phq9, total: 12, item9: 0))
        var revised = BuiltInInstruments.phq9
        revised.version = 2
        revised.bands = [SeverityBand(0, 27, "Any", .minimal)]
        #expect(before.instrumentVersion == 1)
        #expect(before.band?.label == "Moderate")
        // A result is data: encoding and decoding it keeps the version and band it was scored with.
        let round = try JSONDecoder().decode(ScoredAssessment.self, from: JSONEncoder().encode(before))
        #expect(round == before)
        #expect(try InstrumentScorer.score(revised, answers: before.answers).band?.label == "Any")
    }
}
