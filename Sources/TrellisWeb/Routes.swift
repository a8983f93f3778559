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
}
