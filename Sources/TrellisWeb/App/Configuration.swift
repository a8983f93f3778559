import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import SQLKit
import TrellisCore
import TrellisData
import Vapor

/// Everything an operator can set. Read from flags and environment by the CLI; documented in the README.
public struct TrellisConfig: Sendable {
    /// Where the embedded SQLite database (and later uploads) live.
    public var dataDirectory: String = "./trellis-data"
    /// `postgres://user:pass@host:port/db` switches storage to PostgreSQL.
    public var databaseURL: String? = nil
    /// PostgreSQL schema to use (tests isolate themselves with one schema each).
    public var postgresSchema: String? = nil
    /// Marks cookies `Secure`. Browsers treat http://localhost as secure, so this stays on by default.
    public var secureCookies: Bool = true
    /// The address users reach Trellis at (`https://trellis.example.org`), for links that leave it, such as
    /// calendar feeds; without it they are built from the request's Host header.
    public var publicURL: String? = nil
    public var sessionLifetime: TimeInterval = 8 * 3600
    /// A session that makes no request for this long ends (the page warns two minutes before).
    public var idleTimeout: TimeInterval = 30 * 60
    public var maxFailedSignIns: Int = 5
    public var failedSignInWindow: TimeInterval = 15 * 60
    /// bcrypt cost; tests lower it to keep runs fast.
    public var bcryptCost: Int = 12
    public var logSQL: Bool = false
    /// PostgreSQL connections per event loop.
    public var postgresPoolSize: Int = 4
    /// A demo instance (`serve --demo`): the sign-in page lists the demo users and their password.
    public var demo: Bool = false
    /// `TRELLIS_KEY` / `TRELLIS_KEY_FILE`: where the field keys come from (else `trellis.key` in the data
    /// directory).
    public var keyEnvironment: [String: String] = [:]

    public init() {}

    public var usesPostgres: Bool { databaseURL != nil }
    /// The part of the configuration the data layer needs.
    public var database: DatabaseConfig {
        DatabaseConfig(
            dataDirectory: dataDirectory, databaseURL: databaseURL, postgresSchema: postgresSchema, logSQL: logSQL,
            postgresPoolSize: postgresPoolSize, keyEnvironment: keyEnvironment)
    }
    public var sqlitePath: String { (dataDirectory as NSString).appendingPathComponent("trellis.sqlite") }

    public static func fromEnvironment(dataDirectory: String? = nil) -> TrellisConfig {
        var c = TrellisConfig()
        let env = ProcessInfo.processInfo.environment
        if let d = dataDirectory ?? env["TRELLIS_DATA_DIR"] { c.dataDirectory = d }
        if let u = env["DATABASE_URL"], !u.isEmpty { c.databaseURL = u }
        if let u = env["TRELLIS_PUBLIC_URL"], !u.isEmpty { c.publicURL = u }
        if let s = env["TRELLIS_COOKIE_SECURE"] { c.secureCookies = !(s == "0" || s.lowercased() == "false") }
        if let h = env["TRELLIS_SESSION_HOURS"], let hours = Double(h), hours > 0 { c.sessionLifetime = hours * 3600 }
        if let m = env["TRELLIS_IDLE_MINUTES"], let minutes = Double(m), minutes >= 1 { c.idleTimeout = minutes * 60 }
        for name in ["TRELLIS_KEY", "TRELLIS_KEY_FILE"] { c.keyEnvironment[name] = env[name] }
        if let b = env["TRELLIS_BCRYPT_COST"], let cost = Int(b), (4...31).contains(cost) { c.bcryptCost = cost }
        return c
    }

    /// An http(s) address without a trailing slash, or nil when `s` is not one.
    static func publicURL(_ s: String) -> String? {
        var u = s.trimmingCharacters(in: .whitespaces)
        while u.hasSuffix("/") { u.removeLast() }
        guard let url = URL(string: u), ["http", "https"].contains(url.scheme?.lowercased() ?? ""),
            url.host?.isEmpty == false, url.query == nil
        else { return nil }
        return u
    }
}

struct TrellisStorageKey: StorageKey { typealias Value = TrellisRuntime }

/// What every request needs and is set once at start: configuration and injected side effects.
struct TrellisRuntime: Sendable {
    var config: TrellisConfig
    var deps: Dependencies
    var hasher: any PasswordHasher
    var strings: Catalogs
    /// Verified against when a username is unknown, so sign-in timing does not reveal which exist.
    var dummyPasswordHash: String
}

extension Application {
    var trellis: TrellisRuntime {
        get { storage[TrellisStorageKey.self]! }
        set { storage[TrellisStorageKey.self] = newValue }
    }
}

/// bcrypt on the application's thread pool: a hash costs ~250 ms of CPU and must not block the
/// event loops that serve every other request.
struct BcryptHasher: PasswordHasher {
    let cost: Int
    let pool: NIOThreadPool
    func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await pool.runIfActive { try Bcrypt.hash(password, cost: cost) }
    }
    func verify(_ password: String, hash: String) async throws -> Bool {
        try await pool.runIfActive { try Bcrypt.verify(password, created: hash) }
    }
    func isCommon(_ password: String) -> Bool {
        PasswordRules.candidates(password).contains { CommonPasswords.shared.contains($0) }
    }
}

/// The 30,000 most common passwords (zxcvbn's list, built by `scripts/common-passwords.py`), kept only as
/// the first 8 bytes of each one's SHA-256, sorted: a lookup is a hash and a bisection of 240 KB.
final class CommonPasswords: Sendable {
    static let shared = CommonPasswords()
    let prints: [UInt64]

    init() {
        let url =
            Bundle.module.url(forResource: "common-passwords", withExtension: "bin", subdirectory: "Resources")
            ?? Bundle.module.url(forResource: "common-passwords", withExtension: "bin")
        let data = url.flatMap { try? Data(contentsOf: $0) } ?? Data()
        prints = stride(from: 0, to: data.count - 7, by: 8).map { i in
            data[data.startIndex + i..<data.startIndex + i + 8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        }
    }

    func contains(_ password: String) -> Bool {
        let key = SHA256.hash(data: Data(password.utf8)).prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        var lo = 0
        var hi = prints.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if prints[mid] < key { lo = mid + 1 } else { hi = mid }
        }
        return lo < prints.count && prints[lo] == key
    }
}

public enum TrellisApp {
    /// Sets up storage, migrations, middleware and routes.
    public static func configure(_ app: Application, config: TrellisConfig, deps: Dependencies = Dependencies())
        async throws
    {
        var config = config
        if let u = config.publicURL {
            guard let url = TrellisConfig.publicURL(u) else { throw PublicURLError(value: u) }
            config.publicURL = url
        }
        let hasher = BcryptHasher(cost: config.bcryptCost, pool: app.threadPool)
        app.trellis = TrellisRuntime(
            config: config, deps: deps, hasher: hasher, strings: try Catalogs.load(),
            dummyPasswordHash: try await hasher.hash(Tokens.random()))
        try TrellisDatabase.configure(app, config.database)
        app.migrations.add(TrellisMigrations.all)
        do {
            try await TrellisDatabase.migrate(
                app, schema: config.usesPostgres ? config.postgresSchema : nil, dataDirectory: config.dataDirectory)
        } catch {
            // A full disk or a locked file at start is said with the path and what to do.
            throw StorageFailure.from(error, place: config.usesPostgres ? "PostgreSQL" : config.dataDirectory) ?? error
        }

        app.middleware = Middlewares()
        app.middleware.use(RequestLogMiddleware())
        // Outside the error middleware, so error pages carry the same headers as every other page.
        app.middleware.use(SecurityHeadersMiddleware())
        app.middleware.use(TrellisErrorMiddleware())
        app.middleware.use(MethodNotAllowedMiddleware())
        app.middleware.use(ReadMemoMiddleware())
        app.routes.defaultMaxBodySize = "1mb"
        try registerRoutes(app)
    }
}

struct PublicURLError: Error, CustomStringConvertible {
    var value: String
    var description: String {
        "TRELLIS_PUBLIC_URL must be an http or https address such as https://trellis.example.org (got \"\(value)\")."
    }
}
