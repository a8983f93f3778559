import Foundation
import TrellisCore
import TrellisData
import Vapor

/// Handlers for the HTML interface: parse the form, call one service, render. Nothing here decides
/// who may do what; the services do.
enum WebController {
    // MARK: Sign-in

    static func signInForm(_ req: Request) async throws -> Response {
        if let p = req.principal { return req.seeOther(Paths.home(for: p.staff.role)) }
        return try await renderSignIn(req, username: "", error: nil, status: .ok)
    }

    static func renderSignIn(_ req: Request, username: String, error: String?, status: HTTPStatus) async throws
        -> Response
    {
        var csrf = req.cookies[SessionCookie.preAuthCSRF]?.string ?? ""
        let setCookie = csrf.isEmpty
        if setCookie { csrf = Tokens.random() }
        var ctx = req.pageContext
        ctx.csrf = csrf
        let needsSetup = try await req.store.staffCount() == 0
        let r = req.page(
            SignInPage.render(ctx, username: username, error: error, needsSetup: needsSetup), status: status)
        if setCookie {
            r.cookies[SessionCookie.preAuthCSRF] = SessionCookie.make(csrf, config: req.runtime.config, maxAge: 3600)
        }
        return r
    }

    static func signIn(_ req: Request) async throws -> Response {
        let form = FormBody(req)
        let username = form["username"] ?? ""
        let t = req.strings
        do {
            switch try await SignInService(req: req).signIn(username: username, password: form["password"] ?? "") {
            case .success(let staff, let token):
                let r = req.seeOther(Paths.home(for: staff.role))
                r.cookies[SessionCookie.name] = SessionCookie.make(
                    token, config: req.runtime.config, maxAge: Int(req.runtime.config.sessionLifetime))
                r.cookies[SessionCookie.preAuthCSRF] = .expired
                return r
            case .failure:
                return try await renderSignIn(req, username: username, error: t("signin.failed"), status: .unauthorized)
            }
        } catch TrellisError.tooManyAttempts(let seconds) {
            let r = try await renderSignIn(
                req, username: username, error: t("signin.throttled"), status: .tooManyRequests)
            r.headers.replaceOrAdd(name: .retryAfter, value: String(seconds))
            return r
        }
    }

    static func signOut(_ req: Request) async throws -> Response {
        try await SignInService(req: req).signOut()
        let r = req.seeOther(Paths.signIn)
        r.cookies[SessionCookie.name] = .expired
        return r
    }

    static func setLanguage(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let form = FormBody(req)
        guard let lang = form["language"].flatMap(TrellisCore.Language.init(rawValue:)) else {
            throw TrellisError.validation([FieldError("language", "is not one of the allowed values")])
        }
        try await req.organization.setLanguage(lang, by: actor)
        // Only a local path: "//host" and "/\\host" would leave the site.
        let back = form["return"].flatMap(localPath) ?? Paths.home(for: actor.role)
        return req.seeOther(back)
    }

    static func passwordForm(_ req: Request) async throws -> Response {
        _ = try req.actor()
        return req.page(PasswordPage.render(req.pageContext, state: FormState()))
    }

    static func changePassword(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let form = FormBody(req)
        do {
            try await req.organization.changePassword(
                current: form["currentPassword"] ?? "", new: form["newPassword"] ?? "",
                confirmation: form["confirmPassword"] ?? "",
                keepingSession: req.principal?.sessionHash, by: actor)
            return req.seeOther(Paths.home(for: actor.role), flash: "flash.passwordChanged")
        } catch {
            guard let errs = validationErrors(error) else { throw error }
            // Passwords are never echoed back into the form.
            return req.page(
                PasswordPage.render(req.pageContext, state: FormState(errors: errs)), status: .unprocessableEntity)
        }
    }

    /// A path on this site, or nil: no scheme or host, no "//", and no backslash, space or control
    /// character that a browser might strip or reinterpret on the way to another site.
    static func localPath(_ s: String) -> String? {
        guard s.hasPrefix("/"), !s.hasPrefix("//"), s.count <= 500,
            !s.unicodeScalars.contains(where: {
                $0 == "\\" || $0.properties.isWhitespace || $0.properties.generalCategory == .control
            }),
            let c = URLComponents(string: s), c.scheme == nil, c.host == nil
        else { return nil }
        return s
    }

    // MARK: Caseloads

    static func sortParams(_ req: Request) -> (CaseloadSort, Bool) {
        let sort = (try? req.query.get(String.self, at: "sort")).flatMap(CaseloadSort.init(rawValue:)) ?? .overdue
        let desc = (try? req.query.get(String.self, at: "dir")) == "desc"
        return (sort, desc)
    }

    static func caseload(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let (sort, desc) = sortParams(req)
        let contact = req.queryString("contact").flatMap(ComplianceStatus.init(rawValue:))
        let load = try await req.caseloads.caseload(
            of: actor.id, by: actor, sort: sort, descending: desc, contact: contact)
        let alerts = try await req.assessments.openAlerts(for: actor)
        let today = req.deps.today
        let overdueTasks = try await req.tasks.open(for: actor.id, by: actor).filter { $0.isOverdue(today) }.count
        return req.page(
            CaseloadPage.render(
                req.pageContext, caseload: load, sort: sort, descending: desc, isOwn: true, basePath: Paths.caseload,
                alerts: alerts, contact: contact, overdueTasks: overdueTasks))
    }

    static func staffCaseload(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let id = try req.uuid("staffID")
        let (sort, desc) = sortParams(req)
        let contact = req.queryString("contact").flatMap(ComplianceStatus.init(rawValue:))
        let load = try await req.caseloads.caseload(of: id, by: actor, sort: sort, descending: desc, contact: contact)
        return req.page(
            CaseloadPage.render(
                req.pageContext, caseload: load, sort: sort, descending: desc,
                isOwn: id == actor.id, basePath: Paths.staffCaseload(id), contact: contact))
    }

    static func team(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let loads = try await req.caseloads.teamLoads(by: actor)
        return req.page(
            TeamPage.render(req.pageContext, loads: loads, alerts: try await req.assessments.openAlerts(for: actor)))
    }

    // MARK: Clients

    static let pageSize = 25

    static func clientSearch(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let q = ((try? req.query.get(String.self, at: "q")) ?? "").prefix(200).description
        let page = max(1, min((try? req.query.get(Int.self, at: "page")) ?? 1, 10_000))
        let results = try await req.clients.search(q, by: actor, limit: pageSize + 1, offset: (page - 1) * pageSize)
        return req.page(
            ClientSearchPage.render(
                req.pageContext, query: q, results: Array(results.prefix(pageSize)),
                page: page, hasMore: results.count > pageSize))
    }

    /// A UUID form field: empty is nil; anything else must parse, or it is a field error (never a
    /// silent default).
    static func uuidField(_ form: FormBody, _ name: String, _ errors: inout [FieldError]) -> UUID? {
        guard let raw = form[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        guard let id = UUID(uuidString: raw) else {
            errors.append(FieldError(name, "is not one of the allowed values"))
            return nil
        }
        return id
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
        var household: [HouseholdMemberInput] = []
        for n in 0..<20 {
            let p = "household[\(n)]."
            guard form.fields[p + "firstName"] != nil || form.fields[p + "relationship"] != nil else { continue }
            household.append(
                HouseholdMemberInput(
                    firstName: form[p + "firstName"], lastName: form[p + "lastName"],
                    birthDate: form[p + "birthDate"], relationship: form[p + "relationship"].flatMap { Int($0) }))
        }
        i.household = household
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
        for (n, m) in (input.household ?? []).enumerated() {
            let p = "household[\(n)]."
            put(p + "firstName", m.firstName)
            put(p + "lastName", m.lastName)
            put(p + "birthDate", m.birthDate)
            put(p + "relationship", m.relationship.map(String.init))
        }
        return FormState(values: v, multi: ["races": input.races ?? []], errors: errors)
    }

    static func newClient(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        try Policy.require(actor, .writeClient)
        var input = ClientInput()
        input.nameDataQuality = DataQuality.full.rawValue
        input.dobDataQuality = DataQuality.full.rawValue
        input.ssnDataQuality = DataQuality.notCollected.rawValue
        return req.page(
            ClientFormPage.render(
                req.pageContext, state: clientState(input), clientID: nil, version: nil,
                householdRows: 2, duplicates: []))
    }

    static func createClient(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let form = FormBody(req)
        let input = clientInput(form)
        let rows = max(2, (input.household?.count ?? 0) + 1)
        do {
            switch try await req.clients.register(
                input, by: actor, duplicatesAcknowledged: form["acknowledgeDuplicates"] == "1")
            {
            case .created(let c):
                return req.seeOther(Paths.client(c.id), flash: "flash.clientCreated")
            case .possibleDuplicates(let d):
                return req.page(
                    ClientFormPage.render(
                        req.pageContext, state: clientState(input), clientID: nil, version: nil,
                        householdRows: rows, duplicates: d))
            }
        } catch {
            guard let errs = validationErrors(error) else { throw error }
            return req.page(
                ClientFormPage.render(
                    req.pageContext, state: clientState(input, errors: errs), clientID: nil,
                    version: nil, householdRows: rows, duplicates: []), status: .unprocessableEntity)
        }
    }

    static func client(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let detail = try await req.clients.detail(try req.uuid("clientID"), by: actor)
        let programs = try await req.store.programs(agencyID: actor.agencyID)
        return req.page(
            ClientDetailPage.render(
                req.pageContext, detail: detail,
                programs: Dictionary(uniqueKeysWithValues: programs.map { ($0.id, $0) }),
                canWrite: Policy.allows(actor, .writeClient),
                canSeeHistory: Policy.allows(actor, .viewAccessHistory)))
    }

    static func editClient(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let detail = try await req.clients.detail(try req.uuid("clientID"), by: actor)
        try Policy.require(actor, .writeClient)
        let input = ClientInput(detail.client, household: detail.household)
        return req.page(
            ClientFormPage.render(
                req.pageContext, state: clientState(input), clientID: detail.client.id,
                version: detail.client.version, householdRows: detail.household.count + 1, duplicates: []))
    }

    static func updateClient(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let id = try req.uuid("clientID")
        let form = FormBody(req)
        let input = clientInput(form)
        let version = form["version"].flatMap { Int($0) }
        do {
            _ = try await req.clients.update(id, with: input, expectedVersion: version, by: actor)
            return req.seeOther(Paths.client(id), flash: "flash.clientSaved")
        } catch {
            guard let (errs, status) = formFailure(error) else { throw error }
            return req.page(
                ClientFormPage.render(
                    req.pageContext, state: clientState(input, errors: errs), clientID: id,
                    version: version, householdRows: max(2, (input.household?.count ?? 0) + 1),
                    duplicates: []), status: status)
        }
    }

    static func clientHistory(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let id = try req.uuid("clientID")
        let page = max(1, min((try? req.query.get(Int.self, at: "page")) ?? 1, 10_000))
        let size = 50
        let (entries, total) = try await req.audit.accessHistory(
            clientID: id, by: actor, limit: size, offset: (page - 1) * size)
        guard let client = try await req.store.client(id: id) else { throw TrellisError.notFound("client") }
        let staff = try await req.store.staff(ids: entries.compactMap(\.actorID))
        return req.page(
            AccessHistoryPage.render(
                req.pageContext,
                client: ClientSummary(
                    id: id, firstName: client.firstName, lastName: client.lastName, preferredName: client.preferredName,
                    birthDate: nil),
                entries: entries, staff: Dictionary(uniqueKeysWithValues: staff.map { ($0.id, $0) }),
                page: page, hasMore: page * size < total))
    }

    // MARK: Cases

    static func newCase(_ req: Request, state: FormState? = nil, status: HTTPStatus = .ok) async throws -> Response {
        let actor = try req.actor()
        let id = try req.uuid("clientID")
        let client = try await req.clients.summary(id, by: actor)
        try Policy.require(actor, .openCase)
        let programs = try await req.store.programs(agencyID: actor.agencyID)
        var staff = try await req.store.staff(agencyID: actor.agencyID).filter { $0.active && $0.role != .auditor }
        // With a program chosen, the case managers with the most room in it are suggested, the first preselected.
        let program = req.queryUUID("program").flatMap { id in programs.first { $0.id == id } }
        var suggestions: [CaseManagerSuggestion] = []
        if let program { suggestions = try await req.workload.suggestions(programID: program.id, by: actor) }
        // A large agency's whole staff is no list to choose from: offer one's team, the suggestions, oneself
        // and whoever was already chosen.
        if staff.count > 300 {
            let keep = Set(
                suggestions.map(\.worker.staff.id) + [actor.id]
                    + (state.flatMap { UUID(uuidString: $0["primaryCaseManagerID"]) }.map { [$0] } ?? []))
            staff = staff.filter { keep.contains($0.id) || (actor.teamID != nil && $0.teamID == actor.teamID) }
        }
        let defaults = FormState(values: [
            "primaryCaseManagerID": (suggestions.first?.worker.staff.id ?? actor.id).uuidString.lowercased(),
            "priority": "medium",
            "stage": "engagement", "openedOn": req.deps.today.description,
            "programID": program?.id.uuidString.lowercased() ?? ""
        ])
        return req.page(
            CaseFormPage.render(
                req.pageContext, client: client, programs: programs, staff: staff, state: state ?? defaults,
                suggestions: suggestions), status: status)
    }

    static func createCase(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let id = try req.uuid("clientID")
        let form = FormBody(req)
        var parseErrors: [FieldError] = []
        let input = CaseInput(
            programID: uuidField(form, "programID", &parseErrors),
            primaryCaseManagerID: uuidField(form, "primaryCaseManagerID", &parseErrors),
            priority: form["priority"], stage: form["stage"], openedOn: form["openedOn"])
        do {
            if !parseErrors.isEmpty {
                // Still ask the service, so every other problem is reported too; nothing is written either way.
                do { _ = try await req.cases.check(clientID: id, input, by: actor) } catch TrellisError.validation(
                    let e)
                {
                    throw TrellisError.validation(
                        parseErrors + e.filter { f in !parseErrors.contains { $0.field == f.field } })
                }
                throw TrellisError.validation(parseErrors)
            }
            let c = try await req.cases.open(clientID: id, input, by: actor)
            return req.seeOther(Paths.case(c.id), flash: "flash.caseOpened")
        } catch {
            guard let errs = validationErrors(error) else { throw error }
            return try await newCase(
                req, state: FormState(values: form.values, errors: errs), status: .unprocessableEntity)
        }
    }

    static func renderCase(_ req: Request, id: UUID, state: FormState? = nil, status: HTTPStatus = .ok) async throws
        -> Response
    {
        let actor = try req.actor()
        let detail = try await req.cases.detail(id, by: actor)
        let staff = try await req.store.staff(ids: detail.notes.map(\.authorID))
        let c = detail.case
        let s =
            state
            ?? FormState(values: [
                "stage": c.stage.rawValue, "status": c.status.rawValue, "priority": c.priority.rawValue,
                "closedOn": c.closedOn?.description ?? ""
            ])
        let info = CaseAssessments(
            instruments: try await req.assessments.instruments(for: actor, programID: c.programID),
            assessments: try await req.assessments.history(caseID: id, by: actor),
            biopsychosocials: try await req.assessments.biopsychosocials(caseID: id, by: actor),
            alerts: try await req.assessments.caseAlerts(caseID: id, by: actor),
            plan: try await req.plans.overview(caseID: id, by: actor))
        let events = try await req.closures.history(caseID: id, by: actor)
        let tasks = try await req.tasks.forCase(id, by: actor)
        let latest = try await req.store.latestContacts(caseIDs: [id])[id] ?? [:]
        let programs = try await req.store.programs(agencyID: actor.agencyID)
        let coordination = CaseCoordination(
            compliance: ContactRule.evaluate(
                detail.program, openedOn: c.openedOn, latest: latest, today: req.deps.today),
            referrals: try await req.referrals.list(caseID: id, by: actor),
            services: try await req.serviceRecords.list(caseID: id, by: actor),
            tasks: tasks, advocacy: try await req.advocacy.list(caseID: id, by: actor),
            letters: try await req.letters.list(caseID: id, by: actor),
            events: events,
            names: try await staffNames(
                req,
                events.flatMap { [$0.by] + [$0.fromManagerID, $0.toManagerID].compactMap { $0 } }
                    + tasks.map(\.assigneeID)),
            programs: Dictionary(programs.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a }),
            canTransfer: Policy.allows(actor, .transferCase),
            pendingClosure: try await req.reviews.pendingClosure(caseID: id),
            noteReviews: try await req.reviews.noteReviews(caseID: id))
        return req.page(
            CaseDetailPage.render(
                req.pageContext, detail: detail, info: info, coordination: coordination,
                authors: Dictionary(uniqueKeysWithValues: staff.map { ($0.id, $0) }),
                canUpdate: Policy.allows(actor, .updateCase(primaryCaseManagerID: c.primaryCaseManagerID)),
                canWrite: Policy.allows(actor, .writeNote), state: s, today: req.deps.today), status: status)
    }

    static func caseDetail(_ req: Request) async throws -> Response {
        try await renderCase(req, id: try req.uuid("caseID"))
    }

    static func updateCase(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let id = try req.uuid("caseID")
        let form = FormBody(req)
        let update = CaseUpdate(
            stage: form["stage"], status: form["status"], priority: form["priority"], closedOn: form["closedOn"])
        do {
            _ = try await req.cases.update(id, update, expectedVersion: form["version"].flatMap { Int($0) }, by: actor)
            return req.seeOther(Paths.case(id), flash: "flash.caseSaved")
        } catch {
            guard let (errs, status) = formFailure(error) else { throw error }
            return try await renderCase(
                req, id: id, state: FormState(values: form.values, errors: errs), status: status)
        }
    }

    // MARK: Notes

    static func noteInput(_ form: FormBody) -> (NoteInput, [FieldError]) {
        var errors: [FieldError] = []
        let format = form["format"] ?? NoteFormat.narrative.rawValue
        var sections: [String: String] = [:]
        if let f = NoteFormat(rawValue: format) {
            for s in f.sections { if let v = form["sections.\(f.rawValue).\(s)"] { sections[s] = v } }
        }
        var minutes: Int? = nil
        if let m = form["durationMinutes"], !m.trimmingCharacters(in: .whitespaces).isEmpty {
            minutes = Int(m.trimmingCharacters(in: .whitespaces))
            if minutes == nil {
                // Out of range on purpose, so the service reports every other problem too and writes nothing.
                minutes = -1
                errors.append(FieldError("durationMinutes", "must be a whole number of minutes"))
            }
        }
        let participants = (form["participants"] ?? "").split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty }
        return (
            NoteInput(
                contactType: form["contactType"], contactDate: form["contactDate"], durationMinutes: minutes,
                participants: participants, format: format, sections: sections), errors
        )
    }

    static func noteErrors(_ errs: [FieldError], format: String?, parse: [FieldError] = []) -> [FieldError] {
        let replaced = Set(parse.map(\.field))
        return parse
            + errs.filter { !replaced.contains($0.field) }.renamed { f in
                if f.hasPrefix("sections."), let fmt = format {
                    return "sections.\(fmt)." + f.dropFirst("sections.".count)
                }
                if f.hasPrefix("participants") { return "participants" }
                return f
            }
    }

    static func noteState(_ n: CaseNote) -> FormState {
        var v = [
            "contactType": n.contactType.rawValue, "contactDate": n.contactDate.description,
            "durationMinutes": String(n.durationMinutes), "participants": n.participants.joined(separator: ", "),
            "format": n.format.rawValue
        ]
        for (k, s) in n.sections { v["sections.\(n.format.rawValue).\(k)"] = s }
        return FormState(values: v)
    }

    static func newNote(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let detail = try await req.cases.detail(try req.uuid("caseID"), by: actor)
        try Policy.require(actor, .writeNote)
        let state = FormState(values: [
            "contactType": "in_person", "contactDate": req.deps.today.description, "format": "narrative"
        ])
        return req.page(
            NoteFormPage.render(
                req.pageContext, mode: .new(caseID: detail.case.id), clientName: detail.client.displayName, state: state
            ))
    }

    static func createNote(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let caseID = try req.uuid("caseID")
        return try await saveNewNote(
            req, mode: .new(caseID: caseID), clientOf: { try await req.store.case(id: caseID)?.clientID }
        ) {
            try await req.notes.create(caseID: caseID, $0, by: actor)
        }
    }

    /// Saves a new note or addendum from the form; on a validation error shows the form again with
    /// every message and the values entered.
    static func saveNewNote(
        _ req: Request, mode: NoteFormPage.Mode, clientOf: () async throws -> UUID?,
        save: (NoteInput) async throws -> CaseNote
    ) async throws -> Response {
        let form = FormBody(req)
        let (input, parseErrors) = noteInput(form)
        do {
            let n = try await save(input)
            return req.seeOther(Paths.note(n.id), flash: "flash.noteSaved")
        } catch {
            guard let errs = validationErrors(error) else { throw error }
            guard let clientID = try await clientOf(), let client = try await req.store.client(id: clientID) else {
                throw error
            }
            return req.page(
                NoteFormPage.render(
                    req.pageContext, mode: mode, clientName: client.displayName,
                    state: FormState(
                        values: form.values, errors: noteErrors(errs, format: input.format, parse: parseErrors))),
                status: .unprocessableEntity)
        }
    }

    static func note(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let detail = try await req.notes.detail(try req.uuid("noteID"), by: actor)
        let n = detail.note
        return req.page(
            NoteDetailPage.render(
                req.pageContext, detail: detail,
                canSign: Policy.allows(actor, .signNote(authorID: n.authorID)),
                canEdit: Policy.allows(actor, .editDraftNote(authorID: n.authorID)),
                canAddend: Policy.allows(actor, .writeNote)))
    }

    static func editNote(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let detail = try await req.notes.detail(try req.uuid("noteID"), by: actor)
        guard detail.note.status == .draft else {
            throw TrellisError.conflict("A signed note cannot be changed. Add an addendum to correct it.")
        }
        try Policy.require(actor, .editDraftNote(authorID: detail.note.authorID))
        return req.page(
            NoteFormPage.render(
                req.pageContext, mode: .edit(noteID: detail.note.id, version: detail.note.version),
                clientName: detail.client.displayName, state: noteState(detail.note)))
    }

    static func updateNote(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let id = try req.uuid("noteID")
        let form = FormBody(req)
        let (input, parseErrors) = noteInput(form)
        let version = form["version"].flatMap { Int($0) }
        do {
            _ = try await req.notes.updateDraft(id, input, expectedVersion: version, by: actor)
            return req.seeOther(Paths.note(id), flash: "flash.noteSaved")
        } catch {
            let errs: [FieldError]
            if let e = validationErrors(error) {
                errs = noteErrors(e, format: input.format, parse: parseErrors)
            } else if let m = conflictMessage(error), try await req.store.note(id: id)?.status == .draft {
                errs = [FieldError("version", m)]
            } else {
                throw error
            }
            guard let n = try await req.store.note(id: id), let client = try await req.store.client(id: n.clientID)
            else { throw error }
            return req.page(
                NoteFormPage.render(
                    req.pageContext, mode: .edit(noteID: id, version: version ?? n.version),
                    clientName: client.displayName,
                    state: FormState(values: form.values, errors: errs)), status: .unprocessableEntity)
        }
    }

    static func signNote(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let id = try req.uuid("noteID")
        let form = FormBody(req)
        _ = try await req.notes.sign(id, expectedVersion: form["version"].flatMap { Int($0) }, by: actor)
        return req.seeOther(Paths.note(id), flash: "flash.noteSigned")
    }

    static func newAddendum(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let detail = try await req.notes.detail(try req.uuid("noteID"), by: actor)
        try Policy.require(actor, .writeNote)
        guard detail.note.status == .signed else {
            throw TrellisError.conflict("This note is still a draft: edit it instead of adding an addendum.")
        }
        let state = FormState(values: [
            "contactType": detail.note.contactType.rawValue, "contactDate": detail.note.contactDate.description,
            "format": "narrative", "durationMinutes": "0"
        ])
        return req.page(
            NoteFormPage.render(
                req.pageContext, mode: .addendum(noteID: detail.note.id), clientName: detail.client.displayName,
                state: state))
    }

    static func createAddendum(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let id = try req.uuid("noteID")
        return try await saveNewNote(
            req, mode: .addendum(noteID: id), clientOf: { try await req.store.note(id: id)?.clientID }
        ) {
            try await req.notes.addendum(to: id, $0, by: actor)
        }
    }

    // MARK: Administration

    static func users(
        _ req: Request, state: FormState = FormState(values: ["role": "case_manager", "language": "en"]),
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let actor = try req.actor()
        try Policy.require(actor, .manageUsers)
        return req.page(
            AdminUsersPage.render(
                req.pageContext, staff: try await req.organization.staff(by: actor),
                teams: try await req.organization.teams(by: actor), state: state), status: status)
    }

    static func createUser(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let form = FormBody(req)
        var parseErrors: [FieldError] = []
        let input = StaffInput(
            username: form["username"], displayName: form["displayName"], role: form["role"],
            teamID: uuidField(form, "teamID", &parseErrors), language: form["language"], password: form["password"])
        do {
            try Policy.require(actor, .manageUsers)
            if !parseErrors.isEmpty { throw TrellisError.validation(parseErrors) }
            _ = try await req.organization.createStaff(input, agencyID: actor.agencyID, by: actor)
            return req.seeOther(Paths.adminUsers, flash: "flash.userCreated")
        } catch {
            guard let errs = validationErrors(error) else { throw error }
            var values = form.values
            values["password"] = nil
            return try await users(req, state: FormState(values: values, errors: errs), status: .unprocessableEntity)
        }
    }

    static func programs(
        _ req: Request, programState: FormState = FormState(values: ["contactFrequencyDays": "30"]),
        teamState: FormState = FormState(), supervision: (UUID, FormState)? = nil, status: HTTPStatus = .ok
    ) async throws -> Response {
        let actor = try req.actor()
        try Policy.require(actor, .managePrograms)
        return req.page(
            AdminProgramsPage.render(
                req.pageContext, programs: try await req.organization.programs(by: actor),
                teams: try await req.organization.teams(by: actor),
                programState: programState, teamState: teamState,
                managers: try await req.store.programManagers(agencyID: actor.agencyID),
                programManagers: try await req.store.staff(agencyID: actor.agencyID).filter {
                    $0.role == .programManager && $0.active
                },
                supervision: supervision), status: status)
    }

    static func createProgram(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let form = FormBody(req)
        var errors: [FieldError] = []
        let freqText = form["contactFrequencyDays"] ?? ""
        let freq = Int(freqText.trimmingCharacters(in: .whitespaces))
        if freq == nil && !freqText.isEmpty {
            errors.append(FieldError("contactFrequencyDays", "must be a whole number of days"))
        }
        do {
            let reassessText = (form["reassessmentDays"] ?? "").trimmingCharacters(in: .whitespaces)
            if !reassessText.isEmpty && Int(reassessText) == nil {
                errors.append(FieldError("reassessmentDays", "must be a whole number of days"))
            }
            _ = try await req.organization.createProgram(
                ProgramInput(
                    name: form["name"], type: form["type"],
                    contactFrequencyDays: freq ?? (freqText.isEmpty ? nil : 0),
                    reassessmentDays: reassessText.isEmpty ? nil : Int(reassessText) ?? 0,
                    requiresPlanApproval: form["requiresPlanApproval"] == "on"), by: actor)
            return req.seeOther(Paths.adminPrograms, flash: "flash.programCreated")
        } catch {
            guard let errs = validationErrors(error) else { throw error }
            let merged = errors + errs.filter { e in !errors.contains { $0.field == e.field } }
            return try await programs(
                req, programState: FormState(values: form.values, errors: merged), status: .unprocessableEntity)
        }
    }

    static func createTeam(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let form = FormBody(req)
        var parseErrors: [FieldError] = []
        let programID = uuidField(form, "programID", &parseErrors)
        do {
            try Policy.require(actor, .manageUsers)
            if !parseErrors.isEmpty { throw TrellisError.validation(parseErrors) }
            _ = try await req.organization.createTeam(name: form["name"], programID: programID, by: actor)
            return req.seeOther(Paths.adminPrograms, flash: "flash.teamCreated")
        } catch {
            guard let errs = validationErrors(error) else { throw error }
            return try await programs(
                req, teamState: FormState(values: form.values, errors: errs), status: .unprocessableEntity)
        }
    }
}
