import Foundation
import TrellisCore

/// SplitMix64: small, fast and deterministic, so a seed always yields the same demo data.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func uuid() -> UUID {
        var a = next(), b = next()
        var bytes = [UInt8](repeating: 0, count: 16)
        withUnsafeBytes(of: &a) { for i in 0..<8 { bytes[i] = $0[i] } }
        withUnsafeBytes(of: &b) { for i in 0..<8 { bytes[8 + i] = $0[i] } }
        bytes[6] = (bytes[6] & 0x0F) | 0x40; bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
    mutating func pick<T>(_ a: [T]) -> T { a[Int(next() % UInt64(a.count))] }
    mutating func chance(_ p: Double) -> Bool { Double(next() % 10_000) / 10_000 < p }
    mutating func int(_ r: ClosedRange<Int>) -> Int { r.lowerBound + Int(next() % UInt64(r.count)) }
}

/// Realistic synthetic agencies, staff, clients, households, cases and notes. No real person's
/// data: names are drawn from common given names and surnames and combined at random.
public struct DemoSeeder: Sendable {
    public static let demoPassword = "trellis-demo-2026"
    public struct Summary: Sendable {
        public var clients = 0, household = 0, cases = 0, notes = 0, staff = 0
        public var signIns: [(username: String, role: Role)] = []
    }

    let store: SQLStore
    let deps: Dependencies
    let hasher: any PasswordHasher

    public init(store: SQLStore, deps: Dependencies, hasher: any PasswordHasher) {
        self.store = store; self.deps = deps; self.hasher = hasher
    }

    static let given = ["María", "José", "Aaliyah", "Liam", "Olivia", "Noah", "Emma", "Mateo", "Sofía", "Elijah", "Ava", "Lucas",
        "Mia", "Ethan", "Isabella", "James", "Amara", "Kwame", "Nia", "Dmitri", "Anh", "Minh", "Fatima", "Omar", "Layla", "Yusuf",
        "Chloe", "Daniel", "Grace", "Samuel", "Zoe", "Gabriel", "Hannah", "Leah", "Isaac", "Ruth", "Tyrone", "Keisha", "DeShawn",
        "Imani", "Carmen", "Luis", "Ana", "Jorge", "Rosa", "Wei", "Mei", "Hiroshi", "Yuki", "Priya", "Arjun", "Aisha", "Mohammed",
        "Sara", "Elena", "Iván", "Chinedu", "Ngozi", "Tomás", "Lucía", "Marcus", "Jasmine", "Robert", "Linda", "Michael", "Patricia",
        "David", "Jennifer", "Joseph", "Barbara", "Charles", "Susan", "Thomas", "Margaret", "Kevin", "Dorothy", "Brian", "Nancy"]
    static let family = ["García", "Smith", "Johnson", "Williams", "Brown", "Jones", "Martínez", "Rodríguez", "Hernández", "López",
        "González", "Pérez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Nguyen", "Tran", "Kim",
        "Park", "Chen", "Wang", "Li", "Patel", "Singh", "Khan", "Ali", "Hassan", "Okafor", "Mensah", "Diallo", "Ivanova", "Kowalski",
        "Novak", "Murphy", "O'Brien", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Ramírez", "Flores", "Rivera",
        "Gómez", "Díaz", "Reyes", "Cruz", "Morales", "Ortiz", "Gutiérrez", "Chávez", "Ramos", "Ruiz", "Álvarez", "Mendoza", "Castillo",
        "Washington", "Jefferson", "Brooks", "Coleman", "Jenkins", "Bennett", "Hughes", "Price", "Sanders", "Nakamura", "Yamamoto",
        "Haddad", "Abdullah", "Cohen", "Schwartz", "Müller", "Schmidt", "Rossi", "Russo", "Silva", "Santos", "Núñez", "Peña"]
    /// Name, type, contact frequency, reassessment interval (days), plan approval required.
    static let programs: [(String, ProgramType, Int, Int, Bool)] = [
        ("Emergency Shelter", .emergencyShelter, 7, 30, false), ("Rapid Re-Housing", .rapidRehousing, 30, 90, false),
        ("Re-entry Services", .reentry, 14, 90, true), ("School Success", .school, 30, 90, false),
        ("Hospital Transitions", .hospital, 14, 30, false), ("Foster Care Support", .fosterCare, 30, 90, true),
    ]
    /// Programs that require more than the regular contact: a home visit at least this often.
    static let contactRules: [ProgramType: [ContactRequirement]] = [
        .rapidRehousing: [ContactRequirement(contactType: .homeVisit, everyDays: 180)],
        .fosterCare: [ContactRequirement(contactType: .homeVisit, everyDays: 30)],
    ]
    static let letterTemplates: [(String, String)] = [
        ("Request for appeal hearing", """
        {{today}}

        To: {{advocacy.other_party}}

        Re: Request for a fair hearing on behalf of {{client.name}} (date of birth {{client.birth_date}})

        I am writing on behalf of {{client.name}}, who receives case management from {{agency.name}} in our {{program.name}} program, to request a fair hearing on the decision described in your recent notice. The deadline for filing is {{advocacy.filing_deadline}}.

        {{client.first_name}} disagrees with the decision and asks that benefits continue while the appeal is decided. Please send all notices to the client at {{client.address}} and a copy to me.

        Sincerely,

        {{case_manager.name}}
        Case Manager, {{agency.name}}
        """),
        ("Verification of program participation", """
        {{today}}

        To whom it may concern:

        This letter confirms that {{client.name}} has been enrolled in the {{program.name}} program at {{agency.name}} since {{case.opened_on}} and is working with a case manager on housing, income and other goals.

        Please contact me with any questions.

        {{case_manager.name}}
        Case Manager, {{agency.name}}
        """),
    ]
    static let narratives = [
        "Met with client to review housing search progress. Client viewed two units this week and is waiting to hear back on one application.",
        "Client reported difficulty sleeping and increased stress about employment. Discussed coping strategies and a referral to counseling.",
        "Home visit completed. Apartment is clean and stocked with food. Client is paying rent on time and wants to start budgeting classes.",
        "Phone check-in. Client attended job interview and was offered part-time work. Will follow up on childcare arrangements.",
        "Collateral contact with school counselor about attendance. Attendance has improved since the transportation plan started.",
        "Client missed scheduled appointment. Left voicemail and sent a text to reschedule for next week.",
        "Reviewed benefits application status with client. SNAP approved; Medicaid renewal documents still needed.",
        "Accompanied client to court date. Hearing continued for thirty days. Client understands next steps.",
    ]

    /// Seeds agencies, staff and `clients` clients. Deterministic for a given `seed` and clock.
    public func seed(clients count: Int, seed: UInt64 = 2026) async throws -> Summary {
        var rng = SeededGenerator(seed: seed)
        var summary = Summary()
        let now = deps.now(), today = deps.today
        let passwordHash = try await hasher.hash(Self.demoPassword)

        let agencyNames = ["Riverbend Family Services", "Harbor Light Shelter"]
        for (ai, agencyName) in agencyNames.enumerated() {
            let share = ai == 0 ? count - count / 5 : count / 5
            let agency = Agency(id: rng.uuid(), name: agencyName, createdAt: now)
            try await store.insertAgency(agency)
            var programs: [Program] = []
            for (name, type, freq, reassess, approval) in Self.programs {
                let p = Program(id: rng.uuid(), agencyID: agency.id, name: name, type: type, contactFrequencyDays: freq,
                                reassessmentDays: reassess, requiresPlanApproval: approval, contactRules: Self.contactRules[type] ?? [],
                                referralResponseDays: 7, createdAt: now)
                try await store.insertProgram(p); programs.append(p)
            }
            let teamCount = 3
            var teams: [Team] = []
            for i in 0..<teamCount {
                let t = Team(id: rng.uuid(), agencyID: agency.id, programID: programs[i].id, name: "\(programs[i].name) Team", createdAt: now)
                try await store.insertTeam(t); teams.append(t)
            }
            let prefix = ai == 0 ? "" : "harbor-"
            func staff(_ username: String, _ name: String, _ role: Role, team: Team?) async throws -> StaffMember {
                let s = StaffMember(id: rng.uuid(), agencyID: agency.id, teamID: team?.id, username: prefix + username, displayName: name,
                                    role: role, language: .en, passwordHash: passwordHash, createdAt: now)
                try await store.insertStaff(s)
                summary.staff += 1
                return s
            }
            let admin = try await staff("admin", "Alex Admin", .agencyAdmin, team: nil)
            // Ids from the clock's generator, not `rng`, so the seeded people stay the same as before templates existed.
            for (name, body) in Self.letterTemplates {
                try await store.insertRecord(LetterTemplate(id: deps.newID(), agencyID: agency.id, name: name, body: body, updatedAt: now, updatedBy: admin.id, version: 1))
            }
            _ = try await staff("auditor", "Avery Auditor", .auditor, team: nil)
            _ = try await staff("programmanager", "Parker Program", .programManager, team: nil)
            var managers: [StaffMember] = []
            for (i, t) in teams.enumerated() {
                _ = try await staff("supervisor\(i + 1)", "\(rng.pick(Self.given)) \(rng.pick(Self.family))", .supervisor, team: t)
            }
            let managerCount = max(3, share / 35)
            for i in 0..<managerCount {
                managers.append(try await staff("casemanager\(i + 1)", "\(rng.pick(Self.given)) \(rng.pick(Self.family))", .caseManager,
                                                team: teams[i % teamCount]))
            }
            if ai == 0 {
                summary.signIns = [("admin", .agencyAdmin), ("supervisor1", .supervisor), ("casemanager1", .caseManager),
                                   ("programmanager", .programManager), ("auditor", .auditor)]
            }

            var done = 0
            let batch = 2000
            while done < share {
                let n = min(batch, share - done)
                var clients: [Client] = [], household: [HouseholdMember] = [], cases: [Case] = [], notes: [CaseNote] = []
                clients.reserveCapacity(n)
                for _ in 0..<n {
                    let id = rng.uuid()
                    let dob = LocalDate(year: rng.int(1946...2008), month: rng.int(1...12), day: rng.int(1...28))!
                    let first = rng.pick(Self.given), last = rng.pick(Self.family)
                    let races = (0..<(rng.chance(0.15) ? 2 : 1)).map { _ in rng.pick(RaceEthnicity.allCases) }
                    let c = Client(id: id, agencyID: agency.id, firstName: first, middleName: nil, lastName: last, nameSuffix: nil,
                                   nameDataQuality: .full, preferredName: rng.chance(0.05) ? rng.pick(Self.given) : nil,
                                   pronouns: rng.chance(0.3) ? rng.pick(["she/her", "he/him", "they/them"]) : nil,
                                   ssn: nil, ssnDataQuality: .notCollected, birthDate: dob, dobDataQuality: .full,
                                   sex: rng.pick([.female, .male, .female, .male, .notCollected]),
                                   races: Array(Set(races)).sorted { $0.rawValue < $1.rawValue }, raceNone: nil,
                                   additionalRaceEthnicity: nil, veteranStatus: dob.age(on: today) > 20 && rng.chance(0.08) ? .yes : .no,
                                   phone: rng.chance(0.7) ? "555-01\(rng.int(10...99))" : nil, email: nil, address: nil,
                                   preferredLanguage: rng.chance(0.25) ? "Spanish" : "English",
                                   createdAt: now, updatedAt: now, createdBy: admin.id, version: 1)
                    clients.append(c)
                    if rng.chance(0.3) {
                        for _ in 0..<rng.int(1...3) {
                            household.append(HouseholdMember(id: rng.uuid(), clientID: id, firstName: rng.pick(Self.given), lastName: last,
                                                             birthDate: LocalDate(year: rng.int(2008...2024), month: rng.int(1...12), day: rng.int(1...28)),
                                                             relationship: rng.pick([.child, .child, .spouseOrPartner, .otherRelative])))
                        }
                    }
                    let program = rng.pick(programs)
                    let manager = managers[Int(rng.next() % UInt64(managers.count))]
                    let opened = today.adding(days: -rng.int(5...400))
                    let closed = rng.chance(0.2)
                    var k = Case(id: rng.uuid(), agencyID: agency.id, clientID: id, programID: program.id, primaryCaseManagerID: manager.id,
                                 status: closed ? .closed : .open, stage: rng.pick(CaseStage.allCases.filter { $0 != .closing }),
                                 priority: rng.pick([.low, .medium, .medium, .high, .urgent]), openedOn: opened,
                                 closedOn: closed ? today.adding(days: -rng.int(0...min(4, opened.days(until: today)))) : nil,
                                 lastContactOn: nil, contactDueOn: opened.adding(days: program.contactFrequencyDays),
                                 createdAt: now, updatedAt: now, version: 1)
                    if closed { k.stage = .closing }
                    var lastContact: LocalDate? = nil
                    for _ in 0..<rng.int(0...4) {
                        let date = opened.adding(days: rng.int(0...max(0, opened.days(until: today))))
                        let type: ContactType = rng.pick(ContactType.allCases)
                        let signed = rng.chance(0.85)
                        notes.append(CaseNote(id: rng.uuid(), agencyID: agency.id, caseID: k.id, clientID: id, authorID: manager.id,
                                              contactType: type, contactDate: date, durationMinutes: rng.pick([15, 30, 45, 60, 90]),
                                              participants: ["Client"], format: .narrative, sections: ["narrative": rng.pick(Self.narratives)],
                                              status: signed ? .signed : .draft, signedAt: signed ? now : nil, addendumTo: nil,
                                              createdAt: now, updatedAt: now, version: signed ? 2 : 1))
                        if type.countsAsContact, lastContact == nil || date > lastContact! { lastContact = date }
                    }
                    // Most open cases are being worked: a recent contact within the program's frequency.
                    if !closed && rng.chance(0.7) {
                        let recent = today.adding(days: -rng.int(0...max(0, min(program.contactFrequencyDays - 1, opened.days(until: today)))))
                        notes.append(CaseNote(id: rng.uuid(), agencyID: agency.id, caseID: k.id, clientID: id, authorID: manager.id,
                                              contactType: rng.pick([.inPerson, .homeVisit, .phone, .video]), contactDate: recent,
                                              durationMinutes: rng.pick([15, 30, 45, 60]), participants: ["Client"], format: .narrative,
                                              sections: ["narrative": rng.pick(Self.narratives)], status: .signed, signedAt: now,
                                              addendumTo: nil, createdAt: now, updatedAt: now, version: 2))
                        if lastContact == nil || recent > lastContact! { lastContact = recent }
                    }
                    k.lastContactOn = lastContact
                    k.contactDueOn = (lastContact ?? opened).adding(days: program.contactFrequencyDays)
                    cases.append(k)
                }
                let (c0, h0, k0, n0) = (clients, household, cases, notes)
                try await store.transaction { tx in
                    let s = tx as! SQLStore
                    try await s.insertClients(c0, household: h0)
                    try await s.insertCases(k0)
                    try await s.insertNotes(n0)
                }
                summary.clients += n; summary.household += household.count; summary.cases += cases.count; summary.notes += notes.count
                done += n
            }
        }
        return summary
    }
}
