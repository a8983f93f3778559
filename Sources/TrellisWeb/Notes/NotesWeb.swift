import Foundation
import TrellisCore
import TrellisData
import Vapor

enum NotesWeb: WebHandlers {
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
            req, mode: .new(caseID: caseID), subject: { try await req.notes.formSubject(caseID: caseID, by: actor) }
        ) {
            try await req.notes.create(caseID: caseID, $0, by: actor)
        }
    }

    /// Saves a new note or addendum from the form; on a validation error shows the form again with
    /// every message and the values entered.
    static func saveNewNote(
        _ req: Request, mode: NoteFormPage.Mode, subject: () async throws -> ClientSummary,
        save: (NoteInput) async throws -> CaseNote
    ) async throws -> Response {
        let form = FormBody(req)
        let (input, parseErrors) = noteInput(form)
        do {
            let n = try await save(input)
            return req.seeOther(Paths.note(n.id), flash: "flash.noteSaved")
        } catch {
            guard let errs = validationErrors(error) else { throw error }
            let client = try await subject()
            return req.page(
                NoteFormPage.render(
                    req.pageContext, mode: mode, clientName: client.displayName,
                    state: FormState(
                        values: form.values, errors: noteErrors(errs, format: input.format, parse: parseErrors))),
                status: .unprocessableEntity)
        }
    }

    static func note(_ req: Request) async throws -> Response {
        try await renderNote(req, id: try req.uuid("noteID"))
    }

    static func renderNote(
        _ req: Request, id: UUID, detail read: NoteDetail? = nil, signState: FormState = FormState(),
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let actor = try req.actor()
        let detail: NoteDetail
        if let read { detail = read } else { detail = try await req.notes.detail(id, by: actor) }
        let n = detail.note
        return req.page(
            NoteDetailPage.render(
                req.pageContext, detail: detail,
                canSign: Policy.allows(actor, .signNote(authorID: n.authorID)),
                canEdit: Policy.allows(actor, .editDraftNote(authorID: n.authorID)),
                canAddend: Policy.allows(actor, .writeNote), signState: signState), status: status)
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
            let invalid = validationErrors(error).map { noteErrors($0, format: input.format, parse: parseErrors) }
            guard let errs = invalid ?? conflictMessage(error).map({ [FieldError("version", $0)] }) else { throw error }
            let (n, client) = try await req.notes.formSubject(noteID: id, by: actor)
            // A conflict because the note was signed meanwhile is not the form's to show.
            if invalid == nil && n.status != .draft { throw error }
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
        // A signed note can never change: the worker ticks that they checked it (the API's call is its own
        // confirmation).
        let version = form["version"].flatMap { Int($0) }
        guard form.all("confirm[]").contains("1") else {
            // Not found, forbidden or already signed come first, as they would from signing.
            let detail = try await req.notes.detail(id, by: actor)
            try Policy.require(actor, .signNote(authorID: detail.note.authorID))
            if detail.note.status != .draft { _ = try await req.notes.sign(id, expectedVersion: version, by: actor) }
            return try await renderNote(
                req, id: id, detail: detail, signState: FormState(errors: [FieldError("confirm", "is required")]),
                status: .unprocessableEntity)
        }
        _ = try await req.notes.sign(id, expectedVersion: version, by: actor)
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
            req, mode: .addendum(noteID: id), subject: { try await req.notes.formSubject(noteID: id, by: actor).client }
        ) {
            try await req.notes.addendum(to: id, $0, by: actor)
        }
    }
}
