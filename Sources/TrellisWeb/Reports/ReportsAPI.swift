import Foundation
import TrellisCore
import Vapor

/// How a report is answered: JSON (the default) or CSV.
enum ReportFormat: String { case json, csv }

enum ReportsAPI: APIHandlers {
    // Reports
    static func referralReport(_ req: Request) async throws -> Response {
        let csv = try enumQuery(req, "format", ReportFormat.self) == .csv
        let r = try await req.reports.referrals(
            from: try queryValue(req, "from"), to: try queryValue(req, "to"), by: try req.actor(), export: csv)
        return csv ? ReportsWeb.csv("referrals-\(r.from)-\(r.to)", ReportsWeb.referralCSV(r)) : try json(r)
    }

    static func serviceReport(_ req: Request) async throws -> Response {
        let csv = try enumQuery(req, "format", ReportFormat.self) == .csv
        let r = try await req.reports.services(
            from: try queryValue(req, "from"), to: try queryValue(req, "to"),
            period: try enumQuery(req, "period", ReportPeriod.self)?.rawValue,
            by: try req.actor(), export: csv)
        return csv ? ReportsWeb.csv("services-\(r.from)-\(r.to)", ReportsWeb.serviceCSV(r)) : try json(r)
    }

    static func outcomes(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        guard let report = req.parameters.get("report").flatMap(OutcomeReport.init(rawValue:)) else {
            throw TrellisError.notFound("report")
        }
        let r = try await req.outcomes.run(
            report, from: try queryValue(req, "from"), to: try queryValue(req, "to"),
            program: try queryValue(req, "program"),
            by: actor)
        try await req.outcomes.auditExport("outcomes.\(report.rawValue).json", view: false, by: actor)
        let t = Strings(language: .en, catalogs: req.runtime.strings)
        return try json(
            ReportTablesDTO(
                report: report.rawValue, from: r.filter.from.description, to: r.filter.to.description,
                programID: r.filter.programID,
                tables: OutcomePage.tables(t, r).map { .init(caption: $0.caption, columns: $0.columns, rows: $0.rows) })
        )
    }

    static func dataQuality(_ req: Request) async throws -> Response {
        let actor = try req.actor()
        let grouping = try enumQuery(req, "grouping", DataQualityGrouping.self) ?? .program
        let r = try await req.outcomes.dataQuality(
            from: try queryValue(req, "from"), to: try queryValue(req, "to"), program: try queryValue(req, "program"),
            grouping: grouping, by: actor)
        try await req.outcomes.auditExport("data_quality.json", view: false, by: actor)
        let lines = DataQualityPage.csvLines(r)
        return try json(
            ReportTablesDTO(
                report: "data_quality", from: r.filter.from.description, to: r.filter.to.description,
                programID: r.filter.programID,
                tables: [
                    .init(
                        caption: "Data quality by \(grouping.rawValue)", columns: lines[0],
                        rows: Array(lines.dropFirst()))
                ]))
    }
}

struct ReportTablesDTO: Content {
    struct Table: Content {
        var caption: String
        var columns: [String]
        var rows: [[String]]
    }
    var report: String
    var from: String
    var to: String
    var programID: UUID?
    var tables: [Table]
}
