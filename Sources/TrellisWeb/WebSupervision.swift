import Foundation
import TrellisCore
import Vapor

extension Request {
    var today: TodayService { TodayService(store: store, deps: deps) }
    var workload: WorkloadService { WorkloadService(store: store, deps: deps) }
    var reviews: ReviewService { ReviewService(store: store, deps: deps) }
    var outcomes: OutcomeService { OutcomeService(store: store, deps: deps) }
}

extension WebController {
    // MARK: Who needs me today

    static func today(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let staffID = try? req.uuid("staffID")
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
        let (staff, cases) = try await req.workload.reassignable(from: fromID, by: actor)
        var names: [UUID: String] = [:]
        for c in cases { if let cl = try await req.store.client(id: c.clientID) { names[c.clientID] = cl.displayName } }
        let programs = Dictionary(
            try await req.store.programs(agencyID: actor.agencyID).map { ($0.id, $0.name) },
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

    // MARK: Outcome and data-quality reports

    static func outcomeReport(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        guard let report = req.parameters.get("report").flatMap(OutcomeReport.init(rawValue:)) else {
            throw TrellisError.notFound("report")
        }
        let csv = req.queryString("format") == "csv"
        let (from, to, program) = (req.queryString("from"), req.queryString("to"), req.queryString("program"))
        do {
            let r = try await req.outcomes.run(report, from: from, to: to, program: program, by: actor)
            try await req.outcomes.auditExport(
                csv ? "outcomes.\(report.rawValue).csv" : "outcomes.\(report.rawValue)", view: !csv, by: actor)
            if csv {
                let tables = OutcomePage.tables(req.pageContext.t, r)
                return Self.csv(
                    "outcomes-\(report.rawValue)-\(r.filter.from)-\(r.filter.to)",
                    tables.flatMap { [[$0.caption]] + [$0.columns] + $0.rows })
            }
            return req.page(
                OutcomePage.render(
                    req.pageContext, r, report: report, programs: r.programs, state: reportState(r.filter)))
        } catch TrellisError.validation(let errs) where !csv {
            let programs = try await reportPrograms(req, actor)
            return req.page(
                OutcomePage.render(
                    req.pageContext, nil, report: report, programs: programs,
                    state: FormState(
                        values: ["from": from ?? "", "to": to ?? "", "program": program ?? ""], errors: errs)),
                status: .unprocessableEntity)
        }
    }

    static func reportState(_ f: ReportFilter, _ extra: [String: String] = [:]) -> FormState {
        FormState(
            values: [
                "from": f.from.description, "to": f.to.description,
                "program": f.programID?.uuidString.lowercased() ?? ""
            ].merging(extra) { a, _ in a })
    }

    static func reportPrograms(_ req: Request, _ actor: ActingUser) async throws -> [Program] {
        let scope = try await req.store.scope(for: actor)
        return try await req.store.programs(agencyID: actor.agencyID).filter {
            scope.programIDs?.contains($0.id) ?? true
        }
    }

    static func dataQualityReport(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let csv = req.queryString("format") == "csv"
        let grouping = req.queryString("grouping").flatMap(DataQualityGrouping.init(rawValue:)) ?? .program
        let (from, to, program) = (req.queryString("from"), req.queryString("to"), req.queryString("program"))
        do {
            let r = try await req.outcomes.dataQuality(
                from: from, to: to, program: program, grouping: grouping, by: actor)
            try await req.outcomes.auditExport(csv ? "data_quality.csv" : "data_quality", view: !csv, by: actor)
            if csv {
                return Self.csv("data-quality-\(r.filter.from)-\(r.filter.to)", DataQualityPage.csvLines(r))
            }
            return req.page(
                DataQualityPage.render(
                    req.pageContext, r, grouping: grouping, programs: try await reportPrograms(req, actor),
                    state: reportState(r.filter, ["grouping": grouping.rawValue])))
        } catch TrellisError.validation(let errs) where !csv {
            return req.page(
                DataQualityPage.render(
                    req.pageContext, nil, grouping: grouping, programs: try await reportPrograms(req, actor),
                    state: FormState(
                        values: [
                            "from": from ?? "", "to": to ?? "", "program": program ?? "", "grouping": grouping.rawValue
                        ], errors: errs)),
                status: .unprocessableEntity)
        }
    }

    static func dataQualityRecords(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let page = max(1, min((try? req.query.get(Int.self, at: "page")) ?? 1, 10_000))
        let q = (
            element: req.queryString("element"), issue: req.queryString("issue"), worker: req.queryString("worker"),
            from: req.queryString("from"), to: req.queryString("to"), program: req.queryString("program")
        )
        let (f, e, i, list, more) = try await req.outcomes.dataQualityRecords(
            element: q.element, issue: q.issue, worker: q.worker, from: q.from, to: q.to,
            program: q.program, page: page, by: actor)
        let programs = Dictionary(
            try await req.store.programs(agencyID: actor.agencyID).map { ($0.id, $0.name) },
            uniquingKeysWith: { a, _ in a })
        let staff = Dictionary(
            try await req.store.staff(ids: Array(Set(list.map(\.caseManagerID)))).map { ($0.id, $0.displayName) },
            uniquingKeysWith: { a, _ in a })
        var base = OutcomePage.query(f) + "&element=\(e.rawValue)&issue=\(i.rawValue)"
        if let w = q.worker, !w.isEmpty { base += "&worker=\(w)" }
        return req.page(
            DataQualityPage.records(
                req.pageContext, filter: f, element: e, issue: i, list: list, programs: programs, staff: staff,
                page: page, hasMore: more, baseQuery: base))
    }

    // MARK: Program settings

    static func updateSupervisionSettings(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let id = try req.uuid("programID")
        let form = FormBody(req)
        var weights: [String: Int?] = [:]
        for (name, _) in PriorityWeights.fields where form["weights.\(name)"] != nil {
            weights[name] = form.int("weights.\(name)")
        }
        do {
            _ = try await req.organization.updateSupervisionSettings(
                programID: id, caseloadTarget: form.int("caseloadTarget"), weights: weights,
                requiresClosureApproval: form["requiresClosureApproval"] == "on",
                requiresNoteCosign: form["requiresNoteCosign"] == "on",
                managerIDs: form.all("managers[]").compactMap(UUID.init(uuidString:)), by: actor)
            return req.seeOther(Paths.adminPrograms, flash: "flash.programSaved")
        } catch {
            guard let (errs, status) = formFailure(error) else { throw error }
            return try await programs(
                req, supervision: (id, FormState(values: form.values, multi: form.fields, errors: errs)), status: status
            )
        }
    }
}
