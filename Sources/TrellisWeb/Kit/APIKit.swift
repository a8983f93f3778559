import Foundation
import SQLKit
import TrellisCore
import TrellisData
import Vapor

/// One page of a list: the items, how many a page holds, and how many came before.
struct Page<T: Encodable>: Encodable {
    var items: [T]
    var limit: Int
    var offset: Int
}

struct VersionField: Decodable { var version: Int? }

/// What every area's API handlers share: JSON answers, If-Match versions, paging limits, bodies.
/// Each area's API handlers are one enum (`ClientsAPI`, `CasesAPI` …) that adopts this.
protocol APIHandlers {}

extension APIHandlers {
    static func json<T: Encodable>(_ value: T, status: HTTPStatus = .ok, etag: Int? = nil, location: String? = nil)
        throws -> Response
    {
        let enc = JSONEncoder()
        enc.dateEncodingStrategy = .iso8601
        enc.outputFormatting = [.sortedKeys]
        let r = Response(
            status: status, headers: ["Content-Type": "application/json; charset=utf-8"],
            body: .init(data: try enc.encode(value)))
        if let etag { r.headers.replaceOrAdd(name: .eTag, value: "\"\(etag)\"") }
        if let location { r.headers.replaceOrAdd(name: .location, value: location) }
        return r
    }

    /// The version named by If-Match (`"3"` or `W/"3"`), if the header is there and readable.
    static func ifMatchVersion(_ req: Request) -> Int? {
        req.headers.first(name: .ifMatch).flatMap {
            Int($0.trimmingCharacters(in: CharacterSet(charactersIn: "\" W/")))
        }
    }

    /// The version a PATCH was made against: If-Match wins over a `version` in the body.
    static func expectedVersion(_ req: Request) -> (Int?, fromHeader: Bool) {
        if req.headers.first(name: .ifMatch) != nil { return (ifMatchVersion(req), true) }
        return ((try? req.content.decode(VersionField.self))?.version, false)
    }

    /// Paging: `limit` 1 to `max` (`standard` when absent) and `offset` from 0. A value out of range or not a
    /// whole number is refused (422), never quietly replaced.
    static func limits(_ req: Request, standard: Int = 25, max: Int = 100) throws -> (Int, Int) {
        let limit = try intQuery(req, "limit") ?? standard
        let offset = try intQuery(req, "offset") ?? 0
        var errors: [FieldError] = []
        if !(1...max).contains(limit) { errors.append(FieldError("limit", "must be between 1 and \(max)")) }
        if offset < 0 { errors.append(FieldError("offset", "cannot be negative")) }
        if !errors.isEmpty { throw TrellisError.validation(errors) }
        return (limit, offset)
    }

    /// A query value as sent, or nil when absent. Present but empty is refused: an empty value is not a default.
    static func queryValue(_ req: Request, _ name: String) throws -> String? {
        guard let raw = try? req.query.get(String.self, at: name) else { return nil }
        if raw.trimmingCharacters(in: .whitespaces).isEmpty {
            throw TrellisError.validation([FieldError(name, "must not be empty")])
        }
        return raw
    }

    /// A query value that must be one of an enumeration's values, or nil when absent.
    static func enumQuery<E: RawRepresentable>(_ req: Request, _ name: String, _: E.Type) throws -> E?
    where E.RawValue == String {
        guard let raw = try queryValue(req, name) else { return nil }
        guard let value = E(rawValue: raw) else {
            throw TrellisError.validation([FieldError(name, "is not one of the allowed values")])
        }
        return value
    }

    /// A whole-number query value, or nil when absent; anything else present is refused, never replaced
    /// by a default.
    static func intQuery(_ req: Request, _ name: String) throws -> Int? {
        guard let raw = try queryValue(req, name) else { return nil }
        guard let n = Int(raw.trimmingCharacters(in: .whitespaces)) else {
            throw TrellisError.validation([FieldError(name, "must be a whole number")])
        }
        return n
    }

    static func body<T: Decodable>(_ req: Request, _ t: T.Type) throws -> T {
        do { return try req.content.decode(T.self) } catch {
            throw TrellisError.validation([FieldError("body", "is not valid JSON of the expected shape")])
        }
    }

    static func path(_ kind: String, _ id: UUID) -> String { "/api/v1/\(kind)/\(id.uuidString.lowercased())" }
}

// API for the directory, referrals, services, tasks, advocacy, letters, documents, closure and reports.
// Records are returned as the domain stores them; writes that change a record take its version in If-Match.

struct Items<T: Encodable>: Encodable { var items: [T] }

extension APIHandlers {
    /// A list its service returns whole (a case's referrals, services, advocacy or letters; a client's documents
    /// or releases: tens of rows, where a case's notes run to thousands and page in the database), answered a page
    /// at a time like every other list (`limit` up to 100, 100 unless given; `offset`).
    static func paged<T: Encodable>(_ req: Request, _ load: () async throws -> [T]) async throws -> Response {
        let (limit, offset) = try limits(req, standard: 100, max: 100)
        let all = try await load()
        return try json(Page(items: Array(all.dropFirst(offset).prefix(limit)), limit: limit, offset: offset))
    }
}

struct StatusBody: Decodable {
    var status: String?
    var on: String?
    var reason: String?
}
