import Fluent
import Foundation
import SQLKit
import TrellisCore

extension SQLStore {
    public func latestContacts(caseIDs: [UUID]) async throws -> [UUID: [ContactType: LocalDate]] {
        var out: [UUID: [ContactType: LocalDate]] = [:]
        for chunk in Array(Set(caseIDs)).chunked(500) where !chunk.isEmpty {
            let rows = try await sql.select().column("case_id").column("contact_type").column(
                SQLFunction("MAX", args: SQLIdentifier("contact_date")), as: "last"
            )
            .from("case_notes").where("case_id", .in, chunk).where(SQLIdentifier("addendum_to"), .is, SQLLiteral.null)
            .groupBy("case_id").groupBy("contact_type").all()
            for r in rows {
                guard let type = ContactType(rawValue: try r.decode(column: "contact_type", as: String.self)),
                    let d = LocalDate(try r.decode(column: "last", as: String.self))
                else { continue }
                out[try r.decode(column: "case_id", as: UUID.self), default: [:]][type] = d
            }
        }
        return out
    }

    // MARK: Notes

    public func insertNote(_ n: CaseNote) async throws {
        try await sql.insert(into: "case_notes").model(NoteRow(n), with: Self.encoder).run()
    }

    public func insertNotes(_ ns: [CaseNote]) async throws {
        for chunk in ns.map(NoteRow.init).chunked(1000) { try await bulkInsert("case_notes", chunk) }
    }

    public func updateNote(_ n: CaseNote, expectedVersion: Int) async throws -> Bool {
        let rows = try await sql.update("case_notes").set(model: NoteRow(n), with: Self.encoder)
            .where("id", .equal, n.id).where("version", .equal, expectedVersion).returning("id").all()
        return !rows.isEmpty
    }

    public func note(id: UUID) async throws -> CaseNote? {
        try await sql.select().column("*").from("case_notes").where("id", .equal, id).first(decoding: NoteRow.self)?
            .domain
    }

    public func notes(caseID: UUID) async throws -> [CaseNote] {
        try await sql.select().column("*").from("case_notes").where("case_id", .equal, caseID)
            .orderBy("contact_date", .descending).orderBy("created_at", .descending)
            .all(decoding: NoteRow.self).map(\.domain)
    }

    public func notes(caseID: UUID, limit: Int, offset: Int) async throws -> [CaseNote] {
        try await sql.select().column("*").from("case_notes").where("case_id", .equal, caseID)
            .orderBy("contact_date", .descending).orderBy("created_at", .descending).orderBy("id")
            .limit(limit).offset(offset)
            .all(decoding: NoteRow.self).map(\.domain)
    }

    public func noteCount(caseID: UUID) async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS n FROM case_notes WHERE case_id = \(bind: caseID)").first()?
            .decode(column: "n", as: Int.self) ?? 0
    }

    public func addenda(noteID: UUID) async throws -> [CaseNote] {
        try await sql.select().column("*").from("case_notes").where("addendum_to", .equal, noteID)
            .orderBy("contact_date", .descending).orderBy("created_at", .descending).all(decoding: NoteRow.self)
            .map(\.domain)
    }

    public func latestContactDate(caseID: UUID) async throws -> LocalDate? {
        try await sql.raw(
            """
            SELECT MAX(contact_date) AS d FROM case_notes WHERE case_id = \(bind: caseID) AND contact_type <> \
            'attempted' AND addendum_to IS NULL
            """
        ).first()?.decode(column: "d", as: String?.self).flatMap(LocalDate.init)
    }
}

struct NoteRow: Codable {
    var id: UUID
    var agency_id: UUID
    var case_id: UUID
    var client_id: UUID
    var author_id: UUID
    var contact_type: String
    var contact_date: String
    var duration_minutes: Int
    var participants: String
    var format: String
    var sections: String
    var status: String
    var signed_at: Date?
    var addendum_to: UUID?
    var created_at: Date
    var updated_at: Date
    var version: Int
    init(_ n: CaseNote) {
        id = n.id
        agency_id = n.agencyID
        case_id = n.caseID
        client_id = n.clientID
        author_id = n.authorID
        contact_type = n.contactType.rawValue
        contact_date = n.contactDate.description
        duration_minutes = n.durationMinutes
        participants = JSONText.encode(n.participants)
        format = n.format.rawValue
        sections = JSONText.encode(n.sections)
        status = n.status.rawValue
        signed_at = n.signedAt
        addendum_to = n.addendumTo
        created_at = n.createdAt
        updated_at = n.updatedAt
        version = n.version
    }
    var domain: CaseNote {
        CaseNote(
            id: id, agencyID: agency_id, caseID: case_id, clientID: client_id, authorID: author_id,
            contactType: ContactType(rawValue: contact_type) ?? .inPerson, contactDate: LocalDate(contact_date)!,
            durationMinutes: duration_minutes, participants: JSONText.decode([String].self, participants) ?? [],
            format: NoteFormat(rawValue: format) ?? .narrative,
            sections: JSONText.decode([String: String].self, sections) ?? [:],
            status: NoteStatus(rawValue: status) ?? .draft, signedAt: signed_at, addendumTo: addendum_to,
            createdAt: created_at, updatedAt: updated_at, version: version)
    }
}

extension NoteRow: BulkRow {
    static let columns = [
        "id", "agency_id", "case_id", "client_id", "author_id", "contact_type", "contact_date", "duration_minutes",
        "participants", "format", "sections", "status", "signed_at", "addendum_to", "created_at", "updated_at",
        "version"
    ]
    var values: [any Encodable & Sendable] {
        [
            id, agency_id, case_id, client_id, author_id, contact_type, contact_date, duration_minutes, participants,
            format,
            sections, status, signed_at, addendum_to, created_at, updated_at, version
        ]
    }
}
