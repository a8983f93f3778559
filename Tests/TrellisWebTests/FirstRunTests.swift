import Foundation
import Testing
@testable import TrellisCore
@testable import TrellisData
@testable import TrellisWeb
import VaporTesting

/// What a new agency meets on the first run (issue 13, point 11).
@Suite("First run")
struct FirstRunTests {
    @Test func commandsFindTheDemoDatabaseAndNeverMakeAnEmptyOneSilently() throws {
        let demoDB = DataDirectory.databaseFile(in: DataDirectory.demo)
        let standardDB = DataDirectory.databaseFile(in: DataDirectory.standard)
        func choose(_ need: DataDirectory.Need, existing: Set<String>, explicit: String? = nil, env: String? = nil)
            throws -> DataDirectory.Choice
        {
            try DataDirectory.choose(
                explicit: explicit, environment: env, demo: false, postgres: false, need: need,
                exists: { existing.contains($0) })
        }
        // Only the demo's database here: a token is made in it, and the command says so.
        let onlyDemo = try choose(.existing, existing: [demoDB])
        #expect(onlyDemo.path == DataDirectory.demo)
        #expect(onlyDemo.notes == ["Using the demo database in ./trellis-demo-data (there is none in ./trellis-data)."])
        // Both exist: the standard one wins, quietly.
        #expect(try choose(.existing, existing: [demoDB, standardDB]) == .init(path: DataDirectory.standard, notes: []))
        // Nothing here: a command that needs users refuses and names the directory; one that may create says so.
        #expect(throws: DataDirectory.Missing(path: DataDirectory.standard)) { try choose(.existing, existing: []) }
        #expect(
            try choose(.mayCreate, existing: [])
                == .init(path: DataDirectory.standard, notes: ["Creating a new, empty database in ./trellis-data."]))
        // A directory named on the command line or in the environment is used as given.
        #expect(throws: DataDirectory.Missing(path: "/srv/x")) {
            try choose(.existing, existing: [demoDB], explicit: "/srv/x")
        }
        #expect(try choose(.mayCreate, existing: ["/env/trellis.sqlite"], env: "/env").path == "/env")
        // PostgreSQL uses no directory: nothing to find or create.
        #expect(
            try DataDirectory.choose(
                explicit: nil, environment: nil, demo: false, postgres: true, need: .existing, exists: { _ in false }
            ).notes.isEmpty)
        #expect(DataDirectory.Missing(path: "./trellis-data").description.contains("--data-dir"))
    }

    @Test func theSignInPageSaysWhatTrellisIsAndHowToSignInToTheDemo() async throws {
        try await withTrellis { app, _ in
            let page = try await app.send(.GET, "/signin", headers: [:], body: nil)
            #expect(page.status == .ok)
            #expect(page.body.contains("Trellis is case management for social-service agencies"))
            #expect(!page.body.contains("This is a demo"))
        }
        try await withTrellis(adjust: { $0.demo = true }) { app, _ in
            let page = try await app.send(.GET, "/signin", headers: [:], body: nil)
            #expect(page.body.contains("This is a demo"))
            #expect(page.body.contains(DemoSeeder.demoPassword))
            for user in ["casemanager1", "supervisor1", "programmanager", "admin", "auditor"] {
                #expect(page.body.contains("<code>\(user)</code>"))
            }
            let es = try await app.send(.GET, "/signin", headers: ["Accept-Language": "es"], body: nil)
            #expect(es.body.contains("Esto es una demostración"))
            #expect(es.body.contains("Trellis es gestión de casos"))
        }
    }

    @Test func theDemoDirectoryHasServicesForEveryNeed() async throws {
        try await withTrellis { app, _ in
            try await app.sql.raw("DELETE FROM sessions").run()
            let store = SQLStore(database: app.db)
            let s = try await DemoSeeder(store: store, deps: testDeps, hasher: app.trellis.hasher).seed(
                clients: 20, seed: 3)
            #expect(s.resources == DemoSeeder.directory.count * 2)
            guard let admin = try await store.staff(username: "admin") else {
                Issue.record("no demo admin")
                return
            }
            let directory = ResourceDirectory(store: store, deps: testDeps)
            for need in BPSDomain.allCases.map(\.rawValue) {
                let found = try await directory.search(ResourceQuery(need: need), by: ActingUser(admin))
                #expect(!found.isEmpty, "no service for \(need)")
            }
            // One organization per provider, however many services it offers.
            let orgs = try await directory.organizations(by: ActingUser(admin))
            #expect(orgs.count == Set(DemoSeeder.directory.map(\.0)).count)
        }
    }
}
