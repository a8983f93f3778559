import Foundation
import TrellisCore
import TrellisData
import Vapor

/// One log line per request: id, method, path (never the query, which may hold a name), status, time.
struct RequestLogMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let start = DispatchTime.now().uptimeNanoseconds
        let id = req.headers.first(name: "X-Request-ID").flatMap { $0.count <= 64 ? $0 : nil } ?? UUID().uuidString
        req.logger[metadataKey: "request-id"] = .string(id)
        let response = try await next.respond(to: req)
        let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
        response.headers.replaceOrAdd(name: "X-Request-ID", value: id)
        // Through the application's logger, so its level (set by the operator or a command) applies.
        req.application.logger.info(
            "\(req.method) \(req.url.path) \(response.status.code) \(String(format: "%.1f", ms))ms",
            metadata: ["request-id": .string(id)])
        return response
    }
}

struct SecurityHeadersMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let r = try await next.respond(to: req)
        r.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        r.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        r.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
        r.headers.replaceOrAdd(
            name: "Content-Security-Policy",
            value:
                "default-src 'self'; img-src 'self' data:; style-src 'self'; form-action 'self'; frame-ancestors 'none'"
        )
        if !req.url.path.hasPrefix("/assets/") {
            // Pages and API answers carry client data: never keep them in shared or browser caches.
            r.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        }
        return r
    }
}

/// RFC 9457 problem details.
struct Problem: Content {
    var type: String
    var title: String
    var status: Int
    var detail: String?
    var errors: [FieldError]?
    var duplicates: [DuplicateCandidate]?
}

/// Maps every error to a clear answer: problem JSON under /api, an HTML page otherwise. A domain or
/// decoding error is never a 500; an unexpected error is logged by id and shown without internals.
struct TrellisErrorMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: req)
        } catch {
            return Self.response(for: error, req: req)
        }
    }

    static func classify(_ error: any Error, req: Request) -> (HTTPStatus, String, String, [FieldError]?) {
        let config = req.application.trellis.config
        if let failure = StorageFailure.from(error, place: config.usesPostgres ? "PostgreSQL" : config.dataDirectory) {
            // For the operator: what is wrong, where, and what to do. The user is told to try again.
            req.logger.critical("storage failure: \(failure.description)")
            return (.serviceUnavailable, "storage-unavailable", Self.storageMessage, nil)
        }
        switch error {
        case let e as TrellisError:
            switch e {
            case .notFound(let what): return (.notFound, "not-found", "The \(what) was not found.", nil)
            case .forbidden(let why): return (.forbidden, "forbidden", why, nil)
            case .unauthenticated: return (.unauthorized, "unauthenticated", "Sign in first.", nil)
            case .validation(let errs): return (.unprocessableEntity, "validation", "Some fields need attention.", errs)
            case .conflict(let why): return (.conflict, "conflict", why, nil)
            case .preconditionRequired(let why): return (.preconditionRequired, "precondition-required", why, nil)
            case .tooManyAttempts:
                return (
                    .tooManyRequests, "too-many-attempts", "Too many failed sign-ins. Wait 15 minutes and try again.",
                    nil
                )
            }
        case let e as DecodingError:
            return (.badRequest, "malformed-request", Self.describe(e), nil)
        case let e as any AbortError:
            let status = e.status
            let reason = status == .internalServerError ? "Something went wrong." : e.reason
            return (status, status.code == 413 ? "too-large" : "http-\(status.code)", reason, nil)
        default:
            req.logger.error("unexpected error: \(String(reflecting: type(of: error)))")
            return (
                .internalServerError, "internal", "Something went wrong. The error was logged with this request's id.",
                nil
            )
        }
    }

    static let storageMessage =
        "Trellis cannot save or read records right now: its storage is full, read-only or busy. Nothing from this request was saved. Try again in a minute; if it goes on, tell your administrator."

    static func describe(_ e: DecodingError) -> String {
        func path(_ c: [any CodingKey]) -> String {
            c.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch e {
        case .typeMismatch(_, let c): return "Field '\(path(c.codingPath))' has the wrong type."
        case .valueNotFound(_, let c): return "Field '\(path(c.codingPath))' is missing."
        case .keyNotFound(let k, let c): return "Field '\(path(c.codingPath + [k]))' is missing."
        case .dataCorrupted(let c):
            return c.codingPath.isEmpty ? "The body is not valid JSON." : "Field '\(path(c.codingPath))' is not valid."
        @unknown default: return "The request body could not be read."
        }
    }

    static func response(for error: any Error, req: Request) -> Response {
        let (status, slug, detail, fieldErrors) = classify(error, req: req)
        let r: Response
        if req.isAPI || req.url.path == "/health" {
            r = problemResponse(
                Problem(
                    type: "https://trellis.example/problems/\(slug)", title: status.reasonPhrase,
                    status: Int(status.code), detail: detail, errors: fieldErrors, duplicates: nil), status: status)
        } else if case TrellisError.unauthenticated = error {
            return req.redirect(to: Paths.signIn)
        } else {
            let page = ErrorPage.render(status: status, message: req.strings.message(detail), req: req)
            r = Response(
                status: status, headers: ["Content-Type": "text/html; charset=utf-8"], body: .init(string: page))
        }
        if case TrellisError.tooManyAttempts(let s) = error {
            r.headers.replaceOrAdd(name: .retryAfter, value: String(s))
        }
        if status == .serviceUnavailable { r.headers.replaceOrAdd(name: .retryAfter, value: "30") }
        if let e = error as? any AbortError, let allow = e.headers.first(name: .allow) {
            r.headers.replaceOrAdd(name: .allow, value: allow)
        }
        return r
    }

    static func problemResponse(_ p: Problem, status: HTTPStatus) -> Response {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        let body = (try? enc.encode(p)) ?? Data("{}".utf8)
        return Response(status: status, headers: ["Content-Type": "application/problem+json"], body: .init(data: body))
    }
}

/// A path Trellis serves asked with a method it does not serve answers 405 with the methods it does (RFC 9110
/// §15.5.6), not 404 as if the path did not exist.
struct MethodNotAllowedMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: req)
        } catch let e as any AbortError where e.status == .notFound && req.route == nil {
            let parts = req.url.path.split(separator: "/").map(String.init)
            let allowed = Set(
                req.application.routes.all.filter { Self.matches($0.path, parts) }.map(\.method.rawValue))
            guard !allowed.isEmpty else { throw e }
            let list = allowed.sorted().joined(separator: ", ")
            throw Abort(
                .methodNotAllowed, headers: ["Allow": list],
                reason: "This address answers \(list) only.")
        }
    }

    static func matches(_ pattern: [PathComponent], _ parts: [String]) -> Bool {
        if pattern.last == .catchall { return parts.count >= pattern.count - 1 }
        guard pattern.count == parts.count else { return false }
        for (p, part) in zip(pattern, parts) {
            switch p {
            case .constant(let c): if c != part { return false }
            case .parameter, .anything: continue
            case .catchall: return true
            }
        }
        return true
    }
}

/// Opens a `ReadMemo` around each request that changes nothing (GET, HEAD): a page decides each client's
/// access once however many of its parts ask, and writes its audit entries in one statement when it is
/// done — before the answer leaves, and whether or not it succeeded, so no read goes unrecorded.
struct ReadMemoMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard req.method == .GET || req.method == .HEAD else { return try await next.respond(to: req) }
        let memo = ReadMemo()
        let result: Result<Response, any Error>
        do {
            result = .success(try await ReadMemo.$current.withValue(memo) { try await next.respond(to: req) })
        } catch {
            result = .failure(error)
        }
        try await req.store.appendAudit(memo.close())
        return try result.get()
    }
}
