import Foundation
import Testing
import TrellisCore
@testable import TrellisWeb
import VaporTesting

/// The API answers as its document says (issue 13, point 13).
@Suite("API contract")
struct APIContractTests {
    @Test func badQueryValuesAreRefusedWithProblemJSON() async throws {
        try await withTrellis { app, f in
            for (who, path, field) in [
                (f.caseManager, "/api/v1/caseload?sort=AAA", "sort"),
                (f.caseManager, "/api/v1/clients?q=ana&offset=-1", "offset"),
                (f.caseManager, "/api/v1/clients?q=ana&limit=0", "limit"),
                (f.caseManager, "/api/v1/clients?q=ana&limit=abc", "limit"),
                (f.caseManager, "/api/v1/instruments/phq9?version=abc", "version"),
                (f.staff[.supervisor]!, "/api/v1/reports/referrals?to=", "to"),
                (f.staff[.supervisor]!, "/api/v1/reports/services?period=weekly", "period"),
                (f.staff[.supervisor]!, "/api/v1/reports/referrals?format=xml", "format"),
                (f.caseManager, "/api/v1/directory/services?need=AAA", "need"),
                (f.caseManager, "/api/v1/tasks?status=", "status")
            ] {
                let r = try await app.api(.GET, path, as: who, fixture: f)
                #expect(r.status == .unprocessableEntity, "\(path): \(r.status)")
                #expect(r.headers.contentType?.description.hasPrefix("application/problem+json") == true, "\(path)")
                let errors = try r.json()["errors"] as? [[String: Any]]
                #expect(errors?.contains { $0["field"] as? String == field } == true, "\(path): \(r.body)")
            }
            // Good values still work.
            #expect(
                try await app.api(.GET, "/api/v1/caseload?sort=priority", as: f.caseManager, fixture: f).status == .ok)
            #expect(
                try await app.api(.GET, "/api/v1/clients?q=ana&limit=5&offset=0", as: f.caseManager, fixture: f).status
                    == .ok)
        }
    }

    @Test func aMethodAPathDoesNotServeAnswers405WithTheMethodsItDoes() async throws {
        try await withTrellis { app, f in
            let r = try await app.api(.TRACE, "/api/v1/tasks", as: f.caseManager, fixture: f)
            #expect(r.status == .methodNotAllowed)
            #expect(r.headers.first(name: .allow) == "GET, POST")
            let param = try await app.api(.DELETE, "/api/v1/tasks/\(UUID())", as: f.caseManager, fixture: f)
            #expect(param.status == .methodNotAllowed && param.headers.first(name: .allow) == "GET, PATCH")
            #expect(try await app.api(.GET, "/api/v1/nothing-here", as: f.caseManager, fixture: f).status == .notFound)
        }
    }

    @Test func theDocumentListsEveryAnswerAndItsExampleClientRegisters() async throws {
        try await withTrellis { app, f in
            let doc = try await app.send(.GET, "/api/openapi.json", headers: [:], body: nil).json()
            let paths = try #require(doc["paths"] as? [String: [String: Any]])
            for (path, ops) in paths {
                for (method, value) in ops {
                    guard let op = value as? [String: Any], let responses = op["responses"] as? [String: Any] else {
                        continue
                    }
                    if op["requestBody"] != nil { #expect(responses["415"] != nil, "\(method) \(path) lacks 415") }
                    let query = ((op["parameters"] as? [[String: Any]]) ?? []).filter { $0["in"] as? String == "query" }
                    if !query.isEmpty { #expect(responses["422"] != nil, "\(method) \(path) lacks 422") }
                }
            }
            // No body at all gets an answer the document lists for the operation, as problem JSON.
            for (path, method) in [("/api/v1/tasks", "post"), ("/api/v1/clients", "post")] {
                let empty = try await app.send(
                    .POST, path, headers: ["Authorization": "Bearer \(f.tokens[f.caseManager.id]!)"], body: nil)
                let documented = ((paths[path]?[method] as? [String: Any])?["responses"] as? [String: Any]) ?? [:]
                #expect(documented[String(empty.status.code)] != nil, "\(path): \(empty.status) is not documented")
                #expect(empty.headers.contentType?.description.hasPrefix("application/problem+json") == true)
            }
            // A client built from the document's example is registered.
            let schemas = try #require((doc["components"] as? [String: Any])?["schemas"] as? [String: Any])
            let create = try #require(schemas["ClientCreate"] as? [String: Any])
            #expect((create["required"] as? [String])?.contains("nameDataQuality") == true)
            let example = try #require(create["example"])
            let body = String(decoding: try JSONSerialization.data(withJSONObject: example), as: UTF8.self)
            let made = try await app.api(.POST, "/api/v1/clients", as: f.caseManager, fixture: f, json: body)
            #expect(made.status == .created, "\(made.body)")
        }
    }
}
