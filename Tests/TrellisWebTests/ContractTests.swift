import Foundation
import Testing
import TrellisCore
@testable import TrellisWeb
import VaporTesting

@Suite("Contracts")
struct ContractTests {
    /// The OpenAPI document and the router must describe the same operations.
    @Test func openAPIDocumentDescribesExactlyTheAPIRoutes() async throws {
        try await withTrellis { app, _ in
            let r = try await app.send(.GET, "/api/openapi.json", headers: [:], body: nil)
            #expect(r.status == .ok)
            let doc = try r.json()
            #expect(doc["openapi"] as? String == "3.1.0")
            let paths = try #require(doc["paths"] as? [String: [String: Any]])
            let methods = ["get", "post", "put", "patch", "delete"]
            let documented = Set(
                paths.flatMap { path, ops in ops.keys.filter(methods.contains).map { "\($0.uppercased()) \(path)" } })
            let routed = Set(
                app.routes.all.compactMap { route -> String? in
                    let path =
                        "/"
                        + route.path.map { c in
                            if case .parameter(let name) = c { return "{\(name)}" }
                            return c.description
                        }.joined(separator: "/")
                    guard path.hasPrefix("/api/v1/") || path == "/health" else { return nil }
                    return "\(route.method.rawValue) \(path)"
                })
            #expect(
                documented.subtracting(routed).isEmpty, "documented but not routed: \(documented.subtracting(routed))")
            #expect(
                routed.subtracting(documented).isEmpty, "routed but not documented: \(routed.subtracting(documented))")
        }
    }

    /// Every UI string exists in every language, and every key the code asks for exists.
    @Test func catalogsHaveTheSameKeysInEveryLanguage() throws {
        let catalogs = try Catalogs.load()
        let en = Set(catalogs.tables[.en]!.keys)
        let es = Set(catalogs.tables[.es]!.keys.filter { !$0.hasPrefix("msg.") })
        #expect(en.subtracting(es).isEmpty, "missing in Spanish: \(en.subtracting(es).sorted())")
        #expect(es.subtracting(en).isEmpty, "only in Spanish: \(es.subtracting(en).sorted())")
        for key in [
            "role.auditor", "stage.reassessment", "contact.home_visit", "dq.99", "sex.0", "race.White", "rel.2",
            "audit.client.view", "match.same date of birth", "programType.foster_care"
        ] {
            #expect(en.contains(key), "\(key)")
        }
    }

    @Test func pagesDoNotShowRawCatalogKeys() async throws {
        try await withTrellis { app, f in
            let c = try await f.client(app)
            let k = try await f.openCase(app, client: c)
            let n = try await f.note(app, case: k)
            for path in [
                "/caseload", "/clients?q=ruiz", "/clients/new", "/clients/\(c.id)", "/clients/\(c.id)/edit",
                "/cases/\(k.id)",
                "/cases/\(k.id)/notes/new", "/notes/\(n.id)", "/clients/\(c.id)/cases/new"
            ] {
                let page = try await app.web(.GET, path, as: f.caseManager, fixture: f)
                #expect(page.status == .ok, "\(path)")
                let leaked = ["client.", "case.", "note.", "caseload.", "nav.", "stage.", "role.", "flash."].filter {
                    key in
                    page.body.range(of: ">\(key)[a-zA-Z]", options: .regularExpression) != nil
                }
                #expect(leaked.isEmpty, "\(path) shows raw keys \(leaked)")
            }
            for path in ["/admin/users", "/admin/programs", "/team", "/clients/\(c.id)/history"] {
                let page = try await app.web(.GET, path, as: f.staff[.agencyAdmin], fixture: f)
                #expect(page.status == .ok, "\(path)")
                #expect(
                    page.body.range(of: ">(admin|team|history|audit)\\.[a-zA-Z]", options: .regularExpression) == nil,
                    "\(path)")
            }
            // The Content-Security-Policy allows no inline script: a page with an inline handler has a dead
            // button (the accounting of disclosures' Print did nothing until it was wired in session.js).
            let disclosures = try await app.web(.GET, "/clients/\(c.id)/disclosures", as: f.caseManager, fixture: f)
            #expect(disclosures.body.contains("data-print") && disclosures.body.contains(Paths.sessionScript))
            for path in ["/clients/\(c.id)/disclosures", "/cases/\(k.id)", "/clients/\(c.id)", "/reports"] {
                let page = try await app.web(.GET, path, as: f.staff[.agencyAdmin], fixture: f)
                #expect(page.body.range(of: " on[a-z]+=", options: .regularExpression) == nil, "\(path)")
            }
        }
    }
}

/// The built-in instruments and HUD's code lists speak both languages (issue 13, point 4): each text has an
/// English entry equal to the text in the code (so the two cannot drift) and a Spanish entry.
@Suite("Instrument and code-list catalogs")
struct CodeListCatalogTests {
    let catalogs: Catalogs
    init() throws { catalogs = try Catalogs.load() }

    /// Keys missing in either language, or whose English differs from the code's.
    func problems(_ expected: [(key: String, english: String)]) -> [String] {
        let en = catalogs.tables[.en]!
        let es = catalogs.tables[.es]!
        return expected.compactMap { key, english in
            if en[key] == nil { return "\(key): no English entry" }
            if en[key] != english {
                return "\(key): English entry \(en[key]!.debugDescription) ≠ code \(english.debugDescription)"
            }
            if (es[key] ?? "").isEmpty { return "\(key): no Spanish entry" }
            if es[key] == english && english.count > 12 { return "\(key): Spanish entry is the English text" }
            return nil
        }
    }

    @Test func everyBuiltInInstrumentTextHasBothLanguages() {
        var expected: [(key: String, english: String)] = []
        for def in BuiltInInstruments.all {
            let p = "instrument.\(def.code)."
            expected.append((p + "title", def.title))
            for item in def.items {
                expected.append((p + item.id, item.text))
                for o in item.options {
                    expected.append((p + "option.\(o.value)", o.label))
                    if let d = o.description { expected.append((p + "\(item.id).\(o.value)", d)) }
                }
            }
            for band in def.bands { expected.append(("band.\(String(describing: band.severity))", band.label)) }
        }
        #expect(problems(expected).isEmpty, "\(problems(expected))")
        // Every alert a built-in instrument raises has its reason in both languages.
        let reasons = BuiltInInstruments.all.flatMap { def in
            def.alerts.map { rule -> String in
                switch rule {
                case .itemAbove(_, _, let r), .itemAtMost(_, _, let r), .severityAtLeast(_, let r): return r
                }
            }
        }
        for r in reasons {
            let key = catalogs.keysOfEnglish[r]?.first(where: { $0.hasPrefix("alertReason.") })
            #expect(key != nil, "no alertReason entry for \(r.debugDescription)")
            if let key { #expect(!(catalogs.tables[.es]![key] ?? "").isEmpty, "\(key) has no Spanish") }
        }
        // The published Spanish wording is used for PHQ-9 (Pfizer, Spanish for USA).
        #expect(catalogs.tables[.es]!["instrument.phq9.option.0"] == "Ningún día")
        #expect(catalogs.tables[.es]!["instrument.phq9.item1"] == "Poco interés o placer en hacer cosas")
    }

    @Test func everyHUDCodeLabelHasBothLanguages() {
        var expected: [(key: String, english: String)] = HUDDestination.all.map { ("destination.\($0.code)", $0.label) }
        for type in HUDServiceTypes.all {
            expected.append(("recordType.\(type.recordType)", type.recordLabel))
            expected.append(("serviceType.\(type.recordType).\(type.typeProvided)", type.label))
        }
        #expect(problems(expected).isEmpty, "\(problems(expected))")
        let en = catalogs.tables[.en]!
        let es = catalogs.tables[.es]!
        var keys = DataQuality.allCases.map { "dq.\($0.rawValue)" } + HUDSex.allCases.map { "sex.\($0.rawValue)" }
        keys += NoYesMissing.allCases.map { "yesno.\($0.rawValue)" }
        keys += RaceEthnicity.allCases.map { "race.\($0.rawValue)" } + RaceNone.allCases.map { "dq.\($0.rawValue)" }
        keys += RelationshipToHoH.allCases.map { "rel.\($0.rawValue)" }
        keys += ProgramType.allCases.map { "programType.\($0.rawValue)" }
        for key in keys {
            #expect(en[key] != nil && !(es[key] ?? "").isEmpty, "\(key)")
        }
    }

    @Test func spanishPagesShowTheInstrumentInSpanish() async throws {
        try await withTrellis { app, f in
            let c = try await f.openCase(app, client: try await f.client(app))
            _ = try await app.web(
                .POST, "/me/language", as: f.caseManager, fixture: f, form: [("language", "es"), ("return", "/today")])
            let form = try await app.web(
                .GET, "/cases/\(c.id)/assessments/new?instrument=phq9", as: f.caseManager, fixture: f)
            #expect(form.status == .ok)
            #expect(form.body.contains("Poco interés o placer en hacer cosas") && form.body.contains("Ningún día"))
            #expect(!form.body.contains("Little interest") && !form.body.contains("Not at all"))
            let (a, alerts) = try await f.assessment(app, case: c, item9: 1, rest: 3)
            let page = try await app.web(.GET, "/assessments/\(a.id)", as: f.caseManager, fixture: f)
            #expect(page.body.contains("PHQ-9, ítem 9") && page.body.contains("Grave"))
            let alert = try await app.web(.GET, "/alerts/\(alerts[0].id)", as: f.caseManager, fixture: f)
            #expect(alert.body.contains("PHQ-9, ítem 9"))
            let close = try await app.web(.GET, "/cases/\(c.id)/close", as: f.caseManager, fixture: f)
            #expect(close.body.contains("Vivienda alquilada por el cliente"))
            // The API gives the caller's language too.
            let api = try await app.api(.GET, "/api/v1/assessments/\(a.id)", as: f.caseManager, fixture: f)
            #expect(try api.json()["band"] as? String == "Grave")
        }
    }
}
