import ArgumentParser
import Foundation
import TrellisCore
import TrellisData
import TrellisWeb

@main
struct TrellisCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trellis",
        abstract: "Trellis case management: the server and its administration commands.",
        subcommands: [
            Serve.self, UserCommand.self, TokenCommand.self, AuditCommand.self, KeyCommand.self, BackupCommand.self,
            RestoreCommand.self, DemoCommand.self,
            Migrate.self,
            Bench.self
        ])
}

struct StorageOptions: ParsableArguments {
    @Option(help: "Directory for the embedded SQLite database (ignored when DATABASE_URL is set).")
    var dataDir: String?

    /// The configuration with the data directory chosen: the one named, else ./trellis-data, else (when only
    /// it exists) the demo's; says which, and refuses to make an empty database for a command that needs data.
    func config(demo: Bool = false, need: DataDirectory.Need = .mayCreate) throws -> TrellisConfig {
        let env = ProcessInfo.processInfo.environment
        do {
            let choice = try DataDirectory.choose(
                explicit: dataDir, environment: env["TRELLIS_DATA_DIR"], demo: demo,
                postgres: !(env["DATABASE_URL"] ?? "").isEmpty, need: need,
                exists: { FileManager.default.fileExists(atPath: $0) })
            for note in choice.notes { FileHandle.standardError.write(Data((note + "\n").utf8)) }
            return TrellisConfig.fromEnvironment(dataDirectory: choice.path)
        } catch {
            throw ValidationError(error.description)
        }
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the web server.")
    @OptionGroup var storage: StorageOptions
    @Option(help: "Address to listen on.") var hostname = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @Flag(
        help:
            "Seed a demo agency with synthetic clients (into ./trellis-demo-data unless --data-dir is given) and print its sign-ins."
    )
    var demo = false
    @Option(help: "Number of synthetic clients for --demo.") var demoClients = 400

    func run() async throws {
        try await TrellisRunner.serve(
            config: try storage.config(demo: demo), hostname: hostname, port: port,
            demo: demo, demoClients: demoClients)
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending database migrations and exit.")
    @OptionGroup var storage: StorageOptions
    func run() async throws {
        try await TrellisRunner.withApplication(try storage.config()) { _ in print("Migrations are up to date.") }
    }
}

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage staff accounts.", subcommands: [Create.self, Password.self])

    struct Password: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a new password for a user (read from standard input); ends their sessions.")
        @OptionGroup var storage: StorageOptions
        @Option(help: "The user whose password to set.") var username: String

        func run() async throws {
            guard let password = readLine(strippingNewline: true), !password.isEmpty else {
                throw ValidationError("Provide the new password on standard input.")
            }
            try await TrellisRunner.withApplication(try storage.config(need: .existing)) { app in
                do {
                    let staff = try await TrellisRunner.resetPassword(app, username: username, password: password)
                    print("Password set for '\(staff.username)'; their sessions were ended.")
                } catch TrellisError.validation(let errors) {
                    throw ValidationError(errors.map { "\($0.field) \($0.message)" }.joined(separator: "; "))
                } catch TrellisError.notFound {
                    throw ValidationError("No user named '\(username)'.")
                }
            }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a user. The password is read from standard input.")
        @OptionGroup var storage: StorageOptions
        @Option(help: "Sign-in name.") var username: String
        @Option(help: "One of: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).") var role: String
        @Option(help: "Agency name; created if it does not exist yet.") var agency: String
        @Option(help: "Full name shown to colleagues.") var displayName: String?
        @Option(help: "Interface language: en or es.") var language = "en"

        func run() async throws {
            guard let password = readLine(strippingNewline: true), !password.isEmpty else {
                throw ValidationError("Provide the password on standard input.")
            }
            try await TrellisRunner.withApplication(try storage.config()) { app in
                do {
                    let staff = try await TrellisRunner.createUser(
                        app, username: username, role: role, agency: agency,
                        displayName: displayName, language: language, password: password)
                    print(
                        "Created \(staff.role.rawValue) '\(staff.username)' (id \(staff.id.uuidString.lowercased())).")
                } catch TrellisError.validation(let errors) {
                    throw ValidationError(errors.map { "\($0.field) \($0.message)" }.joined(separator: "; "))
                }
            }
        }
    }
}

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Manage API tokens.", subcommands: [Create.self, List.self, Revoke.self])
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an API bearer token for a user and print it once.")
        @OptionGroup var storage: StorageOptions
        @Option(help: "The user the token acts as.") var username: String
        @Option(help: "What the token is for, as its owner will see it listed.") var name = "Command line"
        @Option(help: "Days until it expires (1 to 365).") var days = 90
        func run() async throws {
            try await TrellisRunner.withApplication(try storage.config(need: .existing)) { app in
                do {
                    print(try await TrellisRunner.createToken(app, username: username, name: name, days: days))
                } catch TrellisError.notFound {
                    throw ValidationError("No user named '\(username)'.")
                } catch TrellisError.validation(let errors) {
                    throw ValidationError(errors.map { "--\($0.field) \($0.message)" }.joined(separator: "; "))
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a user's API tokens (never their secrets).")
        @OptionGroup var storage: StorageOptions
        @Option(help: "The user whose tokens to list.") var username: String
        func run() async throws {
            try await TrellisRunner.withApplication(try storage.config(need: .existing)) { app in
                do {
                    let lines = try await TrellisRunner.listTokens(app, username: username)
                    if lines.isEmpty { print("'\(username)' has no API tokens.") }
                    for line in lines { print(line) }
                } catch TrellisError.notFound {
                    throw ValidationError("No user named '\(username)'.")
                }
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke an API token at once.")
        @OptionGroup var storage: StorageOptions
        @Option(help: "The token's id, as `trellis token list` shows it.") var id: String
        func run() async throws {
            guard let uuid = UUID(uuidString: id) else { throw ValidationError("--id is not a token id.") }
            try await TrellisRunner.withApplication(try storage.config(need: .existing)) { app in
                do {
                    print("Revoked '\(try await TrellisRunner.revokeToken(app, id: uuid))'.")
                } catch TrellisError.notFound {
                    throw ValidationError("No token with id \(id).")
                }
            }
        }
    }
}

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Check the audit log's hash chain and keep its head.",
        subcommands: [Verify.self, Head.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Check every audit entry against its hash and the one before; exits 1 and names the first broken entry."
        )
        @OptionGroup var storage: StorageOptions
        @Option(
            help:
                "A head kept earlier (a file `trellis audit head --out` wrote, or its line): checks it is still in the chain."
        )
        var expect: String?

        func run() async throws {
            var kept: AuditChainHead? = nil
            if let expect {
                let text = (try? String(contentsOfFile: expect, encoding: .utf8)) ?? expect
                guard let head = AuditChainHead(line: text) else {
                    throw ValidationError(
                        "--expect: no audit head in '\(expect)' (expected 'trellis-audit-head SEQ HASH').")
                }
                kept = head
            }
            let report = try await TrellisRunner.withApplication(try storage.config(need: .existing)) { app in
                try await TrellisRunner.verifyAudit(app, expecting: kept)
            }
            print("Checked \(report.entries) audit entries in \(String(format: "%.1f", report.seconds)) s.")
            if let fault = report.fault {
                print("BROKEN: \(fault.description)")
                throw ExitCode(1)
            }
            print("The chain is intact. Head: \(report.head.line)")
            if let kept { print("The kept head (entry \(kept.seq)) is in the chain.") }
        }
    }

    struct Head: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the audit chain's latest head (or write it to a file) to keep somewhere else.")
        @OptionGroup var storage: StorageOptions
        @Option(help: "Write the head to this file as well.") var out: String?

        func run() async throws {
            let head = try await TrellisRunner.withApplication(try storage.config(need: .existing)) { app in
                try await TrellisRunner.auditHead(app)
            }
            if let out {
                do {
                    try Data((head.line + "\n").utf8).write(to: URL(fileURLWithPath: out))
                } catch {
                    throw ValidationError("--out: cannot write \(out): \(error.localizedDescription)")
                }
            }
            print(head.line)
        }
    }
}

struct KeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key", abstract: "The key that encrypts SSNs and documents.", subcommands: [Rotate.self])
    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Make a new key, reseal every SSN and document with it, and keep it alone in the key file (stop the server first)."
        )
        @OptionGroup var storage: StorageOptions
        func run() async throws {
            try await operatorErrors {
                let (done, path, retired) = try await TrellisRunner.rotateKeys(
                    config: try storage.config(need: .existing))
                let from = done.from.map(String.init).joined(separator: ", ")
                print(
                    "Resealed \(done.ssns) SSNs, \(done.documents) documents and \(done.secrets) authenticator secrets with key \(done.to) (was \(from)); \(path) now holds key \(done.to) alone."
                )
                print(
                    "The old keys are in \(retired): backups taken before now open only with them. Move that file to where those backups are kept, off this machine."
                )
            }
        }
    }
}

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract:
            "Copy the SQLite data directory into one archive while the server runs (the key file only when asked).")
    @OptionGroup var storage: StorageOptions
    @Option(help: "The archive to write (a new file).") var out: String
    @Flag(help: "Put the key file in the archive too (then keep the archive as safe as the key).") var includeKey =
        false
    func run() async throws {
        try await operatorErrors {
            let r = try TrellisRunner.backup(
                config: try storage.config(need: .existing), out: out, includeKey: includeKey)
            let bytes = r.manifest.files.reduce(0) { $0 + $1.bytes }
            print(
                "Backed up \(r.manifest.files.map(\.name).joined(separator: ", ")) (\(bytes) bytes) to \(r.path) in \(String(format: "%.1f", r.seconds)) s."
            )
            print("Audit chain head in the backup: \(r.manifest.auditHead)")
            if !r.manifest.includesKey {
                let keys = r.manifest.keys.map { String($0.number) }.joined(separator: ", ")
                print(
                    "The archive holds no key: it opens only with the key file holding key \(keys), which you keep apart from it."
                )
            }
        }
    }
}

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Check a backup and restore it into an empty data directory.")
    @Option(help: "The data directory to restore into (must hold no database).") var dataDir: String
    @Option(help: "The key file kept with the backup, when the archive holds none.") var key: String?
    @Argument(help: "The archive written by trellis backup.") var archive: String
    func run() async throws {
        try await operatorErrors {
            let r = try TrellisRunner.restore(dataDirectory: dataDir, archive: archive, keyFile: key)
            print(
                "Restored the backup of \(ISO8601DateFormatter().string(from: r.manifest.createdAt)) into \(dataDir) in \(String(format: "%.1f", r.seconds)) s: every file matched its checksum, both databases passed SQLite's integrity check, the audit chain's \(r.auditEntries) entries verify and end at \(r.manifest.auditHead), and the key from \(r.keySource) opens the sealed fields."
            )
            print("Start Trellis with --data-dir \(dataDir).")
        }
    }
}

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Synthetic demo data.", subcommands: [Seed.self])
    struct Seed: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Seed synthetic agencies, staff, clients, cases and notes into an empty database.")
        @OptionGroup var storage: StorageOptions
        @Option(help: "Number of clients.") var clients = 1000
        @Option(help: "Random seed; the same seed gives the same data.") var seed: UInt64 = 2026
        func run() async throws {
            guard (1...2_000_000).contains(clients) else {
                throw ValidationError("--clients must be between 1 and 2,000,000.")
            }
            try await TrellisRunner.withApplication(try storage.config(demo: true)) { app in
                guard try await TrellisRunner.staffCount(app) == 0 else {
                    throw ValidationError(
                        "The database already has users; demo data goes into an empty data directory.")
                }
                let start = Date()
                let s = try await TrellisRunner.seedDemo(app, clients: clients, seed: seed)
                let secs = Date().timeIntervalSince(start)
                print(
                    "Seeded \(s.clients) clients (\(s.household) of them household members of another), \(s.cases) cases, \(s.notes) notes, \(s.staff) staff in \(String(format: "%.1f", secs)) s."
                )
                print("Sign in as admin, supervisor1 or casemanager1 with password \(DemoSeeder.demoPassword).")
            }
        }
    }
}

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Time the most used pages on a demo database (seeded first if the data directory is empty).")
    @Option(help: "Data directory for the benchmark database.") var dataDir = "./trellis-bench-data"
    @Option(help: "Clients to seed when the directory is empty.") var clients = 100_000
    @Option(help: "Requests per page for the one-user, in-process timings.") var iterations = 200
    @Option(help: "Signed-in users at once for the HTTP load test (0 skips it).") var users = 32
    @Option(help: "Seconds per page for the load test.") var seconds = 20
    @Option(help: "The wrk load generator (Debian package wrk).") var wrk = "/usr/bin/wrk"
    @Option(help: "Port for the load test's server.") var port = 8099
    @Option(
        help:
            "Think times to run the load test with, in milliseconds, comma-separated (each user pauses half to one and a half times this between requests; 0 means none)."
    )
    var thinkMs = "1000,0"
    @Flag(help: "Skip timing the outcome and data-quality reports.") var noReports = false
    @Option(
        help:
            "Instead of the pages: fill the audit log to this many entries (when it holds fewer) and time a walk of the whole chain."
    )
    var auditEntries: Int?

    func run() async throws {
        if let auditEntries {
            guard auditEntries > 0 else { throw ValidationError("--audit-entries must be positive.") }
            try await TrellisBench.auditChain(
                config: TrellisConfig.fromEnvironment(dataDirectory: dataDir), entries: auditEntries
            ) { print($0) }
            return
        }
        let think = thinkMs.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !think.isEmpty, think.allSatisfy({ $0 >= 0 }) else {
            throw ValidationError("--think-ms takes milliseconds, e.g. 1000,0.")
        }
        guard iterations > 0, users >= 0, seconds > 0 else {
            throw ValidationError("--iterations and --seconds must be positive, --users not negative.")
        }
        if users > 0 && !FileManager.default.isExecutableFile(atPath: wrk) {
            throw ValidationError(
                "wrk not found at \(wrk): install it (apt-get install wrk) or pass --wrk, or --users 0 to skip the load test."
            )
        }
        try await TrellisBench.run(
            config: TrellisConfig.fromEnvironment(dataDirectory: dataDir), clients: clients, iterations: iterations,
            load: users > 0 ? .init(users: users, seconds: seconds, wrk: wrk, port: port, thinkTimes: think) : nil,
            reports: !noReports
        ) { print($0) }
    }
}

/// Runs `body`, saying an error the operator can act on (a busy directory, a bad archive, a missing key) as a
/// plain message rather than a trace.
func operatorErrors<T>(_ body: () async throws -> T) async throws -> T {
    do { return try await body() } catch let e as CustomStringConvertible { throw ValidationError(e.description) }
}
