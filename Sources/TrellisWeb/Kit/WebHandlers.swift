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

    static func staffNames(_ req: Request, _ ids: [UUID]) async throws -> [UUID: String] {
        try await req.organization.staffNames(ids, by: try req.actor())
    }
}
