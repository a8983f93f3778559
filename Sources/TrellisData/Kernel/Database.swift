import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import SQLKit
import Vapor

#if canImport(Glibc)
    import Glibc
#endif

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
    /// `TRELLIS_KEY` and `TRELLIS_KEY_FILE`, when set (see `FieldKeys.configured`).
    public var keyEnvironment: [String: String]

    public init(
        dataDirectory: String, databaseURL: String?, postgresSchema: String?, logSQL: Bool, postgresPoolSize: Int,
        keyEnvironment: [String: String] = [:]
    ) {
        self.dataDirectory = dataDirectory
        self.databaseURL = databaseURL
        self.postgresSchema = postgresSchema
        self.logSQL = logSQL
        self.postgresPoolSize = postgresPoolSize
        self.keyEnvironment = keyEnvironment
    }

    public var sqlitePath: String { (dataDirectory as NSString).appendingPathComponent("trellis.sqlite") }
}

/// Sets up the database an application uses and brings it up to date.
public enum TrellisDatabase {
    public static func configure(_ app: Application, _ config: DatabaseConfig) throws {
        let level: Logger.Level = config.logSQL ? .info : .trace
        // Everything Trellis creates from here on is its own alone: files 0600, directories 0700.
        umask(0o077)
        try DataFiles.prepare(config.dataDirectory, logger: app.logger)
        let keys = try FieldKeys.configured(environment: config.keyEnvironment, dataDirectory: config.dataDirectory)
        let factory: DatabaseConfigurationFactory
        let id: DatabaseID
        if let url = config.databaseURL {
            var pg = try SQLPostgresConfiguration(url: url)
            if let schema = config.postgresSchema { pg.searchPath = [schema, "public"] }
            factory = .postgres(
                configuration: pg, maxConnectionsPerEventLoop: config.postgresPoolSize, sqlLogLevel: level)
            id = .psql
        } else {
            factory = .sqlite(.file(config.sqlitePath), maxConnectionsPerEventLoop: 1, sqlLogLevel: level)
            id = .sqlite
        }
        app.databases.use(
            DatabaseConfigurationFactory { KeyedConfiguration(base: factory.make(), keys: keys) }, as: id)
    }

    /// Runs pending migrations. On PostgreSQL an advisory lock makes instances that start together
    /// take turns: the first migrates, the others find nothing left to do.
    public static func migrate(_ app: Application, schema: String?, dataDirectory: String) async throws {
        let sql = app.db as! any SQLDatabase
        if sql.dialect.name == "sqlite" {
            // Servers started together on one directory take turns: the first sets the files up and migrates,
            // the next finds nothing left to do (without this the second died on "table already exists").
            let turn = try await DataDirectoryLock.waitExclusive(dataDirectory, name: "trellis.migrate.lock")
            defer { turn.release() }
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
                    "audit.synchronous = NORMAL", "audit.cache_size = -32768", "audit.mmap_size = 2147418112",
                    // What is deleted or overwritten (a purged client, an SSN in clear before M030) is zeroed in the
                    // file, not left in free pages.
                    "secure_delete = ON"
                ] {
                    try await db.raw(SQLQueryString("PRAGMA " + pragma)).run()
                }
            }
            try await checkKeys(sql, sqlite: true)
            let before = try await appliedMigrations(sql)
            try await app.autoMigrate()
            try await checkKeys(sql, sqlite: true)
            // After migrations that rewrote rows (M030 sealing SSNs), their old page images leave the write-ahead
            // log. Only then, and not on a database made just now (nothing was ever in clear there): a checkpoint
            // waits for other connections' readers, up to the busy timeout (measured: 10 s on every fresh start).
            if before > 0, try await appliedMigrations(sql) != before {
                try await sql.raw("PRAGMA wal_checkpoint(TRUNCATE)").run()
            }
            return
        }
        let lockKey = 7_314_159_265
        try await sql.withSession { session in
            try await session.raw("SELECT pg_advisory_lock(\(bind: lockKey))").run()
            do {
                // Inside the lock: CREATE SCHEMA IF NOT EXISTS is not safe against a concurrent twin.
                if let schema { try await session.raw("CREATE SCHEMA IF NOT EXISTS \(ident: schema)").run() }
                try await checkKeys(sql, sqlite: false)
                try await app.autoMigrate()
                try await checkKeys(sql, sqlite: false)
            } catch {
                try? await session.raw("SELECT pg_advisory_unlock(\(bind: lockKey))").run()
                throw error
            }
            try await session.raw("SELECT pg_advisory_unlock(\(bind: lockKey))").run()
        }
    }

    static func appliedMigrations(_ sql: any SQLDatabase) async throws -> Int {
        let exists = try await sql.raw(
            "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = '_fluent_migrations'"
        ).first()?.decode(column: "n", as: Int.self)
        guard exists == 1 else { return 0 }
        return try await sql.raw("SELECT count(*) AS n FROM _fluent_migrations").first()?.decode(
            column: "n", as: Int.self) ?? 0
    }

    /// Refuses to go on with keys that cannot open what the database holds (once it has sealed fields).
    static func checkKeys(_ sql: any SQLDatabase, sqlite: Bool) async throws {
        let exists: SQLQueryString =
            sqlite
            ? "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'field_keys'"
            : "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'field_keys' AND table_schema = current_schema()"
        guard try await sql.raw(exists).first()?.decode(column: "n", as: Int.self) == 1 else { return }
        let keys = try (sql as! any Database).fieldKeys
        do {
            try await FieldKeyRecord.verify(keys, on: sql)
        } catch {
            // A key file made just now for a database that already had one: remove it, so the next start does
            // not find it instead of the one the operator restores.
            if let made = keys.createdFile { try? FileManager.default.removeItem(atPath: made) }
            throw error
        }
    }
}

/// The data directory and the files in it: the directory 0700, Trellis's files 0600 (tightened when an
/// older Trellis left them wider).
enum DataFiles {
    static let owned = [
        "trellis.sqlite", "trellis.sqlite-wal", "trellis.sqlite-shm", "audit.sqlite", "audit.sqlite-wal",
        "audit.sqlite-shm", "trellis.key"
    ]

    static func prepare(_ directory: String, logger: Logger) throws {
        let fm = FileManager.default
        do {
            try fm.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw DataDirectoryError(path: directory, cause: (error as NSError).localizedDescription)
        }
        try require(directory, W_OK | X_OK, "it cannot be written by this user", "mount it read-write or give it to")
        tighten(directory, to: 0o700, logger: logger)
        for name in owned {
            let path = (directory as NSString).appendingPathComponent(name)
            guard fm.fileExists(atPath: path) else { continue }
            try require(path, R_OK | W_OK, "it cannot be read and written by this user", "give it to")
            tighten(path, to: 0o600, logger: logger)
        }
    }

    /// Refuses a path this user lacks `mode` on, saying why and what the operator does about it.
    private static func require(_ path: String, _ mode: Int32, _ problem: String, _ fix: String) throws {
        guard access(path, mode) != 0 else { return }
        throw DataDirectoryError(
            path: path, cause: "\(problem) (\(String(cString: strerror(errno)))): \(fix) the user Trellis runs as")
    }

    private static func tighten(_ path: String, to mode: Int, logger: Logger) {
        guard let now = (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int,
            now & 0o777 != mode
        else { return }
        if chmod(path, mode_t(mode)) == 0 {
            logger.notice(
                "Permissions of \(path) tightened from \(String(now & 0o777, radix: 8)) to \(String(mode, radix: 8)).")
        } else {
            logger.warning("Could not tighten the permissions of \(path) (\(String(now & 0o777, radix: 8))).")
        }
    }
}

public struct DataDirectoryError: Error, CustomStringConvertible {
    public var path: String
    public var cause: String
    public var description: String { "The data directory \(path) cannot be created or used: \(cause)" }
}

/// `trellis.lock` in the data directory: every server holds it shared; a command that must not run beside a
/// server (key rotation, restore) holds it exclusively and is refused while any server runs. Locks held by
/// one machine only: on PostgreSQL with several machines, the operator stops each instance.
public final class DataDirectoryLock: Sendable {
    private let fd: Int32

    private init(_ fd: Int32) { self.fd = fd }

    public static func shared(_ directory: String) throws -> DataDirectoryLock {
        let fd = try open(directory)
        guard flock(fd, LOCK_SH | LOCK_NB) == 0 else {
            close(fd)
            throw DataDirectoryBusy(
                path: directory, doing: "serve", running: "a command that runs alone (key rotation or restore)")
        }
        return DataDirectoryLock(fd)
    }

    /// Waits for its turn at the lock file `name`, asking every 50 ms (never blocking a thread that other
    /// tasks need, such as the one the holder finishes on).
    public static func waitExclusive(_ directory: String, name: String) async throws -> DataDirectoryLock {
        let fd = try open(directory, name: name)
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK else {
                close(fd)
                throw DataDirectoryError(path: directory, cause: String(cString: strerror(errno)))
            }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        return DataDirectoryLock(fd)
    }

    public static func exclusive(_ directory: String, for doing: String) throws -> DataDirectoryLock {
        let fd = try open(directory)
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw DataDirectoryBusy(path: directory, doing: doing, running: "a Trellis server")
        }
        return DataDirectoryLock(fd)
    }

    private static func open(_ directory: String, name: String = "trellis.lock") throws -> Int32 {
        try? FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let path = (directory as NSString).appendingPathComponent(name)
        let fd = Glibc.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw DataDirectoryError(path: path, cause: String(cString: strerror(errno))) }
        return fd
    }

    public func release() {
        flock(fd, LOCK_UN)
        close(fd)
    }
}

public struct DataDirectoryBusy: Error, CustomStringConvertible {
    public var path: String
    public var doing: String
    public var running: String
    public var description: String {
        "Cannot \(doing) now: \(running) is using \(path) (it holds trellis.lock there). Stop it and try again."
    }
}
