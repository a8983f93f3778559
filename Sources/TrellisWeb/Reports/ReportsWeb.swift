import Crypto
import Foundation
import TrellisCore
import Vapor

enum ReportsWeb: WebHandlers {
    // MARK: Reports

    static func reports(_ req: Request) async throws -> Response {
        try Policy.require(try req.actor(), .viewReports)
        return req.page(ReportsPage.index(req.pageContext))
    }

    static func csv(_ name: String, _ lines: [[String]]) -> Response {
        Response(
            status: .ok,
            headers: [
                "Content-Type": "text/csv; charset=utf-8",
                "Content-Disposition": "attachment; filename=\"\(name).csv\"",
                "Cache-Control": "private, no-store"
            ], body: .init(string: lines.map(CSV.line).joined()))
    }

    static func referralCSV(_ r: ReferralReport) -> [[String]] {
        [["group", "key", "made", "accepted", "connected", "completed", "median_days_to_connection"]]
            + r.byProvider.map { ["provider", $0.key] + Self.counts($0) }
            + r.byNeed.map { ["need", $0.key] + Self.counts($0) } + [["total", ""] + counts(r.total)]
    }

    static func counts(_ x: ReferralReportRow) -> [String] {
        [
            String(x.made), String(x.accepted), String(x.connected), String(x.completed),
            x.medianDaysToConnection.map { String(format: "%.1f", $0) } ?? ""
        ]
    }

    static func serviceCSV(_ r: ServiceReport) -> [[String]] {
        [["period", "record_type", "type_provided", "type", "services", "clients", "units", "amount"]]
            + r.rows.map { x in
                let parts = x.typeCode.split(separator: ":").map(String.init)
                return [
                    x.period, parts.first ?? "", parts.last ?? "", x.typeLabel, String(x.count), String(x.clients),
                    String(format: "%g", x.units),
                    String(format: "%.2f", Double(x.amountCents) / 100)
                ]
            }
    }

    static func referralReport(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let csv = req.queryString("format") == "csv"
        do {
            let r = try await req.reports.referrals(
                from: req.queryString("from"), to: req.queryString("to"), by: actor, export: csv)
            if csv { return Self.csv("referrals-\(r.from)-\(r.to)", referralCSV(r)) }
            return req.page(
                ReportsPage.referrals(
                    req.pageContext, r, state: FormState(values: ["from": r.from.description, "to": r.to.description])))
        } catch TrellisError.validation(let errs) where !csv {
            let empty = ReferralReport.empty(req.deps.today)
            return req.page(
                ReportsPage.referrals(
                    req.pageContext, empty,
                    state: FormState(
                        values: ["from": req.queryString("from") ?? "", "to": req.queryString("to") ?? ""], errors: errs
                    )),
                status: .unprocessableEntity)
        }
    }

    static func serviceReport(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let csv = req.queryString("format") == "csv"
        let period = req.queryString("period") ?? "month"
        do {
            let r = try await req.reports.services(
                from: req.queryString("from"), to: req.queryString("to"), period: period, by: actor, export: csv)
            if csv { return Self.csv("services-\(r.from)-\(r.to)", serviceCSV(r)) }
            return req.page(
                ReportsPage.services(
                    req.pageContext, r, period: period,
                    state: FormState(values: ["from": r.from.description, "to": r.to.description, "period": period])))
        } catch TrellisError.validation(let errs) where !csv {
            let empty = ServiceReport.empty(req.deps.today)
            return req.page(
                ReportsPage.services(
                    req.pageContext, empty, period: period,
                    state: FormState(
                        values: [
                            "from": req.queryString("from") ?? "", "to": req.queryString("to") ?? "", "period": period
                        ], errors: errs)),
                status: .unprocessableEntity)
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
        try await req.outcomes.programsInScope(by: actor)
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
            try await req.organization.programs(by: actor).map { ($0.id, $0.name) },
            uniquingKeysWith: { a, _ in a })
        let staff = try await req.organization.staffNames(Array(Set(list.map(\.caseManagerID))), by: actor)
        var base = OutcomePage.query(f) + "&element=\(e.rawValue)" + (i.map { "&issue=\($0.rawValue)" } ?? "")
        if let w = q.worker, !w.isEmpty { base += "&worker=\(w)" }
        return req.page(
            DataQualityPage.records(
                req.pageContext, filter: f, element: e, issue: i, list: list, programs: programs, staff: staff,
                page: page, hasMore: more, baseQuery: base))
    }
}
