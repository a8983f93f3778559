import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import SQLKit
import Vapor

/// Where the data lives: what the data layer needs of the operator's configuration.
public struct DatabaseConfig: Sendable {
    /// The directory of the embedded SQLite database.
    public var dataDirectory: String
    /// `postgres://user:pass@host:port/db` switches storage to PostgreSQL.
    public var databaseURL: String?
    /// PostgreSQL schema to use (tests isolate themselves with one schema each).
    public var postgresSchema: String?
    public var logSQL: Bool
    /// PostgreSQL connections per event loop.
    public var postgresPoolSize: Int

    public init(
        dataDirectory: String, databaseURL: String?, postgresSchema: String?, logSQL: Bool, postgresPoolSize: Int
    ) {
        self.dataDirectory = dataDirectory
        self.databaseURL = databaseURL
        self.postgresSchema = postgresSchema
        self.logSQL = logSQL
        self.postgresPoolSize = postgresPoolSize
    }

    public var sqlitePath: String { (dataDirectory as NSString).appendingPathComponent("trellis.sqlite") }
}

/// Sets up the database an application uses and brings it up to date.
public enum TrellisDatabase {
    public static func configure(_ app: Application, _ config: DatabaseConfig) throws {
        let level: Logger.Level = config.logSQL ? .info : .trace
        if let url = config.databaseURL {
            var pg = try SQLPostgresConfiguration(url: url)
            if let schema = config.postgresSchema { pg.searchPath = [schema, "public"] }
            app.databases.use(
                .postgres(configuration: pg, maxConnectionsPerEventLoop: config.postgresPoolSize, sqlLogLevel: level),
                as: .psql)
        } else {
            try FileManager.default.createDirectory(atPath: config.dataDirectory, withIntermediateDirectories: true)
            app.databases.use(
                .sqlite(.file(config.sqlitePath), maxConnectionsPerEventLoop: 1, sqlLogLevel: level), as: .sqlite)
        }
    }

    /// Runs pending migrations. On PostgreSQL an advisory lock makes instances that start together
    /// take turns: the first migrates, the others find nothing left to do.
    public static func migrate(_ app: Application, schema: String?) async throws {
        let sql = app.db as! any SQLDatabase
        if sql.dialect.name == "sqlite" {
            // Per-connection settings, on each event loop's connection (one per loop), before anything else
            // runs on it: wait for a concurrent writer instead of failing with SQLITE_BUSY; the audit log's file
            // attached as `audit`; sync at checkpoints (safe in WAL).
            //
            // The audit log lives in a file of its own because SQLite empties every other connection's page
            // cache whenever a database file changes, and nearly every page writes audit entries (each read of
            // a client's record and each list that names clients is audited): with the log in the main file,
            // each page made the next one on the other connection read the database afresh (measured: 553
            // pread calls per caseload page at 1,000,000 clients, against none). A change and its audit entry
            // still commit in one transaction; across two WAL files SQLite makes each file's part atomic, not the
            // pair, so a crash in the instant between the two could keep one without the other.
            //
            // WAL is set on the first connection before the next one opens: SQLite keeps the journal mode it has
            // when another connection holds the file (a test saw "delete" when the order was the other way).
            var main: String? = nil
            for (i, loop) in app.eventLoopGroup.makeIterator().enumerated() {
                guard let db = app.databases.database(logger: app.logger, on: loop) as? any SQLDatabase else {
                    continue
                }
                try await db.raw("PRAGMA busy_timeout = 10000").run()
                if i == 0 { try await db.raw("PRAGMA journal_mode = WAL").run() }
                let files = try await db.raw("PRAGMA database_list").all()
                let names = try files.map { try $0.decode(column: "name", as: String.self) }
                if main == nil {
                    main = try files.first { try $0.decode(column: "name", as: String.self) == "main" }?
                        .decode(column: "file", as: String.self)
                }
                if !names.contains("audit"), let main {
                    let auditFile = ((main as NSString).deletingLastPathComponent as NSString)
                        .appendingPathComponent("audit.sqlite")
                    try await db.raw("ATTACH DATABASE \(bind: auditFile) AS audit").run()
                    if i == 0 { try await db.raw("PRAGMA audit.journal_mode = WAL").run() }
                }
                // A 256 MB page cache and 2 GB of the file memory-mapped, so a large database is read from
                // memory rather than a system call per page (the default cache is 2 MB); 32 MB for the audit file.
                for pragma in [
                    "synchronous = NORMAL", "cache_size = -262144", "mmap_size = 2147418112",
                    "audit.synchronous = NORMAL", "audit.cache_size = -32768", "audit.mmap_size = 2147418112"
                ] {
                    try await db.raw(SQLQueryString("PRAGMA " + pragma)).run()
                }
            }
            try await app.autoMigrate()
            return
        }
        let lockKey = 7_314_159_265
        try await sql.withSession { session in
            try await session.raw("SELECT pg_advisory_lock(\(bind: lockKey))").run()
            do {
                // Inside the lock: CREATE SCHEMA IF NOT EXISTS is not safe against a concurrent twin.
                if let schema { try await session.raw("CREATE SCHEMA IF NOT EXISTS \(ident: schema)").run() }
                try await app.autoMigrate()
            } catch {
                try? await session.raw("SELECT pg_advisory_unlock(\(bind: lockKey))").run()
                throw error
            }
            try await session.raw("SELECT pg_advisory_unlock(\(bind: lockKey))").run()
        }
    }
}
