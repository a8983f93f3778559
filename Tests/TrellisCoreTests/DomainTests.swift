import Foundation
import Testing
@testable import TrellisCore

@Suite("Dates")
struct LocalDateTests {
    @Test func parsesBothFormatsAndRejectsImpossibleDates() {
        #expect(LocalDate("2024-02-29")?.description == "2024-02-29")
        #expect(LocalDate("03/12/1985")?.description == "1985-03-12")
        #expect(LocalDate("2023-02-29") == nil)
        #expect(LocalDate("2024-13-01") == nil)
        #expect(LocalDate("not a date") == nil)
    }

    @Test func arithmeticRoundTripsAcrossYearsAndLeapDays() {
        let d = LocalDate("2024-02-28")!
        #expect(d.adding(days: 1).description == "2024-02-29")
        #expect(d.adding(days: 2).description == "2024-03-01")
        #expect(LocalDate("1970-01-01")!.dayNumber == 0)
        #expect(LocalDate("2000-01-01")!.days(until: LocalDate("2001-01-01")!) == 366)
        #expect(LocalDate(dayNumber: LocalDate("1899-12-31")!.dayNumber).description == "1899-12-31")
    }

    @Test func ageCountsOnlyCompletedYears() {
        let dob = LocalDate("2000-06-15")!
        #expect(dob.age(on: LocalDate("2018-06-14")!) == 17)
        #expect(dob.age(on: LocalDate("2018-06-15")!) == 18)
    }
}

@Suite("Validation")
struct ValidationTests {
    let today = LocalDate("2026-06-15")!

    @Test func futureAndAncientDatesAreRefused() {
        var v = Validator()
        #expect(v.date("a", "2026-06-16", today: today) == nil)
        #expect(v.date("b", "1899-12-31", today: today) == nil)
        #expect(v.date("c", "2026-06-15", today: today) != nil)
        #expect(v.errors.map(\.field) == ["a", "b"])
        #expect(v.errors[0].message == "cannot be in the future")
    }

    @Test func textIsTrimmedAndLimited() {
        var v = Validator()
        #expect(v.text("name", "  Ana  ") == "Ana")
        #expect(v.text("long", String(repeating: "x", count: 201)) == nil)
        #expect(v.text("req", "   ", required: true) == nil)
        #expect(v.text("ctl", "a\u{0007}b") == nil)
        #expect(v.errors.map(\.field) == ["long", "req", "ctl"])
    }
}

@Suite("Search and matching")
struct MatchingTests {
    @Test func normalisationIgnoresCaseAccentsAndPunctuation() {
        #expect(SearchText.normalize("José Núñez-García") == "jose nunez garcia")
        #expect(SearchText.normalize("  O'Brien ") == "o brien")
    }

    @Test func queriesAreClassified() throws {
        let id = UUID()
        #expect(ClientQuery.parse(id.uuidString) == .id(id))
        #expect(ClientQuery.parse("1985-03-12") == .birthDate(LocalDate("1985-03-12")!))
        #expect(ClientQuery.parse("García, Ana") == .name(["garcia", "ana"]))
        #expect(ClientQuery.parse("   ") == nil)
    }

    @Test func jaroWinklerMatchesPublishedValues() {
        #expect(abs(DuplicateMatcher.jaroWinkler("martha", "marhta") - 0.961) < 0.001)
        #expect(abs(DuplicateMatcher.jaroWinkler("dwayne", "duane") - 0.84) < 0.001)
        #expect(DuplicateMatcher.jaroWinkler("abc", "xyz") == 0)
    }

    @Test func soundexFollowsTheAmericanRules() {
        #expect(Soundex.code("Robert") == "R163")
        #expect(Soundex.code("Rupert") == "R163")
        #expect(Soundex.code("Ashcraft") == "A261")
        #expect(Soundex.code("Tymczak") == "T522")
        #expect(Soundex.code("Pfister") == "P236")
    }

    func summary(_ first: String, _ last: String, _ dob: String?) -> ClientSummary {
        ClientSummary(
            id: UUID(), firstName: first, lastName: last, preferredName: nil, birthDate: dob.flatMap(LocalDate.init))
    }

    @Test func aTypoInTheSurnameAndADayOffIsALikelyDuplicateWithReasons() {
        let probe = DuplicateMatcher.Probe(firstName: "Rosa", lastName: "Alvarada", birthDate: LocalDate("1985-03-13"))
        let found = DuplicateMatcher.likelyDuplicates(
            of: probe,
            among: [
                summary("Rosa", "Alvarado", "1985-03-12"),
                summary("Rosa", "Smith", "1990-01-01")
            ])
        #expect(found.count == 1)
        #expect(found[0].client.lastName == "Alvarado")
        #expect(found[0].reasons.contains("same first name"))
        #expect(found[0].reasons.contains("date of birth within two days"))
    }

    @Test func swappedDayAndMonthIsRecognised() {
        let probe = DuplicateMatcher.Probe(firstName: "Liam", lastName: "Nguyen", birthDate: LocalDate("1990-04-07"))
        let c = DuplicateMatcher.score(probe, summary("Liam", "Nguyen", "1990-07-04"))
        #expect(c.reasons.contains("date of birth with day and month swapped"))
        #expect(c.score >= DuplicateMatcher.threshold)
    }

    @Test func aSharedCommonFirstNameAloneIsNotADuplicate() {
        let probe = DuplicateMatcher.Probe(firstName: "Maria", lastName: "Lopez", birthDate: LocalDate("1970-01-01"))
        #expect(DuplicateMatcher.likelyDuplicates(of: probe, among: [summary("Maria", "Okafor", "1995-05-05")]).isEmpty)
    }

    @Test func nearBirthDatesIncludeTyposButStayBounded() {
        let dates = DuplicateMatcher.nearBirthDates(LocalDate("1990-04-07")!)
        #expect(dates.contains(LocalDate("1990-07-04")!))
        #expect(dates.contains(LocalDate("1989-04-07")!))
        #expect(dates.contains(LocalDate("1990-04-09")!))
        #expect(dates.count <= 8)
    }
}

@Suite("Policy")
struct PolicyTests {
    func actor(_ role: Role) -> ActingUser { ActingUser(id: UUID(), agencyID: UUID(), teamID: nil, role: role) }

    @Test func auditorsReadButNeverWrite() {
        let a = actor(.auditor)
        // Agency-wide read (the care-team rule), never write.
        let f = CaseAccessFacts(
            caseID: UUID(), programID: UUID(), primaryCaseManagerID: UUID(), caseManagerTeamID: nil, restriction: nil,
            actorAssigned: false, actorManagesProgram: false, actorWorksInProgram: false)
        #expect(CareTeam.decide(f, policy: .needToKnow, grantID: nil, actor: a).level == .read)
        #expect(!Policy.allows(a, .writeClient))
        #expect(!Policy.allows(a, .writeNote))
        #expect(!Policy.allows(a, .openCase))
        #expect(Policy.allows(a, .viewAccessHistory))
    }

    @Test func onlyAgencyAdminsManageUsersAndPrograms() {
        for role in Role.allCases {
            #expect(Policy.allows(actor(role), .manageUsers) == (role == .agencyAdmin))
            #expect(Policy.allows(actor(role), .managePrograms) == (role == .agencyAdmin))
        }
    }

    @Test func aCaseManagerUpdatesOnlyTheirOwnCasesAndSignsOnlyTheirOwnNotes() {
        let cm = actor(.caseManager)
        #expect(Policy.allows(cm, .updateCase(primaryCaseManagerID: cm.id)))
        #expect(!Policy.allows(cm, .updateCase(primaryCaseManagerID: UUID())))
        #expect(Policy.allows(cm, .signNote(authorID: cm.id)))
        #expect(!Policy.allows(actor(.supervisor), .signNote(authorID: cm.id)))
    }

    @Test func anotherAgencysRecordIsNotFoundRatherThanForbidden() {
        let a = actor(.agencyAdmin)
        #expect(throws: TrellisError.notFound("client")) { try Policy.requireSameAgency(a, UUID(), "client") }
    }

    @Test func contactIsOverdueOnlyAfterTheFrequencyHasPassed() {
        let opened = LocalDate("2026-01-01")!
        #expect(
            !ContactRule.isOverdue(
                lastContact: nil, openedOn: opened, frequencyDays: 30, today: LocalDate("2026-01-31")!))
        #expect(
            ContactRule.isOverdue(
                lastContact: nil, openedOn: opened, frequencyDays: 30, today: LocalDate("2026-02-01")!))
        #expect(
            !ContactRule.isOverdue(
                lastContact: LocalDate("2026-01-20")!, openedOn: opened, frequencyDays: 30,
                today: LocalDate("2026-02-01")!))
    }
}

@Suite("Duplicate ranking")
struct DuplicateRankingTests {
    /// Found by the browser journey: with many similar surnames, the closest spelling must rank first.
    @Test func theClosestSpellingRanksFirstAmongEquallyReasonedCandidates() {
        let probe = DuplicateMatcher.Probe(
            firstName: "Marisol", lastName: "Quintanillaiktc", birthDate: LocalDate("1985-03-13"))
        let others = (0..<8).map { i in
            ClientSummary(
                id: UUID(), firstName: "Marisol",
                lastName: "Quintanilla" + ["abxy", "qrst", "mnop", "zzzz", "aaaa", "bbbb", "cccc", "iktu"][i],
                preferredName: nil, birthDate: LocalDate("1985-03-12"))
        }
        let found = DuplicateMatcher.likelyDuplicates(of: probe, among: others)
        #expect(found.first?.client.lastName == "Quintanillaiktu")
    }
}

@Suite("Normalisation fast path")
struct NormalisationTests {
    @Test func asciiAndUnicodePathsAgree() {
        for s in ["O'Brien-Smith  Jr.", "  ana   MARIA ", "x1 y2", "", "---", "Núñez", "Zoë O'Neil"] {
            let viaUnicode = s.decomposedStringWithCanonicalMapping.unicodeScalars
                .filter { $0.properties.generalCategory != .nonspacingMark }
                .map { CharacterSet.alphanumerics.contains($0) ? String($0).lowercased() : " " }
                .joined().split(separator: " ").joined(separator: " ")
            #expect(SearchText.normalize(s) == viaUnicode, "\(s)")
        }
    }
}

@Suite("Read memo and audit ids")
struct ReadMemoTests {
    @Test func timeOrderedIDsCarryTheirMillisecondVersionAndVariantAndSortByTime() {
        // Half a millisecond in, so each moment lies plainly within its millisecond.
        let base: UInt64 = 1_781_524_800_123
        let at = { (i: Int) in Date(timeIntervalSince1970: (Double(base + UInt64(i)) + 0.5) / 1000) }
        let ids = (0..<200).map { UUID.timeOrdered(at: at($0)) }
        for (i, id) in ids.enumerated() {
            let b = id.uuid
            let ms = [b.0, b.1, b.2, b.3, b.4, b.5].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            #expect(ms == base + UInt64(i))
            #expect(b.6 >> 4 == 7 && b.8 >> 6 == 2)
        }
        // Later ids sort after earlier ones, in their text form as stored in SQLite.
        #expect(ids.map(\.uuidString) == ids.map(\.uuidString).sorted())
        // Within one millisecond the rest is random.
        #expect(Set((0..<50).map { _ in UUID.timeOrdered(at: at(0)) }).count == 50)
    }

    @Test func aMemoAnswersOnceDecidedAndHoldsAuditEntriesUntilItCloses() {
        let memo = ReadMemo()
        let actor = UUID()
        let (a, b) = (UUID(), UUID())
        #expect(memo.access([a, b], actorID: actor).missing.count == 2)
        memo.remember([a: ClientAccess(client: .nothing, cases: [:])], actorID: actor)
        let after = memo.access([a, b], actorID: actor)
        #expect(after.known.keys.sorted { $0.uuidString < $1.uuidString } == [a] && after.missing == [b])
        // Another person's question is theirs to answer.
        #expect(memo.access([a], actorID: UUID()).missing == [a])
        let entry = AuditEntry(
            id: UUID(), at: Date(), actorID: actor, agencyID: nil, action: "client.view", recordType: "client",
            recordID: a, clientID: a)
        #expect(memo.hold([entry]) && memo.hold([entry]))
        #expect(memo.close().count == 2)
        // Once closed, entries are no longer held: they are to be written at once.
        #expect(!memo.hold([entry]) && memo.close().isEmpty)
    }
}
