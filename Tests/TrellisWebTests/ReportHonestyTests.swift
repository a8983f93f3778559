import Foundation
import Testing
@testable import TrellisCore
import TrellisData
@testable import TrellisWeb
import VaporTesting

/// Every figure in a report is a count with its own denominator, and every column says what it counts
/// (issue 13, point 6).
@Suite("Reports say what they count")
struct ReportHonestyTests {
    @Test func eachProgramsCellIsItsErrorsOfItsOwnBaseAndLinksToExactlyThoseRecords() async throws {
        try await withTrellis { app, f in
            // SSN: one not collected (missing), one the client doesn't know (unknown), one given.
            for (last, ssn, quality) in [("Alba", nil as String?, 99), ("Bravo", nil, 8), ("Cruz", "078051120", 1)] {
                _ = try await f.openCase(
                    app,
                    client: try await f.client(
                        app, first: "Rosa", last: last, dob: "1984-03-02", ssn: ssn, ssnQuality: quality))
            }
            let admin = f.staff[.agencyAdmin]!
            let page = try await app.web(.GET, "/reports/data-quality?grouping=program", as: admin, fixture: f)
            #expect(page.status == .ok)
            // Two SSN errors of three enrollments: the count and the rate from the same buckets.
            #expect(
                page.body.range(of: #">2</a> of 3 · 66\.7(\u00A0|&nbsp;|&#160;)%"#, options: .regularExpression) != nil,
                "the per-program SSN cell reads errors of enrollments")
            #expect(page.body.contains(">Exits<"))
            // The count's link lists exactly those two records (every issue of the element).
            let href = try #require(
                page.body.range(
                    of: #"/reports/data-quality/records\?[^"]*element=ssn[^"]*program=[0-9a-f-]+"#,
                    options: .regularExpression))
            let link = String(page.body[href]).replacingOccurrences(of: "&amp;", with: "&")
            #expect(!link.contains("issue="))
            let records = try await app.web(.GET, link, as: admin, fixture: f)
            #expect(records.status == .ok)
            #expect(records.body.contains("Alba") && records.body.contains("Bravo") && !records.body.contains("Cruz"))
            #expect(records.body.contains("Social Security number: all issues"))
            // The summary names what the rate is out of.
            #expect(page.body.contains(">Out of<"))
        }
    }

    @Test func theGoalsTableNamesWhatEachColumnCounts() async throws {
        try await withTrellis { app, f in
            let c = try await f.openCase(app, client: try await f.client(app))
            _ = try await f.plan(app, case: c)
            let page = try await app.web(.GET, "/reports/outcomes/goals", as: f.staff[.agencyAdmin]!, fixture: f)
            #expect(page.status == .ok)
            #expect(page.body.contains("Goals in the plan in force"))
            #expect(page.body.contains("Cases with plan goals"))
            #expect(page.body.contains("Share of goals achieved"))
            // "Goals achieved" is the report's name, never a column beside "Achieved".
            #expect(page.body.range(of: #"<th[^>]*>Goals achieved</th>"#, options: .regularExpression) == nil)
            let part = try await app.web(
                .GET, "/reports/outcomes/participation", as: f.staff[.agencyAdmin]!, fixture: f)
            #expect(part.body.contains("Closed cases") && part.body.contains("Share of closed cases"))
        }
    }

    @Test func theIntakeFormLeavesTheSSNsDataQualityToTheWorker() async throws {
        try await withTrellis { app, f in
            let form = try await app.web(.GET, "/clients/new", as: f.caseManager, fixture: f)
            let select = try #require(
                form.body.range(
                    of: #"<select[^>]*name="ssnDataQuality"[^>]*>.*?</select>"#, options: .regularExpression))
            let options = String(form.body[select])
            #expect(options.contains("<option value>—</option>"))
            #expect(!options.contains("selected"))
            let before = try await app.count("clients")
            let r = try await app.web(
                .POST, "/clients", as: f.caseManager, fixture: f,
                form: [
                    ("firstName", "Ines"), ("lastName", "Duarte"), ("nameDataQuality", "1"),
                    ("birthDate", "2030-01-01"),
                    ("dobDataQuality", "1"), ("ssnDataQuality", ""), ("sex", "0"), ("races[]", "White"),
                    ("veteranStatus", "0")
                ])
            #expect(r.status == .unprocessableEntity)
            #expect(r.body.contains("id=\"f-ssnDataQuality-error\""))
            // Every other problem is reported with it, and nothing is saved.
            #expect(r.body.contains("id=\"f-birthDate-error\">cannot be in the future"))
            #expect(try await app.count("clients") == before)
        }
    }

    @Test func everyOutcomeTableNamesWhatItsColumnsCount() async throws {
        try await withTrellis { app, f in
            _ = try await f.openCase(app, client: try await f.client(app))
            let admin = f.staff[.agencyAdmin]!
            let expected: [(String, [String])] = [
                ("compliance", ["Share with contact up to date", "Share with reassessment up to date"]),
                ("caseloads", ["Case managers with open cases", "Average open cases per case manager"]),
                ("participation", ["Days from opening to closing"])
            ]
            for (report, columns) in expected {
                let page = try await app.web(.GET, "/reports/outcomes/\(report)", as: admin, fixture: f)
                #expect(page.status == .ok)
                for c in columns { #expect(page.body.contains(">\(c)<"), "\(report): \(c)") }
            }
        }
    }

    @Test func theReferralAndServiceReportsNameWhatEachColumnCounts() async throws {
        try await withTrellis { app, f in
            let store = SQLStore(database: app.db)
            let c = try await f.openCase(app, client: try await f.client(app))
            _ = try await ReferralService(store: store, deps: testDeps).create(
                caseID: c.id,
                ReferralInput(
                    providerName: "Eastside Food Pantry", reason: "Food", consentOn: "2026-06-15", send: true),
                by: f.actor(.caseManager))
            _ = try await app.web(
                .POST, "/cases/\(c.id)/services", as: f.caseManager, fixture: f,
                form: [("typeCode", "141:6"), ("providedOn", "2026-06-10"), ("units", "1")])
            let admin = f.staff[.agencyAdmin]!
            let referrals = try await app.web(.GET, "/reports/referrals", as: admin, fixture: f)
            for c in [
                "Referrals sent", "Accepted at some point", "Connected with the provider",
                "Median days from sending to connection (connected referrals)"
            ] {
                #expect(referrals.body.contains(">\(c)<"), "referrals: \(c)")
            }
            let services = try await app.web(.GET, "/reports/services", as: admin, fixture: f)
            for c in ["Services recorded", "Clients served (each once)"] {
                #expect(services.body.contains(">\(c)<"), "services: \(c)")
            }
        }
    }
}
