import Crypto
import Foundation
import TrellisCore
import Vapor

/// An URL-encoded form body, keeping repeated keys (checkboxes) in order.
struct FormBody {
    var fields: [String: [String]] = [:]

    init(_ req: Request) {
        let text = req.body.data.flatMap { $0.getString(at: $0.readerIndex, length: $0.readableBytes) } ?? ""
        self.init(text: text)
    }

    /// Parses `a=1&b=2` text: a request body, or a URL's query.
    init(text: String) {
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            let key = decode(parts[0])
            let value = parts.count > 1 ? decode(parts[1]) : ""
            fields[key, default: []].append(value)
        }
    }

    subscript(_ key: String) -> String? { fields[key]?.first }
    func all(_ key: String) -> [String] { fields[key] ?? [] }
    /// Every single-valued field, for re-filling a form.
    var values: [String: String] { fields.compactMapValues { $0.count == 1 ? $0[0] : $0.first } }
}

extension Request {
    func uuid(_ name: String) throws -> UUID {
        guard let s = parameters.get(name), let id = UUID(uuidString: s) else { throw TrellisError.notFound("record") }
        return id
    }

    var pageContext: PageContext {
        PageContext(
            t: strings, staff: principal?.staff,
            csrf: principal?.csrfToken ?? cookies[SessionCookie.preAuthCSRF]?.string ?? "",
            path: url.path, flash: cookies["trellis_flash"]?.string,
            idleSeconds: principal?.sessionHash == nil ? 0 : Int(runtime.config.idleTimeout))
    }

    func page(_ html: String, status: HTTPStatus = .ok) -> Response {
        let r = Response(
            status: status, headers: ["Content-Type": "text/html; charset=utf-8"], body: .init(string: html))
        if cookies["trellis_flash"] != nil { r.cookies["trellis_flash"] = .expired }
        return r
    }

    /// Redirect after a successful post, with a message key shown once on the next page.
    func seeOther(_ path: String, flash: String? = nil) -> Response {
        let r = redirect(to: path, redirectType: .normal)
        if let flash {
            r.cookies["trellis_flash"] = HTTPCookies.Value(
                string: flash, maxAge: 60, path: "/", isSecure: runtime.config.secureCookies,
                isHTTPOnly: true, sameSite: .lax)
        }
        return r
    }

    /// This site's address as the client reached it, for links that leave the browser (calendar feeds).
    /// The configured public address, or else the one this request came to.
    var baseURL: String {
        runtime.config.publicURL
            ?? (runtime.config.secureCookies ? "https" : "http") + "://" + (headers.first(name: .host) ?? "localhost")
    }

    func queryUUID(_ name: String) -> UUID? { (try? query.get(String.self, at: name)).flatMap(UUID.init(uuidString:)) }

    func queryString(_ name: String) -> String? { (try? query.get(String.self, at: name))?.nilIfEmpty }

    /// A filter form's values as sent (empty where absent), for the form to show again.
    func queryValues(_ names: [String]) -> [String: String] {
        names.reduce(into: [String: String]()) { $0[$1] = queryString($1) ?? "" }
    }
}

extension Array where Element == FieldError {
    /// Renames error fields so they point at the inputs of a form that names them differently.
    func renamed(_ f: (String) -> String) -> [FieldError] { map { FieldError(f($0.field), $0.message) } }
}

func validationErrors(_ error: any Error) -> [FieldError]? {
    if case TrellisError.validation(let e) = error { return e }
    return nil
}

/// A failed form post shown again: field errors with 422, or a concurrent change reported on
/// `conflictField` with 409. Any other error is not the form's to show.
func formFailure(_ error: any Error, conflictField: String = "version") -> (errors: [FieldError], status: HTTPStatus)? {
    if let e = validationErrors(error) { return (e, .unprocessableEntity) }
    if let m = conflictMessage(error) { return ([FieldError(conflictField, m)], .conflict) }
    return nil
}

func conflictMessage(_ error: any Error) -> String? {
    if case TrellisError.conflict(let m) = error { return m }
    return nil
}

extension FormBody {
    func uuid(_ k: String) -> UUID? { self[k].flatMap(UUID.init(uuidString:)) }
    func int(_ k: String) -> Int? { self[k].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } }
    func list(_ k: String) -> [String] {
        (self[k] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

func sha256Hex(_ data: Data) -> String { SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() }
