import Foundation

/// An organization in the resource directory: who provides services clients are referred to.
public struct ResourceOrganization: StoredRecord, AgencyOwned, Equatable {
    public static let table = "directory_organizations"
    public var id: UUID
    public var agencyID: UUID
    /// The organization's id in the source it was imported from (HSDS `id`), kept for re-imports.
    public var externalID: String?
    public var name: String
    public var alternateName: String?
    public var description: String?
    public var email: String?
    public var website: String?
    public var phone: String?
    public var updatedAt: Date
    public var version: Int
    public var index: [String: IndexValue] {
        ["agency_id": .uuid(agencyID), "external_id": .text(externalID), "name_key": .text(name.searchKey)]
    }
}

public struct ResourceLocation: Sendable, Codable, Equatable {
    public var externalID: String?
    public var name: String?
    public var address: String?
    public var city: String?
    public var region: String?
    public var postalCode: String?
    public var country: String?
    public var latitude: Double?
    public var longitude: Double?
    public var transportation: String?
    public var accessibility: String?
    public init(
        externalID: String? = nil, name: String? = nil, address: String? = nil, city: String? = nil,
        region: String? = nil,
        postalCode: String? = nil, country: String? = nil
    ) {
        self.externalID = externalID
        self.name = name
        self.address = address
        self.city = city
        self.region = region
        self.postalCode = postalCode
        self.country = country
    }
    /// One line for lists: "1-30 Main Street, MyCity ABC 1234".
    public var line: String {
        [address, [city, region, postalCode].compactMap { $0 }.joined(separator: " ")].compactMap {
            $0?.isEmpty == false ? $0 : nil
        }.joined(separator: ", ")
    }
}

public struct ResourceContact: Sendable, Codable, Equatable {
    public var name: String?
    public var title: String?
    public var phone: String?
    public var email: String?
}

/// A service in the directory, with where, when, for whom and at what cost it is offered.
public struct ResourceService: StoredRecord, AgencyOwned, Equatable {
    public static let table = "directory_services"
    public var id: UUID
    public var agencyID: UUID
    public var organizationID: UUID
    public var externalID: String?
    public var name: String
    public var alternateName: String?
    public var description: String?
    /// HSDS service status: active, inactive, defunct or temporarily closed.
    public var status: String
    /// Taxonomy terms (HSDS categories), as written by the source.
    public var categories: [String]
    /// Needs the service answers (`Needs`), so a goal's need finds it.
    public var needs: [String]
    public var eligibility: String?
    public var minimumAge: Int?
    public var maximumAge: Int?
    public var fees: String?
    public var hours: String?
    public var languages: [String]
    public var applicationProcess: String?
    public var requiredDocuments: String?
    public var areaServed: String?
    public var url: String?
    public var email: String?
    public var phone: String?
    public var contacts: [ResourceContact]
    public var locations: [ResourceLocation]
    public var updatedAt: Date
    public var version: Int
    public var index: [String: IndexValue] {
        let place =
            locations.map {
                [$0.name, $0.address, $0.city, $0.region, $0.postalCode].compactMap { $0 }.joined(separator: " ")
            }
            .joined(separator: " | ") + " " + (areaServed ?? "")
        return [
            "agency_id": .uuid(agencyID), "organization_id": .uuid(organizationID), "external_id": .text(externalID),
            "name_key": .text(name.searchKey), "status": .text(status),
            "search_text": .text(
                ([name, alternateName, description, eligibility].compactMap { $0 } + categories).joined(separator: " ")
                    .searchKey),
            "place_text": .text(place.searchKey),
            "category_text": .text("|" + categories.map(\.searchKey).joined(separator: "|") + "|"),
            "need_text": .text("|" + needs.joined(separator: "|") + "|")
        ]
    }
    public static let statuses = ["active", "inactive", "defunct", "temporarily closed"]
}

public struct ResourceQuery: Sendable, Equatable {
    public var text: String?
    public var need: String?
    public var category: String?
    public var place: String?
    public var includeInactive: Bool
    public init(
        text: String? = nil, need: String? = nil, category: String? = nil, place: String? = nil,
        includeInactive: Bool = false
    ) {
        self.text = text
        self.need = need
        self.category = category
        self.place = place
        self.includeInactive = includeInactive
    }
    public var isEmpty: Bool { [text, need, category, place].allSatisfy { ($0 ?? "").isEmpty } }
}

/// What the directory's service form sends.
public struct ResourceServiceInput: Sendable, Codable, Equatable {
    public var organizationID: UUID?
    public var organizationName: String?
    public var name: String?
    public var description: String?
    public var status: String?
    public var categories: [String]?
    public var needs: [String]?
    public var eligibility: String?
    public var fees: String?
    public var hours: String?
    public var languages: [String]?
    public var applicationProcess: String?
    public var url: String?
    public var email: String?
    public var phone: String?
    public var contactName: String?
    public var locationName: String?
    public var address: String?
    public var city: String?
    public var region: String?
    public var postalCode: String?
    public init() {}
}

public struct ResourceListing: Sendable {
    public var service: ResourceService
    public var organization: ResourceOrganization?
}

/// The resource directory: browse, search, edit, import.
public struct ResourceDirectory: Sendable {
    let store: any TrellisStore
    let deps: Dependencies
    public init(store: any TrellisStore, deps: Dependencies) {
        self.store = store
        self.deps = deps
    }

    public func search(_ q: ResourceQuery, by actor: ActingUser, limit: Int = 50, offset: Int = 0) async throws
        -> [ResourceListing]
    {
        var filters: [RecordFilter] = [.equals("agency_id", .uuid(actor.agencyID))]
        if !q.includeInactive { filters.append(.equals("status", .text("active"))) }
        for word in (q.text ?? "").searchKey.split(separator: " ") where !word.isEmpty {
            filters.append(.contains("search_text", String(word)))
        }
        if let n = q.need, !n.isEmpty { filters.append(.contains("need_text", "|\(Needs.canonical(n))|")) }
        if let c = q.category?.searchKey, !c.isEmpty { filters.append(.contains("category_text", c)) }
        if let p = q.place?.searchKey, !p.isEmpty { filters.append(.contains("place_text", p)) }
        let services = try await store.records(
            ResourceService.self, filters, order: [RecordOrder("name_key")], limit: limit + offset)
        let page = Array(services.dropFirst(offset))
        let orgs = try await organizations(ids: page.map(\.organizationID))
        return page.map { ResourceListing(service: $0, organization: orgs[$0.organizationID]) }
    }

    func organizations(ids: [UUID]) async throws -> [UUID: ResourceOrganization] {
        guard !ids.isEmpty else { return [:] }
        let list = try await store.records(ResourceOrganization.self, [.oneOf("id", Array(Set(ids)).map { .uuid($0) })])
        return Dictionary(list.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    }

    public func organizations(by actor: ActingUser) async throws -> [ResourceOrganization] {
        try await store.records(
            ResourceOrganization.self, [.equals("agency_id", .uuid(actor.agencyID))], order: [RecordOrder("name_key")])
    }

    public func service(_ id: UUID, by actor: ActingUser) async throws -> ResourceListing {
        let s = try await store.agencyRecord(ResourceService.self, id, actor, "service")
        return ResourceListing(
            service: s, organization: try await store.record(ResourceOrganization.self, id: s.organizationID))
    }

    /// Creates (`id` nil) or changes a directory service. A new organization name creates the organization.
    public func save(_ id: UUID?, _ input: ResourceServiceInput, expectedVersion: Int?, by actor: ActingUser)
        async throws -> ResourceService
    {
        try Policy.require(actor, .editDirectory)
        var v = Validator()
        let name = v.text("name", input.name, required: true, max: 200)
        let status = v.text("status", input.status ?? "active", max: 40)
        if let status, !ResourceService.statuses.contains(status) {
            v.add("status", "is not one of the allowed values")
        }
        let needs = (input.needs ?? []).map(Needs.canonical)
        for n in needs where !Needs.contains(n) { v.add("needs", "is not one of the allowed values") }
        let desc = v.text("description", input.description, max: 4000)
        let fields = (
            eligibility: v.text("eligibility", input.eligibility, max: 2000),
            fees: v.text("fees", input.fees, max: 1000),
            hours: v.text("hours", input.hours, max: 1000),
            process: v.text("applicationProcess", input.applicationProcess, max: 2000),
            url: v.text("url", input.url, max: 300), email: v.text("email", input.email, max: 200),
            phone: v.text("phone", input.phone, max: 40),
            contact: v.text("contactName", input.contactName, max: 120)
        )
        if let u = fields.url, !(u.hasPrefix("http://") || u.hasPrefix("https://")) {
            v.add("url", "must start with http:// or https://")
        }
        if let e = fields.email, !e.contains("@") { v.add("email", "is not an email address") }
        let location = ResourceLocation(
            name: v.text("locationName", input.locationName, max: 200),
            address: v.text("address", input.address, max: 300),
            city: v.text("city", input.city, max: 100), region: v.text("region", input.region, max: 100),
            postalCode: v.text("postalCode", input.postalCode, max: 20))
        var org: ResourceOrganization? = nil
        if let oid = input.organizationID {
            org = try await store.record(ResourceOrganization.self, id: oid)
            if org == nil || org?.agencyID != actor.agencyID {
                v.add("organizationID", "is not an organization in your directory")
                org = nil
            }
        }
        let newOrgName = v.text("organizationName", input.organizationName, max: 200)
        if org == nil && newOrgName == nil && input.organizationID == nil {
            v.add("organizationName", "choose an organization or name a new one")
        }
        let categories = (input.categories ?? []).compactMap {
            $0.trimmingCharacters(in: .whitespaces).isEmpty
                ? nil : String($0.trimmingCharacters(in: .whitespaces).prefix(100))
        }
        let languages = (input.languages ?? []).compactMap {
            $0.trimmingCharacters(in: .whitespaces).isEmpty
                ? nil : String($0.trimmingCharacters(in: .whitespaces).prefix(60))
        }
        var existing: ResourceService? = nil
        if let id {
            existing = try await store.agencyRecord(ResourceService.self, id, actor, "service")
            guard let expectedVersion else { throw TrellisError.preconditionRequired("Send the version you edited.") }
            if expectedVersion != existing!.version {
                throw TrellisError.conflict("Someone else changed this service since you opened it.")
            }
        }
        try v.check()
        let now = deps.now()
        let newOrg =
            org == nil
            ? ResourceOrganization(
                id: deps.newID(), agencyID: actor.agencyID, externalID: nil, name: newOrgName!, updatedAt: now,
                version: 1) : nil
        var s =
            existing
            ?? ResourceService(
                id: deps.newID(), agencyID: actor.agencyID, organizationID: UUID(), name: "", status: "active",
                categories: [],
                needs: [], languages: [], contacts: [], locations: [], updatedAt: now, version: 0)
        s.organizationID = (org ?? newOrg)!.id
        s.name = name!
        s.description = desc
        s.status = status ?? "active"
        s.categories = categories
        s.needs = needs
        s.eligibility = fields.eligibility
        s.fees = fields.fees
        s.hours = fields.hours
        s.languages = languages
        s.applicationProcess = fields.process
        s.url = fields.url
        s.email = fields.email
        s.phone = fields.phone
        if let c = fields.contact {
            if s.contacts.isEmpty { s.contacts = [ResourceContact(name: c)] } else { s.contacts[0].name = c }
        }
        if location.line.isEmpty && location.name == nil {
            if !s.locations.isEmpty { s.locations.removeFirst() }
        } else if s.locations.isEmpty {
            s.locations = [location]
        } else {
            let keep = s.locations[0]
            s.locations[0] = location
            s.locations[0].externalID = keep.externalID
            s.locations[0].latitude = keep.latitude
            s.locations[0].longitude = keep.longitude
        }
        s.updatedAt = now
        let before = s.version
        s.version += 1
        let saved = s
        try await store.transaction { tx in
            if let newOrg { try await tx.insertRecord(newOrg) }
            if before == 0 { try await tx.insertRecord(saved) } else { try await tx.update(saved, from: before) }
            try await tx.appendAudit([deps.audit(actor, .directorySave, "directory_service", saved.id, clientID: nil)])
        }
        return saved
    }
}

/// Keywords that suggest which plan domains a service answers, for imported services that carry none.
enum NeedKeywords {
    static let table: [(String, [String])] = [
        ("housing", ["housing", "shelter", "rent", "eviction", "homeless", "tenancy"]),
        ("mental_health", ["counsel", "mental health", "therapy", "anxiety", "depression", "psychiatr"]),
        ("substance_use", ["substance", "addiction", "alcohol", "detox", "recovery"]),
        ("physical_health", ["clinic", "medical", "health care", "dental", "nurse", "gp "]),
        ("finances", ["benefit", "financial", "debt", "budget", "cash assistance", "tax"]),
        ("legal", ["legal", "lawyer", "court", "immigration", "advice"]),
        ("education_employment", ["employment", "job", "training", "education", "school", "career"]),
        ("safety", ["domestic violence", "abuse", "safety", "crisis"]),
        ("support_system", ["peer", "support group", "mentor", "family support"])
    ]
    static func infer(_ text: String) -> [String] {
        let t = text.searchKey
        return table.filter { _, words in words.contains { t.contains($0) } }.map(\.0)
    }
}
