import Foundation
import TrellisCore
import Vapor

/// Every route, in one place: the table of contents of the web layer, grouped by area (the same areas as the
/// folders of every module). Each area's pages come first, then its JSON API.
func registerRoutes(_ app: Application) throws {
    app.get("health", use: AppAPI.health)
    for (file, ext, type) in [("app", "css", "text/css"), ("session", "js", "text/javascript")] {
        app.get("assets", "\(file).\(ext)") { req async throws -> Response in
            guard
                let url = Bundle.module.url(forResource: file, withExtension: ext, subdirectory: "Resources")
                    ?? Bundle.module.url(forResource: file, withExtension: ext)
            else { throw Abort(.notFound) }
            let r = Response(
                status: .ok, headers: ["Content-Type": "\(type); charset=utf-8"],
                body: .init(data: try Data(contentsOf: url)))
            r.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
            return r
        }
    }
    app.get("api", "openapi.json", use: AppAPI.openAPI)

    // HTML interface: session cookie, CSRF on every post.
    let web = app.grouped(
        AuthenticationMiddleware(), CSRFMiddleware(), PasswordChangeMiddleware(), SecondFactorRequiredMiddleware())
    // JSON API under /api/v1: bearer tokens only.
    let api = app.grouped("api", "v1").grouped(AuthenticationMiddleware())
    web.get { req in req.redirect(to: req.principal.map { Paths.home(for: $0.staff.role) } ?? Paths.signIn) }

    // MARK: Account — sign-in, language, password
    web.get("signin", use: AccountWeb.signInForm)
    web.post("signin", use: AccountWeb.signIn)
    web.get("signin", "code", use: TwoStepWeb.codeForm)
    web.post("signin", "code", use: TwoStepWeb.signInCode)
    web.post("signout", use: AccountWeb.signOut)
    web.post("me", "language", use: AccountWeb.setLanguage)
    web.get("me", "password", use: AccountWeb.passwordForm)
    web.post("me", "password", use: AccountWeb.changePassword)
    web.get("me", "keys", use: AccessKeysWeb.show)
    web.post("me", "keys", "tokens", use: AccessKeysWeb.createToken)
    web.post("me", "keys", "tokens", ":tokenID", "revoke", use: AccessKeysWeb.revokeToken)
    web.post("me", "keys", "sessions", "end", use: AccessKeysWeb.endSessions)
    web.post("me", "keepalive", use: AccessKeysWeb.keepAlive)
    web.post("admin", "users", ":staffID", "tokens", ":tokenID", "revoke", use: AccessKeysWeb.revokeToken)
    web.post("admin", "users", ":staffID", "sessions", "end", use: AccessKeysWeb.endSessions)
    web.get("me", "two-step", use: TwoStepWeb.show)
    web.post("me", "two-step", "start", use: TwoStepWeb.start)
    web.post("me", "two-step", "confirm", use: TwoStepWeb.confirm)
    web.post("me", "two-step", "recovery-codes", use: TwoStepWeb.newRecoveryCodes)
    web.post("me", "two-step", "off", use: TwoStepWeb.turnOff)
    web.post("admin", "two-step", use: TwoStepWeb.setRequiredRoles)
    web.post("admin", "users", ":staffID", "two-step", "reset", use: TwoStepWeb.reset)

    // MARK: Organization — users, programs, teams and their settings
    web.post("admin", "programs", ":programID", "supervision", use: OrganizationWeb.updateSupervisionSettings)
    web.post("admin", "programs", ":programID", "settings", use: OrganizationWeb.updateProgramSettings)
    web.get("admin", "users") { try await OrganizationWeb.users($0) }
    web.get("admin", "audit", use: AuditWeb.search)
    web.get("admin", "audit", "chain", use: AuditWeb.chain)
    web.get("admin", "audit", "chain", "head.txt", use: AuditWeb.headFile)
    web.post("admin", "audit", "chain", use: AuditWeb.verify)
    web.post("admin", "users", use: OrganizationWeb.createUser)
    web.get("admin", "users", ":staffID") { try await OrganizationWeb.user($0) }
    web.post("admin", "users", ":staffID", use: OrganizationWeb.updateUser)
    web.post("admin", "users", ":staffID", "active", use: OrganizationWeb.setUserActive)
    web.post("admin", "users", ":staffID", "unlock", use: OrganizationWeb.unlockUser)
    web.post("admin", "users", ":staffID", "password", use: OrganizationWeb.resetUserPassword)
    web.get("admin", "programs", ":programID") { try await OrganizationWeb.program($0) }
    web.get("admin", "programs", ":programID", "hud", use: ProjectDescriptorWeb.show)
    web.post("admin", "programs", ":programID", "hud", use: ProjectDescriptorWeb.save)
    web.post("admin", "programs", ":programID", use: OrganizationWeb.updateProgram)
    web.get("admin", "programs") { try await OrganizationWeb.programs($0) }
    web.post("admin", "programs", use: OrganizationWeb.createProgram)
    web.post("admin", "teams", use: OrganizationWeb.createTeam)

    // MARK: Clients — search, intake, the client record, access history
    web.get("clients", use: ClientsWeb.clientSearch)
    web.post("clients", use: ClientsWeb.createClient)
    web.get("clients", "new", use: ClientsWeb.newClient)
    web.get("clients", ":clientID", use: ClientsWeb.client)
    web.get("clients", ":clientID", "edit", use: ClientsWeb.editClient)
    web.post("clients", ":clientID", "edit", use: ClientsWeb.updateClient)
    web.get("clients", ":clientID", "history", use: ClientsWeb.clientHistory)
    web.get("clients", ":clientID", "household", use: HouseholdWeb.show)
    web.post("clients", ":clientID", "household", "members", use: HouseholdWeb.add)
    web.post("clients", ":clientID", "household", "members", ":memberID", use: HouseholdWeb.relate)
    web.post("clients", ":clientID", "household", "members", ":memberID", "remove", use: HouseholdWeb.remove)
    web.get("admin", "retention", use: RetentionWeb.show)
    web.post("admin", "retention", use: RetentionWeb.saveYears)
    web.post("admin", "retention", "purge", use: RetentionWeb.purge)
    api.post("clients", use: ClientsAPI.createClient)
    api.get("clients", use: ClientsAPI.searchClients)
    api.get("clients", ":clientID", use: ClientsAPI.getClient)
    api.patch("clients", ":clientID", use: ClientsAPI.patchClient)
    api.get("programs", ":programID", "hud", use: ProjectDescriptorAPI.get)
    api.put("programs", ":programID", "hud", use: ProjectDescriptorAPI.put)
    api.get("clients", ":clientID", "household", use: HouseholdsAPI.get)
    api.post("clients", ":clientID", "household", "members", use: HouseholdsAPI.add)
    api.patch("clients", ":clientID", "household", "members", ":memberID", use: HouseholdsAPI.relate)
    api.delete("clients", ":clientID", "household", "members", ":memberID", use: HouseholdsAPI.remove)

    // MARK: Access — need-to-know: asking for access, breaking the glass, care teams, the agency's settings
    web.post("clients", ":clientID", "break-glass", use: AccessWeb.breakGlass)
    web.post("clients", ":clientID", "access-request", use: AccessWeb.requestAccess)
    web.post("cases", ":caseID", "team", use: AccessWeb.addToCareTeam)
    web.post("cases", ":caseID", "team", ":staffID", "remove", use: AccessWeb.removeFromCareTeam)
    web.get("admin", "access") { try await AccessWeb.settings($0) }
    web.post("admin", "access", use: AccessWeb.savePolicy)
    web.post("admin", "programs", ":programID", "access", use: AccessWeb.saveProgramAccess)
    web.get("clients", ":clientID", "releases", "new") { try await ReleasesWeb.newRelease($0) }
    web.post("clients", ":clientID", "releases", use: ReleasesWeb.createRelease)
    web.get("releases", ":releaseID") { try await ReleasesWeb.release($0) }
    web.get("clients", ":clientID", "disclosures", use: DisclosuresWeb.page)
    web.get("shared") { try await SharedWeb.list($0) }
    web.get("shared", ":releaseID", use: SharedWeb.record)
    web.post("referrals", ":referralID", "accept", use: SharedWeb.accept)
    web.post("admin", "continuum", use: SharedWeb.saveContinuum)
    web.post("releases", ":releaseID", "revoke", use: ReleasesWeb.revoke)
    api.post("clients", ":clientID", "break-glass", use: AccessAPI.breakGlass)
    api.post("clients", ":clientID", "access-requests", use: AccessAPI.requestAccess)
    api.get("cases", ":caseID", "team", use: AccessAPI.careTeam)
    api.post("cases", ":caseID", "team", use: AccessAPI.addToCareTeam)
    api.delete("cases", ":caseID", "team", ":staffID", use: AccessAPI.removeFromCareTeam)
    api.get("clients", ":clientID", "releases", use: ReleasesAPI.list)
    api.post("clients", ":clientID", "releases", use: ReleasesAPI.create)
    api.get("releases", ":releaseID", use: ReleasesAPI.get)
    api.post("releases", ":releaseID", "revoke", use: ReleasesAPI.revoke)
    api.get("clients", ":clientID", "disclosures", use: DisclosuresAPI.get)
    api.get("shared", ":releaseID", use: SharedAPI.record)
    api.post("referrals", ":referralID", "accept", use: SharedAPI.accept)

    // MARK: Cases — opening, the case page, caseloads
    web.get("caseload", use: CasesWeb.caseload)
    web.get("team", use: CasesWeb.team)
    web.get("staff", ":staffID", "caseload", use: CasesWeb.staffCaseload)
    web.get("clients", ":clientID", "cases", "new") { try await CasesWeb.newCase($0) }
    web.post("clients", ":clientID", "cases", use: CasesWeb.createCase)
    web.get("cases", ":caseID", use: CasesWeb.caseDetail)
    web.post("cases", ":caseID", use: CasesWeb.updateCase)
    api.post("clients", ":clientID", "cases", use: CasesAPI.openCase)
    api.get("cases", ":caseID", use: CasesAPI.getCase)
    api.get("caseload", use: CasesAPI.caseload)

    // MARK: Notes — case notes, signing, addenda
    web.get("cases", ":caseID", "notes", "new", use: NotesWeb.newNote)
    web.post("cases", ":caseID", "notes", use: NotesWeb.createNote)
    web.get("notes", ":noteID", use: NotesWeb.note)
    web.get("notes", ":noteID", "edit", use: NotesWeb.editNote)
    web.post("notes", ":noteID", "edit", use: NotesWeb.updateNote)
    web.post("notes", ":noteID", "sign", use: NotesWeb.signNote)
    web.get("notes", ":noteID", "addendum", use: NotesWeb.newAddendum)
    web.post("notes", ":noteID", "addendum", use: NotesWeb.createAddendum)
    api.post("cases", ":caseID", "notes", use: NotesAPI.createNote)
    api.get("cases", ":caseID", "notes", use: NotesAPI.listNotes)
    api.get("notes", ":noteID", use: NotesAPI.getNote)
    api.post("notes", ":noteID", "sign", use: NotesAPI.signNote)

    // MARK: Assessments — instruments, agency forms, biopsychosocial, progress, risk alerts
    web.get("cases", ":caseID", "assessments", "new", use: AssessmentsWeb.newAssessment)
    web.post("cases", ":caseID", "assessments", use: AssessmentsWeb.createAssessment)
    web.get("assessments", ":assessmentID", use: AssessmentsWeb.assessment)
    web.get("cases", ":caseID", "biopsychosocial", "new", use: AssessmentsWeb.newBiopsychosocial)
    web.post("cases", ":caseID", "biopsychosocial", use: AssessmentsWeb.createBiopsychosocial)
    web.get("biopsychosocial", ":bpsID", use: AssessmentsWeb.biopsychosocial)
    web.get("cases", ":caseID", "progress", use: AssessmentsWeb.progress)
    web.get("alerts", ":alertID") { try await AssessmentsWeb.alert($0) }
    web.post("alerts", ":alertID", "acknowledge", use: AssessmentsWeb.acknowledgeAlert)
    web.get("admin", "forms", use: AssessmentsWeb.forms)
    web.get("admin", "forms", "new", use: AssessmentsWeb.newForm)
    web.post("admin", "forms", use: AssessmentsWeb.createForm)
    web.get("admin", "forms", ":code", use: AssessmentsWeb.editForm)
    web.post("admin", "forms", ":code", use: AssessmentsWeb.updateForm)
    api.get("instruments", use: AssessmentsAPI.instruments)
    api.get("instruments", ":code", use: AssessmentsAPI.instrument)
    api.post("cases", ":caseID", "assessments", use: AssessmentsAPI.recordAssessment)
    api.get("cases", ":caseID", "assessments", use: AssessmentsAPI.listAssessments)
    api.get("assessments", ":assessmentID", use: AssessmentsAPI.getAssessment)
    api.post("cases", ":caseID", "biopsychosocial", use: AssessmentsAPI.recordBiopsychosocial)
    api.get("biopsychosocial", ":bpsID", use: AssessmentsAPI.getBiopsychosocial)
    api.get("alerts", use: AssessmentsAPI.alerts)
    api.post("alerts", ":alertID", "acknowledge", use: AssessmentsAPI.acknowledgeAlert)

    // MARK: Plans — service plans and their review
    web.get("cases", ":caseID", "plan", use: PlansWeb.plan)
    web.get("cases", ":caseID", "plan", "edit", use: PlansWeb.editPlan)
    web.post("cases", ":caseID", "plan", use: PlansWeb.savePlan)
    web.post("cases", ":caseID", "plan", "review", use: PlansWeb.reviewPlan)
    api.get("cases", ":caseID", "plan", use: PlansAPI.getPlan)
    api.put("cases", ":caseID", "plan", use: PlansAPI.putPlan)
    api.get("cases", ":caseID", "plan", "versions", use: PlansAPI.planVersions)
    api.post("cases", ":caseID", "plan", "review", use: PlansAPI.reviewPlan)

    // MARK: Directory — the resource directory and HSDS import
    web.get("directory", use: DirectoryWeb.directory)
    web.get("directory", "new", use: DirectoryWeb.newResource)
    web.post("directory", use: DirectoryWeb.saveResource)
    web.get("directory", "import", use: DirectoryWeb.importForm)
    web.on(.POST, "directory", "import", body: .collect(maxSize: "12mb"), use: DirectoryWeb.runImport)
    web.get("directory", ":serviceID", use: DirectoryWeb.resource)
    web.get("directory", ":serviceID", "edit", use: DirectoryWeb.editResource)
    web.post("directory", ":serviceID", "edit", use: DirectoryWeb.saveResource)
    api.get("directory", "services", use: DirectoryAPI.searchDirectory)
    api.post("directory", "services", use: DirectoryAPI.createDirectoryService)
    api.get("directory", "services", ":serviceID", use: DirectoryAPI.getDirectoryService)
    api.put("directory", "services", ":serviceID", use: DirectoryAPI.putDirectoryService)
    api.on(.POST, "directory", "import", body: .collect(maxSize: "12mb"), use: DirectoryAPI.importDirectory)

    // MARK: Referrals — referrals and their printable form
    web.get("cases", ":caseID", "referrals", "new") { try await ReferralsWeb.newReferral($0) }
    web.post("cases", ":caseID", "referrals", use: ReferralsWeb.createReferral)
    web.get("referrals", ":referralID") { try await ReferralsWeb.referral($0) }
    web.post("referrals", ":referralID", "status", use: ReferralsWeb.moveReferral)
    web.get("referrals", ":referralID", "print", use: ReferralsWeb.printReferral)
    api.get("cases", ":caseID", "referrals", use: ReferralsAPI.listReferrals)
    api.post("cases", ":caseID", "referrals", use: ReferralsAPI.createReferral)
    api.get("referrals", ":referralID", use: ReferralsAPI.getReferral)
    api.post("referrals", ":referralID", "status", use: ReferralsAPI.moveReferral)

    // MARK: ServicesDelivered — services and financial assistance recorded
    web.get("cases", ":caseID", "services", "new") { try await ServicesDeliveredWeb.newServiceRecord($0) }
    web.post("cases", ":caseID", "services", use: ServicesDeliveredWeb.createServiceRecord)
    api.get("cases", ":caseID", "services", use: ServicesDeliveredAPI.listServiceRecords)
    api.post("cases", ":caseID", "services", use: ServicesDeliveredAPI.createServiceRecord)

    // MARK: Tasks — tasks, appointments, the calendar feed
    web.get("tasks", use: TasksWeb.tasks)
    web.get("tasks", "new") { try await TasksWeb.newTask($0) }
    web.post("tasks", use: TasksWeb.createTask)
    web.get("tasks", "week", use: TasksWeb.week)
    web.get("tasks", ":taskID", use: TasksWeb.task)
    web.get("tasks", ":taskID", "edit") { try await TasksWeb.editTask($0) }
    web.post("tasks", ":taskID", use: TasksWeb.updateTask)
    web.post("tasks", ":taskID", "status", use: TasksWeb.setTaskStatus)
    web.post("tasks", ":taskID", "snooze", use: TasksWeb.snoozeTask)
    web.post("me", "calendar", use: TasksWeb.resetCalendar)
    // The calendar feed is found by its secret, without a session, so calendar programs can fetch it.
    app.get("calendar", ":token", use: TasksWeb.calendarFeed)
    api.get("tasks", use: TasksAPI.myTasks)
    api.post("tasks", use: TasksAPI.createTask)
    api.get("tasks", ":taskID", use: TasksAPI.task)
    api.patch("tasks", ":taskID", use: TasksAPI.updateTask)
    api.post("tasks", ":taskID", "status", use: TasksAPI.setTaskStatus)
    api.post("tasks", ":taskID", "snooze", use: TasksAPI.snoozeTask)

    // MARK: Advocacy — advocacy and appeals, letters and letter templates
    web.get("cases", ":caseID", "advocacy", "new", use: AdvocacyWeb.newAdvocacy)
    web.post("cases", ":caseID", "advocacy", use: AdvocacyWeb.createAdvocacy)
    web.get("advocacy", ":advocacyID", use: AdvocacyWeb.advocacyAction)
    web.post("advocacy", ":advocacyID", use: AdvocacyWeb.updateAdvocacy)
    web.get("cases", ":caseID", "letters", "new", use: AdvocacyWeb.newLetter)
    web.post("cases", ":caseID", "letters", use: AdvocacyWeb.createLetter)
    web.get("letters", ":letterID", use: AdvocacyWeb.letter)
    web.get("letters", ":letterID", "pdf", use: AdvocacyWeb.letterPDF)
    web.post("admin", "letterhead", use: AdvocacyWeb.saveLetterhead)
    web.get("admin", "letters") { try await AdvocacyWeb.letterTemplates($0) }
    web.post("admin", "letters", use: AdvocacyWeb.saveLetterTemplate)
    web.get("admin", "letters", ":templateID") { try await AdvocacyWeb.letterTemplates($0) }
    web.post("admin", "letters", ":templateID", use: AdvocacyWeb.saveLetterTemplate)
    api.get("cases", ":caseID", "advocacy", use: AdvocacyAPI.listAdvocacy)
    api.post("cases", ":caseID", "advocacy", use: AdvocacyAPI.createAdvocacy)
    api.put("advocacy", ":advocacyID", use: AdvocacyAPI.putAdvocacy)
    api.get("letter-templates", use: AdvocacyAPI.letterTemplates)
    api.get("cases", ":caseID", "letters", use: AdvocacyAPI.listLetters)
    api.post("cases", ":caseID", "letters", use: AdvocacyAPI.createLetter)
    api.get("letters", ":letterID", use: AdvocacyAPI.getLetter)

    // MARK: Documents — client documents
    web.get("clients", ":clientID", "documents") { try await DocumentsWeb.documents($0) }
    web.on(
        .POST, "clients", ":clientID", "documents", body: .collect(maxSize: "12mb"), use: DocumentsWeb.uploadDocument)
    web.get("documents", ":documentID", use: DocumentsWeb.downloadDocument)
    web.post("documents", ":documentID", "delete", use: DocumentsWeb.deleteDocument)
    api.get("clients", ":clientID", "documents", use: DocumentsAPI.listDocuments)
    api.on(
        .POST, "clients", ":clientID", "documents", body: .collect(maxSize: "12mb"), use: DocumentsAPI.uploadDocument)
    api.get("documents", ":documentID", use: DocumentsAPI.downloadDocument)
    api.delete("documents", ":documentID", use: DocumentsAPI.deleteDocument)

    // MARK: Closure — closing, reopening and transferring cases
    web.get("cases", ":caseID", "close") { try await ClosureWeb.closeForm($0) }
    web.post("cases", ":caseID", "close", use: ClosureWeb.closeCase)
    web.post("cases", ":caseID", "reopen", use: ClosureWeb.reopenCase)
    web.get("cases", ":caseID", "transfer") { try await ClosureWeb.transferForm($0) }
    web.post("cases", ":caseID", "transfer", use: ClosureWeb.transferCase)
    api.post("cases", ":caseID", "closure", use: ClosureAPI.closeCase)
    api.post("cases", ":caseID", "reopen", use: ClosureAPI.reopenCase)
    api.post("cases", ":caseID", "transfer", use: ClosureAPI.transferCase)
    api.get("cases", ":caseID", "history", use: ClosureAPI.caseHistory)

    // MARK: Supervision — who needs me today, workload and reassignment, review queue
    web.get("today", use: SupervisionWeb.today)
    web.get("staff", ":staffID", "today", use: SupervisionWeb.today)
    web.get("workload", use: SupervisionWeb.workloadPage)
    web.get("workload", "reassign") { try await SupervisionWeb.reassignForm($0) }
    web.post("workload", "reassign", use: SupervisionWeb.reassign)
    web.get("reviews", use: SupervisionWeb.reviewQueue)
    web.post("reviews", "closures", ":closureRequestID", use: SupervisionWeb.decideClosure)
    web.post("reviews", "notes", ":noteReviewID", use: SupervisionWeb.decideNote)
    api.get("today", use: SupervisionAPI.today)
    api.get("workload", use: SupervisionAPI.workload)
    api.post("workload", "reassign", use: SupervisionAPI.reassign)
    api.get("reviews", use: SupervisionAPI.reviews)
    api.post("reviews", "closures", ":closureRequestID", use: SupervisionAPI.decideClosure)
    api.post("reviews", "notes", ":noteReviewID", use: SupervisionAPI.decideNote)

    // MARK: Reports — outcome, data-quality, referral and service reports
    web.get("reports", "outcomes", ":report", use: ReportsWeb.outcomeReport)
    web.get("reports", "data-quality", use: ReportsWeb.dataQualityReport)
    web.get("reports", "data-quality", "records", use: ReportsWeb.dataQualityRecords)
    web.get("reports", use: ReportsWeb.reports)
    web.get("reports", "referrals", use: ReportsWeb.referralReport)
    web.get("reports", "services", use: ReportsWeb.serviceReport)
    api.get("reports", "outcomes", ":report", use: ReportsAPI.outcomes)
    api.get("reports", "data-quality", use: ReportsAPI.dataQuality)
    api.get("reports", "referrals", use: ReportsAPI.referralReport)
    api.get("reports", "services", use: ReportsAPI.serviceReport)
}
