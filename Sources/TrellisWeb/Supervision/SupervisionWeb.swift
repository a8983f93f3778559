import Foundation
import TrellisCore
import Vapor

enum SupervisionWeb: WebHandlers {
    // MARK: Who needs me today

    static func today(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        // On /staff/{id}/today the id must name a staff member: a malformed one is not found, never one's own page.
        let staffID = req.parameters.get("staffID") == nil ? nil : try req.uuid("staffID")
        let view = try await req.today.today(of: staffID, by: actor)
        return req.page(
            TodayPage.render(
                req.pageContext, view, isOwn: staffID == nil || staffID == actor.id, limit: 25,
                showAll: req.queryString("all") == "1"))
    }

    // MARK: Workload

    static func workloadPage(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let o = try await req.workload.overview(by: actor)
        return req.page(WorkloadPage.render(req.pageContext, o, canReassign: Policy.allows(actor, .transferCase)))
    }

    static func reassignForm(_ req: Request, from: UUID? = nil, state: FormState? = nil, status: HTTPStatus = .ok)
        async throws -> Response
    {
        let actor = try req.actor()
        try Policy.require(actor, .transferCase)
        guard let fromID = from ?? req.queryUUID("from") else { return req.redirect(to: Paths.workload) }
        let (staff, cases, names) = try await req.workload.reassignment(from: fromID, by: actor)
        let programs = Dictionary(
            try await req.organization.programs(by: actor).map { ($0.id, $0.name) },
            uniquingKeysWith: { a, _ in a })
        let targets = try await req.workload.overview(by: actor).teams.flatMap(\.workers).filter {
            $0.staff.id != fromID
        }
        .sorted { ($0.load, $0.staff.displayName) < ($1.load, $1.staff.displayName) }
        return req.page(
            WorkloadPage.reassign(
                req.pageContext, from: staff, cases: cases, names: names, programs: programs, targets: targets,
                state: state ?? FormState()), status: status)
    }

    static func reassign(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let form = FormBody(req)
        try Policy.require(actor, .transferCase)
        guard let from = form["from"].flatMap(UUID.init(uuidString:)) else { return req.redirect(to: Paths.workload) }
        let shared = form["sharedNote"]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        var moves: [ReassignmentInput] = []
        var i = 0
        while let raw = form["cases.\(i).caseID"] {
            defer { i += 1 }
            let to = form["cases.\(i).toManagerID"] ?? ""
            // Rows left without a new case manager stay where they are.
            if to.isEmpty { continue }
            let own = form["cases.\(i).note"]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            moves.append(
                ReassignmentInput(
                    caseID: UUID(uuidString: raw) ?? UUID(), version: form.int("cases.\(i).version"),
                    toManagerID: UUID(uuidString: to), note: own.isEmpty ? shared : own))
        }
        do {
            let moved = try await req.workload.reassign(from: from, moves, by: actor)
            return req.seeOther(Paths.workload, flash: moved.count == 1 ? "flash.reassignedOne" : "flash.reassigned")
        } catch {
            guard let (found, status) = formFailure(error) else { throw error }
            var errs = found
            // Errors are keyed by position among the chosen rows; map them back to the rows of the form.
            let chosen = (0..<i).filter { !(form["cases.\($0).toManagerID"] ?? "").isEmpty }
            errs = errs.map { e in
                let parts = e.field.split(separator: ".")
                guard parts.count == 3, parts[0] == "cases", let k = Int(parts[1]), k < chosen.count else { return e }
                return FieldError("cases.\(chosen[k]).\(parts[2])", e.message)
            }
            return try await reassignForm(
                req, from: from, state: FormState(values: form.values, errors: errs), status: status)
        }
    }

    // MARK: Reviews

    static func reviewQueue(_ req: Request) async throws -> Response {
        req.page(ReviewsPage.render(req.pageContext, try await req.reviews.queue(by: try req.actor())))
    }

    static func decideClosure(_ req: Request) async throws -> Response {
        try await decide(req, "closureRequestID") { id, form, actor in
            _ = try await req.reviews.decideClosure(
                id, decision: form["decision"], comment: form["comment"], expectedVersion: form.int("version"),
                by: actor)
        }
    }

    static func decideNote(_ req: Request) async throws -> Response {
        try await decide(req, "noteReviewID") { id, form, actor in
            _ = try await req.reviews.decideNote(
                id, decision: form["decision"], comment: form["comment"], expectedVersion: form.int("version"),
                by: actor)
        }
    }

    static func decide(_ req: Request, _ param: String, _ body: (UUID, FormBody, ActingUser) async throws -> Void)
        async throws -> Response
    {
        let actor = try req.actor()
        let id = try req.uuid(param)
        let form = FormBody(req)
        do {
            try await body(id, form, actor)
            return req.seeOther(
                Paths.reviews, flash: form["decision"] == "approve" ? "flash.reviewApproved" : "flash.reviewReturned")
        } catch {
            guard let (errs, status) = formFailure(error) else { throw error }
            return req.page(
                ReviewsPage.render(
                    req.pageContext, try await req.reviews.queue(by: actor), errors: [id.uuidString: errs]),
                status: status)
        }
    }
}
