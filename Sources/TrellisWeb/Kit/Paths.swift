import Foundation
import Plot
import TrellisCore
import Vapor

enum Paths {
    static let caseload = "/caseload"

    static let team = "/team"

    static let clients = "/clients"

    static let newClient = "/clients/new"

    static func client(_ id: UUID) -> String { "/clients/\(id.uuidString.lowercased())" }

    static func editClient(_ id: UUID) -> String { client(id) + "/edit" }

    static func household(_ id: UUID) -> String { client(id) + "/household" }

    static func householdMember(_ id: UUID, _ member: UUID) -> String {
        household(id) + "/members/" + member.uuidString.lowercased()
    }

    static func clientHistory(_ id: UUID) -> String { client(id) + "/history" }

    static func newCase(_ clientID: UUID) -> String { client(clientID) + "/cases/new" }

    static func breakGlass(_ clientID: UUID) -> String { client(clientID) + "/break-glass" }

    static func accessRequest(_ clientID: UUID) -> String { client(clientID) + "/access-request" }

    static func careTeam(_ caseID: UUID) -> String { `case`(caseID) + "/team" }

    static func removeFromCareTeam(_ caseID: UUID, _ staffID: UUID) -> String {
        careTeam(caseID) + "/\(staffID.uuidString.lowercased())/remove"
    }

    static let adminAccess = "/admin/access"

    static func releases(_ clientID: UUID) -> String { client(clientID) + "/releases" }

    static func newRelease(_ clientID: UUID) -> String { releases(clientID) + "/new" }

    static func release(_ id: UUID) -> String { "/releases/\(id.uuidString.lowercased())" }

    static func revokeRelease(_ id: UUID) -> String { release(id) + "/revoke" }

    static let sharedRecords = "/shared"

    static func disclosures(_ clientID: UUID) -> String { client(clientID) + "/disclosures" }

    static func shared(_ releaseID: UUID) -> String { sharedRecords + "/\(releaseID.uuidString.lowercased())" }

    static func acceptReferral(_ id: UUID) -> String { "/referrals/\(id.uuidString.lowercased())/accept" }

    static let adminContinuum = "/admin/continuum"

    static func programAccess(_ id: UUID) -> String { "/admin/programs/\(id.uuidString.lowercased())/access" }

    static func createCase(_ clientID: UUID) -> String { client(clientID) + "/cases" }

    static func `case`(_ id: UUID) -> String { "/cases/\(id.uuidString.lowercased())" }
    /// A case by the id a form carried, as typed.
    static func `case`(text id: String) -> String { "/cases/" + id }

    static func newNote(_ caseID: UUID) -> String { `case`(caseID) + "/notes/new" }

    static func createNote(_ caseID: UUID) -> String { `case`(caseID) + "/notes" }

    static func note(_ id: UUID) -> String { "/notes/\(id.uuidString.lowercased())" }

    static func editNote(_ id: UUID) -> String { note(id) + "/edit" }

    static func signNote(_ id: UUID) -> String { note(id) + "/sign" }

    static func addendum(_ id: UUID) -> String { note(id) + "/addendum" }

    static func staffCaseload(_ id: UUID) -> String { "/staff/\(id.uuidString.lowercased())/caseload" }

    static func newAssessment(_ caseID: UUID, _ code: String) -> String {
        `case`(caseID) + "/assessments/new?instrument=" + code
    }

    static func createAssessment(_ caseID: UUID) -> String { `case`(caseID) + "/assessments" }

    static func assessment(_ id: UUID) -> String { "/assessments/\(id.uuidString.lowercased())" }

    static func newBiopsychosocial(_ caseID: UUID) -> String { `case`(caseID) + "/biopsychosocial/new" }

    static func createBiopsychosocial(_ caseID: UUID) -> String { `case`(caseID) + "/biopsychosocial" }

    static func biopsychosocial(_ id: UUID) -> String { "/biopsychosocial/\(id.uuidString.lowercased())" }

    static func plan(_ caseID: UUID) -> String { `case`(caseID) + "/plan" }

    static func editPlan(_ caseID: UUID) -> String { plan(caseID) + "/edit" }

    static func reviewPlan(_ caseID: UUID) -> String { plan(caseID) + "/review" }

    static func progress(_ caseID: UUID) -> String { `case`(caseID) + "/progress" }

    static func alert(_ id: UUID) -> String { "/alerts/\(id.uuidString.lowercased())" }

    static func acknowledgeAlert(_ id: UUID) -> String { alert(id) + "/acknowledge" }

    static let adminForms = "/admin/forms"

    static let newForm = "/admin/forms/new"

    static func form(_ code: String) -> String { adminForms + "/" + code }

    static func programSettings(_ id: UUID) -> String { adminPrograms + "/\(id.uuidString.lowercased())/settings" }

    static let adminUsers = "/admin/users"

    static func letterPDF(_ id: UUID) -> String { "/letters/\(id.uuidString.lowercased())/pdf" }

    static let adminLetterhead = "/admin/letterhead"

    static let auditLog = "/admin/audit"
    static let auditChain = "/admin/audit/chain"
    static let myKeys = "/me/keys"
    /// Two-step sign-in: the user's page, the sign-in's second step, and an administrator's settings and reset.
    static let twoStep = "/me/two-step"
    /// Retention: the agency's period and the clients due for removal of their personal data.
    static let adminRetention = "/admin/retention"
    static let signInCode = "/signin/code"
    static let adminTwoStep = "/admin/two-step"
    static func adminUserTwoStepReset(_ id: UUID) -> String { adminUser(id) + "/two-step/reset" }
    static let sessionScript = "/assets/session.js"

    static func adminUser(_ id: UUID) -> String { adminUsers + "/\(id.uuidString.lowercased())" }

    static func adminUserActive(_ id: UUID) -> String { adminUser(id) + "/active" }

    static func adminUserUnlock(_ id: UUID) -> String { adminUser(id) + "/unlock" }

    static func adminUserPassword(_ id: UUID) -> String { adminUser(id) + "/password" }

    static func adminProgram(_ id: UUID) -> String { adminPrograms + "/\(id.uuidString.lowercased())" }

    static func programHUD(_ id: UUID) -> String { adminProgram(id) + "/hud" }

    static let myPassword = "/me/password"

    static let adminPrograms = "/admin/programs"

    static let adminTeams = "/admin/teams"

    static let signIn = "/signin"
    static let stylesheet = "/assets/app.css"
    /// A calendar feed's address below the site's base URL; the token is its secret.
    static func calendarFeed(_ token: String) -> String { "/calendar/" + token + ".ics" }

    /// Where each role starts its day: case managers on their caseload, those who lead on their team,
    /// auditors on client search.
    static func home(for role: Role) -> String {
        switch role {
        case .caseManager: today
        case .supervisor, .programManager, .agencyAdmin: team
        case .auditor: clients
        }
    }

    static let signOut = "/signout"

    static let language = "/me/language"

    static let password = "/me/password"

    static let directory = "/directory"

    static let newResource = "/directory/new"

    static let directoryImport = "/directory/import"

    static func resource(_ id: UUID) -> String { "/directory/\(id.uuidString.lowercased())" }

    static func editResource(_ id: UUID) -> String { resource(id) + "/edit" }

    static func newReferral(_ caseID: UUID) -> String { `case`(caseID) + "/referrals/new" }

    static func createReferral(_ caseID: UUID) -> String { `case`(caseID) + "/referrals" }

    static func referral(_ id: UUID) -> String { "/referrals/\(id.uuidString.lowercased())" }

    static func referralStatus(_ id: UUID) -> String { referral(id) + "/status" }

    static func printReferral(_ id: UUID) -> String { referral(id) + "/print" }

    static func newServiceRecord(_ caseID: UUID) -> String { `case`(caseID) + "/services/new" }

    static func createServiceRecord(_ caseID: UUID) -> String { `case`(caseID) + "/services" }

    static let tasks = "/tasks"

    static let newTask = "/tasks/new"

    static func task(_ id: UUID) -> String { "/tasks/\(id.uuidString.lowercased())" }

    static func taskStatus(_ id: UUID) -> String { task(id) + "/status" }

    static func editTask(_ id: UUID) -> String { task(id) + "/edit" }

    static func snoozeTask(_ id: UUID) -> String { task(id) + "/snooze" }

    static let taskWeek = "/tasks/week"

    static func taskWeek(_ day: LocalDate) -> String { taskWeek + "?week=" + day.description }

    static let calendarReset = "/me/calendar"

    static func newAdvocacy(_ caseID: UUID) -> String { `case`(caseID) + "/advocacy/new" }

    static func createAdvocacy(_ caseID: UUID) -> String { `case`(caseID) + "/advocacy" }

    static func advocacy(_ id: UUID) -> String { "/advocacy/\(id.uuidString.lowercased())" }

    static func newLetter(_ caseID: UUID) -> String { `case`(caseID) + "/letters/new" }

    static func createLetter(_ caseID: UUID) -> String { `case`(caseID) + "/letters" }

    static func letter(_ id: UUID) -> String { "/letters/\(id.uuidString.lowercased())" }

    static let adminLetters = "/admin/letters"

    static func letterTemplate(_ id: UUID) -> String { adminLetters + "/\(id.uuidString.lowercased())" }

    static func documents(_ clientID: UUID) -> String { client(clientID) + "/documents" }

    static func document(_ id: UUID) -> String { "/documents/\(id.uuidString.lowercased())" }

    static func deleteDocument(_ id: UUID) -> String { document(id) + "/delete" }

    static func closeCase(_ caseID: UUID) -> String { `case`(caseID) + "/close" }

    static func reopenCase(_ caseID: UUID) -> String { `case`(caseID) + "/reopen" }

    static func transferCase(_ caseID: UUID) -> String { `case`(caseID) + "/transfer" }

    static let reports = "/reports"

    static let referralReport = "/reports/referrals"

    static let serviceReport = "/reports/services"

    static let today = "/today"

    static func staffToday(_ id: UUID) -> String { "/staff/\(id.uuidString.lowercased())/today" }

    static let workload = "/workload"

    static func reassign(_ from: UUID) -> String { "/workload/reassign?from=\(from.uuidString.lowercased())" }

    static let reassignPost = "/workload/reassign"

    static let reviews = "/reviews"

    static func reviewClosure(_ id: UUID) -> String { "/reviews/closures/\(id.uuidString.lowercased())" }

    static func reviewNote(_ id: UUID) -> String { "/reviews/notes/\(id.uuidString.lowercased())" }

    static func outcomes(_ r: OutcomeReport) -> String { "/reports/outcomes/\(r.rawValue)" }

    static let dataQuality = "/reports/data-quality"

    static let dataQualityRecords = "/reports/data-quality/records"

    static func supervisionSettings(_ id: UUID) -> String {
        adminPrograms + "/\(id.uuidString.lowercased())/supervision"
    }
}
