import Foundation

/// What intake and edit forms (and the API) send: raw values, validated by the service.
public struct ClientInput: Sendable, Codable, Equatable {
    public var firstName: String?
    public var middleName: String?
    public var lastName: String?
    public var nameSuffix: String?
    public var nameDataQuality: Int?
    public var preferredName: String?
    public var pronouns: String?
    public var ssn: String?
    public var ssnDataQuality: Int?
    public var birthDate: String?
    public var dobDataQuality: Int?
    public var sex: Int?
    public var races: [String]?
    public var raceNone: Int?
    public var additionalRaceEthnicity: String?
    public var veteranStatus: Int?
    public var phone: String?
    public var email: String?
    public var address: String?
    public var preferredLanguage: String?
    /// A confidential client's name in lists; empty clears it.
    public var alias: String?

    public init() {}

    public init(_ c: Client) {
        firstName = c.firstName
        middleName = c.middleName
        lastName = c.lastName
        nameSuffix = c.nameSuffix
        nameDataQuality = c.nameDataQuality.rawValue
        preferredName = c.preferredName
        pronouns = c.pronouns
        ssn = c.ssn
        ssnDataQuality = c.ssnDataQuality.rawValue
        birthDate = c.birthDate?.description
        dobDataQuality = c.dobDataQuality.rawValue
        sex = c.sex.rawValue
        races = c.races.map(\.rawValue)
        raceNone = c.raceNone?.rawValue
        additionalRaceEthnicity = c.additionalRaceEthnicity
        veteranStatus = c.veteranStatus.rawValue
        phone = c.phone
        email = c.email
        address = c.address
        preferredLanguage = c.preferredLanguage
        alias = c.alias
    }

    /// Overlays the fields `patch` sets (a JSON merge patch): nil leaves a field as it is.
    public func merging(_ patch: ClientInput) -> ClientInput {
        var r = self
        func take<T>(_ kp: WritableKeyPath<ClientInput, T?>) { if let v = patch[keyPath: kp] { r[keyPath: kp] = v } }
        take(\.firstName)
        take(\.middleName)
        take(\.lastName)
        take(\.nameSuffix)
        take(\.nameDataQuality)
        take(\.preferredName)
        take(\.pronouns)
        take(\.ssn)
        take(\.ssnDataQuality)
        take(\.birthDate)
        take(\.dobDataQuality)
        take(\.sex)
        take(\.races)
        take(\.raceNone)
        take(\.additionalRaceEthnicity)
        take(\.veteranStatus)
        take(\.phone)
        take(\.email)
        take(\.address)
        take(\.preferredLanguage)
        take(\.alias)
        return r
    }
}

public enum RegistrationResult: Sendable {
    case created(Client)
    /// Nothing was saved: these existing clients look like the same person.
    case possibleDuplicates([DuplicateCandidate])
}

public struct ClientDetail: Sendable {
    public var client: Client
    /// The client's household as the reader may see it, or nil when they have none.
    public var household: HouseholdView?
    /// The cases the actor may know of (a restricted program's cases only for its staff).
    public var cases: [Case]
    public var access: ClientAccess
}

public enum ClientPage: Sendable {
    case full(ClientDetail)
    case identity(ClientIdentity)
}

/// What someone outside the care team learns of a client they found: who, and in which programs.
public struct ClientIdentity: Sendable {
    public var client: ClientSummary
    public var programIDs: [UUID]
    public var access: ClientAccess
}

public struct ClientService: Sendable {
    let store: any TrellisStore
    let deps: Dependencies
    public init(store: any TrellisStore, deps: Dependencies) {
        self.store = store
        self.deps = deps
    }

    /// Registers a client. Unless the worker has already seen and set aside the likely duplicates,
    /// they are returned instead and nothing is written.
    /// With `joining`, the new client joins that household in the same transaction (checked before anything is
    /// written, with the client's own fields).
    public func register(
        _ input: ClientInput, by actor: ActingUser, duplicatesAcknowledged: Bool = false, joining: HouseholdJoin? = nil
    ) async throws -> RegistrationResult {
        try Policy.require(actor, .writeClient)
        let id = deps.newID()
        let now = deps.now()
        let households = HouseholdService(store: store, deps: deps)
        var client: Client
        var join: HouseholdService.JoinPlan? = nil
        do {
            client = try validate(input, id: id)
        } catch TrellisError.validation(let errors) {
            // Every problem at once: the client's fields and the household's.
            var all = errors
            if let joining {
                do { _ = try await households.planJoin(nil, joining, by: actor) } catch TrellisError.validation(
                    let more)
                {
                    all += more
                }
            }
            throw TrellisError.validation(all)
        }
        if let joining {
            join = try await households.planJoin(nil, joining, by: actor)
            join?.memberID = id
        }
        if !duplicatesAcknowledged {
            let found = try await likelyDuplicates(of: client, agencyID: actor.agencyID)
            // A restricted program's client is not shown to others, even as a possible duplicate.
            let known = try await store.access(toClients: found.map(\.client.id), actor, at: now)
            let dupes = found.filter { known[$0.client.id]?.client.level != AccessLevel.none }
            if !dupes.isEmpty {
                // Showing candidates discloses their names and dates of birth: audited like a search.
                try await store.appendAudit(
                    dupes.map { deps.audit(actor, .clientSearch, "client", $0.client.id, clientID: $0.client.id) })
                return .possibleDuplicates(dupes)
            }
        }
        client.agencyID = actor.agencyID
        client.createdAt = now
        client.updatedAt = now
        client.createdBy = actor.id
        client.version = 1
        let saved = client
        let plan = join
        try await store.transaction { tx in
            try await tx.insertClient(saved)
            try await tx.appendAudit([deps.audit(actor, .clientCreate, "client", saved.id, clientID: saved.id)])
            if let plan { try await households.apply(plan, in: tx, by: actor, expectedVersion: nil) }
        }
        return .created(saved)
    }

    public func likelyDuplicates(of client: Client, agencyID: UUID, excluding: UUID? = nil) async throws
        -> [DuplicateCandidate]
    {
        let probe = DuplicateMatcher.Probe(
            firstName: client.firstName, lastName: client.lastName, birthDate: client.birthDate)
        var found: [DuplicateCandidate] = []
        if client.lastName != nil || client.birthDate != nil {
            let dates = client.birthDate.map(DuplicateMatcher.nearBirthDates) ?? []
            let pool = try await store.duplicatePool(
                agencyID: agencyID, lastName: client.lastName, birthDates: dates, limit: 200)
            found = DuplicateMatcher.likelyDuplicates(of: probe, among: pool.filter { $0.id != excluding })
        }
        // A full SSN already on file is the strongest sign, whatever the names say (compared through the
        // keyed hash in the store: the digits are sealed).
        if let ssn = client.ssn, ssn.count == 9 {
            for other in try await store.clients(withSSN: ssn, agencyID: agencyID) where other.id != excluding {
                var c = found.first { $0.client.id == other.id } ?? DuplicateMatcher.score(probe, other)
                c.reasons.insert("same SSN", at: 0)
                c.score = max(c.score, DuplicateMatcher.sameSSNScore)
                found.removeAll { $0.client.id == other.id }
                found.append(c)
            }
            found.sort { ($0.score, $0.client.id.uuidString) > ($1.score, $1.client.id.uuidString) }
        }
        return Array(found.prefix(5))
    }

    /// Reads a client record; the read is audited.
    public func detail(_ id: UUID, by actor: ActingUser) async throws -> ClientDetail {
        guard let client = try await store.client(id: id) else { throw TrellisError.notFound("client") }
        try Policy.requireSameAgency(actor, client.agencyID, "client")
        return try await detail(client, try await store.access(toClient: id, actor, at: deps.now()), by: actor)
    }

    private func detail(_ client: Client, _ access: ClientAccess, by actor: ActingUser) async throws -> ClientDetail {
        let id = client.id
        let a = try AccessCheck.require(access.client, .read, "client")
        try await store.appendAudit([deps.audit(actor, .clientView, "client", id, clientID: id, access: a)])
        return ClientDetail(
            client: client,
            household: try await HouseholdService(store: store, deps: deps).view(ofReadable: id, by: actor),
            cases: try await enrolments(id).filter { access.forCase($0.id).level != .none },
            access: access)
    }

    /// The client's cases and those they are enrolled in with their household, newest first.
    func enrolments(_ id: UUID) async throws -> [Case] {
        let own = try await store.cases(clientID: id)
        let withHousehold = try await store.memberCases(clientID: id)
        return (own + withHousehold).sorted { ($0.openedOn, $0.id.uuidString) > ($1.openedOn, $1.id.uuidString) }
    }

    /// The client's page as the actor may see it: the whole record for the care team, identity otherwise.
    public func page(_ id: UUID, by actor: ActingUser) async throws -> ClientPage {
        guard let c = try await store.client(id: id) else { throw TrellisError.notFound("client") }
        try Policy.requireSameAgency(actor, c.agencyID, "client")
        let access = try await store.access(toClient: id, actor, at: deps.now())
        return access.client.canRead
            ? .full(try await detail(c, access, by: actor)) : .identity(try await identity(id, by: actor))
    }

    /// The identity of the client of a case the actor may know of, for the case page of someone off its care team.
    public func identity(ofCase caseID: UUID, by actor: ActingUser) async throws -> ClientIdentity {
        guard let c = try await store.case(id: caseID) else { throw TrellisError.notFound("case") }
        try Policy.requireSameAgency(actor, c.agencyID, "case")
        let access = try await store.access(toClient: c.clientID, actor, at: deps.now())
        guard access.forCase(caseID).level != .none else { throw TrellisError.notFound("case") }
        return try await identity(c.clientID, by: actor)
    }

    /// The client as someone outside the care team may know them (name, birth date, the programs they may
    /// know of), for the page that offers to ask for access or break the glass; audited as an identity view.
    public func identity(_ id: UUID, by actor: ActingUser) async throws -> ClientIdentity {
        guard let c = try await store.client(id: id) else { throw TrellisError.notFound("client") }
        try Policy.requireSameAgency(actor, c.agencyID, "client")
        let access = try await store.access(toClient: id, actor, at: deps.now())
        _ = try AccessCheck.require(access.client, .identity, "client")
        let programs = try await enrolments(id).filter { access.forCase($0.id).level != .none }.map(
            \.programID)
        try await store.appendAudit([
            deps.audit(actor, .clientIdentityView, "client", id, clientID: id, access: access.client)
        ])
        return ClientIdentity(
            client: c.listed, programIDs: Array(Set(programs)), access: access)
    }

    /// Applies an edit made against `expectedVersion`; a stale version is a conflict, never an overwrite.
    /// Why a de-identified client's record cannot be changed (a conflict, whatever version was sent).
    public static let purgedMessage = "This client's personal data was removed under the agency's retention policy."

    public func update(_ id: UUID, with input: ClientInput, expectedVersion: Int?, by actor: ActingUser) async throws
        -> Client
    {
        guard let current = try await store.client(id: id) else { throw TrellisError.notFound("client") }
        try Policy.requireSameAgency(actor, current.agencyID, "client")
        try Policy.require(actor, .writeClient)
        if current.purgedAt != nil { throw TrellisError.conflict(Self.purgedMessage) }
        _ = try await store.requireClientAccess(id, actor, .write, at: deps.now())
        guard let expectedVersion else {
            throw TrellisError.preconditionRequired("Send the version you edited (If-Match or version).")
        }
        guard expectedVersion == current.version else {
            throw TrellisError.conflict(
                "Someone else changed this client since you opened it. Reload to see their changes.")
        }
        var updated = try validate(input, id: id)
        updated.agencyID = current.agencyID
        updated.createdAt = current.createdAt
        updated.createdBy = current.createdBy
        updated.updatedAt = deps.now()
        updated.version = current.version + 1
        let changed = Self.changedFields(current, updated)
        if changed.isEmpty { return current }
        let saved = updated
        let fields = changed
        try await store.transaction { tx in
            guard try await tx.updateClient(saved, expectedVersion: expectedVersion) else {
                throw TrellisError.conflict(
                    "Someone else changed this client since you opened it. Reload to see their changes.")
            }
            try await tx.appendAudit([deps.audit(actor, .clientUpdate, "client", id, clientID: id, changed: fields)])
        }
        return saved
    }

    /// Finds clients; each client listed is recorded in the audit log as found by this user.
    public func search(_ text: String, by actor: ActingUser, limit: Int = 25, offset: Int = 0) async throws
        -> [ClientSummary]
    {
        guard let query = ClientQuery.parse(text) else { return [] }
        let matched = try await store.searchClients(
            agencyID: actor.agencyID, query: query,
            limit: min(max(limit, 1), 100), offset: max(offset, 0))
        // Search shows identity only; a restricted program's client is found only by its own staff.
        let access = try await store.access(toClients: matched.map(\.id), actor, at: deps.now())
        let found = matched.filter { access[$0.id]?.client.level != AccessLevel.none }
        if !found.isEmpty {
            try await store.appendAudit(
                found.map {
                    deps.audit(actor, .clientSearch, "client", $0.id, clientID: $0.id, access: access[$0.id]?.client)
                })
        }
        return found
    }

    /// Every problem with an intake (`id` nil) or an edit of client `id`, found without writing anything, for
    /// forms that found one first. The actor must be allowed the write: otherwise not found or forbidden.
    public func problems(_ input: ClientInput, updating id: UUID?, by actor: ActingUser) async throws -> [FieldError] {
        if let id {
            guard let current = try await store.client(id: id) else { throw TrellisError.notFound("client") }
            try Policy.requireSameAgency(actor, current.agencyID, "client")
            try Policy.require(actor, .writeClient)
            _ = try await store.requireClientAccess(id, actor, .write, at: deps.now())
        }
        try Policy.require(actor, .writeClient)
        do {
            _ = try validate(input, id: deps.newID())
            return []
        } catch TrellisError.validation(let errors) {
            return errors
        } catch {
            return []
        }
    }

    /// The details a results page shows of clients a search found (the search audited each of them).
    public func searchDetails(_ found: [ClientSummary], by actor: ActingUser) async throws -> [UUID: ClientSearchDetail]
    {
        let ids = found.map(\.id)
        let access = try await store.access(toClients: ids, actor, at: deps.now())
        var details = try await store.searchDetails(clientIDs: ids, agencyID: actor.agencyID)
        for (id, d) in details {
            guard let a = access[id] else {
                details[id] = nil
                continue
            }
            // The last four of the SSN are for the care team; the programs, for anyone who may know of them.
            var shown = d
            if !a.client.canRead { shown.ssnLast4 = nil }
            let visible = Set(a.cases.filter { $0.value.level != .none }.map(\.key))
            shown.openProgramIDs = d.openCases.filter { visible.contains($0.caseID) }.map(\.programID)
            details[id] = shown
        }
        return details
    }

    /// Name and date of birth only, for pages about something else (opening a case); audited as a view.
    public func summary(_ id: UUID, by actor: ActingUser) async throws -> ClientSummary {
        guard let c = try await store.client(id: id) else { throw TrellisError.notFound("client") }
        try Policy.requireSameAgency(actor, c.agencyID, "client")
        let access = try await store.requireClientAccess(id, actor, .identity, at: deps.now())
        try await store.appendAudit([deps.audit(actor, .clientView, "client", id, clientID: id, access: access)])
        return c.summary
    }

    /// A merge patch: fields present in `patch` replace the stored ones; an empty string clears one.
    public func patch(_ id: UUID, with patch: ClientInput, expectedVersion: Int?, by actor: ActingUser) async throws
        -> Client
    {
        guard let current = try await store.client(id: id) else { throw TrellisError.notFound("client") }
        try Policy.requireSameAgency(actor, current.agencyID, "client")
        try Policy.require(actor, .writeClient)
        _ = try await store.requireClientAccess(id, actor, .write, at: deps.now())
        let merged = ClientInput(current).merging(patch)
        return try await update(id, with: merged, expectedVersion: expectedVersion, by: actor)
    }

    static func changedFields(_ a: Client, _ b: Client) -> [String] {
        var diff = ChangedFields(a, b)
        func cmp<T: Equatable>(_ name: String, _ kp: KeyPath<Client, T>) { diff.check(name, kp) }
        cmp("firstName", \.firstName)
        cmp("middleName", \.middleName)
        cmp("lastName", \.lastName)
        cmp("nameSuffix", \.nameSuffix)
        cmp("nameDataQuality", \.nameDataQuality)
        cmp("preferredName", \.preferredName)
        cmp("pronouns", \.pronouns)
        cmp("ssn", \.ssn)
        cmp("ssnDataQuality", \.ssnDataQuality)
        cmp("birthDate", \.birthDate)
        cmp("dobDataQuality", \.dobDataQuality)
        cmp("sex", \.sex)
        cmp("races", \.races)
        cmp("raceNone", \.raceNone)
        cmp("additionalRaceEthnicity", \.additionalRaceEthnicity)
        cmp("veteranStatus", \.veteranStatus)
        cmp("phone", \.phone)
        cmp("email", \.email)
        cmp("address", \.address)
        cmp("preferredLanguage", \.preferredLanguage)
        cmp("alias", \.alias)
        return diff.names
    }

    /// Turns raw input into a client, or throws every field error at once.
    func validate(_ input: ClientInput, id: UUID) throws -> Client {
        var v = Validator()
        let today = deps.today
        let first = v.text("firstName", input.firstName, max: 100)
        let middle = v.text("middleName", input.middleName, max: 100)
        let last = v.text("lastName", input.lastName, max: 100)
        let suffix = v.text("nameSuffix", input.nameSuffix, max: 20)
        let nameQ = v.code("nameDataQuality", input.nameDataQuality, as: DataQuality.self)
        switch nameQ {
        case .full?:
            if first == nil && !v.errors.contains(where: { $0.field == "firstName" }) {
                v.add("firstName", "is required when the full name is reported")
            }
            if last == nil && !v.errors.contains(where: { $0.field == "lastName" }) {
                v.add("lastName", "is required when the full name is reported")
            }
        case .partial?:
            if first == nil && last == nil { v.add("lastName", "enter the part of the name that was reported") }
        default: break
        }
        let preferred = v.text("preferredName", input.preferredName, max: 100)
        let pronouns = v.text("pronouns", input.pronouns, max: 40)

        var ssn: String? = nil
        let ssnQ = v.code("ssnDataQuality", input.ssnDataQuality ?? 99, as: DataQuality.self)
        if let raw = v.text("ssn", input.ssn, max: 11) {
            let digits = raw.filter { $0 != "-" && $0 != " " }
            if !digits.allSatisfy(\.isASCII) || !digits.allSatisfy(\.isNumber) {
                v.add("ssn", "must contain only digits")
            } else if ssnQ == .full && digits.count != 9 {
                v.add("ssn", "must have 9 digits when the full SSN is reported")
            } else if !(4...9).contains(digits.count) {
                v.add("ssn", "must have between 4 and 9 digits")
            } else if digits.hasPrefix("000") || digits.hasPrefix("666") || digits.hasPrefix("9") && digits.count == 9 {
                v.add("ssn", "is not a valid SSN")
            } else {
                ssn = digits
            }
        } else if ssnQ == .full || ssnQ == .partial {
            v.add("ssn", "is required when the SSN is reported")
        }

        let dobQ = v.code("dobDataQuality", input.dobDataQuality, as: DataQuality.self)
        let dob = v.date("birthDate", input.birthDate, today: today)
        if (dobQ == .full || dobQ == .partial) && dob == nil && !v.errors.contains(where: { $0.field == "birthDate" }) {
            v.add("birthDate", "is required when the date of birth is reported")
        }
        if let q = dobQ, q.rawValue >= 8, dob != nil {
            v.add("birthDate", "leave empty when the date of birth was not reported")
        }

        let sex = v.code("sex", input.sex, as: HUDSex.self)
        var races: [RaceEthnicity] = []
        for r in input.races ?? [] {
            if let race = RaceEthnicity(rawValue: r) {
                if !races.contains(race) { races.append(race) }
            } else {
                v.add("races", "is not one of HUD's race and ethnicity categories")
            }
        }
        let raceNone = v.code("raceNone", input.raceNone, as: RaceNone.self, required: races.isEmpty)
        if !races.isEmpty && raceNone != nil { v.add("raceNone", "leave empty when a race or ethnicity is selected") }
        let additional = v.text("additionalRaceEthnicity", input.additionalRaceEthnicity, max: 100)
        let veteran = v.code("veteranStatus", input.veteranStatus, as: NoYesMissing.self)
        if veteran == .yes, let dob, dob.age(on: today) < 17 {
            v.add("veteranStatus", "a client under 17 cannot be a veteran")
        }

        var phone = v.text("phone", input.phone, max: 30)
        if let p = phone {
            let digits = p.filter(\.isNumber)
            if digits.count < 7 || digits.count > 15 || p.contains(where: { !($0.isNumber || " +-().x".contains($0)) })
            {
                v.add("phone", "must be a phone number")
                phone = nil
            }
        }
        let email = v.text("email", input.email, max: 254)
        if let e = email {
            let parts = e.split(separator: "@", omittingEmptySubsequences: false)
            if parts.count != 2 || parts[0].isEmpty || !parts[1].contains(".") || e.contains(" ") {
                v.add("email", "must be an email address")
            }
        }
        let address = v.text("address", input.address, max: 500)
        let language = v.text("preferredLanguage", input.preferredLanguage, max: 60)
        let alias = v.text("alias", input.alias, max: 60)

        try v.check()
        let client = Client(
            id: id, agencyID: id, firstName: first, middleName: middle, lastName: last, nameSuffix: suffix,
            nameDataQuality: nameQ!, preferredName: preferred, pronouns: pronouns, ssn: ssn,
            ssnDataQuality: ssnQ!, birthDate: dob, dobDataQuality: dobQ!, sex: sex!, races: races,
            raceNone: raceNone, additionalRaceEthnicity: additional, veteranStatus: veteran!,
            phone: phone, email: email, address: address, preferredLanguage: language,
            createdAt: Date(timeIntervalSince1970: 0), updatedAt: Date(timeIntervalSince1970: 0),
            createdBy: id, version: 1)
        var confidential = client
        confidential.alias = alias
        return confidential
    }
}
