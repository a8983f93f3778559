import Foundation
import NIOPosix
import SQLKit
import Testing
import TrellisCore
@testable import TrellisData
@testable import TrellisWeb
import VaporTesting

/// A full disk, a locked database or an unusable directory is said with the path and what to do: 503 with a
/// retry hint to users, never a bare 500; servers starting together on a fresh directory take turns (issue 15,
/// point 10).
@Suite("Operator-friendly failures")
struct OperatorFailureTests {
    static let register = """
        {"firstName":"Full","lastName":"Disk","nameDataQuality":1,"dobDataQuality":99,"ssnDataQuality":99,
        "sex":0,"races":["White"],"veteranStatus":0}
        """

    /// Runs `pragma` on every connection the app holds (one per event loop).
    static func onEveryConnection(_ app: Application, _ pragma: String) async throws {
        for loop in app.eventLoopGroup.makeIterator() {
            let db = app.databases.database(logger: app.logger, on: loop) as! any SQLDatabase
            try await db.raw(SQLQueryString(pragma)).run()
        }
    }

    @Test func aFullDiskAnswers503WithARetryHintAndSavesNothing() async throws {
        try await withTrellis { app, f in
            guard app.sql.dialect.name == "sqlite" else { return }
            let before = try await app.count("clients")
            // The file may not grow: SQLite answers SQLITE_FULL, as on a full disk.
            let pages = try await app.sql.raw("PRAGMA page_count").first()!.decode(column: "page_count", as: Int.self)
            try await Self.onEveryConnection(app, "PRAGMA main.max_page_count = \(pages)")
            var last: HTTPResult? = nil
            var accepted = 0
            for i in 0..<60 {
                let r = try await app.api(
                    .POST, "/api/v1/clients", as: f.caseManager, fixture: f,
                    json: Self.register.replacingOccurrences(
                        of: "Disk", with: "Disk\(i)\(String(repeating: "x", count: 60))"))
                last = r
                if r.status != .created { break }
                accepted += 1
            }
            let r = try #require(last)
            #expect(r.status == .serviceUnavailable, "\(r.status) \(r.body)")
            #expect(r.headers.first(name: .retryAfter) == "30")
            #expect(r.headers.contentType?.description.contains("problem+json") == true)
            #expect(r.body.contains("storage-unavailable") && r.body.contains("Try again in a minute"))
            #expect(!r.body.contains("SQLite"))
            try await Self.onEveryConnection(app, "PRAGMA main.max_page_count = 1073741823")
            // What was refused was not half saved; the disk freed, work goes on.
            #expect(try await app.count("clients") == before + accepted)
            let ok = try await app.api(.POST, "/api/v1/clients", as: f.caseManager, fixture: f, json: Self.register)
            #expect(ok.status == .created)
            #expect(try await app.count("clients") == before + accepted + 1)
        }
    }

    @Test func aDatabaseLockedByAnotherProcessAnswers503() async throws {
        try await withTrellis { app, f in
            guard app.sql.dialect.name == "sqlite" else { return }
            try await Self.onEveryConnection(app, "PRAGMA busy_timeout = 300")
            let other = try SQLiteHandle(path: app.trellis.config.sqlitePath, flags: SQLiteHandle.readWrite)
            try other.exec("BEGIN EXCLUSIVE")
            let r = try await app.api(.POST, "/api/v1/clients", as: f.caseManager, fixture: f, json: Self.register)
            try other.exec("COMMIT")
            #expect(r.status == .serviceUnavailable, "\(r.status) \(r.body)")
            #expect(r.headers.first(name: .retryAfter) == "30")
            let ok = try await app.api(.POST, "/api/v1/clients", as: f.caseManager, fixture: f, json: Self.register)
            #expect(ok.status == .created)
        }
    }

    @Test func aDataDirectoryThatCannotBeMadeIsNamed() throws {
        let blocker = FileManager.default.temporaryDirectory.appendingPathComponent("trellis-file-\(UUID().uuidString)")
            .path
        FileManager.default.createFile(atPath: blocker, contents: Data())
        defer { try? FileManager.default.removeItem(atPath: blocker) }
        let dir = blocker + "/data"
        #expect {
            try DataFiles.prepare(dir, logger: Logger(label: "test"))
        } throws: { error in
            (error as? DataDirectoryError)?.path == dir
        }
    }

    @Test func serversStartingTogetherOnAFreshDirectoryTakeTurns() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("trellis-twins-\(UUID().uuidString)")
            .path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var config = TrellisConfig()
        config.bcryptCost = 4
        config.dataDirectory = dir
        let shared = config
        let started = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<2 {
                group.addTask {
                    try await withApp(configure: { app in
                        app.logger.logLevel = .warning
                        // Two servers are two processes, each with its own pool of threads for SQLite's blocking
                        // calls. Sharing the test process's pool with the whole suite, one waiting on the other's
                        // lock could hold every thread the other needed to finish (a connection timeout).
                        let pool = NIOThreadPool(numberOfThreads: 2)
                        pool.start()
                        app.threadPool = pool
                        try await TrellisApp.configure(app, config: shared, deps: testDeps)
                    }) { app in try await app.count("_fluent_migrations") }
                }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(started == Array(repeating: TrellisMigrations.all.count, count: 2))
    }
}
