import Foundation
import Testing
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
        }
    }
}
