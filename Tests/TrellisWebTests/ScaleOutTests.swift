import Foundation
import SQLKit
import Testing
import TrellisCore
import TrellisData
@testable import TrellisWeb
import VaporTesting

let postgresURL = ProcessInfo.processInfo.environment["DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }

@Suite("Scale-out on PostgreSQL")
struct ScaleOutTests {
    /// Several app instances started at once on an empty database: one migrates, the others wait on the
    /// advisory lock and find nothing to do; all of them serve, and sessions are shared.
    @Test(.enabled(if: postgresURL != nil, "needs DATABASE_URL"), .timeLimit(.minutes(2)))
    func instancesStartingTogetherMigrateOnceAndShareSessions() async throws {
        var config = TrellisConfig()
        config.databaseURL = postgresURL
        config.postgresSchema =
            "t_scale_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12)
        config.postgresPoolSize = 2
        config.bcryptCost = 4
        let shared = config
        // Each instance reports its own outcome, so every app that was made is shut down whatever happens.
        let started = await withTaskGroup(of: (Application?, (any Error)?).self) { group in
            for _ in 0..<3 {
                group.addTask {
                    guard let app = try? await Application.make(.testing) else { return (nil, nil) }
                    app.logger.logLevel = .warning
                    do {
                        try await TrellisApp.configure(app, config: shared, deps: testDeps)
                        return (app, nil)
                    } catch {
                        return (app, error)
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let apps = started.compactMap(\.0)
        do {
            for (_, error) in started { if let error { throw error } }
            #expect(apps.count == 3)
            let migrations = try await apps[0].sql.raw("SELECT COUNT(*) AS n FROM _fluent_migrations").first()!.decode(
                column: "n", as: Int.self)
            #expect(migrations == TrellisMigrations.all.count)

            // A session created through one instance is honoured by another.
            let store = SQLStore(database: apps[1].db)
            let agency = Agency(id: UUID(), name: "Shared", createdAt: testNow)
            try await store.insertAgency(agency)
            let staff = StaffMember(
                id: UUID(), agencyID: agency.id, teamID: nil, username: "shared", displayName: "Shared",
                role: .caseManager, language: .en, passwordHash: try await apps[1].trellis.hasher.hash("x"),
                createdAt: testNow)
            try await store.insertStaff(staff)
            try await store.insertSession(
                StaffSession(
                    tokenHash: Tokens.hash("shared-cookie"), staffID: staff.id, csrfToken: "c",
                    createdAt: testNow, expiresAt: testNow.addingTimeInterval(600)))
            let page = try await apps[2].send(
                .GET, "/caseload", headers: ["Cookie": "\(SessionCookie.name)=shared-cookie"], body: nil)
            #expect(page.status == .ok)
        } catch {
            Issue.record(error)
        }
        try? await apps[0].sql.raw("DROP SCHEMA \(ident: String(config.postgresSchema!)) CASCADE").run()
        for app in apps { try await app.asyncShutdown() }
    }
}
