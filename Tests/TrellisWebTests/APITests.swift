import Foundation
import Testing
import TrellisCore
import TrellisData
@testable import TrellisWeb
import VaporTesting

let validClientJSON = """
    {"firstName":"Rosa","lastName":"Alvarado","nameDataQuality":1,"birthDate":"1985-03-12","dobDataQuality":1,
     "ssn":"123-45-6789","ssnDataQuality":1,"sex":0,"races":["HispanicLatinao"],"veteranStatus":0}
    """

@Suite("JSON API")
struct APITests {
    @Test func healthReportsTheDatabaseKind() async throws {
        try await withTrellis { app, _ in
            let r = try await app.send(.GET, "/health", headers: [:], body: nil)
            #expect(r.status == .ok)
            let kind = ProcessInfo.processInfo.environment["DATABASE_URL"] == nil ? "sqlite" : "postgresql"
            #expect(try r.json()["database"] as? String == kind)
        }
    }

    @Test func withoutATokenTheAPIAnswers401ProblemJSON() async throws {
        try await withTrellis { app, f in
            let r = try await app.api(.GET, "/api/v1/clients?q=ana", as: nil, fixture: f)
            #expect(r.status == .unauthorized)
            #expect(r.headers.first(name: .contentType) == "application/problem+json")
            #expect(try r.json()["status"] as? Int == 401)
        }
    }

    @Test func registeringAndReadingAClientIsAuditedAndTheSSNNeverLeavesMasked() async throws {
        try await withTrellis { app, f in
            let created = try await app.api(
                .POST, "/api/v1/clients", as: f.caseManager, fixture: f, json: validClientJSON)
            #expect(created.status == .created)
            let body = try created.json()
            let id = try #require(body["id"] as? String)
            #expect(body["ssnMasked"] as? String == "XXX-XX-6789")
            #expect(!created.body.contains("123456789"))
            #expect(created.headers.first(name: .eTag) == "\"1\"")

            let read = try await app.api(.GET, "/api/v1/clients/\(id)", as: f.staff[.supervisor], fixture: f)
            #expect(read.status == .ok)
            let entries = try await SQLStore(database: app.db).auditEntries(
                clientID: UUID(uuidString: id)!, limit: 10, offset: 0)
            #expect(Set(entries.map(\.action)) == ["client.create", "client.view"])
            #expect(entries.first { $0.action == "client.view" }?.actorID == f.staff[.supervisor]!.id)
        }
    }

    @Test func aLikelyDuplicateIsShownBeforeSavingAndCanBeSetAside() async throws {
        try await withTrellis { app, f in
            _ = try await f.client(app, first: "Rosa", last: "Alvarado", dob: "1985-03-12")
            let near = validClientJSON.replacingOccurrences(
                of: "\"Alvarado\",\"nameDataQuality\"", with: "\"Alvarada\",\"nameDataQuality\""
            )
            .replacingOccurrences(of: "1985-03-12", with: "1985-03-13")
            let before = try await app.count("clients")
            let r = try await app.api(.POST, "/api/v1/clients", as: f.caseManager, fixture: f, json: near)
            #expect(r.status == .conflict)
            let dupes = try #require(try r.json()["duplicates"] as? [[String: Any]])
            #expect(dupes.count == 1)
            #expect((dupes[0]["reasons"] as? [String])?.contains("date of birth within two days") == true)
            #expect(try await app.count("clients") == before)

            let ack = near.replacingOccurrences(
                of: "{\"firstName\"", with: "{\"acknowledgeDuplicates\":true,\"firstName\"")
            let again = try await app.api(.POST, "/api/v1/clients", as: f.caseManager, fixture: f, json: ack)
            #expect(again.status == .created)
        }
    }

    @Test func anotherAgencysDuplicateIsNeverShown() async throws {
        try await withTrellis { app, f in
            _ = try await f.client(app, by: f.otherAgencyStaff, first: "Rosa", last: "Alvarado", dob: "1985-03-12")
            let r = try await app.api(.POST, "/api/v1/clients", as: f.caseManager, fixture: f, json: validClientJSON)
            #expect(r.status == .created)
        }
    }

    @Test func updatesNeedTheCurrentVersionAndNeverOverwriteSilently() async throws {
        try await withTrellis { app, f in
            let c = try await f.client(app)
            let path = "/api/v1/clients/\(c.id)"
            let missing = try await app.api(
                .PATCH, path, as: f.caseManager, fixture: f, json: #"{"pronouns":"she/her"}"#)
            #expect(missing.status == .preconditionRequired)

            let ok = try await app.api(
                .PATCH, path, as: f.caseManager, fixture: f, json: #"{"pronouns":"she/her"}"#,
                headers: ["If-Match": "\"1\""])
            #expect(ok.status == .ok)
            #expect(try ok.json()["version"] as? Int == 2)
            #expect(ok.headers.first(name: .eTag) == "\"2\"")

            let staleHeader = try await app.api(
                .PATCH, path, as: f.staff[.supervisor], fixture: f, json: #"{"pronouns":"they/them"}"#,
                headers: ["If-Match": "\"1\""])
            #expect(staleHeader.status == .preconditionFailed)
            let staleBody = try await app.api(
                .PATCH, path, as: f.staff[.supervisor], fixture: f, json: #"{"pronouns":"they/them","version":1}"#)
            #expect(staleBody.status == .conflict)
            #expect(try await SQLStore(database: app.db).client(id: c.id)?.pronouns == "she/her")

            let update = try await SQLStore(database: app.db).auditEntries(clientID: c.id, limit: 20, offset: 0).first {
                $0.action == "client.update"
            }
            #expect(update?.changedFields == ["pronouns"])
        }
    }

    @Test func casesAndNotesFlowThroughTheAPI() async throws {
        try await withTrellis { app, f in
            let c = try await f.client(app)
            let opened = try await app.api(
                .POST, "/api/v1/clients/\(c.id)/cases", as: f.caseManager, fixture: f,
                json: #"{"programID":"\#(f.programA.id)","openedOn":"2026-05-01","priority":"high"}"#)
            #expect(opened.status == .created)
            let caseID = try #require(try opened.json()["id"] as? String)
            let note = try await app.api(
                .POST, "/api/v1/cases/\(caseID)/notes", as: f.caseManager, fixture: f,
                json: """
                    {"contactType":"home_visit","contactDate":"2026-06-10","durationMinutes":45,"participants":["Client","Sister"],
                     "format":"soap","sections":{"subjective":"Feels settled.","objective":"Apartment \
                    tidy.","assessment":"Stable.","plan":"Visit in 30 days."}}
                    """)
            #expect(note.status == .created)
            let noteID = try #require(try note.json()["id"] as? String)
            #expect(try note.json()["status"] as? String == "draft")

            let unversioned = try await app.api(.POST, "/api/v1/notes/\(noteID)/sign", as: f.caseManager, fixture: f)
            #expect(unversioned.status == .preconditionRequired, "the signer must say which version they read")
            let signed = try await app.api(
                .POST, "/api/v1/notes/\(noteID)/sign", as: f.caseManager, fixture: f, headers: ["If-Match": "\"1\""])
            #expect(signed.status == .ok)
            #expect(try signed.json()["status"] as? String == "signed")
            let twice = try await app.api(
                .POST, "/api/v1/notes/\(noteID)/sign", as: f.caseManager, fixture: f, headers: ["If-Match": "\"2\""])
            #expect(twice.status == .conflict)

            let list = try await app.api(.GET, "/api/v1/cases/\(caseID)/notes", as: f.caseManager, fixture: f)
            #expect((try list.json()["items"] as? [[String: Any]])?.count == 1)
            let kase = try await app.api(.GET, "/api/v1/cases/\(caseID)", as: f.caseManager, fixture: f)
            #expect(try kase.json()["lastContactOn"] as? String == "2026-06-10")

            let load = try await app.api(.GET, "/api/v1/caseload", as: f.caseManager, fixture: f)
            let items = try #require(try load.json()["items"] as? [[String: Any]])
            #expect(items.count == 1)
            #expect(items[0]["contactOverdue"] as? Bool == false)
            #expect(items[0]["daysSinceContact"] as? Int == 5)
        }
    }

    @Test func searchFindsPartOfANameWhateverTheAccentsDatesOfBirthAndIds() async throws {
        try await withTrellis { app, f in
            let jose = try await f.client(app, first: "José", last: "Núñez-García", dob: "1979-11-02")
            _ = try await f.client(app, first: "Li", last: "Wu", dob: "1990-01-01")
            _ = try await f.client(app, by: f.otherAgencyStaff, first: "Jose", last: "Garcia", dob: "1979-11-02")
            func names(_ q: String) async throws -> [String] {
                let r = try await app.api(
                    .GET, "/api/v1/clients?q=\(q.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)",
                    as: f.caseManager, fixture: f)
                #expect(r.status == .ok)
                return (try r.json()["items"] as? [[String: Any]] ?? []).compactMap { $0["displayName"] as? String }
            }
            #expect(try await names("garc") == ["José Núñez-García"])
            #expect(try await names("NUNEZ jos") == ["José Núñez-García"])
            #expect(try await names("arcí") == ["José Núñez-García"])
            #expect(try await names("wu") == ["Li Wu"])
            #expect(try await names("1979-11-02") == ["José Núñez-García"])
            #expect(try await names(jose.id.uuidString) == ["José Núñez-García"])
            #expect(try await names("zzzz").isEmpty)
        }
    }

    @Test func oneWordListsSurnamesThenFirstNamesBeginningWithItThenTheRestAndPagesAcrossTheGroups() async throws {
        try await withTrellis { app, f in
            for (first, last) in [
                ("Carl", "Goldsmith"), ("Bo", "Smithers"), ("Smitty", "Abbot"), ("Smita", "Jones"), ("Ana", "Smith"),
                ("Dee", "Smit"), ("Eve", "Smith")
            ] {
                _ = try await f.client(app, first: first, last: last)
            }
            _ = try await f.client(app, by: f.otherAgencyStaff, first: "Al", last: "Smith")
            func names(_ query: String) async throws -> [String] {
                let r = try await app.api(.GET, "/api/v1/clients?\(query)", as: f.caseManager, fixture: f)
                #expect(r.status == .ok)
                return (try r.json()["items"] as? [[String: Any]] ?? []).compactMap { $0["displayName"] as? String }
            }
            // Surnames beginning with the word, then first names beginning with it, then the rest.
            let all = [
                "Dee Smit", "Ana Smith", "Eve Smith", "Bo Smithers", "Smita Jones", "Smitty Abbot", "Carl Goldsmith"
            ]
            #expect(try await names("q=smit") == all)
            for size in [1, 2, 3] {
                var paged: [String] = []
                for offset in stride(from: 0, to: 9, by: size) {
                    paged += try await names("q=SMIT&limit=\(size)&offset=\(offset)")
                }
                #expect(paged == all, "pages of \(size)")
            }
            #expect(try await names("q=smit&limit=3&offset=5") == ["Smitty Abbot", "Carl Goldsmith"])
            #expect(try await names("q=smit&limit=3&offset=6") == ["Carl Goldsmith"])
            #expect(try await names("q=smith") == ["Ana Smith", "Eve Smith", "Bo Smithers", "Carl Goldsmith"])
            #expect(try await names("q=eve") == ["Eve Smith"])
        }
    }
}

@Suite("Bad input gets a clear 4xx and writes nothing")
struct BadInputTests {
    func expectRejected(_ app: Application, _ f: Fixture, _ json: String, status: HTTPStatus, field: String? = nil)
        async throws
    {
        let before = try await app.count("clients")
        let r = try await app.api(.POST, "/api/v1/clients", as: f.caseManager, fixture: f, json: json)
        #expect(r.status == status, "\(json) → \(r.status): \(r.body)")
        #expect(r.headers.first(name: .contentType) == "application/problem+json")
        if let field {
            let errors = try r.json()["errors"] as? [[String: Any]] ?? []
            #expect(errors.contains { $0["field"] as? String == field }, "\(r.body)")
        }
        #expect(try await app.count("clients") == before)
    }

    @Test func impossibleFutureAndMissingValuesAreFieldErrors() async throws {
        try await withTrellis { app, f in
            try await expectRejected(
                app, f, validClientJSON.replacingOccurrences(of: "1985-03-12", with: "2027-01-01"),
                status: .unprocessableEntity, field: "birthDate")
            try await expectRejected(
                app, f, validClientJSON.replacingOccurrences(of: "1985-03-12", with: "1985-02-30"),
                status: .unprocessableEntity, field: "birthDate")
            try await expectRejected(
                app, f, validClientJSON.replacingOccurrences(of: "\"Rosa\"", with: "\"\""),
                status: .unprocessableEntity, field: "firstName")
            try await expectRejected(
                app, f, validClientJSON.replacingOccurrences(of: "\"sex\":0", with: "\"sex\":7"),
                status: .unprocessableEntity, field: "sex")
            try await expectRejected(
                app, f,
                validClientJSON.replacingOccurrences(of: "\"Rosa\"", with: "\"\(String(repeating: "a", count: 101))\""),
                status: .unprocessableEntity, field: "firstName")
            try await expectRejected(
                app, f, validClientJSON.replacingOccurrences(of: "123-45-6789", with: "12-34"),
                status: .unprocessableEntity, field: "ssn")
        }
    }

    @Test func malformedJSONAndWrongTypesAre400() async throws {
        try await withTrellis { app, f in
            try await expectRejected(app, f, "{\"firstName\": ", status: .badRequest)
            try await expectRejected(
                app, f, validClientJSON.replacingOccurrences(of: "\"sex\":0", with: "\"sex\":\"female\""),
                status: .badRequest)
            try await expectRejected(app, f, "[1,2,3]", status: .badRequest)
        }
    }

    @Test func unknownOrMalformedIdsAre404() async throws {
        try await withTrellis { app, f in
            for path in [
                "/api/v1/clients/\(UUID())", "/api/v1/clients/not-a-uuid", "/api/v1/cases/\(UUID())",
                "/api/v1/notes/\(UUID())"
            ] {
                let r = try await app.api(.GET, path, as: f.caseManager, fixture: f)
                #expect(r.status == .notFound, "\(path)")
            }
            let r = try await app.api(
                .POST, "/api/v1/clients/\(UUID())/cases", as: f.caseManager, fixture: f,
                json: #"{"programID":"\#(f.programA.id)"}"#)
            #expect(r.status == .notFound)
        }
    }

    @Test func noteProblemsAreCaughtBeforeAnythingIsWritten() async throws {
        try await withTrellis { app, f in
            let c = try await f.openCase(app, client: try await f.client(app))
            let path = "/api/v1/cases/\(c.id)/notes"
            let bad = [
                (
                    #"{"contactType":"phone","contactDate":"2026-04-01","format":"narrative","sections":{"narrative":"x"}}"#,
                    "contactDate"
                ),
                (
                    #"{"contactType":"phone","contactDate":"2026-06-16","format":"narrative","sections":{"narrative":"x"}}"#,
                    "contactDate"
                ),
                (
                    #"{"contactType":"smoke","contactDate":"2026-06-01","format":"narrative","sections":{"narrative":"x"}}"#,
                    "contactType"
                ),
                (
                    #"{"contactType":"phone","contactDate":"2026-06-01","format":"dap","sections":{"narrative":"x"}}"#,
                    "sections.narrative"
                ),
                (
                    #"{"contactType":"phone","contactDate":"2026-06-01","durationMinutes":-5,"format":"narrative","sections":{"narrative":"x"}}"#,
                    "durationMinutes"
                ),
                (
                    #"{"contactType":"phone","contactDate":"2026-06-01","format":"narrative","sections":{"narrative":"   "}}"#,
                    "sections.narrative"
                )
            ]
            for (json, field) in bad {
                let r = try await app.api(.POST, path, as: f.caseManager, fixture: f, json: json)
                #expect(r.status == .unprocessableEntity, "\(json)")
                #expect(
                    (try r.json()["errors"] as? [[String: Any]] ?? []).contains { $0["field"] as? String == field },
                    "\(r.body)")
            }
            #expect(try await app.count("case_notes") == 0)
            let typed = try await app.api(
                .POST, path, as: f.caseManager, fixture: f, json: #"{"contactType":"phone","durationMinutes":"ten"}"#)
            #expect(typed.status == .badRequest)
        }
    }

    struct RequestTimedOut: Error {}

    @Test func anOversizedBodyIsRefusedNotCrashed() async throws {
        try await withTrellis { app, f in
            // Body limits apply on a real socket, so this one goes through a listening server.
            let huge = "{\"firstName\":\"" + String(repeating: "a", count: 1_100_000) + "\"}"
            var headers = HTTPHeaders()
            headers.bearerAuthorization = BearerAuthorization(token: f.tokens[f.caseManager.id]!)
            headers.contentType = .json
            let port = Int.random(in: 20_000...40_000)
            nonisolated(unsafe) let server = app
            let sent = headers
            // The request must be answered within a minute. The minute starts here, not before the test got its
            // database: on PostgreSQL a test first waits for one of the suite's database slots.
            let r = try await withThrowingTaskGroup(of: TestingHTTPResponse.self) { group in
                group.addTask {
                    try await server.testing(method: .running(hostname: "127.0.0.1", port: port))
                        .sendRequest(.POST, "/api/v1/clients", headers: sent, body: ByteBuffer(string: huge))
                }
                group.addTask {
                    try await Task.sleep(for: .seconds(60))
                    throw RequestTimedOut()
                }
                let first = try await group.next()!
                group.cancelAll()
                return first
            }
            #expect(r.status == .payloadTooLarge)
            #expect(r.headers.first(name: .contentType) == "application/problem+json")
            #expect(try await app.count("clients") == 0)
        }
    }
}
