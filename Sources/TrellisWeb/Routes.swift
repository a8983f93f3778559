import Foundation
import TrellisCore
import Vapor

/// Every route, in one place, grouped by area.
func registerRoutes(_ app: Application) throws {
    app.get("health", use: APIController.health)
    app.get("assets", "app.css") { req async throws -> Response in
        guard
            let url = Bundle.module.url(forResource: "app", withExtension: "css", subdirectory: "Resources")
                ?? Bundle.module.url(forResource: "app", withExtension: "css")
        else { throw Abort(.notFound) }
        let r = Response(
            status: .ok, headers: ["Content-Type": "text/css; charset=utf-8"],
            body: .init(data: try Data(contentsOf: url)))
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

    web.get("today", use: WebController.today)
    web.get("staff", ":staffID", "today", use: WebController.today)
    web.get("workload", use: WebController.workloadPage)
    web.get("workload", "reassign") { try await WebController.reassignForm($0) }
    web.post("workload", "reassign", use: WebController.reassign)
    web.get("reviews", use: WebController.reviewQueue)
    web.post("reviews", "closures", ":closureRequestID", use: WebController.decideClosure)
    web.post("reviews", "notes", ":noteReviewID", use: WebController.decideNote)
    web.get("reports", "outcomes", ":report", use: WebController.outcomeReport)
    web.get("reports", "data-quality", use: WebController.dataQualityReport)
    web.get("reports", "data-quality", "records", use: WebController.dataQualityRecords)
    web.post("admin", "programs", ":programID", "supervision", use: WebController.updateSupervisionSettings)
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

    web.get("directory", use: WebController.directory)
    web.get("directory", "new", use: WebController.newResource)
    web.post("directory", use: WebController.saveResource)
    web.get("directory", "import", use: WebController.importForm)
    web.on(.POST, "directory", "import", body: .collect(maxSize: "12mb"), use: WebController.runImport)
    web.get("directory", ":serviceID", use: WebController.resource)
    web.get("directory", ":serviceID", "edit", use: WebController.editResource)
    web.post("directory", ":serviceID", "edit", use: WebController.saveResource)
    web.get("cases", ":caseID", "referrals", "new") { try await WebController.newReferral($0) }
    web.post("cases", ":caseID", "referrals", use: WebController.createReferral)
    web.get("referrals", ":referralID") { try await WebController.referral($0) }
    web.post("referrals", ":referralID", "status", use: WebController.moveReferral)
    web.get("referrals", ":referralID", "print", use: WebController.printReferral)
    web.get("cases", ":caseID", "services", "new") { try await WebController.newServiceRecord($0) }
    web.post("cases", ":caseID", "services", use: WebController.createServiceRecord)
    web.get("tasks", use: WebController.tasks)
    web.get("tasks", "new") { try await WebController.newTask($0) }
    web.post("tasks", use: WebController.createTask)
    web.get("tasks", ":taskID", use: WebController.task)
    web.post("tasks", ":taskID", "status", use: WebController.setTaskStatus)
    web.post("me", "calendar", use: WebController.resetCalendar)
    web.get("cases", ":caseID", "advocacy", "new", use: WebController.newAdvocacy)
    web.post("cases", ":caseID", "advocacy", use: WebController.createAdvocacy)
    web.get("advocacy", ":advocacyID", use: WebController.advocacyAction)
    web.post("advocacy", ":advocacyID", use: WebController.updateAdvocacy)
    web.get("cases", ":caseID", "letters", "new", use: WebController.newLetter)
    web.post("cases", ":caseID", "letters", use: WebController.createLetter)
    web.get("letters", ":letterID", use: WebController.letter)
    web.get("admin", "letters") { try await WebController.letterTemplates($0) }
    web.post("admin", "letters", use: WebController.saveLetterTemplate)
    web.get("admin", "letters", ":templateID") { try await WebController.letterTemplates($0) }
    web.post("admin", "letters", ":templateID", use: WebController.saveLetterTemplate)
    web.get("clients", ":clientID", "documents") { try await WebController.documents($0) }
    web.on(
        .POST, "clients", ":clientID", "documents", body: .collect(maxSize: "12mb"), use: WebController.uploadDocument)
    web.get("documents", ":documentID", use: WebController.downloadDocument)
    web.post("documents", ":documentID", "delete", use: WebController.deleteDocument)
    web.get("cases", ":caseID", "close") { try await WebController.closeForm($0) }
    web.post("cases", ":caseID", "close", use: WebController.closeCase)
    web.post("cases", ":caseID", "reopen", use: WebController.reopenCase)
    web.get("cases", ":caseID", "transfer") { try await WebController.transferForm($0) }
    web.post("cases", ":caseID", "transfer", use: WebController.transferCase)
    web.get("reports", use: WebController.reports)
    web.get("reports", "referrals", use: WebController.referralReport)
    web.get("reports", "services", use: WebController.serviceReport)
    // The calendar feed is found by its secret, without a session, so calendar programs can fetch it.
    app.get("calendar", ":token", use: WebController.calendarFeed)

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
    api.get("directory", "services", use: APIController.searchDirectory)
    api.post("directory", "services", use: APIController.createDirectoryService)
    api.get("directory", "services", ":serviceID", use: APIController.getDirectoryService)
    api.put("directory", "services", ":serviceID", use: APIController.putDirectoryService)
    api.on(.POST, "directory", "import", body: .collect(maxSize: "12mb"), use: APIController.importDirectory)
    api.get("cases", ":caseID", "referrals", use: APIController.listReferrals)
    api.post("cases", ":caseID", "referrals", use: APIController.createReferral)
    api.get("referrals", ":referralID", use: APIController.getReferral)
    api.post("referrals", ":referralID", "status", use: APIController.moveReferral)
    api.get("cases", ":caseID", "services", use: APIController.listServiceRecords)
    api.post("cases", ":caseID", "services", use: APIController.createServiceRecord)
    api.get("tasks", use: APIController.myTasks)
    api.post("tasks", use: APIController.createTask)
    api.post("tasks", ":taskID", "status", use: APIController.setTaskStatus)
    api.get("cases", ":caseID", "advocacy", use: APIController.listAdvocacy)
    api.post("cases", ":caseID", "advocacy", use: APIController.createAdvocacy)
    api.put("advocacy", ":advocacyID", use: APIController.putAdvocacy)
    api.get("letter-templates", use: APIController.letterTemplates)
    api.get("cases", ":caseID", "letters", use: APIController.listLetters)
    api.post("cases", ":caseID", "letters", use: APIController.createLetter)
    api.get("letters", ":letterID", use: APIController.getLetter)
    api.get("clients", ":clientID", "documents", use: APIController.listDocuments)
    api.on(
        .POST, "clients", ":clientID", "documents", body: .collect(maxSize: "12mb"), use: APIController.uploadDocument)
    api.get("documents", ":documentID", use: APIController.downloadDocument)
    api.delete("documents", ":documentID", use: APIController.deleteDocument)
    api.post("cases", ":caseID", "closure", use: APIController.closeCase)
    api.post("cases", ":caseID", "reopen", use: APIController.reopenCase)
    api.post("cases", ":caseID", "transfer", use: APIController.transferCase)
    api.get("cases", ":caseID", "history", use: APIController.caseHistory)
    api.get("today", use: APIController.today)
    api.get("workload", use: APIController.workload)
    api.post("workload", "reassign", use: APIController.reassign)
    api.get("reviews", use: APIController.reviews)
    api.post("reviews", "closures", ":closureRequestID", use: APIController.decideClosure)
    api.post("reviews", "notes", ":noteReviewID", use: APIController.decideNote)
    api.get("reports", "outcomes", ":report", use: APIController.outcomes)
    api.get("reports", "data-quality", use: APIController.dataQuality)
    api.get("reports", "referrals", use: APIController.referralReport)
    api.get("reports", "services", use: APIController.serviceReport)
}
