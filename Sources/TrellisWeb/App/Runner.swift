import Foundation
import TrellisCore
import TrellisData
import Vapor

/// What the `trellis` executable runs. Kept here so the executable imports no Vapor (whose
/// console types share names with ArgumentParser's) and stays a thin command layer.
public enum TrellisRunner {
    /// Boots an Application with storage and migrations, for commands that do not serve HTTP.
    public static func withApplication<T>(_ config: TrellisConfig, _ body: (Application) async throws -> T) async throws
        -> T
    {
        let app = try await Application.make(Environment(name: "production", arguments: ["trellis"]))
        app.logger.logLevel = .warning
        do {
            try await TrellisApp.configure(app, config: config)
            let result = try await body(app)
            try await app.asyncShutdown()
            return result
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    public static func staffCount(_ app: Application) async throws -> Int {
        try await SQLStore(database: app.db).staffCount()
    }

    public static func createToken(_ app: Application, username: String, name: String, days: Int?) async throws
        -> String
    {
        try await APITokens.create(
            username: username.lowercased(), name: name, days: days, store: SQLStore(database: app.db),
            deps: app.trellis.deps)
    }

    /// `trellis token list`: one line a token (id, name, created, expires, last used), the newest first.
    public static func listTokens(_ app: Application, username: String) async throws -> [String] {
        let f = ISO8601DateFormatter()
        return try await APITokens.list(username: username.lowercased(), store: SQLStore(database: app.db)).map {
            [
                $0.id.uuidString.lowercased(), $0.name, "created " + f.string(from: $0.createdAt),
                "expires " + f.string(from: $0.expiresAt),
                "last used " + ($0.lastUsedAt.map { f.string(from: $0) } ?? "never")
            ].joined(separator: "\t")
        }
    }

    public static func revokeToken(_ app: Application, id: UUID) async throws -> String {
        try await APITokens.revoke(id: id, store: SQLStore(database: app.db), deps: app.trellis.deps).name
    }

    /// `trellis audit verify`: walks the whole chain.
    public static func verifyAudit(_ app: Application, expecting kept: AuditChainHead?) async throws
        -> AuditChainReport
    {
        try await AuditService(store: SQLStore(database: app.db), deps: app.trellis.deps)
            .verifyChainAsOperator(expecting: kept)
    }

    /// `trellis audit head`.
    public static func auditHead(_ app: Application) async throws -> AuditChainHead {
        try await AuditService(store: SQLStore(database: app.db), deps: app.trellis.deps).chainHeadAsOperator()
    }

    /// `trellis key rotate`: a new key is added to the key file, every sealed value is resealed with it in one
    /// transaction, then the file keeps the new key alone. Each step leaves a file that opens the database:
    /// interrupted before the reseal commits, the old key still opens everything; after, the new one does.
    /// The keys it replaced are written beside the file (`trellis.key.retired-<time>`): backups taken before
    /// open only with them.
    public static func rotateKeys(config: TrellisConfig) async throws -> (
        FieldKeyRotation, path: String, retired: String
    ) {
        guard let path = FieldKeys.path(environment: config.keyEnvironment, dataDirectory: config.dataDirectory)
        else { throw KeyRotationRefused() }
        let alone = try DataDirectoryLock.exclusive(config.dataDirectory, for: "rotate the key")
        defer { alone.release() }
        let old = try FieldKeys.load(path: path, create: false)
        let stamp = ISO8601DateFormatter.string(
            from: Date(), timeZone: TimeZone(identifier: "UTC")!,
            formatOptions: [.withYear, .withMonth, .withDay, .withTime])
        let retired = path + ".retired-" + stamp
        try old.write(to: retired, exclusive: true)
        let both = old.adding()
        try both.write(to: path, exclusive: false)
        var config = config
        config.keyEnvironment["TRELLIS_KEY_FILE"] = path
        let done = try await withApplication(config) { app in
            let store = SQLStore(database: app.db)
            let done = try await store.resealFields(with: both)
            try await AuditService(store: store, deps: app.trellis.deps).recordAsOperator(
                .keyRotate, recordType: "field_keys")
            return done
        }
        try both.currentOnly().write(to: path, exclusive: false)
        return (done, path, retired)
    }

    /// `trellis backup` (SQLite only; PostgreSQL is backed up with its own tools, README).
    public static func backup(config: TrellisConfig, out: String, includeKey: Bool) throws -> BackupReport {
        guard !config.usesPostgres else { throw BackupError(Self.postgresBackup) }
        var keyFile: String? = nil
        if includeKey {
            keyFile = FieldKeys.path(environment: config.keyEnvironment, dataDirectory: config.dataDirectory)
            guard keyFile != nil else {
                throw BackupError(
                    "--include-key: the key is in TRELLIS_KEY, not a file; back up your secret store instead.")
            }
        }
        return try SQLiteBackup.create(dataDirectory: config.dataDirectory, out: out, includeKey: keyFile)
    }

    /// `trellis restore`: refused while a server holds the directory.
    public static func restore(dataDirectory: String, archive: String, keyFile: String?) throws -> RestoreReport {
        let alone = try DataDirectoryLock.exclusive(dataDirectory, for: "restore")
        defer { alone.release() }
        return try SQLiteBackup.restore(archive: archive, into: dataDirectory, keyFile: keyFile)
    }

    static let postgresBackup =
        "trellis backup copies the embedded SQLite database. With DATABASE_URL set, back up with pg_dump (README, \"Backups\") and keep the key file apart."

    public static func seedDemo(_ app: Application, clients: Int, seed: UInt64 = 2026) async throws
        -> DemoSeeder.Summary
    {
        try await DemoSeeder(store: SQLStore(database: app.db), deps: app.trellis.deps, hasher: app.trellis.hasher)
            .seed(clients: clients, seed: seed)
    }

    /// The admin CLI's user creation: finds or creates the agency, then creates the user as the system.
    public static func createUser(
        _ app: Application, username: String, role: String, agency: String, displayName: String?,
        language: String, password: String
    ) async throws -> StaffMember {
        let org = OrganizationService(
            store: SQLStore(database: app.db), deps: app.trellis.deps, hasher: app.trellis.hasher)
        let a = try await org.agency(named: agency, createIfMissing: true)
        return try await org.createStaff(
            StaffInput(
                username: username, displayName: displayName ?? username, role: role,
                language: language, password: password), agencyID: a.id, by: nil)
    }

    public static func resetPassword(_ app: Application, username: String, password: String) async throws -> StaffMember
    {
        try await OrganizationService(
            store: SQLStore(database: app.db), deps: app.trellis.deps, hasher: app.trellis.hasher
        )
        .resetPassword(username: username, new: password)
    }

    public static func serve(config: TrellisConfig, hostname: String, port: Int, demo: Bool, demoClients: Int)
        async throws
    {
        // Held shared while serving: commands that must run alone (key rotation) take it exclusively.
        let running = try DataDirectoryLock.shared(config.dataDirectory)
        defer { running.release() }
        var config = config
        config.demo = demo
        let app = try await Application.make(
            Environment(
                name: "production",
                arguments: ["trellis", "serve", "--hostname", hostname, "--port", String(port)]))
        do {
            try await TrellisApp.configure(app, config: config)
            let store = SQLStore(database: app.db)
            let storage = config.usesPostgres ? "PostgreSQL" : "SQLite at \(config.sqlitePath)"
            if demo {
                if try await store.staffCount() == 0 {
                    let s = try await seedDemo(app, clients: demoClients)
                    print(
                        "Seeded demo data: \(s.clients) clients, \(s.cases) cases, \(s.notes) notes, \(s.resources) directory services."
                    )
                }
                print(
                    """

                    Trellis demo is running at http://\(hostname):\(port)/ (storage: \(storage))
                    Sign in with any of these users; the password for all of them is \(DemoSeeder.demoPassword)
                      admin            agency admin
                      supervisor1      supervisor
                      casemanager1     case manager
                      programmanager   program manager
                      auditor          auditor (read-only)
                    All data is synthetic.

                    """)
            } else if try await store.staffCount() == 0 {
                print(
                    """

                    Trellis has no users yet (storage: \(storage)). Create the first agency admin:
                      swift run trellis user create --username admin --role agency_admin --agency "Your Agency"
                    (the password is read from standard input), then sign in at http://\(hostname):\(port)/

                    """)
            } else {
                print("Trellis is running at http://\(hostname):\(port)/ (storage: \(storage))")
            }
            fflush(nil)
            try await app.execute()
            try await app.asyncShutdown()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }
}

struct KeyRotationRefused: Error, CustomStringConvertible {
    var description: String {
        "TRELLIS_KEY holds the key itself, so Trellis cannot rewrite it: copy it to a file, point TRELLIS_KEY_FILE at it, rotate, then put the file's new text back into TRELLIS_KEY."
    }
}
