import Foundation

/// What a staff member's role may do. Every service checks one of these before touching a record; views only
/// mirror the answer (hiding a button is never the check). Reading and writing a particular client's record
/// also needs a place on its care team (`CareTeam`), which the services check beside the role.
public enum Permission: Sendable, Equatable {
    case writeClient
    case openCase
    case updateCase(primaryCaseManagerID: UUID)
    case writeNote
    case signNote(authorID: UUID)
    case editDraftNote(authorID: UUID)
    case viewAccessHistory
    case viewTeamCaseloads
    case manageUsers
    /// Setting how long closed clients are kept, and removing their personal data when the time is up.
    case purgeRecords
    case managePrograms
    case manageForms
    case approvePlan
    case editDirectory
    case importDirectory
    case manageTemplates
    case transferCase
    case deleteDocument(uploadedBy: UUID)
    case viewReports
    case viewWorkload
    case reviewWork
    /// Changing a task (title, due date, assignee, snooze): its assignee or creator, or a supervisor.
    case editTask(assigneeID: UUID, createdBy: UUID?)
}

public enum Policy {
    /// Records of another agency are reported as not found, so their existence does not leak.
    public static func requireSameAgency(_ actor: ActingUser, _ agencyID: UUID, _ what: String) throws {
        guard actor.agencyID == agencyID else { throw TrellisError.notFound(what) }
    }

    public static func allows(_ actor: ActingUser, _ permission: Permission) -> Bool {
        switch permission {
        case .writeClient, .openCase, .writeNote:
            return actor.role != .auditor
        case .updateCase(let primary):
            switch actor.role {
            case .caseManager: return actor.id == primary
            case .supervisor, .programManager, .agencyAdmin: return true
            case .auditor: return false
            }
        case .signNote(let author), .editDraftNote(let author):
            return actor.role != .auditor && actor.id == author
        case .viewAccessHistory:
            return actor.role == .agencyAdmin || actor.role == .auditor
        case .viewTeamCaseloads:
            return [.supervisor, .programManager, .agencyAdmin].contains(actor.role)
        case .manageUsers, .managePrograms, .manageForms, .purgeRecords:
            return actor.role == .agencyAdmin
        case .approvePlan, .transferCase:
            return [.supervisor, .programManager, .agencyAdmin].contains(actor.role)
        case .editDirectory:
            return actor.role != .auditor
        case .importDirectory:
            return actor.role == .agencyAdmin || actor.role == .programManager
        case .manageTemplates:
            return actor.role == .agencyAdmin
        case .deleteDocument(let uploader):
            return actor.id == uploader && actor.role != .auditor
                || [.supervisor, .programManager, .agencyAdmin].contains(actor.role)
        case .viewReports, .viewWorkload:
            return actor.role != .caseManager
        case .reviewWork:
            return [.supervisor, .programManager, .agencyAdmin].contains(actor.role)
        case .editTask(let assignee, let creator):
            switch actor.role {
            case .caseManager: return actor.id == assignee || actor.id == creator
            case .supervisor, .programManager, .agencyAdmin: return true
            case .auditor: return false
            }
        }
    }

    public static func require(_ actor: ActingUser, _ permission: Permission) throws {
        guard allows(actor, permission) else {
            throw TrellisError.forbidden("Your role does not allow this.")
        }
    }
}
