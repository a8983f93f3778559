import Foundation

/// A program as HUD describes a project (HMIS Data Standards, project descriptor data elements 2.01–2.08):
/// who operates it, what kind of project it is, where it works, who funds it, what it can house, and how it
/// takes part in HMIS. Kept with the program; an HMIS CSV export writes Organization, Project, ProjectCoC, Funder,
/// Inventory and HMISParticipation from it.
public struct ProjectDescriptor: Sendable, Codable, Equatable {
    /// 2.01: the organization operating the project, and whether it is a victim service provider.
    public var organizationName: String
    public var victimServiceProvider: Bool
    /// 2.02.3 and 2.02.4.
    public var operatingStartDate: LocalDate
    public var operatingEndDate: LocalDate?
    /// 2.02.5: a Continuum project (1) or not (0).
    public var continuumProject: Bool
    /// 2.02.6 (HUD list 2.02.6); nil only for a project that is not a Continuum project.
    public var projectType: Int?
    /// 2.02.A, for rapid re-housing (type 13): 1 services only, 2 housing with or without services.
    public var rrhSubType: Int?
    /// 2.02.B: residential affiliation, for services-only projects (type 6, or 13 with sub-type 1).
    public var residentialAffiliation: Bool?
    /// 2.02.D (list 2.02.D), for residential projects.
    public var housingType: Int?
    /// 2.02.7 (list 2.02.7).
    public var targetPopulation: Int?
    /// 2.02.8: HOPWA-funded medically assisted living facility (0 no, 1 yes, 2 not applicable).
    public var hopwaMedAssistedLivingFac: Int?
    public var cocs: [ProjectCoC]
    public var funders: [ProjectFunder]
    public var inventory: [ProjectInventory]
    public var participation: [HMISParticipation]
    public init(
        organizationName: String, victimServiceProvider: Bool, operatingStartDate: LocalDate,
        operatingEndDate: LocalDate?, continuumProject: Bool, projectType: Int?, rrhSubType: Int?,
        residentialAffiliation: Bool?, housingType: Int?, targetPopulation: Int?, hopwaMedAssistedLivingFac: Int?,
        cocs: [ProjectCoC], funders: [ProjectFunder], inventory: [ProjectInventory],
        participation: [HMISParticipation]
    ) {
        self.organizationName = organizationName
        self.victimServiceProvider = victimServiceProvider
        self.operatingStartDate = operatingStartDate
        self.operatingEndDate = operatingEndDate
        self.continuumProject = continuumProject
        self.projectType = projectType
        self.rrhSubType = rrhSubType
        self.residentialAffiliation = residentialAffiliation
        self.housingType = housingType
        self.targetPopulation = targetPopulation
        self.hopwaMedAssistedLivingFac = hopwaMedAssistedLivingFac
        self.cocs = cocs
        self.funders = funders
        self.inventory = inventory
        self.participation = participation
    }
}

/// 2.03: a Continuum of Care the project serves, with its geography.
public struct ProjectCoC: Sendable, Codable, Equatable {
    public var cocCode: String
    public var geocode: String
    public var address1: String?
    public var address2: String?
    public var city: String?
    public var state: String?
    public var zip: String?
    /// List 2.03.4: 1 urban, 2 suburban, 3 rural, 99 unknown.
    public var geographyType: Int?
}

/// 2.06: one source of funding and its grant.
public struct ProjectFunder: Sendable, Codable, Equatable {
    /// List 2.06.1.
    public var funder: Int
    /// 2.06.A: named when the funder is 46 (local or other).
    public var otherFunder: String?
    public var grantID: String
    public var startDate: LocalDate
    public var endDate: LocalDate?
}

/// 2.07: beds and units for one household type in one CoC over a period.
public struct ProjectInventory: Sendable, Codable, Equatable {
    public var cocCode: String
    /// List 2.07.4: 1 without children, 3 with adults and children, 4 only children.
    public var householdType: Int
    /// List 2.07.6, for emergency shelters only: 1 year-round, 2 seasonal, 3 overflow.
    public var availability: Int?
    /// List 2.07.5, for emergency shelters only: 1 facility-based, 2 voucher, 3 other.
    public var esBedType: Int?
    public var unitInventory: Int
    public var bedInventory: Int
    public var chVetBedInventory: Int?
    public var youthVetBedInventory: Int?
    public var vetBedInventory: Int?
    public var chYouthBedInventory: Int?
    public var youthBedInventory: Int?
    public var chBedInventory: Int?
    public var otherBedInventory: Int?
    public var startDate: LocalDate
    public var endDate: LocalDate?
}

/// 2.08: how the project took part in HMIS over a period (list 2.08.1: 0 not, 1 HMIS, 2 comparable database).
public struct HMISParticipation: Sendable, Codable, Equatable {
    public var participationType: Int
    public var startDate: LocalDate
    public var endDate: LocalDate?
}

/// HUD's code lists for project descriptors (FY2026 HMIS CSV specification).
public enum ProjectLists {
    public static let projectTypes = [0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14]
    public static let rrhSubTypes = [1, 2]
    public static let housingTypes = [1, 2, 3]
    public static let targetPopulations = [1, 3, 4]
    public static let hopwaMedAssisted = [0, 1, 2]
    public static let geographyTypes = [1, 2, 3, 99]
    public static let funders = Array(1...11) + Array(13...27) + [30] + Array(32...46) + Array(50...56)
    public static let householdTypes = [1, 3, 4]
    public static let availabilities = [1, 2, 3]
    public static let esBedTypes = [1, 2, 3]
    public static let participationTypes = [0, 1, 2]
    /// Residential project types (HUD: those with housing type and inventory).
    public static let residential: Set<Int> = [0, 1, 2, 3, 8, 9, 10, 13]
}

/// What the form and the API send: raw values, validated by `ProjectDescriptorService`.
public struct ProjectDescriptorInput: Sendable, Codable, Equatable {
    public var organizationName: String?
    public var victimServiceProvider: Bool?
    public var operatingStartDate: String?
    public var operatingEndDate: String?
    public var continuumProject: Bool?
    public var projectType: Int?
    public var rrhSubType: Int?
    public var residentialAffiliation: Bool?
    public var housingType: Int?
    public var targetPopulation: Int?
    public var hopwaMedAssistedLivingFac: Int?
    public var cocs: [CoCInput]?
    public var funders: [FunderInput]?
    public var inventory: [InventoryInput]?
    public var participation: [ParticipationInput]?
    public init() {}

    public struct CoCInput: Sendable, Codable, Equatable {
        public var cocCode: String?
        public var geocode: String?
        public var address1: String?
        public var address2: String?
        public var city: String?
        public var state: String?
        public var zip: String?
        public var geographyType: Int?
        public init() {}
    }
    public struct FunderInput: Sendable, Codable, Equatable {
        public var funder: Int?
        public var otherFunder: String?
        public var grantID: String?
        public var startDate: String?
        public var endDate: String?
        public init() {}
    }
    public struct InventoryInput: Sendable, Codable, Equatable {
        public var cocCode: String?
        public var householdType: Int?
        public var availability: Int?
        public var esBedType: Int?
        public var unitInventory: Int?
        public var bedInventory: Int?
        public var chVetBedInventory: Int?
        public var youthVetBedInventory: Int?
        public var vetBedInventory: Int?
        public var chYouthBedInventory: Int?
        public var youthBedInventory: Int?
        public var chBedInventory: Int?
        public var otherBedInventory: Int?
        public var startDate: String?
        public var endDate: String?
        public init() {}
    }
    public struct ParticipationInput: Sendable, Codable, Equatable {
        public var participationType: Int?
        public var startDate: String?
        public var endDate: String?
        public init() {}
    }
}

public protocol ProjectDescriptorRepository: Sendable {
    /// The program's descriptor and its version (0 before the first save).
    func projectDescriptor(programID: UUID) async throws -> (ProjectDescriptor?, Int)
    /// Writes it if the stored version is still `expectedVersion`; false means someone else saved first.
    func setProjectDescriptor(programID: UUID, _ d: ProjectDescriptor, expectedVersion: Int) async throws -> Bool
}

/// Project descriptor data (issue 16, point 2): read by anyone of the agency, changed by its administrators.
public struct ProjectDescriptorService: Sendable {
    let store: any TrellisStore
    let deps: Dependencies
    public init(store: any TrellisStore, deps: Dependencies) {
        self.store = store
        self.deps = deps
    }

    public func descriptor(of programID: UUID, by actor: ActingUser) async throws -> (Program, ProjectDescriptor?, Int)
    {
        guard let p = try await store.program(id: programID) else { throw TrellisError.notFound("program") }
        try Policy.requireSameAgency(actor, p.agencyID, "program")
        let (d, v) = try await store.projectDescriptor(programID: programID)
        return (p, d, v)
    }

    public func save(_ programID: UUID, _ input: ProjectDescriptorInput, expectedVersion: Int?, by actor: ActingUser)
        async throws -> (ProjectDescriptor, Int)
    {
        let (p, _, current) = try await descriptor(of: programID, by: actor)
        try Policy.require(actor, .managePrograms)
        guard let expectedVersion else {
            throw TrellisError.preconditionRequired("Send the version you edited (If-Match or version).")
        }
        let d = try Self.validate(input)
        guard expectedVersion == current else { throw TrellisError.conflict(Self.conflictMessage) }
        try await store.transaction { tx in
            guard try await tx.setProjectDescriptor(programID: p.id, d, expectedVersion: expectedVersion) else {
                throw TrellisError.conflict(Self.conflictMessage)
            }
            try await tx.appendAudit([
                deps.audit(actor, .programUpdate, "program", p.id, clientID: nil, changed: ["hud"])
            ])
        }
        return (d, current + 1)
    }

    static let conflictMessage = "Someone else changed this program's HUD data since you opened it. Reload to see it."

    /// A date within HUD's range (1900–2100), future allowed (grants and inventory end later).
    static func date(_ v: inout Validator, _ field: String, _ text: String?, required: Bool) -> LocalDate? {
        let t = text?.trimmingCharacters(in: .whitespaces) ?? ""
        if t.isEmpty {
            if required { v.add(field, "is required") }
            return nil
        }
        guard let d = LocalDate(t), (1900...2100).contains(d.year) else {
            v.add(field, "must be a real date (YYYY-MM-DD)")
            return nil
        }
        return d
    }

    static func code(_ v: inout Validator, _ field: String, _ value: Int?, in list: [Int], required: Bool) -> Int? {
        guard let value else {
            if required { v.add(field, "is required") }
            return nil
        }
        guard list.contains(value) else {
            v.add(field, "is not one of HUD's allowed codes")
            return nil
        }
        return value
    }

    static func count(_ v: inout Validator, _ field: String, _ value: Int?, required: Bool) -> Int? {
        guard let value else {
            if required { v.add(field, "is required") }
            return nil
        }
        guard (0...100_000).contains(value) else {
            v.add(field, "must be a whole number from 0 to 100000")
            return nil
        }
        return value
    }

    static func pattern(
        _ v: inout Validator, _ field: String, _ text: String?, _ regex: String, _ message: String,
        required: Bool
    ) -> String? {
        let t = text?.trimmingCharacters(in: .whitespaces) ?? ""
        if t.isEmpty {
            if required { v.add(field, "is required") }
            return nil
        }
        guard t.range(of: regex, options: .regularExpression) != nil else {
            v.add(field, message)
            return nil
        }
        return t
    }

    static func ordered(_ v: inout Validator, _ field: String, _ start: LocalDate?, _ end: LocalDate?) {
        if let start, let end, end < start { v.add(field, "cannot be before the start date") }
    }

    /// Every problem at once, each named by its field (`funders[0].grantID` …); HUD's cross-field rules included.
    public static func validate(_ i: ProjectDescriptorInput) throws -> ProjectDescriptor {
        var v = Validator()
        let org = v.text("organizationName", i.organizationName, required: true, max: 200)
        let start = date(&v, "operatingStartDate", i.operatingStartDate, required: true)
        let end = date(&v, "operatingEndDate", i.operatingEndDate, required: false)
        ordered(&v, "operatingEndDate", start, end)
        let continuum = i.continuumProject ?? false
        let type = code(&v, "projectType", i.projectType, in: ProjectLists.projectTypes, required: continuum)
        let rrh = code(&v, "rrhSubType", i.rrhSubType, in: ProjectLists.rrhSubTypes, required: type == 13)
        if type != 13 && i.rrhSubType != nil { v.add("rrhSubType", "only for rapid re-housing (project type 13)") }
        let needsAffiliation = type == 6 || (type == 13 && rrh == 1)
        if needsAffiliation && i.residentialAffiliation == nil {
            v.add("residentialAffiliation", "is required for a services-only project")
        }
        let residential = type.map { ProjectLists.residential.contains($0) && !(type == 13 && rrh == 1) } ?? false
        let housing = code(&v, "housingType", i.housingType, in: ProjectLists.housingTypes, required: residential)
        let target = code(
            &v, "targetPopulation", i.targetPopulation, in: ProjectLists.targetPopulations, required: false)
        let hopwa = code(
            &v, "hopwaMedAssistedLivingFac", i.hopwaMedAssistedLivingFac, in: ProjectLists.hopwaMedAssisted,
            required: false)
        var cocs: [ProjectCoC] = []
        for (n, c) in (i.cocs ?? []).enumerated() {
            let f = "cocs[\(n)]"
            let code = pattern(
                &v, "\(f).cocCode", c.cocCode, "^[A-Za-z]{2}-[0-9]{3}$", "must be two letters, a dash and three digits",
                required: true)
            let geo = pattern(&v, "\(f).geocode", c.geocode, "^[0-9]{6}$", "must be six digits", required: true)
            let state = pattern(
                &v, "\(f).state", c.state, "^[A-Za-z]{2}$", "must be a two-letter state", required: false)
            let zip = pattern(&v, "\(f).zip", c.zip, "^[0-9]{5}$", "must be five digits", required: false)
            let geography = self.code(
                &v, "\(f).geographyType", c.geographyType, in: ProjectLists.geographyTypes, required: false)
            if let code, let geo {
                cocs.append(
                    ProjectCoC(
                        cocCode: code.uppercased(), geocode: geo,
                        address1: v.text("\(f).address1", c.address1, max: 100),
                        address2: v.text("\(f).address2", c.address2, max: 100),
                        city: v.text("\(f).city", c.city, max: 50), state: state?.uppercased(), zip: zip,
                        geographyType: geography))
            }
        }
        if continuum && cocs.isEmpty && (i.cocs ?? []).isEmpty {
            v.add("cocs", "a Continuum project names at least one CoC")
        }
        if Set(cocs.map(\.cocCode)).count != cocs.count { v.add("cocs", "each CoC once") }
        var funders: [ProjectFunder] = []
        for (n, x) in (i.funders ?? []).enumerated() {
            let f = "funders[\(n)]"
            let funder = code(&v, "\(f).funder", x.funder, in: ProjectLists.funders, required: true)
            let other = v.text("\(f).otherFunder", x.otherFunder, required: funder == 46, max: 100)
            let grant = v.text("\(f).grantID", x.grantID, required: true, max: 100)
            let s = date(&v, "\(f).startDate", x.startDate, required: true)
            let e = date(&v, "\(f).endDate", x.endDate, required: false)
            ordered(&v, "\(f).endDate", s, e)
            if let funder, let grant, let s {
                funders.append(
                    ProjectFunder(
                        funder: funder, otherFunder: funder == 46 ? other : nil, grantID: grant, startDate: s,
                        endDate: e))
            }
        }
        var inventory: [ProjectInventory] = []
        let shelter = type == 0 || type == 1
        for (n, x) in (i.inventory ?? []).enumerated() {
            let f = "inventory[\(n)]"
            let coc = x.cocCode?.trimmingCharacters(in: .whitespaces).uppercased() ?? ""
            if coc.isEmpty {
                v.add("\(f).cocCode", "is required")
            } else if !cocs.contains(where: { $0.cocCode == coc }) {
                v.add("\(f).cocCode", "must be one of the project's CoCs")
            }
            let household = code(
                &v, "\(f).householdType", x.householdType, in: ProjectLists.householdTypes, required: true)
            let availability = code(
                &v, "\(f).availability", x.availability, in: ProjectLists.availabilities, required: shelter)
            let bedType = code(&v, "\(f).esBedType", x.esBedType, in: ProjectLists.esBedTypes, required: shelter)
            if !shelter && (x.availability != nil || x.esBedType != nil) {
                v.add("\(f).availability", "only for emergency shelters (project type 0 or 1)")
            }
            let units = count(&v, "\(f).unitInventory", x.unitInventory, required: true)
            let beds = count(&v, "\(f).bedInventory", x.bedInventory, required: true)
            let s = date(&v, "\(f).startDate", x.startDate, required: true)
            let e = date(&v, "\(f).endDate", x.endDate, required: false)
            ordered(&v, "\(f).endDate", s, e)
            let subsets = [
                ("chVetBedInventory", x.chVetBedInventory), ("youthVetBedInventory", x.youthVetBedInventory),
                ("vetBedInventory", x.vetBedInventory), ("chYouthBedInventory", x.chYouthBedInventory),
                ("youthBedInventory", x.youthBedInventory), ("chBedInventory", x.chBedInventory),
                ("otherBedInventory", x.otherBedInventory)
            ].map { ($0.0, count(&v, "\(f).\($0.0)", $0.1, required: false)) }
            if let beds, subsets.compactMap(\.1).reduce(0, +) > beds {
                v.add("\(f).bedInventory", "is fewer than the beds dedicated to particular groups")
            }
            if let household, let units, let beds, let s, !coc.isEmpty {
                let by = Dictionary(uniqueKeysWithValues: subsets)
                inventory.append(
                    ProjectInventory(
                        cocCode: coc, householdType: household, availability: availability, esBedType: bedType,
                        unitInventory: units, bedInventory: beds, chVetBedInventory: by["chVetBedInventory"] ?? nil,
                        youthVetBedInventory: by["youthVetBedInventory"] ?? nil,
                        vetBedInventory: by["vetBedInventory"] ?? nil,
                        chYouthBedInventory: by["chYouthBedInventory"] ?? nil,
                        youthBedInventory: by["youthBedInventory"] ?? nil, chBedInventory: by["chBedInventory"] ?? nil,
                        otherBedInventory: by["otherBedInventory"] ?? nil, startDate: s, endDate: e))
            }
        }
        var participation: [HMISParticipation] = []
        for (n, x) in (i.participation ?? []).enumerated() {
            let f = "participation[\(n)]"
            let t = code(
                &v, "\(f).participationType", x.participationType, in: ProjectLists.participationTypes, required: true)
            let s = date(&v, "\(f).startDate", x.startDate, required: true)
            let e = date(&v, "\(f).endDate", x.endDate, required: false)
            ordered(&v, "\(f).endDate", s, e)
            if let t, let s { participation.append(HMISParticipation(participationType: t, startDate: s, endDate: e)) }
        }
        for list in [
            "cocs": i.cocs?.count, "funders": i.funders?.count, "inventory": i.inventory?.count,
            "participation": i.participation?.count
        ] where (list.value ?? 0) > 50 {
            v.add(list.key, "at most 50 rows")
        }
        try v.check()
        return ProjectDescriptor(
            organizationName: org!, victimServiceProvider: i.victimServiceProvider ?? false,
            operatingStartDate: start!, operatingEndDate: end, continuumProject: continuum, projectType: type,
            rrhSubType: rrh, residentialAffiliation: needsAffiliation ? i.residentialAffiliation : nil,
            housingType: housing, targetPopulation: target, hopwaMedAssistedLivingFac: hopwa, cocs: cocs,
            funders: funders, inventory: inventory, participation: participation)
    }
}
