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
        var a = next()
        var b = next()
        var bytes = [UInt8](repeating: 0, count: 16)
        withUnsafeBytes(of: &a) { for i in 0..<8 { bytes[i] = $0[i] } }
        withUnsafeBytes(of: &b) { for i in 0..<8 { bytes[8 + i] = $0[i] } }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            ))
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
        public var clients = 0, household = 0, cases = 0, notes = 0, staff = 0, resources = 0
        public var signIns: [(username: String, role: Role)] = []
    }

    let store: SQLStore
    let deps: Dependencies
    let hasher: any PasswordHasher

    public init(store: SQLStore, deps: Dependencies, hasher: any PasswordHasher) {
        self.store = store
        self.deps = deps
        self.hasher = hasher
    }

    static let given = [
        "María", "José", "Aaliyah", "Liam", "Olivia", "Noah", "Emma", "Mateo", "Sofía", "Elijah", "Ava", "Lucas",
        "Mia", "Ethan", "Isabella", "James", "Amara", "Kwame", "Nia", "Dmitri", "Anh", "Minh", "Fatima", "Omar",
        "Layla", "Yusuf",
        "Chloe", "Daniel", "Grace", "Samuel", "Zoe", "Gabriel", "Hannah", "Leah", "Isaac", "Ruth", "Tyrone", "Keisha",
        "DeShawn",
        "Imani", "Carmen", "Luis", "Ana", "Jorge", "Rosa", "Wei", "Mei", "Hiroshi", "Yuki", "Priya", "Arjun", "Aisha",
        "Mohammed",
        "Sara", "Elena", "Iván", "Chinedu", "Ngozi", "Tomás", "Lucía", "Marcus", "Jasmine", "Robert", "Linda",
        "Michael", "Patricia",
        "David", "Jennifer", "Joseph", "Barbara", "Charles", "Susan", "Thomas", "Margaret", "Kevin", "Dorothy", "Brian",
        "Nancy"
    ]
    static let family = [
        "García", "Smith", "Johnson", "Williams", "Brown", "Jones", "Martínez", "Rodríguez", "Hernández", "López",
        "González", "Pérez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Nguyen",
        "Tran", "Kim",
        "Park", "Chen", "Wang", "Li", "Patel", "Singh", "Khan", "Ali", "Hassan", "Okafor", "Mensah", "Diallo",
        "Ivanova", "Kowalski",
        "Novak", "Murphy", "O'Brien", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Ramírez",
        "Flores", "Rivera",
        "Gómez", "Díaz", "Reyes", "Cruz", "Morales", "Ortiz", "Gutiérrez", "Chávez", "Ramos", "Ruiz", "Álvarez",
        "Mendoza", "Castillo",
        "Washington", "Jefferson", "Brooks", "Coleman", "Jenkins", "Bennett", "Hughes", "Price", "Sanders", "Nakamura",
        "Yamamoto",
        "Haddad", "Abdullah", "Cohen", "Schwartz", "Müller", "Schmidt", "Rossi", "Russo", "Silva", "Santos", "Núñez",
        "Peña"
    ]
    /// Name, type, contact frequency, reassessment interval (days), plan approval required.
    static let programs: [(String, ProgramType, Int, Int, Bool)] = [
        ("Emergency Shelter", .emergencyShelter, 7, 30, false), ("Rapid Re-Housing", .rapidRehousing, 30, 90, false),
        ("Re-entry Services", .reentry, 14, 90, true), ("School Success", .school, 30, 90, false),
        ("Hospital Transitions", .hospital, 14, 30, false), ("Foster Care Support", .fosterCare, 30, 90, true)
    ]
    /// HUD project data for a demo program, through HUD's rules like any administrator's (`ProjectDescriptorService`):
    /// the shelter and rapid re-housing are Continuum projects with beds, funders and a (synthetic) CoC, the rest
    /// locally funded services.
    static func descriptor(_ p: Program, agency: String, today: LocalDate) throws -> ProjectDescriptor {
        var i = ProjectDescriptorInput()
        i.organizationName = agency
        i.victimServiceProvider = false
        i.operatingStartDate = "2015-07-01"
        var coc = ProjectDescriptorInput.CoCInput()
        coc.cocCode = "XX-501"
        coc.geocode = "999999"
        coc.city = "Riverbend"
        coc.geographyType = 1
        i.cocs = [coc]
        var participation = ProjectDescriptorInput.ParticipationInput()
        participation.participationType = 1
        participation.startDate = "2015-07-01"
        i.participation = [participation]
        var funder = ProjectDescriptorInput.FunderInput()
        funder.grantID = "DEMO-\(p.type.rawValue.uppercased())-\(today.year)"
        funder.startDate = "\(today.year - 1)-10-01"
        funder.endDate = "\(today.year)-09-30"
        var inventory = ProjectDescriptorInput.InventoryInput()
        inventory.cocCode = "XX-501"
        inventory.startDate = "2015-07-01"
        switch p.type {
        case .emergencyShelter:
            i.continuumProject = true
            i.projectType = 0
            i.housingType = 1
            funder.funder = 8
            inventory.householdType = 1
            inventory.availability = 1
            inventory.esBedType = 1
            inventory.unitInventory = 60
            inventory.bedInventory = 60
            inventory.vetBedInventory = 6
            i.inventory = [inventory]
        case .rapidRehousing:
            i.continuumProject = true
            i.projectType = 13
            i.rrhSubType = 2
            i.housingType = 3
            funder.funder = 3
            inventory.householdType = 3
            inventory.unitInventory = 25
            inventory.bedInventory = 80
            i.inventory = [inventory]
        default:
            i.continuumProject = false
            funder.funder = 46
            funder.otherFunder = "Riverbend Community Foundation"
        }
        i.funders = [funder]
        return try ProjectDescriptorService.validate(i)
    }

    /// Programs that require more than the regular contact: a home visit at least this often.
    static let contactRules: [ProgramType: [ContactRequirement]] = [
        .rapidRehousing: [ContactRequirement(contactType: .homeVisit, everyDays: 180)],
        .fosterCare: [ContactRequirement(contactType: .homeVisit, everyDays: 30)]
    ]
    static let letterTemplates: [(String, String)] = [
        (
            "Request for appeal hearing",
            """
            {{today}}

            To: {{advocacy.other_party}}

            Re: Request for a fair hearing on behalf of {{client.name}} (date of birth {{client.birth_date}})

            I am writing on behalf of {{client.name}}, who receives case management from {{agency.name}} in our \
            {{program.name}} program, to request a fair hearing on the decision described in your recent notice. The \
            deadline for filing is {{advocacy.filing_deadline}}.

            {{client.first_name}} disagrees with the decision and asks that benefits continue while the appeal is \
            decided. Please send all notices to the client at {{client.address}} and a copy to me.

            Sincerely,

            {{case_manager.name}}
            Case Manager, {{agency.name}}
            """
        ),
        (
            "Verification of program participation",
            """
            {{today}}

            To whom it may concern:

            This letter confirms that {{client.name}} has been enrolled in the {{program.name}} program at \
            {{agency.name}} since {{case.opened_on}} and is working with a case manager on housing, income and other \
            goals.

            Please contact me with any questions.

            {{case_manager.name}}
            Case Manager, {{agency.name}}
            """
        )
    ]
    static let narratives = [
        "Met with client to review housing search progress. Client viewed two units this week and is waiting to hear back on one application.",
        "Client reported difficulty sleeping and increased stress about employment. Discussed coping strategies and a referral to counseling.",
        "Home visit completed. Apartment is clean and stocked with food. Client is paying rent on time and wants to start budgeting classes.",
        "Phone check-in. Client attended job interview and was offered part-time work. Will follow up on childcare arrangements.",
        "Collateral contact with school counselor about attendance. Attendance has improved since the transportation plan started.",
        "Client missed scheduled appointment. Left voicemail and sent a text to reschedule for next week.",
        "Reviewed benefits application status with client. SNAP approved; Medicaid renewal documents still needed.",
        "Accompanied client to court date. Hearing continued for thirty days. Client understands next steps."
    ]

    /// Caseload targets and the approval rules per program (by position in `programs`).
    static let targets = [25, 35, 25, 35, 20, 20]
    static let closureApproval: Set<ProgramType> = [.reentry, .fosterCare]
    static let noteCosign: Set<ProgramType> = [.fosterCare]
    /// HUD 3.12 destinations with rough weights: mostly permanent, some temporary, institutional,
    /// homeless, and a few missing (8, 9, 99, 30) for the data-quality report.
    static let destinations: [(Int, Int)] = [
        (410, 18), (435, 10), (421, 8), (422, 6), (411, 4), (302, 8), (312, 5), (313, 4),
        (204, 3), (207, 3), (215, 2), (116, 5), (101, 4), (8, 2), (9, 2), (99, 3), (30, 3), (17, 2)
    ]
    static let providers = [
        "County Benefits Office", "Harbor Legal Aid", "Northside Food Bank", "Riverside Counseling Center",
        "Workforce One", "Metro Housing Authority", "Community Health Clinic", "Bright Start Child Care"
    ]
    static let goalTexts: [(String, String, String)] = [
        ("housing", "Move into stable housing", "Signed lease"),
        ("income", "Increase monthly income", "Income above $1,500 a month"),
        ("employment", "Find steady work", "Employed 20+ hours a week for 60 days"),
        ("healthCareCoverage", "Get health coverage", "Medicaid approved"),
        ("mental_health", "Start counseling", "Attends 4 sessions"),
        ("child_care", "Arrange child care", "Child enrolled in care"),
        ("legal", "Resolve outstanding warrant", "Court date attended"), ("food", "Stable food supply", "SNAP approved")
    ]

    static func weighted<T>(_ rng: inout SeededGenerator, _ items: [(T, Int)]) -> T {
        var r = Int(rng.next() % UInt64(items.reduce(0) { $0 + $1.1 }))
        for (x, w) in items {
            if r < w { return x }
            r -= w
        }
        return items.last!.0
    }

    /// Seeds agencies, staff and `clients` clients, each with about 1.5 cases and 10 notes, and on a share of
    /// cases Self-Sufficiency Matrix assessments, plans with goals, referrals, tasks and co-signature
    /// reviews. Deterministic for a given `seed` and clock.
    public func seed(clients count: Int, seed: UInt64 = 2026) async throws -> Summary {
        var rng = SeededGenerator(seed: seed)
        var summary = Summary()
        let now = deps.now()
        let today = deps.today
        let passwordHash = try await hasher.hash(Self.demoPassword)
        let ssm = BuiltInInstruments.selfSufficiencyMatrix
        let phq9 = BuiltInInstruments.phq9

        let agencyNames = ["Riverbend Family Services", "Harbor Light Shelter"]
        for (ai, agencyName) in agencyNames.enumerated() {
            let share = ai == 0 ? count - count / 5 : count / 5
            let agency = Agency(id: rng.uuid(), name: agencyName, createdAt: now)
            try await store.insertAgency(agency)
            var programs: [Program] = []
            for (i, (name, type, freq, reassess, approval)) in Self.programs.enumerated() {
                var p = Program(
                    id: rng.uuid(), agencyID: agency.id, name: name, type: type, contactFrequencyDays: freq,
                    reassessmentDays: reassess, requiresPlanApproval: approval,
                    contactRules: Self.contactRules[type] ?? [],
                    referralResponseDays: 7, createdAt: now)
                p.caseloadTarget = Self.targets[i]
                p.requiresClosureApproval = Self.closureApproval.contains(type)
                p.requiresNoteCosign = Self.noteCosign.contains(type)
                try await store.insertProgram(p)
                _ = try await store.setProjectDescriptor(
                    programID: p.id, try Self.descriptor(p, agency: agencyName, today: today), expectedVersion: 0)
                programs.append(p)
            }
            // About 28 open cases per case manager (0.68 open cases per client), eight case managers per team.
            let managerCount = max(programs.count, Int(Double(share) * 0.68 / 28))
            let teamCount = max(programs.count, managerCount / 8)
            var teams: [Team] = []
            for i in 0..<teamCount {
                let p = programs[i % programs.count]
                let n = i / programs.count + 1
                let t = Team(
                    id: rng.uuid(), agencyID: agency.id, programID: p.id,
                    name: n == 1 ? "\(p.name) Team" : "\(p.name) Team \(n)", createdAt: now)
                teams.append(t)
            }
            try await store.bulkInsertTeams(teams)
            let prefix = ai == 0 ? "" : "harbor-"
            var staffBatch: [StaffMember] = []
            func staff(_ username: String, _ name: String, _ role: Role, team: Team?) -> StaffMember {
                let s = StaffMember(
                    id: rng.uuid(), agencyID: agency.id, teamID: team?.id, username: prefix + username,
                    displayName: name,
                    role: role, language: .en, passwordHash: passwordHash, createdAt: now)
                staffBatch.append(s)
                summary.staff += 1
                return s
            }
            let admin = staff("admin", "Alex Admin", .agencyAdmin, team: nil)
            _ = staff("auditor", "Avery Auditor", .auditor, team: nil)
            let pm = staff("programmanager", "Parker Program", .programManager, team: nil)
            for (i, t) in teams.enumerated() {
                _ = staff(
                    "supervisor\(i + 1)", "\(rng.pick(Self.given)) \(rng.pick(Self.family))", .supervisor, team: t)
            }
            var managersByProgram: [UUID: [StaffMember]] = [:]
            for i in 0..<managerCount {
                let t = teams[i % teamCount]
                let m = staff(
                    "casemanager\(i + 1)", "\(rng.pick(Self.given)) \(rng.pick(Self.family))", .caseManager, team: t)
                managersByProgram[t.programID!, default: []].append(m)
            }
            try await store.bulkInsertStaff(staffBatch)
            // The demo program manager runs four of the six programs.
            for p in programs.prefix(4) { try await store.setProgramManagers(programID: p.id, staffIDs: [pm.id]) }
            // Ids from the clock's generator, not `rng`, so seeded people do not depend on the templates.
            for (name, body) in Self.letterTemplates {
                try await store.insertRecord(
                    LetterTemplate(
                        id: deps.newID(), agencyID: agency.id, name: name, body: body, updatedAt: now,
                        updatedBy: admin.id, version: 1))
            }
            summary.resources += try await seedDirectory(agency: agency, admin: admin)
            if ai == 0 {
                summary.signIns = [
                    ("admin", .agencyAdmin), ("supervisor1", .supervisor), ("casemanager1", .caseManager),
                    ("programmanager", .programManager), ("auditor", .auditor)
                ]
            }

            var done = 0
            let batch = 2000
            while done < share {
                let n = min(batch, share - done)
                var b = SeedBatch()
                // Household members are clients too, counted in `n`.
                while b.clients.count < n {
                    seedClient(
                        &rng, &b, room: n - b.clients.count - 1, agency: agency, admin: admin, programs: programs,
                        managersByProgram: managersByProgram,
                        ssm: ssm, phq9: phq9, today: today, now: now)
                }
                let batchData = b
                try await store.transaction { tx in try await (tx as! SQLStore).insertSeedBatch(batchData) }
                summary.clients += b.clients.count
                summary.household += b.households.reduce(0) { $0 + $1.members.count - 1 }
                summary.cases += b.cases.count
                summary.notes += b.notes.count
                done += n
            }
            for p in programs {
                if let type = p.visitRule?.contactType {
                    try await store.refreshLastVisit(programID: p.id, contactType: type, caseID: nil)
                }
            }
        }
        return summary
    }

    /// Synthetic providers for the resource directory, so "find a service" works on first run: organization,
    /// service, what it does, the needs it answers (plan domains), categories, hours, phone and street. Every
    /// name, street and number is made up (555-01xx numbers are reserved for fiction).
    static let directory: [(String, String, String, [String], [String], String, String, String)] = [
        (
            "Riverbend Housing Collaborative", "Rapid re-housing and deposit help",
            "Finds an apartment with the household and pays the first month's rent and deposit.",
            ["housing", "finances"], ["Housing", "Rent assistance"], "Mon–Fri 9:00–17:00", "555-0101", "12 Alder Way"
        ),
        (
            "Riverbend Housing Collaborative", "Tenant mediation",
            "Mediates with landlords before an eviction is filed.", ["housing", "legal"],
            ["Housing", "Eviction prevention"], "Tue and Thu 10:00–16:00", "555-0101", "12 Alder Way"
        ),
        (
            "Northside Community Pantry", "Weekly groceries", "Groceries once a week, no appointment needed.",
            ["finances", "physical_health"], ["Food", "Food pantry"], "Wed 12:00–18:00, Sat 9:00–12:00", "555-0112",
            "480 Birch Street"
        ),
        (
            "Clearwater Counseling Center", "Counseling on a sliding scale",
            "Individual and family counseling; fees follow income.", ["mental_health", "support_system"],
            ["Mental health", "Counseling"], "Mon–Sat 8:00–20:00", "555-0123", "77 Cedar Court"
        ),
        (
            "Clearwater Counseling Center", "Crisis walk-in hours", "Same-day help for a mental-health crisis.",
            ["mental_health", "safety"], ["Mental health", "Crisis"], "Every day 8:00–22:00", "555-0124",
            "77 Cedar Court"
        ),
        (
            "New Path Recovery Services", "Outpatient recovery program",
            "Assessment, group and individual treatment for alcohol and drug use.", ["substance_use"],
            ["Substance use", "Outpatient treatment"], "Mon–Fri 7:00–19:00", "555-0135", "9 Dogwood Lane"
        ),
        (
            "Eastgate Legal Aid", "Benefits and housing appeals",
            "Free advice and representation at benefit and housing hearings.", ["legal", "finances"],
            ["Legal", "Appeals"], "Mon–Thu 9:00–16:00", "555-0146", "301 Elm Row"
        ),
        (
            "Riverbend Works", "Job readiness and placement", "Résumés, interview practice and job placement.",
            ["education_employment", "finances"], ["Employment", "Job training"], "Mon–Fri 9:00–17:00", "555-0157",
            "55 Fir Avenue"
        ),
        (
            "Riverbend Adult Learning", "High-school equivalency classes", "Evening classes and exam fees covered.",
            ["education_employment"], ["Education", "Adult education"], "Mon–Thu 18:00–21:00", "555-0168",
            "14 Gum Street"
        ),
        (
            "Lakeside Community Clinic", "Primary care for uninsured adults",
            "Check-ups, prescriptions and help enrolling in health coverage.", ["physical_health"],
            ["Health", "Primary care"], "Mon–Fri 8:00–18:00", "555-0179", "620 Hazel Road"
        ),
        (
            "Safe Harbor Network", "Safety planning and shelter referral",
            "Confidential safety planning for people experiencing violence at home.", ["safety", "housing"],
            ["Safety", "Domestic violence"], "Every day, all hours", "555-0180", "Confidential location"
        ),
        (
            "Neighbors Together", "Peer support groups", "Weekly groups for parents, caregivers and veterans.",
            ["support_system", "mental_health"], ["Support groups"], "Tue 18:00–19:30", "555-0191", "3 Ivy Place"
        )
    ]

    /// Fills an agency's resource directory through the directory service, as an admin would.
    func seedDirectory(agency: Agency, admin: StaffMember) async throws -> Int {
        let directory = ResourceDirectory(store: store, deps: deps)
        var organizations: [String: UUID] = [:]
        for (org, name, description, needs, categories, hours, phone, street) in Self.directory {
            var input = ResourceServiceInput()
            if let id = organizations[org] { input.organizationID = id } else { input.organizationName = org }
            input.name = name
            input.description = description
            input.needs = needs
            input.categories = categories
            input.hours = hours
            input.phone = phone
            input.address = street
            input.city = "Riverbend"
            input.languages = ["English", "Spanish"]
            let saved = try await directory.save(nil, input, expectedVersion: nil, by: ActingUser(admin))
            organizations[org] = saved.organizationID
        }
        return Self.directory.count
    }

    /// One synthetic person with every universal data element, as an intake would record them.
    static func person(
        _ rng: inout SeededGenerator, last: String, born: LocalDate, language: String, agency: Agency,
        admin: StaffMember, today: LocalDate, now: Date
    ) -> Client {
        let id = rng.uuid()
        let dobQuality: DataQuality = Self.weighted(
            &rng,
            [
                (.full, 940), (.partial, 30), (.clientDoesNotKnow, 10), (.clientPrefersNotToAnswer, 10),
                (.notCollected, 10)
            ])
        let dob = born
        let first = rng.pick(Self.given)
        let races = (0..<(rng.chance(0.15) ? 2 : 1)).map { _ in rng.pick(RaceEthnicity.allCases) }
        let raceNone: RaceNone? = Self.weighted(
            &rng, [(nil, 960), (.clientDoesNotKnow, 10), (.clientPrefersNotToAnswer, 20), (.notCollected, 10)])
        let nameQuality: DataQuality = Self.weighted(
            &rng, [(.full, 985), (.partial, 10), (.clientPrefersNotToAnswer, 5)])
        // No social security numbers are generated, so none can be real: the demo records why each is absent.
        let ssnQuality: DataQuality = Self.weighted(
            &rng, [(.clientDoesNotKnow, 15), (.clientPrefersNotToAnswer, 35), (.notCollected, 50)])
        let veteran: NoYesMissing = Self.weighted(
            &rng,
            [
                (dob.age(on: today) > 20 ? .yes : .no, 80), (.no, 880), (.clientDoesNotKnow, 10),
                (.clientPrefersNotToAnswer, 10), (.notCollected, 20)
            ])
        return Client(
            id: id, agencyID: agency.id, firstName: first, middleName: nil, lastName: last, nameSuffix: nil,
            nameDataQuality: nameQuality, preferredName: rng.chance(0.05) ? rng.pick(Self.given) : nil,
            pronouns: rng.chance(0.3) ? rng.pick(["she/her", "he/him", "they/them"]) : nil,
            ssn: nil, ssnDataQuality: ssnQuality, birthDate: dobQuality == .full || dobQuality == .partial ? dob : nil,
            dobDataQuality: dobQuality,
            sex: Self.weighted(
                &rng,
                [
                    (.female, 48), (.male, 47), (.clientDoesNotKnow, 1), (.clientPrefersNotToAnswer, 2),
                    (.notCollected, 2)
                ]),
            races: raceNone == nil ? Array(Set(races)).sorted { $0.rawValue < $1.rawValue } : [], raceNone: raceNone,
            additionalRaceEthnicity: nil, veteranStatus: veteran,
            phone: rng.chance(0.7) ? "555-01\(rng.int(10...99))" : nil, email: nil, address: nil,
            preferredLanguage: language,
            createdAt: now, updatedAt: now, createdBy: admin.id, version: 1)
    }

    func seedClient(
        _ rng: inout SeededGenerator, _ b: inout SeedBatch, room: Int, agency: Agency, admin: StaffMember,
        programs: [Program],
        managersByProgram: [UUID: [StaffMember]], ssm: InstrumentDefinition, phq9: InstrumentDefinition,
        today: LocalDate, now: Date
    ) {
        let last = rng.pick(Self.family)
        let dob = LocalDate(year: rng.int(1946...2008), month: rng.int(1...12), day: rng.int(1...28))!
        let language = rng.chance(0.25) ? "Spanish" : "English"
        let c = Self.person(
            &rng, last: last, born: dob, language: language, agency: agency, admin: admin, today: today, now: now)
        let id = c.id
        b.clients.append(c)
        // Three in ten heads present with one to three others, each a client of their own.
        var others: [HouseholdMembership] = []
        if room > 0, rng.chance(0.3) {
            let household = rng.uuid()
            var members = [
                HouseholdMembership(
                    householdID: household, clientID: id, relationship: .selfHead, addedAt: now, addedBy: admin.id)
            ]
            for _ in 0..<min(room, rng.int(1...3)) {
                var relationship: RelationshipToHoH = rng.pick([.child, .child, .spouseOrPartner, .otherRelative])
                // One spouse or partner at most.
                if relationship == .spouseOrPartner, members.contains(where: { $0.relationship == .spouseOrPartner }) {
                    relationship = .child
                }
                let born =
                    relationship == .child
                    ? LocalDate(year: rng.int(2008...2024), month: rng.int(1...12), day: rng.int(1...28))!
                    : LocalDate(year: rng.int(1950...2006), month: rng.int(1...12), day: rng.int(1...28))!
                let m = Self.person(
                    &rng, last: last, born: born, language: language, agency: agency, admin: admin, today: today,
                    now: now)
                b.clients.append(m)
                members.append(
                    HouseholdMembership(
                        householdID: household, clientID: m.id, relationship: relationship, addedAt: now,
                        addedBy: admin.id))
            }
            b.households.append(
                Household(
                    id: household, agencyID: agency.id, createdAt: now, updatedAt: now, version: 1, members: members))
            others = Array(members.dropFirst())
        }
        // Half the clients have a second, later case in another program; the earlier one is closed.
        let twoCases = rng.chance(0.5)
        let firstProgram = rng.int(0...(programs.count - 1))
        var caseStart = today.adding(days: -rng.int(twoCases ? 200...1000 : 5...700))
        for k in 0..<(twoCases ? 2 : 1) {
            let program = programs[(firstProgram + k * rng.int(1...(programs.count - 1))) % programs.count]
            let pool = managersByProgram[program.id] ?? managersByProgram.values.first!
            let manager = pool[Int(rng.next() % UInt64(pool.count))]
            let opened = caseStart
            let room = opened.days(until: today)
            let closed = (twoCases && k == 0) || rng.chance(0.3)
            let closedOn: LocalDate? =
                closed
                ? opened.adding(days: rng.int(min(room, 14)...max(min(room, 14), k == 0 && twoCases ? room / 2 : room)))
                : nil
            let end = closedOn ?? today
            var kase = Case(
                id: rng.uuid(), agencyID: agency.id, clientID: id, programID: program.id,
                primaryCaseManagerID: manager.id,
                status: closed ? .closed : .open,
                stage: closed ? .closing : rng.pick(CaseStage.allCases.filter { $0 != .closing }),
                priority: rng.pick([.low, .medium, .medium, .high, .urgent]), openedOn: opened, closedOn: closedOn,
                lastContactOn: nil, contactDueOn: opened.adding(days: program.contactFrequencyDays), createdAt: now,
                updatedAt: now, version: 1)
            if closed {
                kase.closureReason = rng.pick(ClosureReason.allCases)
                kase.exitDestination = rng.chance(0.03) ? nil : Self.weighted(&rng, Self.destinations)
            }
            var extra = SeedCaseExtra()
            let span = max(0, opened.days(until: end))
            var lastContact: LocalDate? = nil
            for _ in 0..<rng.int(3...10) {
                let date = opened.adding(days: rng.int(0...span))
                let type: ContactType = rng.pick(ContactType.allCases)
                let signed = closed || rng.chance(0.9)
                b.notes.append(
                    CaseNote(
                        id: rng.uuid(), agencyID: agency.id, caseID: kase.id, clientID: id, authorID: manager.id,
                        contactType: type, contactDate: date, durationMinutes: rng.pick([15, 30, 45, 60, 90]),
                        participants: ["Client"], format: .narrative,
                        sections: ["narrative": rng.pick(Self.narratives)],
                        status: signed ? .signed : .draft, signedAt: signed ? now : nil, addendumTo: nil,
                        createdAt: now, updatedAt: now, version: signed ? 2 : 1))
                if type.countsAsContact, lastContact == nil || date > lastContact! { lastContact = date }
            }
            // Most open cases are being worked: a recent contact within the program's frequency.
            if !closed && rng.chance(0.7) {
                let recent = today.adding(days: -rng.int(0...max(0, min(program.contactFrequencyDays - 1, span))))
                let note = CaseNote(
                    id: rng.uuid(), agencyID: agency.id, caseID: kase.id, clientID: id, authorID: manager.id,
                    contactType: rng.pick([.inPerson, .homeVisit, .phone, .video]), contactDate: recent,
                    durationMinutes: rng.pick([15, 30, 45, 60]), participants: ["Client"], format: .narrative,
                    sections: ["narrative": rng.pick(Self.narratives)], status: .signed, signedAt: now,
                    addendumTo: nil, createdAt: now, updatedAt: now, version: 2)
                b.notes.append(note)
                if lastContact == nil || recent > lastContact! { lastContact = recent }
                if program.requiresNoteCosign && rng.chance(0.3) {
                    b.noteReviews.append(
                        NoteReview(
                            id: rng.uuid(), agencyID: agency.id, caseID: kase.id, clientID: id, noteID: note.id,
                            programID: program.id, authorID: manager.id, submittedAt: now, status: .pending, version: 1)
                    )
                }
            }
            kase.lastContactOn = lastContact
            kase.contactDueOn = (lastContact ?? opened).adding(days: program.contactFrequencyDays)

            // A third of cases have the Self-Sufficiency Matrix at intake and, when long enough, a later one.
            var assessments: [Assessment] = []
            if rng.chance(0.33) {
                var levels = ssm.items.map { _ in Self.weighted(&rng, [(1, 6), (2, 34), (3, 42), (4, 18)]) }
                var on = opened.adding(days: min(span, rng.int(0...10)))
                for _ in 0..<(span > 60 ? rng.int(2...3) : 1) {
                    var answers: [String: Answer] = [:]
                    for (i, item) in ssm.items.enumerated() {
                        answers[item.id] = rng.chance(0.08) ? .notApplicable : .value(levels[i])
                    }
                    if let scored = try? InstrumentScorer.score(ssm, answers: answers) {
                        let a = Assessment(
                            id: rng.uuid(), agencyID: agency.id, caseID: kase.id, clientID: id, assessorID: manager.id,
                            completedOn: on, result: scored, createdAt: now)
                        assessments.append(a)
                        if !closed, on.days(until: today) < 45 {
                            for alert in scored.alerts {
                                let open = rng.chance(0.4)
                                b.alerts.append(
                                    RiskAlert(
                                        id: rng.uuid(), agencyID: agency.id, caseID: kase.id, clientID: id,
                                        assessmentID: a.id,
                                        reason: alert.reason, raisedAt: now, acknowledgedAt: open ? nil : now,
                                        acknowledgedBy: open ? nil : manager.id,
                                        actionTaken: open ? nil : "Safety plan reviewed with client."))
                            }
                        }
                    }
                    // Most domains improve a little between assessments; a few slip back.
                    levels = levels.map { l in min(5, max(1, l + Self.weighted(&rng, [(1, 45), (0, 45), (-1, 10)]))) }
                    on = on.adding(days: max(1, (on.days(until: end)) / 2))
                    if on > end { break }
                }
            }
            if rng.chance(0.15), span > 0 {
                let answers = Dictionary(
                    uniqueKeysWithValues: phq9.items.map {
                        ($0.id, Answer.value(Self.weighted(&rng, [(0, 50), (1, 30), (2, 14), (3, 6)])))
                    })
                if let scored = try? InstrumentScorer.score(phq9, answers: answers) {
                    assessments.append(
                        Assessment(
                            id: rng.uuid(), agencyID: agency.id, caseID: kase.id, clientID: id, assessorID: manager.id,
                            completedOn: opened.adding(days: rng.int(0...span)), result: scored, createdAt: now))
                }
            }
            if !assessments.isEmpty {
                b.assessments += assessments
                let signals = CaseSignals.from(assessments)
                extra.signals = signals
                extra.lastAssessedOn = assessments.map(\.completedOn).max()
            }
            // A plan with two to four goals on a third of cases.
            if rng.chance(0.35) {
                let goals = (0..<rng.int(2...4)).map { _ -> PlanGoal in
                    let (domain, goal, target) = rng.pick(Self.goalTexts)
                    let status: GoalStatus =
                        closed
                        ? Self.weighted(&rng, [(.achieved, 55), (.discontinued, 20), (.inProgress, 25)])
                        : Self.weighted(&rng, [(.achieved, 20), (.inProgress, 55), (.notStarted, 25)])
                    return PlanGoal(
                        id: rng.uuid(), domain: domain, need: nil, goal: goal, target: target,
                        targetDate: opened.adding(days: rng.int(60...240)), status: status)
                }
                let pending = !closed && program.requiresPlanApproval && rng.chance(0.1)
                let plan = ServicePlan(
                    id: rng.uuid(), agencyID: agency.id, caseID: kase.id, clientID: id, version: 1,
                    status: pending ? .pendingApproval : .active, goals: goals,
                    agreedOn: opened.adding(days: min(span, 7)),
                    agreementMethod: .signedInPerson, changeSummary: nil, createdBy: manager.id, createdAt: now)
                b.plans.append(plan)
                if !pending { extra.goals = plan.goalCounts }
                // A referral for one of the goals on most planned cases.
                if rng.chance(0.7) {
                    let sent = opened.adding(days: min(span, rng.int(3...20)))
                    let g = goals[0]
                    var status: ReferralStatus = Self.weighted(
                        &rng,
                        [
                            (.completed, 35), (.connected, 15), (.notCompleted, 10), (.declined, 10),
                            (.accepted, 15), (.waitlisted, 5), (.sent, 10)
                        ])
                    if status == .sent && sent.days(until: today) > 6 { status = .accepted }
                    var events = [ReferralEvent(status: .sent, on: sent, by: manager.id, at: now)]
                    let path: [ReferralStatus] =
                        switch status {
                        case .accepted: [.accepted]
                        case .connected: [.accepted, .connected]
                        case .completed: [.accepted, .connected, .completed]
                        case .notCompleted: [.accepted, .notCompleted]
                        case .declined: [.declined]
                        case .waitlisted: [.waitlisted]
                        default: []
                        }
                    var on = sent
                    for step in path {
                        on = min(end, on.adding(days: rng.int(1...14)))
                        events.append(
                            ReferralEvent(
                                status: step, on: on, by: manager.id, at: now,
                                reason: step.needsReason ? "Provider capacity" : nil))
                    }
                    b.referrals.append(
                        Referral(
                            id: rng.uuid(), agencyID: agency.id, caseID: kase.id, clientID: id, goalID: g.id,
                            goalText: g.goal,
                            need: g.domain, providerName: rng.pick(Self.providers), reason: g.goal, consentOn: sent,
                            status: status, sentOn: sent,
                            connectedOn: path.contains(.connected) ? events.first { $0.status == .connected }?.on : nil,
                            responseDueOn: sent.adding(days: 7), events: events, createdBy: manager.id, createdAt: now,
                            updatedAt: now, version: 1))
                }
            }
            if !closed && rng.chance(0.3) {
                let due = today.adding(days: rng.int(-10...20))
                b.tasks.append(
                    CaseTask(
                        id: rng.uuid(), agencyID: agency.id, assigneeID: manager.id, caseID: kase.id, clientID: id,
                        kind: .task,
                        title: rng.pick([
                            "Call landlord about deposit", "Collect pay stubs for application",
                            "Confirm school enrollment",
                            "Schedule benefits appointment", "Follow up on clinic intake"
                        ]),
                        dueOn: due, status: .open, source: .manual, createdBy: manager.id, createdAt: now, version: 1))
            }
            b.cases.append(kase)
            b.extras.append(extra)
            // The household is enrolled with its head, under the case's id as its HouseholdID.
            b.caseMembers += others.map {
                CaseMember(
                    caseID: kase.id, clientID: $0.clientID, relationship: $0.relationship, enteredOn: opened,
                    exitedOn: nil, addedAt: now, addedBy: manager.id)
            }
            caseStart = (closedOn ?? today).adding(days: rng.int(1...30))
            if caseStart > today { caseStart = today }
        }
    }
}

/// One batch of generated records, written in one transaction.
struct SeedBatch: Sendable {
    var clients: [Client] = [], households: [Household] = [], caseMembers: [CaseMember] = [], cases: [Case] = [],
        extras: [SeedCaseExtra] = []
    var notes: [CaseNote] = [], assessments: [Assessment] = [], alerts: [RiskAlert] = [], plans: [ServicePlan] = []
    var referrals: [Referral] = [], tasks: [CaseTask] = [], noteReviews: [NoteReview] = []
}

/// What the services keep on a case beside its own fields.
struct SeedCaseExtra: Sendable {
    var signals: CaseSignals? = nil
    var lastAssessedOn: LocalDate? = nil
    var goals: (total: Int, achieved: Int) = (0, 0)
}
