import Crypto
import Foundation
import TrellisCore
import Vapor

extension Request {
    var directory: ResourceDirectory { ResourceDirectory(store: store, deps: deps) }
    var referrals: ReferralService { ReferralService(store: store, deps: deps) }
    var serviceRecords: ServiceRecordService { ServiceRecordService(store: store, deps: deps) }
    var tasks: TaskService { TaskService(store: store, deps: deps) }
    var advocacy: AdvocacyService { AdvocacyService(store: store, deps: deps) }
    var letters: LetterService { LetterService(store: store, deps: deps) }
    var documents: DocumentService { DocumentService(store: store, deps: deps) }
    var closures: ClosureService { ClosureService(store: store, deps: deps) }
    var reports: ReportService { ReportService(store: store, deps: deps) }

    /// This site's address as the client reached it, for links that leave the browser (calendar feeds).
    var baseURL: String {
        (runtime.config.secureCookies ? "https" : "http") + "://" + (headers.first(name: .host) ?? "localhost")
    }

    func queryUUID(_ name: String) -> UUID? { (try? query.get(String.self, at: name)).flatMap(UUID.init(uuidString:)) }
    func queryString(_ name: String) -> String? { (try? query.get(String.self, at: name))?.nilIfEmpty }
}

extension FormBody {
    func uuid(_ k: String) -> UUID? { self[k].flatMap(UUID.init(uuidString:)) }
    func int(_ k: String) -> Int? { self[k].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } }
    func list(_ k: String) -> [String] {
        (self[k] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

func sha256Hex(_ data: Data) -> String { SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() }

/// Handlers for the directory, referrals, services, tasks, advocacy, letters, documents, closure and reports.
extension WebController {
    // MARK: Directory

    static func directory(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let q = ResourceQuery(
            text: req.queryString("q"), need: req.queryString("need"), category: req.queryString("category"),
            place: req.queryString("place"))
        let page = max(1, (try? req.query.get(Int.self, at: "page")) ?? 1)
        let size = 25
        let results = try await req.directory.search(q, by: actor, limit: size + 1, offset: (page - 1) * size)
        return req.page(
            DirectoryPage.render(
                req.pageContext, query: q, results: Array(results.prefix(size)),
                canEdit: Policy.allows(actor, .editDirectory),
                canImport: Policy.allows(actor, .importDirectory), page: page, hasMore: results.count > size,
                referFor: req.queryUUID("case")))
    }

    static func resource(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let l = try await req.directory.service(try req.uuid("serviceID"), by: actor)
        return req.page(
            ResourcePage.render(
                req.pageContext, listing: l, canEdit: Policy.allows(actor, .editDirectory),
                referFor: req.queryUUID("case")))
    }

    static func resourceForm(_ req: Request, id: UUID?, state: FormState, status: HTTPStatus = .ok) async throws
        -> Response
    {
        let actor = try req.actor()
        try Policy.require(actor, .editDirectory)
        return req.page(
            ResourceFormPage.render(
                req.pageContext, id: id, organizations: try await req.directory.organizations(by: actor), state: state),
            status: status)
    }

    static func newResource(_ req: Request) async throws -> Response {
        try await resourceForm(req, id: nil, state: FormState(values: ["status": "active"]))
    }

    static func editResource(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let s = try await req.directory.service(try req.uuid("serviceID"), by: actor).service
        let l = s.locations.first
        return try await resourceForm(
            req, id: s.id,
            state: FormState(
                values: [
                    "organizationID": s.organizationID.uuidString.lowercased(), "name": s.name,
                    "description": s.description ?? "", "status": s.status,
                    "categories": s.categories.joined(separator: ", "), "eligibility": s.eligibility ?? "",
                    "fees": s.fees ?? "", "hours": s.hours ?? "",
                    "languages": s.languages.joined(separator: ", "), "applicationProcess": s.applicationProcess ?? "",
                    "phone": s.phone ?? "", "email": s.email ?? "",
                    "url": s.url ?? "", "contactName": s.contacts.first?.name ?? "", "locationName": l?.name ?? "",
                    "address": l?.address ?? "", "city": l?.city ?? "",
                    "region": l?.region ?? "", "postalCode": l?.postalCode ?? "", "version": String(s.version)
                ], multi: ["needs": s.needs]))
    }

    static func saveResource(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let id = req.parameters.get("serviceID").flatMap(UUID.init(uuidString:))
        let form = FormBody(req)
        var input = ResourceServiceInput()
        input.organizationID = form.uuid("organizationID")
        input.organizationName = form["organizationName"]
        input.name = form["name"]
        input.description = form["description"]
        input.status = form["status"]
        input.categories = form.list("categories")
        input.needs = form.all("needs")
        input.eligibility = form["eligibility"]
        input.fees = form["fees"]
        input.hours = form["hours"]
        input.languages = form.list("languages")
        input.applicationProcess = form["applicationProcess"]
        input.phone = form["phone"]
        input.email = form["email"]
        input.url = form["url"]
        input.contactName = form["contactName"]
        input.locationName = form["locationName"]
        input.address = form["address"]
        input.city = form["city"]
        input.region = form["region"]
        input.postalCode = form["postalCode"]
        do {
            let s = try await req.directory.save(id, input, expectedVersion: form.int("version"), by: actor)
            return req.seeOther(Paths.resource(s.id), flash: "flash.saved")
        } catch {
            guard let (errs, status) = formFailure(error) else { throw error }
            return try await resourceForm(
                req, id: id, state: FormState(values: form.values, multi: ["needs": form.all("needs")], errors: errs),
                status: status)
        }
    }

    static func importForm(_ req: Request) async throws -> Response {
        try Policy.require(try req.actor(), .importDirectory)
        return req.page(ImportPage.render(req.pageContext, report: nil, error: nil))
    }

    struct ImportUpload: Content { var files: [File]? }

    /// The uploaded CSV files by name, for the importer.
    static func csvFiles(_ files: [File]) throws -> [String: String] {
        var out: [String: String] = [:]
        for f in files where f.data.readableBytes > 0 {
            guard let text = f.data.getString(at: f.data.readerIndex, length: f.data.readableBytes) else {
                throw TrellisError.validation([FieldError("files", "\(f.filename) is not UTF-8 text")])
            }
            out[DocumentRules.safeName(f.filename)] = text
        }
        return out
    }

    static func runImport(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let files = (try? req.content.decode(ImportUpload.self))?.files ?? []
        do {
            let report = try await HSDSImporter(store: req.store, deps: req.deps).run(
                files: try csvFiles(files), by: actor)
            return req.page(ImportPage.render(req.pageContext, report: report, error: nil))
        } catch TrellisError.validation(let errs) {
            return req.page(
                ImportPage.render(req.pageContext, report: nil, error: errs.map(\.message).joined(separator: "; ")),
                status: .unprocessableEntity)
        }
    }

    // MARK: Referrals

    static func newReferral(_ req: Request, state: FormState? = nil, status: HTTPStatus = .ok) async throws -> Response
    {
        let actor = try req.actor()
        try Policy.require(actor, .writeNote)
        let caseID = try req.uuid("caseID")
        let detail = try await req.cases.detail(caseID, by: actor)
        let goals = try await req.plans.overview(caseID: caseID, by: actor).latest?.goals ?? []
        let form =
            state
            ?? FormState(values: [
                "goalID": req.queryString("goal") ?? "", "serviceID": req.queryString("service") ?? ""
            ])
        let service = try await UUID(uuidString: form["serviceID"]).asyncMap {
            try await req.directory.service($0, by: actor)
        }
        var s = form
        if s["need"].isEmpty, let g = goals.first(where: { $0.id.uuidString.lowercased() == s["goalID"] }),
            let d = g.domain
        {
            s.values["need"] = d
        }
        return req.page(
            ReferralFormPage.render(req.pageContext, detail: detail, goals: goals, service: service, state: s),
            status: status)
    }

    static func createReferral(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let caseID = try req.uuid("caseID")
        let form = FormBody(req)
        let input = ReferralInput(
            goalID: form.uuid("goalID"), serviceID: form.uuid("serviceID"), providerName: form["providerName"],
            providerContact: form["providerContact"], reason: form["reason"], consentOn: form["consentOn"],
            send: form["send"] == "1")
        do {
            let r = try await req.referrals.create(caseID: caseID, input, by: actor)
            return req.seeOther(Paths.referral(r.id), flash: r.status == .sent ? "flash.referralSent" : "flash.saved")
        } catch {
            guard let (errs, status) = formFailure(error) else { throw error }
            return try await newReferral(req, state: FormState(values: form.values, errors: errs), status: status)
        }
    }

    static func referral(_ req: Request, state: FormState = FormState(), status: HTTPStatus = .ok) async throws
        -> Response
    {
        let actor = try req.actor()
        let d = try await req.referrals.detail(try req.uuid("referralID"), by: actor)
        let names = try await staffNames(req, d.referral.events.map(\.by))
        return req.page(
            ReferralPage.render(
                req.pageContext, detail: d, names: names, canWrite: Policy.allows(actor, .writeNote), state: state),
            status: status)
    }

    static func moveReferral(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let id = try req.uuid("referralID")
        let form = FormBody(req)
        do {
            _ = try await req.referrals.move(
                id, to: form["status"], on: form["on"], reason: form["reason"], expectedVersion: form.int("version"),
                by: actor)
            return req.seeOther(Paths.referral(id), flash: "flash.saved")
        } catch {
            guard let (errs, status) = formFailure(error, conflictField: "status") else { throw error }
            return try await referral(req, state: FormState(values: form.values, errors: errs), status: status)
        }
    }

    static func printReferral(_ req: Request) async throws -> Response {
        let d = try await req.referrals.detail(try req.uuid("referralID"), by: try req.actor())
        return req.page(ReferralPrintPage.render(req.pageContext, detail: d))
    }

    static func staffNames(_ req: Request, _ ids: [UUID]) async throws -> [UUID: String] {
        Dictionary(try await req.store.staff(ids: ids).map { ($0.id, $0.displayName) }, uniquingKeysWith: { a, _ in a })
    }

    // MARK: Services delivered

    static func newServiceRecord(_ req: Request, state: FormState? = nil, status: HTTPStatus = .ok) async throws
        -> Response
    {
        let actor = try req.actor()
        try Policy.require(actor, .writeNote)
        let caseID = try req.uuid("caseID")
        let detail = try await req.cases.detail(caseID, by: actor)
        let refs = try await req.referrals.list(caseID: caseID, by: actor)
        return req.page(
            ServiceRecordFormPage.render(
                req.pageContext, detail: detail, referrals: refs,
                state: state ?? FormState(values: ["providedOn": req.deps.today.description])), status: status)
    }

    static func createServiceRecord(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let caseID = try req.uuid("caseID")
        let form = FormBody(req)
        var units: Double? = nil
        var parse: [FieldError] = []
        if let u = form["units"]?.trimmingCharacters(in: .whitespaces), !u.isEmpty {
            if let d = Double(u) { units = d } else { parse.append(FieldError("units", "must be a number")) }
        }
        let input = ServiceRecordInput(
            typeCode: form["typeCode"], providedOn: form["providedOn"], units: units, unitLabel: form["unitLabel"],
            providerName: form["providerName"], referralID: form.uuid("referralID"), amount: form["amount"],
            periodStart: form["periodStart"], periodEnd: form["periodEnd"], payee: form["payee"], notes: form["notes"])
        do {
            if !parse.isEmpty { throw TrellisError.validation(parse) }
            _ = try await req.serviceRecords.record(caseID: caseID, input, by: actor)
            return req.seeOther(Paths.case(caseID) + "#s-services", flash: "flash.serviceRecorded")
        } catch {
            guard let (errs, status) = formFailure(error) else { throw error }
            return try await newServiceRecord(req, state: FormState(values: form.values, errors: errs), status: status)
        }
    }

    // MARK: Tasks

    static func tasks(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let list = try await req.tasks.open(for: actor.id, by: actor)
        let feed = try await req.store.record(CalendarFeed.self, id: actor.id)
        // The secret itself is never stored; only a fresh one can be shown, right after it is made.
        let shown = req.cookies["trellis_feed"]?.string
        let url = feed == nil ? nil : shown.map { req.baseURL + "/calendar/" + $0 + ".ics" }
        let r = req.page(
            TasksPage.render(
                req.pageContext, tasks: list, today: req.deps.today,
                feedURL: url ?? (feed == nil ? nil : req.strings("task.feed.exists")),
                names: try await staffNames(req, [actor.id])))
        if shown != nil { r.cookies["trellis_feed"] = .expired }
        return r
    }

    static func newTask(_ req: Request, state: FormState? = nil, status: HTTPStatus = .ok) async throws -> Response {
        let actor = try req.actor()
        try Policy.require(actor, .writeNote)
        let staff = try await req.store.staff(agencyID: actor.agencyID)
        return req.page(
            TaskFormPage.render(
                req.pageContext, staff: staff,
                state: state
                    ?? FormState(values: [
                        "dueOn": req.deps.today.description, "assigneeID": actor.id.uuidString.lowercased(),
                        "caseID": req.queryString("case") ?? "", "durationMinutes": "60"
                    ])),
            status: status)
    }

    static func createTask(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let form = FormBody(req)
        let input = TaskInput(
            kind: form["kind"], title: form["title"], details: form["details"], assigneeID: form.uuid("assigneeID"),
            caseID: form.uuid("caseID"),
            dueOn: form["dueOn"], startTime: form["startTime"], durationMinutes: form.int("durationMinutes"),
            location: form["location"])
        do {
            let t = try await req.tasks.create(input, by: actor)
            return req.seeOther(t.caseID.map { Paths.case($0) + "#s-tasks" } ?? Paths.tasks, flash: "flash.saved")
        } catch {
            guard let (errs, status) = formFailure(error) else { throw error }
            return try await newTask(req, state: FormState(values: form.values, errors: errs), status: status)
        }
    }

    static func task(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let t = try await req.tasks.task(try req.uuid("taskID"), by: actor)
        return req.page(
            TaskPage.render(
                req.pageContext, task: t, assignee: try await req.store.staff(id: t.assigneeID)?.displayName,
                canWrite: Policy.allows(actor, .writeNote)))
    }

    static func setTaskStatus(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let form = FormBody(req)
        let t = try await req.tasks.setStatus(
            try req.uuid("taskID"), form["status"], expectedVersion: form.int("version"), by: actor)
        return req.seeOther(Paths.task(t.id), flash: "flash.saved")
    }

    /// Makes a new private feed address; the old one stops working at once.
    static func resetCalendar(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let token = Tokens.random()
        let hash = Tokens.hash(token)
        let store = req.store
        let deps = req.deps
        try await store.transaction { tx in
            if let old = try await tx.record(CalendarFeed.self, id: actor.id) {
                var f = old
                f.tokenHash = hash
                f.createdAt = deps.now()
                f.version += 1
                try await tx.update(f, from: old.version)
            } else {
                try await tx.insertRecord(
                    CalendarFeed(id: actor.id, tokenHash: hash, createdAt: deps.now(), version: 1))
            }
            try await AuditService(store: tx, deps: deps).record(
                actor, .calendarReset, recordType: "calendar_feed", recordID: actor.id)
        }
        let r = req.seeOther(Paths.tasks + "#s-feed", flash: "flash.feedReady")
        r.cookies["trellis_feed"] = HTTPCookies.Value(
            string: token, maxAge: 60, path: "/tasks", isSecure: req.runtime.config.secureCookies, isHTTPOnly: true,
            sameSite: .lax)
        return r
    }

    /// The iCalendar feed, found by its secret; no session needed, so calendar programs can fetch it.
    static func calendarFeed(_ req: Request) async throws -> Response {
        guard var token = req.parameters.get("token"), token.hasSuffix(".ics") else { throw Abort(.notFound) }
        token.removeLast(4)
        guard
            let feed = try await req.store.records(
                CalendarFeed.self, [.equals("token_hash", .text(Tokens.hash(token)))]
            ).first,
            let staff = try await req.store.staff(id: feed.id), staff.active
        else { throw Abort(.notFound) }
        let tasks = try await req.tasks.feed(staffID: staff.id)
        let body = ICalendar.render(
            tasks, name: "Trellis · " + staff.displayName, baseURL: req.baseURL, now: req.deps.now())
        return Response(
            status: .ok,
            headers: ["Content-Type": "text/calendar; charset=utf-8", "Cache-Control": "private, max-age=300"],
            body: .init(string: body))
    }

    // MARK: Advocacy

    static func advocacyInput(_ form: FormBody) -> AdvocacyInput {
        AdvocacyInput(
            kind: form["kind"], issue: form["issue"], otherParty: form["otherParty"], summary: form["summary"],
            filingDeadline: form["filingDeadline"],
            hearingOn: form["hearingOn"], status: form["status"], outcome: form["outcome"],
            outcomeNotes: form["outcomeNotes"])
    }

    static func newAdvocacy(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        try Policy.require(actor, .writeNote)
        let caseID = try req.uuid("caseID")
        _ = try await req.store.readableCase(caseID, actor)
        return req.page(
            AdvocacyFormPage.render(
                req.pageContext, caseID: caseID, action: nil,
                state: FormState(values: ["kind": "appeal", "status": "preparing", "outcome": "pending"])))
    }

    static func createAdvocacy(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let caseID = try req.uuid("caseID")
        let form = FormBody(req)
        do {
            let a = try await req.advocacy.save(
                caseID: caseID, id: nil, advocacyInput(form), expectedVersion: nil, by: actor)
            return req.seeOther(Paths.advocacy(a.id), flash: "flash.advocacySaved")
        } catch {
            guard let (errs, status) = formFailure(error) else { throw error }
            return req.page(
                AdvocacyFormPage.render(
                    req.pageContext, caseID: caseID, action: nil, state: FormState(values: form.values, errors: errs)),
                status: status)
        }
    }

    static func advocacyAction(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let a = try await req.advocacy.action(try req.uuid("advocacyID"), by: actor)
        return req.page(
            AdvocacyFormPage.render(
                req.pageContext, caseID: a.caseID, action: a,
                state: FormState(values: [
                    "kind": a.kind.rawValue, "issue": a.issue.rawValue, "otherParty": a.otherParty,
                    "summary": a.summary ?? "",
                    "filingDeadline": a.filingDeadline?.description ?? "", "hearingOn": a.hearingOn?.description ?? "",
                    "status": a.status.rawValue,
                    "outcome": a.outcome.rawValue, "outcomeNotes": a.outcomeNotes ?? "", "version": String(a.version)
                ])))
    }

    static func updateAdvocacy(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let id = try req.uuid("advocacyID")
        let form = FormBody(req)
        do {
            let a = try await req.advocacy.save(
                caseID: nil, id: id, advocacyInput(form), expectedVersion: form.int("version"), by: actor)
            return req.seeOther(Paths.advocacy(a.id), flash: "flash.advocacySaved")
        } catch {
            guard let (errs, status) = formFailure(error) else { throw error }
            let a = try await req.advocacy.action(id, by: actor)
            return req.page(
                AdvocacyFormPage.render(
                    req.pageContext, caseID: a.caseID, action: a, state: FormState(values: form.values, errors: errs)),
                status: status)
        }
    }

    // MARK: Letters

    static func newLetter(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        try Policy.require(actor, .writeNote)
        let caseID = try req.uuid("caseID")
        let templates = try await req.letters.templates(by: actor)
        var state = FormState(values: [
            "advocacy": req.queryString("advocacy") ?? "", "template": req.queryString("template") ?? ""
        ])
        var preview = false
        if let tid = req.queryUUID("template") {
            let (t, body) = try await req.letters.preview(
                caseID: caseID, templateID: tid, advocacyID: req.queryUUID("advocacy"), by: actor)
            state.values["title"] = t.name
            state.values["body"] = body
            preview = true
        } else {
            _ = try await req.store.readableCase(caseID, actor)
        }
        return req.page(
            LetterFormPage.render(req.pageContext, caseID: caseID, templates: templates, state: state, preview: preview)
        )
    }

    static func createLetter(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let caseID = try req.uuid("caseID")
        let form = FormBody(req)
        do {
            let l = try await req.letters.keep(
                caseID: caseID, templateID: form.uuid("templateID"), advocacyID: form.uuid("advocacyID"),
                title: form["title"], body: form["body"], by: actor)
            return req.seeOther(Paths.letter(l.id), flash: "flash.letterKept")
        } catch {
            guard let (errs, status) = formFailure(error) else { throw error }
            var values = form.values
            values["template"] = form["templateID"] ?? ""
            values["advocacy"] = form["advocacyID"] ?? ""
            return req.page(
                LetterFormPage.render(
                    req.pageContext, caseID: caseID, templates: try await req.letters.templates(by: actor),
                    state: FormState(values: values, errors: errs), preview: true), status: status)
        }
    }

    static func letter(_ req: Request) async throws -> Response {
        let l = try await req.letters.letter(try req.uuid("letterID"), by: try req.actor())
        return req.page(LetterPage.render(req.pageContext, letter: l))
    }

    static func letterTemplates(
        _ req: Request, editing: LetterTemplate? = nil, state: FormState? = nil, status: HTTPStatus = .ok
    ) async throws -> Response {
        let actor = try req.actor()
        try Policy.require(actor, .manageTemplates)
        var editing = editing
        if editing == nil, let id = req.parameters.get("templateID").flatMap(UUID.init(uuidString:)) {
            editing = try await req.letters.templates(by: actor).first { $0.id == id }
            if editing == nil { throw TrellisError.notFound("template") }
        }
        let s =
            state ?? editing.map {
                FormState(values: [
                    "name": $0.name, "body": $0.body, "active": $0.active ? "1" : "0", "version": String($0.version)
                ])
            }
            ?? FormState(values: ["active": "1"])
        return req.page(
            TemplatesPage.render(
                req.pageContext, templates: try await req.letters.templates(by: actor), editing: editing, state: s),
            status: status)
    }

    static func saveLetterTemplate(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let id = req.parameters.get("templateID").flatMap(UUID.init(uuidString:))
        let form = FormBody(req)
        do {
            _ = try await req.letters.saveTemplate(
                id, name: form["name"], body: form["body"], active: form["active"] != "0",
                expectedVersion: form.int("version"), by: actor)
            return req.seeOther(Paths.adminLetters, flash: "flash.saved")
        } catch {
            guard let (errs, status) = formFailure(error) else { throw error }
            let editing =
                try await id.asyncMap { tid in try await req.letters.templates(by: actor).first { $0.id == tid } }
                ?? nil
            return try await letterTemplates(
                req, editing: editing, state: FormState(values: form.values, errors: errs), status: status)
        }
    }

    // MARK: Documents

    static func documents(_ req: Request, state: FormState = FormState(), status: HTTPStatus = .ok) async throws
        -> Response
    {
        let actor = try req.actor()
        let clientID = try req.uuid("clientID")
        let docs = try await req.documents.list(clientID: clientID, by: actor)
        let detail = try await req.clients.detail(clientID, by: actor)
        let names = try await staffNames(req, docs.flatMap { [$0.uploadedBy] + ($0.deletedBy.map { [$0] } ?? []) })
        return req.page(
            DocumentsPage.render(
                req.pageContext, client: detail.client, cases: try await req.store.cases(clientID: clientID),
                documents: docs,
                names: names, canWrite: Policy.allows(actor, .writeClient),
                canDelete: { Policy.allows(actor, .deleteDocument(uploadedBy: $0.uploadedBy)) }, state: state),
            status: status)
    }

    struct DocumentForm: Content {
        var type: String?
        var caseID: String?
        var description: String?
        var file: File?
    }

    static func documentUpload(_ req: Request) throws -> DocumentUpload {
        let form = try? req.content.decode(DocumentForm.self)
        let bytes = form?.file.map { Data(buffer: $0.data) }
        return DocumentUpload(
            type: form?.type, filename: form?.file?.filename, caseID: form?.caseID.flatMap(UUID.init(uuidString:)),
            description: form?.description, bytes: bytes, sha256: bytes.map(sha256Hex) ?? "")
    }

    static func uploadDocument(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let clientID = try req.uuid("clientID")
        let upload = try documentUpload(req)
        do {
            _ = try await req.documents.upload(clientID: clientID, upload, by: actor)
            return req.seeOther(Paths.documents(clientID), flash: "flash.documentUploaded")
        } catch {
            guard let (errs, status) = formFailure(error) else { throw error }
            return try await documents(
                req,
                state: FormState(
                    values: [
                        "type": upload.type ?? "", "description": upload.description ?? "",
                        "caseID": upload.caseID?.uuidString.lowercased() ?? ""
                    ], errors: errs), status: status)
        }
    }

    static func downloadDocument(_ req: Request) async throws -> Response {
        let (d, bytes) = try await req.documents.download(try req.uuid("documentID"), by: try req.actor())
        var headers: HTTPHeaders = [
            "Content-Type": d.contentType, "Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"
        ]
        let ascii = String(d.filename.unicodeScalars.map { $0.isASCII && $0 != "\"" ? Character($0) : "_" })
        headers.add(
            name: .contentDisposition,
            value:
                "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(d.filename.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ascii)"
        )
        return Response(status: .ok, headers: headers, body: .init(data: bytes))
    }

    static func deleteDocument(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let form = FormBody(req)
        let id = try req.uuid("documentID")
        do {
            let d = try await req.documents.delete(
                id, reason: form["reason"], expectedVersion: form.int("version"), by: actor)
            return req.seeOther(Paths.documents(d.clientID), flash: "flash.documentDeleted")
        } catch TrellisError.validation(let errs) {
            let d = try await req.store.agencyRecord(StoredDocument.self, id, actor, "document")
            req.parameters.set("clientID", to: d.clientID.uuidString)
            return try await documents(
                req, state: FormState(errors: errs.renamed { _ in "reason-" + id.uuidString.lowercased() }),
                status: .unprocessableEntity)
        }
    }

    // MARK: Closure and transfer

    static func closeForm(_ req: Request, state: FormState? = nil, status: HTTPStatus = .ok) async throws -> Response {
        let actor = try req.actor()
        let detail = try await req.cases.detail(try req.uuid("caseID"), by: actor)
        try Policy.require(actor, .updateCase(primaryCaseManagerID: detail.case.primaryCaseManagerID))
        return req.page(
            ClosePage.render(
                req.pageContext, detail: detail,
                state: state ?? FormState(values: ["closedOn": req.deps.today.description])), status: status)
    }

    static func closeCase(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let id = try req.uuid("caseID")
        let form = FormBody(req)
        let input = ClosureInput(
            reason: form["reason"], destination: form.int("destination"), closedOn: form["closedOn"],
            checklist: form.all("checklist"),
            followUpDays: form.all("followUpDays").compactMap { Int($0) }, note: form["note"])
        do {
            let r = try await req.closures.close(id, input, expectedVersion: form.int("version"), by: actor)
            return req.seeOther(
                Paths.case(id), flash: r.pendingRequest == nil ? "flash.caseClosed" : "flash.closureRequested")
        } catch {
            guard let (errs, status) = formFailure(error) else { throw error }
            return try await closeForm(
                req, state: FormState(values: form.values, multi: form.fields, errors: errs), status: status)
        }
    }

    static func reopenCase(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let id = try req.uuid("caseID")
        let form = FormBody(req)
        do {
            _ = try await req.closures.reopen(
                id, reason: form["reason"], expectedVersion: form.int("version"), by: actor)
            return req.seeOther(Paths.case(id), flash: "flash.caseReopened")
        } catch TrellisError.validation(let errs) {
            return req.seeOther(
                Paths.case(id) + "#s-history",
                flash: errs.contains { $0.message.contains("another open case") }
                    ? "flash.reopenConflict" : "flash.reopenNeedsReason")
        }
    }

    static func transferForm(_ req: Request, state: FormState? = nil, status: HTTPStatus = .ok) async throws -> Response
    {
        let actor = try req.actor()
        try Policy.require(actor, .transferCase)
        let detail = try await req.cases.detail(try req.uuid("caseID"), by: actor)
        return req.page(
            TransferPage.render(
                req.pageContext, detail: detail, staff: try await req.store.staff(agencyID: actor.agencyID),
                programs: try await req.store.programs(agencyID: actor.agencyID),
                state: state
                    ?? FormState(values: [
                        "toManagerID": detail.case.primaryCaseManagerID.uuidString.lowercased(),
                        "toProgramID": detail.case.programID.uuidString.lowercased()
                    ])), status: status)
    }

    static func transferCase(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let id = try req.uuid("caseID")
        let form = FormBody(req)
        do {
            _ = try await req.closures.transfer(
                id,
                TransferInput(
                    toManagerID: form.uuid("toManagerID"), toProgramID: form.uuid("toProgramID"), note: form["note"]),
                expectedVersion: form.int("version"), by: actor)
            return req.seeOther(Paths.case(id) + "#s-history", flash: "flash.caseTransferred")
        } catch {
            guard let (errs, status) = formFailure(error) else { throw error }
            return try await transferForm(req, state: FormState(values: form.values, errors: errs), status: status)
        }
    }

    // MARK: Reports

    static func reports(_ req: Request) async throws -> Response {
        try Policy.require(try req.actor(), .viewReports)
        return req.page(ReportsPage.index(req.pageContext))
    }

    static func csv(_ name: String, _ lines: [[String]]) -> Response {
        Response(
            status: .ok,
            headers: [
                "Content-Type": "text/csv; charset=utf-8",
                "Content-Disposition": "attachment; filename=\"\(name).csv\"",
                "Cache-Control": "private, no-store"
            ], body: .init(string: lines.map(CSV.line).joined()))
    }

    static func referralCSV(_ r: ReferralReport) -> [[String]] {
        [["group", "key", "made", "accepted", "connected", "completed", "median_days_to_connection"]]
            + r.byProvider.map { ["provider", $0.key] + Self.counts($0) }
            + r.byNeed.map { ["need", $0.key] + Self.counts($0) } + [["total", ""] + counts(r.total)]
    }
    static func counts(_ x: ReferralReportRow) -> [String] {
        [
            String(x.made), String(x.accepted), String(x.connected), String(x.completed),
            x.medianDaysToConnection.map { String(format: "%.1f", $0) } ?? ""
        ]
    }
    static func serviceCSV(_ r: ServiceReport) -> [[String]] {
        [["period", "record_type", "type_provided", "type", "services", "clients", "units", "amount"]]
            + r.rows.map { x in
                let parts = x.typeCode.split(separator: ":").map(String.init)
                return [
                    x.period, parts.first ?? "", parts.last ?? "", x.typeLabel, String(x.count), String(x.clients),
                    String(format: "%g", x.units),
                    String(format: "%.2f", Double(x.amountCents) / 100)
                ]
            }
    }

    static func referralReport(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let csv = req.queryString("format") == "csv"
        do {
            let r = try await req.reports.referrals(
                from: req.queryString("from"), to: req.queryString("to"), by: actor, export: csv)
            if csv { return Self.csv("referrals-\(r.from)-\(r.to)", referralCSV(r)) }
            return req.page(
                ReportsPage.referrals(
                    req.pageContext, r, state: FormState(values: ["from": r.from.description, "to": r.to.description])))
        } catch TrellisError.validation(let errs) where !csv {
            let empty = ReferralReport.empty(req.deps.today)
            return req.page(
                ReportsPage.referrals(
                    req.pageContext, empty,
                    state: FormState(
                        values: ["from": req.queryString("from") ?? "", "to": req.queryString("to") ?? ""], errors: errs
                    )),
                status: .unprocessableEntity)
        }
    }

    static func serviceReport(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let csv = req.queryString("format") == "csv"
        let period = req.queryString("period") ?? "month"
        do {
            let r = try await req.reports.services(
                from: req.queryString("from"), to: req.queryString("to"), period: period, by: actor, export: csv)
            if csv { return Self.csv("services-\(r.from)-\(r.to)", serviceCSV(r)) }
            return req.page(
                ReportsPage.services(
                    req.pageContext, r, period: period,
                    state: FormState(values: ["from": r.from.description, "to": r.to.description, "period": period])))
        } catch TrellisError.validation(let errs) where !csv {
            let empty = ServiceReport.empty(req.deps.today)
            return req.page(
                ReportsPage.services(
                    req.pageContext, empty, period: period,
                    state: FormState(
                        values: [
                            "from": req.queryString("from") ?? "", "to": req.queryString("to") ?? "", "period": period
                        ], errors: errs)),
                status: .unprocessableEntity)
        }
    }
}
