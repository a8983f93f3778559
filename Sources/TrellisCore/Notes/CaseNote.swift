import Foundation

public struct CaseNote: Sendable, Codable, Equatable {
    public var id: UUID
    public var agencyID: UUID
    public var caseID: UUID
    public var clientID: UUID
    public var authorID: UUID
    public var contactType: ContactType
    public var contactDate: LocalDate
    public var durationMinutes: Int
    public var participants: [String]
    public var format: NoteFormat
    /// Section name → text, with names from `format.sections`.
    public var sections: [String: String]
    public var status: NoteStatus
    public var signedAt: Date?
    /// Set on an addendum: the signed note it corrects or adds to.
    public var addendumTo: UUID?
    public var createdAt: Date
    public var updatedAt: Date
    public var version: Int

    public init(
        id: UUID, agencyID: UUID, caseID: UUID, clientID: UUID, authorID: UUID, contactType: ContactType,
        contactDate: LocalDate, durationMinutes: Int, participants: [String], format: NoteFormat,
        sections: [String: String], status: NoteStatus, signedAt: Date?, addendumTo: UUID?, createdAt: Date,
        updatedAt: Date, version: Int
    ) {
        self.id = id
        self.agencyID = agencyID
        self.caseID = caseID
        self.clientID = clientID
        self.authorID = authorID
        self.contactType = contactType
        self.contactDate = contactDate
        self.durationMinutes = durationMinutes
        self.participants = participants
        self.format = format
        self.sections = sections
        self.status = status
        self.signedAt = signedAt
        self.addendumTo = addendumTo
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.version = version
    }
}

public protocol NoteRepository: Sendable {
    func insertNote(_ note: CaseNote) async throws
    func updateNote(_ note: CaseNote, expectedVersion: Int) async throws -> Bool
    func note(id: UUID) async throws -> CaseNote?
    func notes(caseID: UUID) async throws -> [CaseNote]
    /// One page of the case's notes, newest contact first (as `notes(caseID:)` orders them).
    func notes(caseID: UUID, limit: Int, offset: Int) async throws -> [CaseNote]
    func noteCount(caseID: UUID) async throws -> Int
    /// The addenda written to a note, newest first (as the case lists its notes).
    func addenda(noteID: UUID) async throws -> [CaseNote]
    /// The latest contact date on the case among notes whose contact type counts as a contact.
    func latestContactDate(caseID: UUID) async throws -> LocalDate?
}
