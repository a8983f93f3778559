import Foundation

/// What an import did, file by file, with every rejected row and why.
public struct ImportReport: Sendable, Codable, Equatable {
    public struct FileCount: Sendable, Codable, Equatable {
        public var file: String
        public var read = 0, created = 0, updated = 0, unchanged = 0, attached = 0, rejected = 0
    }
    public struct Problem: Sendable, Codable, Equatable {
        public var file: String
        /// The line in the file (the header is line 1).
        public var line: Int
        public var id: String?
        public var reason: String
    }
    public var files: [FileCount] = []
    public var rejected: [Problem] = []
    public var warnings: [Problem] = []
    /// Files that were sent but that Trellis does not read, and files it reads that were absent.
    public var ignoredFiles: [String] = []
    public var missingFiles: [String] = []
}

/// Imports an Open Referral HSDS v3 tabular (CSV) export into the directory. Rows are matched on
/// their HSDS `id`, so importing the same files again updates rather than duplicates.
public struct HSDSImporter: Sendable {
    let store: any TrellisStore
    let deps: Dependencies
    public init(store: any TrellisStore, deps: Dependencies) {
        self.store = store
        self.deps = deps
    }

    /// The files Trellis reads, in the order it reads them.
    public static let readFiles = [
        "organizations.csv", "services.csv", "locations.csv", "addresses.csv", "service_at_location.csv",
        "phones.csv", "contacts.csv", "schedules.csv", "cost_options.csv", "languages.csv",
        "required_documents.csv", "service_areas.csv", "accessibility.csv", "taxonomy_terms.csv", "attributes.csv"
    ]

    struct Table {
        var header: [String]
        var rows: [(line: Int, values: [String: String])]
    }

    static func table(_ text: String) -> Table {
        let parsed = CSV.parse(text)
        guard let header = parsed.first?.map({ $0.trimmingCharacters(in: .whitespaces) }) else {
            return Table(header: [], rows: [])
        }
        var rows: [(Int, [String: String])] = []
        for (i, r) in parsed.dropFirst().enumerated() {
            var d: [String: String] = [:]
            for (k, v) in zip(header, r) {
                let t = clean(v)
                if !t.isEmpty { d[k] = t }
            }
            rows.append((i + 2, d))
        }
        return Table(header: header, rows: rows)
    }

    /// Trims, and removes the stray quotes some exports leave around values (`"+44 1234"`).
    static func clean(_ s: String) -> String {
        var t = s.trimmingCharacters(in: .whitespacesAndNewlines)
        while t.count >= 2, t.hasPrefix("\""), t.hasSuffix("\"") {
            t = String(t.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
        }
        return t
    }

    public func run(files: [String: String], by actor: ActingUser) async throws -> ImportReport {
        try Policy.require(actor, .importDirectory)
        var report = ImportReport()
        let known = Set(Self.readFiles)
        report.ignoredFiles = files.keys.filter { !known.contains($0) }.sorted()
        report.missingFiles = Self.readFiles.filter { files[$0] == nil }
        guard files["organizations.csv"] != nil || files["services.csv"] != nil else {
            throw TrellisError.validation([
                FieldError("files", "an HSDS import needs at least organizations.csv or services.csv")
            ])
        }
        let tables = files.mapValues(Self.table)
        let now = deps.now()
        var counts: [String: ImportReport.FileCount] = [:]
        func count(_ f: String, _ change: (inout ImportReport.FileCount) -> Void) {
            var c = counts[f] ?? ImportReport.FileCount(file: f)
            change(&c)
            counts[f] = c
        }
        func reject(_ f: String, _ line: Int, _ id: String?, _ reason: String) {
            report.rejected.append(.init(file: f, line: line, id: id, reason: reason))
            count(f) { $0.rejected += 1 }
        }
        func warn(_ f: String, _ line: Int, _ id: String?, _ reason: String) {
            report.warnings.append(.init(file: f, line: line, id: id, reason: reason))
        }
        func rows(_ f: String) -> [(line: Int, values: [String: String])] {
            let r = tables[f]?.rows ?? []
            count(f) { $0.read = r.count }
            return r
        }

        let existingOrgs = try await store.records(
            ResourceOrganization.self, [.equals("agency_id", .uuid(actor.agencyID))])
        let existingServices = try await store.records(
            ResourceService.self, [.equals("agency_id", .uuid(actor.agencyID))])
        var orgs: [String: ResourceOrganization] = [:]
        for o in existingOrgs { if let x = o.externalID { orgs[x] = o } }
        var orgStatus: [String: (old: ResourceOrganization?, line: Int)] = [:]

        for (line, r) in rows("organizations.csv") {
            guard let xid = r["id"] else {
                reject("organizations.csv", line, nil, "has no id")
                continue
            }
            guard let name = r["name"] else {
                reject("organizations.csv", line, xid, "has no name")
                continue
            }
            let old = orgs[xid]
            var o =
                old
                ?? ResourceOrganization(
                    id: deps.newID(), agencyID: actor.agencyID, externalID: xid, name: name, updatedAt: now, version: 0)
            o.name = String(name.prefix(200))
            o.alternateName = r["alternate_name"]
            o.description = r["description"].map { String($0.prefix(4000)) }
            o.email = r["email"]
            o.website = r["website"] ?? r["uri"]
            orgs[xid] = o
            orgStatus[xid] = (old, line)
        }

        // Services, built up with everything the other files attach to them.
        var services: [String: ResourceService] = [:]
        var oldServices: [String: ResourceService] = [:]
        for s in existingServices { if let x = s.externalID { oldServices[x] = s } }
        for (line, r) in rows("services.csv") {
            guard let xid = r["id"] else {
                reject("services.csv", line, nil, "has no id")
                continue
            }
            guard let name = r["name"] else {
                reject("services.csv", line, xid, "has no name")
                continue
            }
            guard let oid = r["organization_id"], let org = orgs[oid] else {
                reject(
                    "services.csv", line, xid,
                    "organization_id \(r["organization_id"] ?? "(empty)") is not in organizations.csv or the directory")
                continue
            }
            let status = (r["status"] ?? "active").lowercased()
            guard ResourceService.statuses.contains(status) else {
                reject(
                    "services.csv", line, xid,
                    "status \"\(status)\" is not one of \(ResourceService.statuses.joined(separator: ", "))")
                continue
            }
            var s = ResourceService(
                id: oldServices[xid]?.id ?? deps.newID(), agencyID: actor.agencyID, organizationID: org.id,
                externalID: xid,
                name: String(name.prefix(200)), status: status, categories: [], needs: [], languages: [], contacts: [],
                locations: [],
                updatedAt: now, version: 0)
            s.alternateName = r["alternate_name"]
            s.description = r["description"].map { String($0.prefix(4000)) }
            s.eligibility = r["eligibility_description"]
            s.url = r["url"]
            s.email = r["email"]
            s.applicationProcess = r["application_process"]
            s.fees = r["fees_description"]
            if let a = r["minimum_age"] {
                if let n = Int(a), (0...130).contains(n) {
                    s.minimumAge = n
                } else {
                    warn("services.csv", line, xid, "minimum_age \(a) is not an age; left out")
                }
            }
            if let a = r["maximum_age"] {
                if let n = Int(a), (0...130).contains(n) {
                    s.maximumAge = n
                } else {
                    warn("services.csv", line, xid, "maximum_age \(a) is not an age; left out")
                }
            }
            services[xid] = s
        }

        var locations: [String: ResourceLocation] = [:]
        for (line, r) in rows("locations.csv") {
            guard let xid = r["id"] else {
                reject("locations.csv", line, nil, "has no id")
                continue
            }
            var l = ResourceLocation(externalID: xid, name: r["name"])
            l.transportation = r["transportation"]
            if let oid = r["organization_id"], orgs[oid] == nil {
                warn(
                    "locations.csv", line, xid,
                    "organization_id \(oid) is not in organizations.csv; the location is kept for the services that use it"
                )
            }
            let lat = r["latitude"].flatMap(Double.init)
            let lon = r["longitude"].flatMap(Double.init)
            if let lat, let lon {
                if (-90...90).contains(lat) && (-180...180).contains(lon) {
                    l.latitude = lat
                    l.longitude = lon
                } else {
                    warn(
                        "locations.csv", line, xid,
                        "latitude \(r["latitude"]!) / longitude \(r["longitude"]!) are outside the globe; coordinates left out"
                    )
                }
            }
            locations[xid] = l
            count("locations.csv") { $0.attached += 1 }
        }
        for (line, r) in rows("addresses.csv") {
            guard let lid = r["location_id"], var l = locations[lid] else {
                reject(
                    "addresses.csv", line, r["id"],
                    "location_id \(r["location_id"] ?? "(empty)") is not in locations.csv")
                continue
            }
            l.address = [r["address_1"], r["address_2"]].compactMap { $0 }.joined(separator: ", ")
            l.city = r["city"]
            l.region = r["state_province"] ?? r["region"]
            l.postalCode = r["postal_code"]
            l.country = r["country"]
            locations[lid] = l
            count("addresses.csv") { $0.attached += 1 }
        }
        for (line, r) in rows("accessibility.csv") {
            guard let lid = r["location_id"], var l = locations[lid] else {
                reject(
                    "accessibility.csv", line, r["id"],
                    "location_id \(r["location_id"] ?? "(empty)") is not in locations.csv")
                continue
            }
            l.accessibility = [r["description"], r["details"]].compactMap { $0 }.joined(separator: " ")
            locations[lid] = l
            count("accessibility.csv") { $0.attached += 1 }
        }
        /// Attaches a row to the service it names, or rejects it.
        func attach(_ f: String, _ line: Int, _ r: [String: String], _ change: (inout ResourceService) -> Void) {
            guard let sid = r["service_id"], var s = services[sid] else {
                reject(f, line, r["id"], "service_id \(r["service_id"] ?? "(empty)") is not in services.csv")
                return
            }
            change(&s)
            services[sid] = s
            count(f) { $0.attached += 1 }
        }
        for (line, r) in rows("service_at_location.csv") {
            guard let lid = r["location_id"], let l = locations[lid] else {
                reject(
                    "service_at_location.csv", line, r["id"],
                    "location_id \(r["location_id"] ?? "(empty)") is not in locations.csv")
                continue
            }
            attach("service_at_location.csv", line, r) { $0.locations.append(l) }
        }
        for (line, r) in rows("phones.csv") {
            guard let number = r["number"] else {
                reject("phones.csv", line, r["id"], "has no number")
                continue
            }
            let full = number + (r["extension"].map { " ext. " + $0 } ?? "")
            if let sid = r["service_id"], services[sid] != nil {
                attach("phones.csv", line, r) { if $0.phone == nil { $0.phone = full } }
            } else if let oid = r["organization_id"], var o = orgs[oid] {
                o.phone = o.phone ?? full
                orgs[oid] = o
                count("phones.csv") { $0.attached += 1 }
            } else {
                reject("phones.csv", line, r["id"], "names no service or organization that was imported")
            }
        }
        for (line, r) in rows("contacts.csv") {
            attach("contacts.csv", line, r) {
                $0.contacts.append(ResourceContact(name: r["name"], title: r["title"], email: r["email"]))
            }
        }
        for (line, r) in rows("schedules.csv") {
            let times = [r["opens_at"], r["closes_at"]].compactMap { $0.map { String($0.prefix(5)) } }.joined(
                separator: "–")
            let text =
                r["description"]
                ?? [r["byday"].map { "Days: " + $0 }, times.isEmpty ? nil : times].compactMap { $0 }.joined(
                    separator: " ")
            attach("schedules.csv", line, r) { $0.hours = [$0.hours, text].compactMap { $0 }.joined(separator: " ") }
        }
        for (line, r) in rows("cost_options.csv") {
            if let a = r["amount"], Double(a) == nil || Double(a)! < 0 {
                reject("cost_options.csv", line, r["id"], "amount \(a) is not a non-negative number")
                continue
            }
            let text = [
                r["option"],
                [r["amount"], r["currency"]?.uppercased(), r["amount_description"]].compactMap { $0 }.joined(
                    separator: " ")
            ]
            .compactMap { $0?.isEmpty == false ? $0 : nil }.joined(separator: ": ")
            attach("cost_options.csv", line, r) { $0.fees = [$0.fees, text].compactMap { $0 }.joined(separator: ". ") }
        }
        for (line, r) in rows("languages.csv") {
            guard let name = r["name"] ?? r["code"] else {
                reject("languages.csv", line, r["id"], "has no name or code")
                continue
            }
            attach("languages.csv", line, r) { if !$0.languages.contains(name) { $0.languages.append(name) } }
        }
        for (line, r) in rows("required_documents.csv") {
            attach("required_documents.csv", line, r) {
                $0.requiredDocuments = [$0.requiredDocuments, r["document"]].compactMap { $0 }.joined(separator: " ")
            }
        }
        for (line, r) in rows("service_areas.csv") {
            attach("service_areas.csv", line, r) {
                $0.areaServed = [r["name"], r["description"]].compactMap { $0 }.joined(separator: " ")
            }
        }
        var terms: [String: String] = [:]
        for (line, r) in rows("taxonomy_terms.csv") {
            guard let xid = r["id"], let name = r["name"] else {
                reject("taxonomy_terms.csv", line, r["id"], "has no id or name")
                continue
            }
            terms[xid] = name
            count("taxonomy_terms.csv") { $0.attached += 1 }
        }
        for (line, r) in rows("attributes.csv") {
            guard let tid = r["taxonomy_term_id"], let term = terms[tid] else {
                reject(
                    "attributes.csv", line, r["id"],
                    "taxonomy_term_id \(r["taxonomy_term_id"] ?? "(empty)") is not in taxonomy_terms.csv")
                continue
            }
            guard let link = r["link_id"], var s = services[link] else {
                reject(
                    "attributes.csv", line, r["id"],
                    "link_id \(r["link_id"] ?? "(empty)") is not a service in services.csv")
                continue
            }
            if !s.categories.contains(term) { s.categories.append(term) }
            services[link] = s
            count("attributes.csv") { $0.attached += 1 }
        }

        // Decide created / updated / unchanged, then write everything in one transaction.
        var orgWrites: [(ResourceOrganization, Int)] = []
        var serviceWrites: [(ResourceService, Int)] = []
        for (xid, (old, _)) in orgStatus {
            var o = orgs[xid]!
            if let old {
                var cmp = o
                cmp.updatedAt = old.updatedAt
                cmp.version = old.version
                if cmp == old {
                    count("organizations.csv") { $0.unchanged += 1 }
                    continue
                }
                o.version = old.version + 1
                o.updatedAt = now
                orgWrites.append((o, old.version))
                count("organizations.csv") { $0.updated += 1 }
            } else {
                o.version = 1
                orgWrites.append((o, 0))
                count("organizations.csv") { $0.created += 1 }
            }
        }
        for (xid, var s) in services {
            let old = oldServices[xid]
            // Needs set by hand survive a re-import; otherwise they are inferred from the text.
            s.needs =
                old?.needs.isEmpty == false
                ? old!.needs
                : NeedKeywords.infer(
                    ([s.name, s.description ?? "", s.alternateName ?? ""] + s.categories).joined(separator: " "))
            if let old {
                var cmp = s
                cmp.updatedAt = old.updatedAt
                cmp.version = old.version
                if cmp == old {
                    count("services.csv") { $0.unchanged += 1 }
                    continue
                }
                s.version = old.version + 1
                serviceWrites.append((s, old.version))
                count("services.csv") { $0.updated += 1 }
            } else {
                s.version = 1
                serviceWrites.append((s, 0))
                count("services.csv") { $0.created += 1 }
            }
        }
        let o = orgWrites
        let sw = serviceWrites
        let summary = Self.readFiles.filter { counts[$0] != nil }.map { counts[$0]! }
        report.files = summary
        report.rejected.sort { ($0.file, $0.line) < ($1.file, $1.line) }
        try await store.transaction { tx in
            for (org, from) in o {
                if from == 0 { try await tx.insertRecord(org) } else { try await tx.update(org, from: from) }
            }
            for (svc, from) in sw {
                if from == 0 { try await tx.insertRecord(svc) } else { try await tx.update(svc, from: from) }
            }
            try await tx.appendAudit([deps.audit(actor, .directoryImport, "directory", nil, clientID: nil)])
        }
        return report
    }
}
