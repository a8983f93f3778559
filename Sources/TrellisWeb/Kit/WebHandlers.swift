import Crypto
import Foundation
import TrellisCore
import TrellisData
import Vapor

/// What every area's web handlers share. Each area's handlers are one enum (`ClientsWeb`, `CasesWeb` …)
/// that adopts this, so these helpers read the same in all of them.
protocol WebHandlers {}

extension WebHandlers {
    /// A UUID form field: empty is nil; anything else must parse, or it is a field error (never a
    /// silent default).
    static func uuidField(_ form: FormBody, _ name: String, _ errors: inout [FieldError]) -> UUID? {
        guard let raw = form[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        guard let id = UUID(uuidString: raw) else {
            errors.append(FieldError(name, "is not one of the allowed values"))
            return nil
        }
        return id
    }

    /// Client ids ticked in a form (`values`), each one that is not an id an error on `field`.
    static func clientIDs(_ values: [String], field: String, _ errors: inout [FieldError]) -> [UUID] {
        values.compactMap { text in
            guard let id = UUID(uuidString: text) else {
                errors.append(FieldError(field, "“\(text)” is not a client id"))
                return nil
            }
            return id
        }
    }

    static func staffNames(_ req: Request, _ ids: [UUID]) async throws -> [UUID: String] {
        try await req.organization.staffNames(ids, by: try req.actor())
    }
}
