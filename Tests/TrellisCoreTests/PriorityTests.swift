import Foundation
import Testing
@testable import TrellisCore

@Suite("Priority and workload")
struct PriorityTests {
    let today = LocalDate("2026-06-15")!

    func entry(_ name: String, opened: String = "2026-03-01", lastContact: String?, frequency: Int = 30)
        -> CaseloadEntry
    {
        var e = CaseloadEntry(
            caseID: UUID(), clientID: UUID(), clientName: name, programName: "Shelter", contactFrequencyDays: frequency,
            stage: .engagement, priority: .medium, openedOn: LocalDate(opened)!,
            lastContactOn: lastContact.flatMap(LocalDate.init))
        e.daysSinceContact = ContactRule.daysSinceContact(lastContact: e.lastContactOn, today: today)
        e.contactOverdue = ContactRule.isOverdue(
            lastContact: e.lastContactOn, openedOn: e.openedOn, frequencyDays: frequency, today: today)
        return e
    }

    @Test func eachSignalAddsItsWeightAndIsNamed() {
        var e = entry("A", lastContact: "2026-05-01") // 45 days: overdue, 6 full weeks
        e.crisisDomains = 2 // high acuity, two domains in crisis
        let p = PriorityRanker.score(
            e, signals: .init(alertReasons: ["PHQ-9 item 9"], overdueTasks: 7), weights: .standard, today: today)
        let byKind = Dictionary(uniqueKeysWithValues: p.reasons.map { ($0.kind, $0.points) })
        #expect(
            byKind == [
                .riskAlert: 40, .contactOverdue: 20, .sinceContact: 12, .overdueTasks: 50, .acuity: 20,
                .crisisDomains: 16
            ])
        #expect(p.score == 158 && p.reasons.first?.kind == .overdueTasks) // largest first; tasks are capped at five
        #expect(p.reasons.first { $0.kind == .riskAlert }?.detail == ["PHQ-9 item 9"])
    }

    @Test func weightsDecideTheOrderAndTiesGoToTheLongestWithoutContact() {
        let alert = entry("Alert", lastContact: "2026-06-14")
        let quiet = entry("Quiet", lastContact: "2026-05-01")
        let signals = [alert.caseID: PriorityRanker.Signals(alertReasons: ["x"])]
        let standard = PriorityRanker.rank([quiet, alert], signals: signals, weights: { _ in .standard }, today: today)
        #expect(standard.map(\.entry.clientName) == ["Alert", "Quiet"])
        var w = PriorityWeights()
        w.riskAlert = 0
        let flipped = PriorityRanker.rank([alert, quiet], signals: signals, weights: { _ in w }, today: today)
        #expect(flipped.map(\.entry.clientName) == ["Quiet", "Alert"])
        var zero = PriorityWeights()
        for (_, kp) in PriorityWeights.fields { zero[keyPath: kp] = 0 }
        let tie = PriorityRanker.rank([alert, quiet], signals: signals, weights: { _ in zero }, today: today)
        #expect(tie.allSatisfy { $0.score == 0 && $0.reasons.isEmpty } && tie.first?.entry.clientName == "Quiet")
    }

    @Test func acuityTiersAndTheirCaseloadWeight() {
        #expect(AcuityTier(severity: Severity.severe.rawValue, crisisDomains: 0) == .high)
        #expect(AcuityTier(severity: 0, crisisDomains: 2) == .high)
        #expect(AcuityTier(severity: Severity.moderate.rawValue, crisisDomains: 0) == .moderate)
        #expect(AcuityTier(severity: 0, crisisDomains: 1) == .moderate)
        #expect(AcuityTier(severity: Severity.mild.rawValue, crisisDomains: 0) == .standard)
        #expect(AcuityTier.allCases.map(\.weight) == [1.0, 1.5, 2.0])
    }

    @Test func destinationsGroupByHUDHundredsAndMonthEndsCoverThePeriod() {
        #expect(
            [410, 302, 204, 116, 8, 30, 99, 17].map { DestinationGroup(code: $0) } == [
                .permanent, .temporary, .institutional, .homeless, .missing, .missing, .missing, .other
            ])
        #expect(DestinationGroup(code: nil) == .missing)
        let ends = OutcomeService.monthEnds(from: LocalDate("2026-01-15")!, to: LocalDate("2026-03-10")!)
        #expect(ends.map(\.description) == ["2026-01-31", "2026-02-28", "2026-03-10"])
        #expect(OutcomeService.median([10: 1, 20: 1, 30: 1]) == 20 && OutcomeService.median([10: 1, 20: 1]) == 15)
        #expect(OutcomeService.median([:]) == nil)
    }
}
