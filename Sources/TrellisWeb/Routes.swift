import Foundation
import TrellisCore
import Vapor

/// Every route, in one place, grouped by area.
func registerRoutes(_ app: Application) throws {
    app.get("health", use: APIController.health)
    app.get("assets", "app.css") { req async throws -> Response in
        guard let url = Bundle.module.url(forResource: "app", withExtension: "css", subdirectory: "Resources")
                ?? Bundle.module.url(forResource: "app", withExtension: "css") else { throw Abort(.notFound) }
        let r = Response(status: .ok, headers: ["Content-Type": "text/css; charset=utf-8"], body: .init(data: try Data(contentsOf: url)))
        r.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
        return r
    }
    app.get("api", "openapi.json", use: APIController.openAPI)

    // HTML interface: session cookie, CSRF on every post.
    let web = app.grouped(AuthenticationMiddleware(), CSRFMiddleware())
    web.get { req in req.redirect(to: req.principal.map { Paths.home(for: $0.staff.role) } ?? Paths.signIn) }
    web.get("signin", use: WebController.signInForm)
    web.post("signin", use: WebController.signIn)
    web.post("signout", use: WebController.signOut)
    web.post("me", "language", use: WebController.setLanguage)
    web.get("me", "password", use: WebController.passwordForm)
    web.post("me", "password", use: WebController.changePassword)

    web.get("caseload", use: WebController.caseload)
    web.get("team", use: WebController.team)
    web.get("staff", ":staffID", "caseload", use: WebController.staffCaseload)

    web.get("clients", use: WebController.clientSearch)
    web.post("clients", use: WebController.createClient)
    web.get("clients", "new", use: WebController.newClient)
    web.get("clients", ":clientID", use: WebController.client)
    web.get("clients", ":clientID", "edit", use: WebController.editClient)
    web.post("clients", ":clientID", "edit", use: WebController.updateClient)
    web.get("clients", ":clientID", "history", use: WebController.clientHistory)
    web.get("clients", ":clientID", "cases", "new") { try await WebController.newCase($0) }
    web.post("clients", ":clientID", "cases", use: WebController.createCase)

    web.get("cases", ":caseID", use: WebController.caseDetail)
    web.post("cases", ":caseID", use: WebController.updateCase)
    web.get("cases", ":caseID", "notes", "new", use: WebController.newNote)
    web.post("cases", ":caseID", "notes", use: WebController.createNote)

    web.get("notes", ":noteID", use: WebController.note)
    web.get("notes", ":noteID", "edit", use: WebController.editNote)
    web.post("notes", ":noteID", "edit", use: WebController.updateNote)
    web.post("notes", ":noteID", "sign", use: WebController.signNote)
    web.get("notes", ":noteID", "addendum", use: WebController.newAddendum)
    web.post("notes", ":noteID", "addendum", use: WebController.createAddendum)

    web.get("cases", ":caseID", "assessments", "new", use: WebController.newAssessment)
    web.post("cases", ":caseID", "assessments", use: WebController.createAssessment)
    web.get("assessments", ":assessmentID", use: WebController.assessment)
    web.get("cases", ":caseID", "biopsychosocial", "new", use: WebController.newBiopsychosocial)
    web.post("cases", ":caseID", "biopsychosocial", use: WebController.createBiopsychosocial)
    web.get("biopsychosocial", ":bpsID", use: WebController.biopsychosocial)
    web.get("cases", ":caseID", "plan", use: WebController.plan)
    web.get("cases", ":caseID", "plan", "edit", use: WebController.editPlan)
    web.post("cases", ":caseID", "plan", use: WebController.savePlan)
    web.post("cases", ":caseID", "plan", "review", use: WebController.reviewPlan)
    web.get("cases", ":caseID", "progress", use: WebController.progress)
    web.get("alerts", ":alertID") { try await WebController.alert($0) }
    web.post("alerts", ":alertID", "acknowledge", use: WebController.acknowledgeAlert)

    web.get("admin", "forms", use: WebController.forms)
    web.get("admin", "forms", "new", use: WebController.newForm)
    web.post("admin", "forms", use: WebController.createForm)
    web.get("admin", "forms", ":code", use: WebController.editForm)
    web.post("admin", "forms", ":code", use: WebController.updateForm)
    web.post("admin", "programs", ":programID", "settings", use: WebController.updateProgramSettings)
    web.get("admin", "users") { try await WebController.users($0) }
    web.post("admin", "users", use: WebController.createUser)
    web.get("admin", "programs") { try await WebController.programs($0) }
    web.post("admin", "programs", use: WebController.createProgram)
    web.post("admin", "teams", use: WebController.createTeam)

    // JSON API: bearer tokens only.
    let api = app.grouped("api", "v1").grouped(AuthenticationMiddleware())
    api.post("clients", use: APIController.createClient)
    api.get("clients", use: APIController.searchClients)
    api.get("clients", ":clientID", use: APIController.getClient)
    api.patch("clients", ":clientID", use: APIController.patchClient)
    api.post("clients", ":clientID", "cases", use: APIController.openCase)
    api.get("cases", ":caseID", use: APIController.getCase)
    api.post("cases", ":caseID", "notes", use: APIController.createNote)
    api.get("cases", ":caseID", "notes", use: APIController.listNotes)
    api.get("notes", ":noteID", use: APIController.getNote)
    api.post("notes", ":noteID", "sign", use: APIController.signNote)
    api.get("caseload", use: APIController.caseload)
    api.get("instruments", use: APIController.instruments)
    api.get("instruments", ":code", use: APIController.instrument)
    api.post("cases", ":caseID", "assessments", use: APIController.recordAssessment)
    api.get("cases", ":caseID", "assessments", use: APIController.listAssessments)
    api.get("assessments", ":assessmentID", use: APIController.getAssessment)
    api.post("cases", ":caseID", "biopsychosocial", use: APIController.recordBiopsychosocial)
    api.get("biopsychosocial", ":bpsID", use: APIController.getBiopsychosocial)
    api.get("alerts", use: APIController.alerts)
    api.post("alerts", ":alertID", "acknowledge", use: APIController.acknowledgeAlert)
    api.get("cases", ":caseID", "plan", use: APIController.getPlan)
    api.put("cases", ":caseID", "plan", use: APIController.putPlan)
    api.get("cases", ":caseID", "plan", "versions", use: APIController.planVersions)
    api.post("cases", ":caseID", "plan", "review", use: APIController.reviewPlan)
}
