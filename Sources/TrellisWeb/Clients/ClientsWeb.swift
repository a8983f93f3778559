import Foundation
import TrellisCore
import TrellisData
import Vapor

enum ClientsWeb: WebHandlers {
    // MARK: Clients

    static let pageSize = 25

    static func clientSearch(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let q = ((try? req.query.get(String.self, at: "q")) ?? "").prefix(200).description
        let page = max(1, min((try? req.query.get(Int.self, at: "page")) ?? 1, 10_000))
        let results = try await req.clients.search(q, by: actor, limit: pageSize + 1, offset: (page - 1) * pageSize)
        let shown = Array(results.prefix(pageSize))
        let details = try await req.clients.searchDetails(shown, by: actor)
        let programs = Dictionary(
            try await req.organization.programs(by: actor).map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        return req.page(
            ClientSearchPage.render(
                req.pageContext, query: q, results: shown, details: details, programs: programs,
                today: req.deps.today, page: page, hasMore: results.count > pageSize))
    }

    static func clientInput(_ form: FormBody) -> ClientInput {
        var i = ClientInput()
        i.firstName = form["firstName"]
        i.middleName = form["middleName"]
        i.lastName = form["lastName"]
        i.nameSuffix = form["nameSuffix"]
        i.nameDataQuality = form["nameDataQuality"].flatMap { Int($0) }
        i.preferredName = form["preferredName"]
        i.pronouns = form["pronouns"]
        i.ssn = form["ssn"]
        i.ssnDataQuality = form["ssnDataQuality"].flatMap { Int($0) }
        i.birthDate = form["birthDate"]
        i.dobDataQuality = form["dobDataQuality"].flatMap { Int($0) }
        i.sex = form["sex"].flatMap { Int($0) }
        i.races = form.all("races[]")
        i.raceNone = form["raceNone"].flatMap { Int($0) }
        i.additionalRaceEthnicity = form["additionalRaceEthnicity"]
        i.veteranStatus = form["veteranStatus"].flatMap { Int($0) }
        i.phone = form["phone"]
        i.email = form["email"]
        i.address = form["address"]
        i.preferredLanguage = form["preferredLanguage"]
        i.alias = form["alias"]
        return i
    }

    static func clientState(_ input: ClientInput, errors: [FieldError] = []) -> FormState {
        var v: [String: String] = [:]
        func put(_ k: String, _ s: String?) { if let s { v[k] = s } }
        put("firstName", input.firstName)
        put("middleName", input.middleName)
        put("lastName", input.lastName)
        put("nameSuffix", input.nameSuffix)
        put("nameDataQuality", input.nameDataQuality.map(String.init))
        put("preferredName", input.preferredName)
        put("pronouns", input.pronouns)
        put("ssn", input.ssn)
        put("ssnDataQuality", input.ssnDataQuality.map(String.init))
        put("birthDate", input.birthDate)
        put("dobDataQuality", input.dobDataQuality.map(String.init))
        put("sex", input.sex.map(String.init))
        put("raceNone", input.raceNone.map(String.init))
        put("additionalRaceEthnicity", input.additionalRaceEthnicity)
        put("veteranStatus", input.veteranStatus.map(String.init))
        put("phone", input.phone)
        put("email", input.email)
        put("address", input.address)
        put("preferredLanguage", input.preferredLanguage)
        put("alias", input.alias)
        return FormState(values: v, multi: ["races": input.races ?? []], errors: errors)
    }

    static func newClient(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        try Policy.require(actor, .writeClient)
        var input = ClientInput()
        input.nameDataQuality = DataQuality.full.rawValue
        input.dobDataQuality = DataQuality.full.rawValue
        var state = clientState(input)
        let head = try await joiningHead(req, (try? req.query.get(String.self, at: "householdOf")), by: actor)
        if let head {
            state.values["householdOf"] = head.id.uuidString.lowercased()
            // A household's other members share its surname more often than not: offered, not required.
            state.values["lastName"] = head.lastName
        }
        return req.page(
            ClientFormPage.render(
                req.pageContext, state: state, clientID: nil, version: nil, joining: head, duplicates: []))
    }

    /// The head of the household a new client is to join (from `householdOf`), by name for the form.
    static func joiningHead(_ req: Request, _ text: String?, by actor: ActingUser) async throws -> ClientSummary? {
        guard let text, !text.isEmpty else { return nil }
        guard let id = UUID(uuidString: text) else {
            throw TrellisError.validation([FieldError("householdOf", "is not a client id")])
        }
        return try await req.clients.summary(id, by: actor)
    }

    /// The forms give the SSN's data quality no default: the worker chooses (HUD counts "not collected" as an
    /// error, so a default would file one for every client). With it left blank nothing is saved, and the
    /// form comes back with that and every other problem.
    static func unchosenQuality(_ req: Request, _ input: ClientInput, updating id: UUID?, by actor: ActingUser)
        async throws -> [FieldError]?
    {
        guard input.ssnDataQuality == nil else { return nil }
        var probe = input
        probe.ssnDataQuality = DataQuality.full.rawValue
        return [FieldError("ssnDataQuality", "is required")]
            + (try await req.clients.problems(probe, updating: id, by: actor)).filter { $0.field != "ssnDataQuality" }
    }

    static func createClient(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let form = FormBody(req)
        let input = clientInput(form)
        let head = try await joiningHead(req, form["householdOf"], by: actor)
        let joining = head.map { HouseholdJoin(headID: $0.id, relationship: form.int("relationshipToHead")) }
        func state(_ errors: [FieldError] = []) -> FormState {
            var s = clientState(input, errors: errors)
            s.values["householdOf"] = form["householdOf"]
            s.values["relationshipToHead"] = form["relationshipToHead"]
            return s
        }
        do {
            if let errors = try await unchosenQuality(req, input, updating: nil, by: actor) {
                throw TrellisError.validation(errors)
            }
            switch try await req.clients.register(
                input, by: actor, duplicatesAcknowledged: form["acknowledgeDuplicates"] == "1", joining: joining)
            {
            case .created(let c):
                return req.seeOther(Paths.client(c.id), flash: "flash.clientCreated")
            case .possibleDuplicates(let d):
                return req.page(
                    ClientFormPage.render(
                        req.pageContext, state: state(), clientID: nil, version: nil, joining: head, duplicates: d))
            }
        } catch {
            guard let (errs, status) = formFailure(error, conflictField: "householdOf") else { throw error }
            return req.page(
                ClientFormPage.render(
                    req.pageContext, state: state(errs.map(Self.householdField)), clientID: nil, version: nil,
                    joining: head, duplicates: []), status: status)
        }
    }

    /// The household's own field names, as the intake form calls them.
    static func householdField(_ e: FieldError) -> FieldError {
        switch e.field {
        case "relationship": FieldError("relationshipToHead", e.message)
        case "clientID": FieldError("householdOf", e.message)
        default: e
        }
    }

    static func client(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let detail: ClientDetail
        switch try await req.clients.page(try req.uuid("clientID"), by: actor) {
        case .full(let d): detail = d
        case .identity(let identity): return try await AccessWeb.identityPage(req, identity)
        }
        let programs = try await req.organization.programs(by: actor)
        let releases = try await req.releases.list(clientID: detail.client.id, by: actor)
        let elsewhere = try await req.shared.knownElsewhere(clientID: detail.client.id, by: actor)
        let canWrite = Policy.allows(actor, .writeClient) && detail.access.client.canWrite
        return req.page(
            ClientDetailPage.render(
                req.pageContext, detail: detail,
                programs: Dictionary(uniqueKeysWithValues: programs.map { ($0.id, $0) }),
                canWrite: canWrite, canSeeHistory: Policy.allows(actor, .viewAccessHistory), today: req.deps.today,
                releases: ReleasePages.section(
                    req.pageContext, clientID: detail.client.id, releases: releases,
                    canWrite: canWrite && detail.client.purgedAt == nil,
                    today: req.deps.today, knownElsewhere: elsewhere)))
    }

    static func editClient(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let detail = try await req.clients.detail(try req.uuid("clientID"), by: actor)
        try Policy.require(actor, .writeClient)
        let input = ClientInput(detail.client)
        return req.page(
            ClientFormPage.render(
                req.pageContext, state: clientState(input), clientID: detail.client.id,
                version: detail.client.version, joining: nil, duplicates: []))
    }

    static func updateClient(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let id = try req.uuid("clientID")
        let form = FormBody(req)
        let input = clientInput(form)
        let version = form["version"].flatMap { Int($0) }
        do {
            if let errors = try await unchosenQuality(req, input, updating: id, by: actor) {
                throw TrellisError.validation(errors)
            }
            _ = try await req.clients.update(id, with: input, expectedVersion: version, by: actor)
            return req.seeOther(Paths.client(id), flash: "flash.clientSaved")
        } catch {
            guard let (errs, status) = formFailure(error) else { throw error }
            return req.page(
                ClientFormPage.render(
                    req.pageContext, state: clientState(input, errors: errs), clientID: id,
                    version: version, joining: nil, duplicates: []), status: status)
        }
    }

    static func clientHistory(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let id = try req.uuid("clientID")
        let page = max(1, min((try? req.query.get(Int.self, at: "page")) ?? 1, 10_000))
        let size = 50
        let (filter, values) = AuditPages.filter(req)
        do {
            let h = try await req.audit.accessHistory(
                clientID: id, filter: filter, by: actor, limit: size, offset: (page - 1) * size)
            return req.page(
                AccessHistoryPage.render(
                    req.pageContext, client: h.client, entries: h.entries, total: h.total, staff: h.staff,
                    people: try await req.organization.staff(by: actor), filters: FormState(values: values), page: page)
            )
        } catch {
            guard let errs = validationErrors(error) else { throw error }
            return req.page(
                AuditPages.filterErrors(
                    req.pageContext, title: req.strings("access.title"), values: values, errors: errs),
                status: .unprocessableEntity)
        }
    }
}
