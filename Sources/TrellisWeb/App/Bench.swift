import Foundation
import TrellisCore
import TrellisData
import Vapor

/// `trellis bench`: times the pages staff use most. First one user in-process through the whole
/// request path (routing, middleware, session lookup, service, SQL, HTML), p50/p95/max per page; then,
/// with `wrk`, many signed-in users at once over HTTP against the real server; then every outcome and
/// data-quality report over the whole agency.
public enum TrellisBench {
    public struct LoadOptions: Sendable {
        public var users: Int
        public var seconds: Int
        public var wrk: String
        public var port: Int
        /// Pauses between one user's requests, in milliseconds (0: each user sends the next request at once).
        public var thinkTimes: [Int]
        public init(users: Int, seconds: Int, wrk: String, port: Int, thinkTimes: [Int]) {
            self.users = users
            self.seconds = seconds
            self.wrk = wrk
            self.port = port
            self.thinkTimes = thinkTimes
        }
    }

    public static func run(
        config: TrellisConfig, clients: Int, iterations: Int, load: LoadOptions?, reports: Bool,
        output: @escaping @Sendable (String) -> Void
    ) async throws {
        try await TrellisRunner.withApplication(config) { app in
            let store = SQLStore(database: app.db)
            if try await store.staffCount() == 0 {
                let start = Date()
                let s = try await TrellisRunner.seedDemo(app, clients: clients)
                output(
                    String(
                        format: "seeded %d clients, %d cases, %d notes in %.1f s", s.clients, s.cases, s.notes,
                        Date().timeIntervalSince(start)))
            }
            guard let staff = try await store.staff(username: "casemanager1") else {
                throw TrellisError.notFound("casemanager1 (seed an empty data directory)")
            }
            let cookie = Tokens.random()
            try await store.insertSession(
                StaffSession(
                    tokenHash: Tokens.hash(cookie), staffID: staff.id, csrfToken: Tokens.random(),
                    createdAt: Date(), expiresAt: Date().addingTimeInterval(3600)))
            try await app.asyncBoot()
            let headers: HTTPHeaders = ["Cookie": "\(SessionCookie.name)=\(cookie)"]

            let actor = ActingUser(staff)
            let caseload = try await CaseloadService(store: store, deps: app.trellis.deps).caseload(
                of: staff.id, by: actor)
            guard let entry = caseload.entries.first else {
                throw TrellisError.notFound("an open case for casemanager1")
            }
            let client = try await store.client(id: entry.clientID)!
            // The progress view is timed for a case with 20 Self-Sufficiency Matrix assessments,
            // spread from the case's opening to today (added once, on the first run).
            let assessments = AssessmentService(store: store, deps: app.trellis.deps)
            let existing = try await store.assessments(caseID: entry.caseID).count
            if existing < 20 {
                let today = app.trellis.deps.today
                let step = max(1, entry.openedOn.days(until: today) / 20)
                let domains = BuiltInInstruments.selfSufficiencyMatrix.items.map(\.id)
                for i in existing..<20 {
                    let date = max(entry.openedOn, today.adding(days: -(19 - i) * step))
                    let answers = Dictionary(
                        uniqueKeysWithValues: domains.enumerated().map { d, id in
                            (id, Answer.value(min(5, 1 + (i + d) / 5)))
                        })
                    _ = try await assessments.record(
                        caseID: entry.caseID, instrument: "ssm", answers: answers,
                        completedOn: date.description, by: actor)
                }
            }
            let fragment = String(SearchText.normalize(client.lastName ?? "gar").prefix(4))
            let pages: [(String, String)] = [
                ("who needs me today", "/today"),
                ("caseload", "/caseload"),
                ("caseload sorted by client", "/caseload?sort=client"),
                ("search: part of a surname", "/clients?q=\(fragment)"),
                (
                    "search: part of a first name",
                    "/clients?q=\(SearchText.normalize(client.firstName ?? "mar").prefix(4))"
                ),
                ("search: date of birth", "/clients?q=\(client.birthDate?.description ?? "1980-01-01")"),
                ("client summary", "/clients/\(client.id.uuidString.lowercased())"),
                ("case with notes, 20 assessments", "/cases/\(entry.caseID.uuidString.lowercased())"),
                ("progress view, 20 assessments", "/cases/\(entry.caseID.uuidString.lowercased())/progress"),
                ("intake form", "/clients/new")
            ]
            output("page                              p50 ms   p95 ms   max ms   (\(iterations) requests each)")
            for (name, path) in pages {
                output(
                    try await timed(name, iterations) {
                        let req = Request(
                            application: app, method: .GET, url: URI(string: path), headers: headers,
                            on: app.eventLoopGroup.next())
                        let res = try await app.responder.respond(to: req).get()
                        guard res.status == .ok else {
                            throw Abort(.internalServerError, reason: "\(path) answered \(res.status.code)")
                        }
                    })
            }
            // The need-to-know decision alone, as every read of a client's record makes it (three indexed queries),
            // for one client and for a whole caseload at once; and the audit a caseload's list writes (one entry
            // per client named), which the caseload and Today pages pay since lists are audited.
            let clientIDs = Array(Set(caseload.entries.map(\.clientID)))
            let deps = app.trellis.deps
            let parts: [(String, () async throws -> Void)] = [
                ("need-to-know decision", { _ = try await store.access(toClient: client.id, actor, at: Date()) }),
                (
                    "decision, \(clientIDs.count) clients at once",
                    { _ = try await store.access(toClients: clientIDs, actor, at: Date()) }
                ),
                (
                    "audit of a \(clientIDs.count)-client list",
                    {
                        try await store.appendAudit(
                            clientIDs.map {
                                AuditEntry(
                                    id: deps.auditID(), at: deps.now(), actorID: actor.id, agencyID: actor.agencyID,
                                    action: AuditAction.caseloadList.rawValue, recordType: "client", recordID: $0,
                                    clientID: $0, changedFields: [], purpose: .care, basisID: nil)
                            })
                    }
                )
            ]
            for (name, body) in parts { output(try await timed(name, iterations, body)) }
            try await store.deleteSession(tokenHash: Tokens.hash(cookie))
            if let load { try await loadTest(app, store: store, load, output: output) }
            if reports { try await timeReports(app, store: store, output: output) }
        }
    }

    /// `trellis bench --audit-entries N`: fills the audit log of `config`'s database with synthetic entries
    /// until it holds `entries` (written through the chain, 1,000 to a transaction), then walks the whole chain
    /// the way `trellis audit verify` does.
    public static func auditChain(
        config: TrellisConfig, entries: Int, output: @escaping @Sendable (String) -> Void
    ) async throws {
        try await TrellisRunner.withApplication(config) { app in
            let store = SQLStore(database: app.db)
            var head = try await store.auditChainHead()
            if head.seq < entries {
                let start = Date()
                let actions = AuditAction.allCases.map(\.rawValue)
                let agency = UUID()
                let actors = (0..<50).map { _ in UUID() }
                var written = 0
                let missing = entries - Int(head.seq)
                while written < missing {
                    let n = min(1000, missing - written)
                    let now = Date()
                    let batch = (0..<n).map { i in
                        let client = UUID()
                        return AuditEntry(
                            id: UUID.timeOrdered(at: now), at: now, actorID: actors[(written + i) % actors.count],
                            agencyID: agency, action: actions[(written + i) % actions.count], recordType: "client",
                            recordID: client, clientID: client, changedFields: i % 10 == 0 ? ["first_name"] : [],
                            purpose: .care, basisID: nil)
                    }
                    try await store.transaction { tx in try await tx.appendAudit(batch) }
                    written += n
                    if written % 1_000_000 == 0 || written == missing {
                        output(
                            String(
                                format: "wrote %d of %d entries (%.0f s)", written, missing,
                                Date().timeIntervalSince(start)))
                    }
                }
                head = try await store.auditChainHead()
            }
            let report = try await store.verifyAuditChain(expecting: head)
            output(
                String(
                    format: "audit verify: %lld entries in %.2f s (%.0f per second), %@", report.entries,
                    report.seconds, Double(report.entries) / max(report.seconds, 0.001),
                    report.intact ? "intact" : "BROKEN: \(report.fault!.description)"))
        }
    }

    /// `body` run `iterations` times after five runs that warm caches: its name, p50, p95 and max in ms.
    static func timed(_ name: String, _ iterations: Int, _ body: () async throws -> Void) async throws -> String {
        var times: [Double] = []
        for i in 0..<(iterations + 5) {
            let t0 = DispatchTime.now().uptimeNanoseconds
            try await body()
            if i >= 5 { times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1_000_000) }
        }
        times.sort()
        let p = { (q: Double) in times[min(times.count - 1, Int(Double(times.count) * q))] }
        return name.padding(toLength: 32, withPad: " ", startingAt: 0)
            + String(format: " %7.2f  %7.2f  %7.2f", p(0.5), p(0.95), times.last!)
    }

    /// `users` case managers signed in at once, each with their own session; wrk keeps one request per
    /// user in flight for `seconds` per page, once per think time (a pause between a user's requests, as
    /// people reading a page make; 0 is the worst case, every user clicking again the moment a page loads).
    static func loadTest(
        _ app: Application, store: SQLStore, _ o: LoadOptions, output: @escaping @Sendable (String) -> Void
    ) async throws {
        var users: [(cookie: String, client: String, caseload: [UUID], surname: String)] = []
        for i in 1...o.users {
            guard let s = try await store.staff(username: "casemanager\(i)") else {
                throw TrellisError.notFound("casemanager\(i): seed more clients")
            }
            let cookie = Tokens.random()
            try await store.insertSession(
                StaffSession(
                    tokenHash: Tokens.hash(cookie), staffID: s.id, csrfToken: Tokens.random(),
                    createdAt: Date(), expiresAt: Date().addingTimeInterval(7200)))
            let entries = try await store.caseload(staffID: s.id)
            guard let first = entries.first, let client = try await store.client(id: first.clientID) else { continue }
            users.append(
                (
                    cookie, first.clientID.uuidString.lowercased(), entries.map(\.clientID),
                    String(SearchText.normalize(client.lastName ?? "gar").prefix(4))
                ))
        }
        try await app.server.start(address: .hostname("127.0.0.1", port: o.port))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("trellis-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let pages: [(String, (Int) -> String)] = [
            ("who needs me today", { _ in "/today" }),
            (
                "client record",
                { i in
                    "/clients/"
                        + users[i % users.count].caseload[(i / users.count) % users[i % users.count].caseload.count]
                        .uuidString.lowercased()
                }
            ),
            ("client search", { i in "/clients?q=" + users[i % users.count].surname }),
            ("caseload", { _ in "/caseload" })
        ]
        for think in o.thinkTimes {
            output("")
            output(
                "\(users.count) signed-in case managers at once over HTTP (wrk, \(users.count) connections, \(o.seconds) s per page, "
                    + (think == 0
                        ? "no think time: each sends its next request at once)"
                        : "each pausing \(think / 2)–\(think * 3 / 2) ms between requests)"))
            output("page                              req/s    p50 ms   p95 ms   p99 ms   max ms   non-2xx")
            for (name, path) in pages {
                // Let the server finish what the previous run left in flight before timing the next page.
                try await Task.sleep(for: .seconds(3))
                // Each request goes out as the next user in turn, with that user's cookie and a path of theirs.
                var lua = "local reqs = {}\n"
                for i in 0..<(users.count * 8) {
                    let u = users[i % users.count]
                    let target =
                        path(i).addingPercentEncoding(
                            withAllowedCharacters: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "'[]")))
                        ?? path(i)
                    lua +=
                        "reqs[\(i + 1)] = wrk.format('GET', [[\(target)]], { ['Cookie'] = [[\(SessionCookie.name)=\(u.cookie)]] })\n"
                }
                if think > 0 { lua += "delay = function() return math.random(\(think / 2), \(think * 3 / 2)) end\n" }
                lua += """
                    local n = 0
                    request = function() n = n + 1; return reqs[(n % #reqs) + 1] end
                    done = function(summary, latency, requests)
                      local bad = summary.errors.status + summary.errors.connect + summary.errors.read + \
                    summary.errors.write + summary.errors.timeout
                      io.write(string.format("RESULT %.1f %.2f %.2f %.2f %.2f %d\\n", summary.requests / \
                    (summary.duration / 1e6),
                        latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, \
                    latency.max / 1000, bad))
                    end
                    """
                let script = dir.appendingPathComponent("load.lua")
                try lua.write(to: script, atomically: true, encoding: .utf8)
                if think == o.thinkTimes.first {
                    // Untimed: every user's requests once or more, so the figures are of pages in the database's
                    // cache (other files on the machine, such as the other database's, may have pushed them out).
                    _ = try await runProcess(
                        o.wrk,
                        [
                            "-t2", "-c\(users.count)", "-d3s", "--timeout", "10s", "-s", script.path,
                            "http://127.0.0.1:\(o.port)"
                        ])
                    try await Task.sleep(for: .seconds(2))
                }
                let out = try await runProcess(
                    o.wrk,
                    [
                        "-t2", "-c\(users.count)", "-d\(o.seconds)s", "--timeout", "10s", "-s", script.path,
                        "http://127.0.0.1:\(o.port)"
                    ])
                guard let line = out.split(separator: "\n").first(where: { $0.hasPrefix("RESULT ") }) else {
                    throw Abort(.internalServerError, reason: "wrk printed no result: \(out)")
                }
                let f = line.split(separator: " ").dropFirst().map(String.init)
                output(
                    name.padding(toLength: 32, withPad: " ", startingAt: 0)
                        + String(
                            format: " %7.0f  %7.2f  %7.2f  %7.2f  %7.2f  %8d", Double(f[0]) ?? 0, Double(f[1]) ?? 0,
                            Double(f[2]) ?? 0,
                            Double(f[3]) ?? 0, Double(f[4]) ?? 0, Int(f[5]) ?? -1))
            }
        }
        for u in users { try await store.deleteSession(tokenHash: Tokens.hash(u.cookie)) }
        await app.server.shutdown()
    }

    static func runProcess(_ path: String, _ args: [String]) async throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        return try await withCheckedThrowingContinuation { cont in
            DispatchQueue.global().async {
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                p.waitUntilExit()
                cont.resume(returning: String(decoding: data, as: UTF8.self))
            }
        }
    }

    /// Every outcome report and both data-quality groupings over the whole first agency, for the past
    /// year, as its admin (no program filter).
    static func timeReports(_ app: Application, store: SQLStore, output: @escaping @Sendable (String) -> Void)
        async throws
    {
        guard let admin = try await store.staff(username: "admin") else { return }
        let actor = ActingUser(admin)
        let outcomes = OutcomeService(store: store, deps: app.trellis.deps)
        output("")
        output(
            "reports over the whole agency, past year (in-process, seconds; the first run, then again with its pages cached)"
        )
        func time(_ name: String, _ body: () async throws -> Void) async throws {
            var runs: [Double] = []
            for _ in 0..<2 {
                let t0 = DispatchTime.now().uptimeNanoseconds
                try await body()
                runs.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
            }
            output(
                name.padding(toLength: 40, withPad: " ", startingAt: 0)
                    + String(format: " %6.2f  %6.2f", runs[0], runs[1]))
        }
        for r in OutcomeReport.allCases {
            try await time("outcomes: \(r.rawValue)") {
                _ = try await outcomes.run(r, from: nil, to: nil, program: nil, by: actor)
            }
        }
        for g in DataQualityGrouping.allCases {
            try await time("data quality by \(g.rawValue)") {
                _ = try await outcomes.dataQuality(from: nil, to: nil, program: nil, grouping: g, by: actor)
            }
        }
        try await time("data quality records (SSN missing, page 1)") {
            _ = try await outcomes.dataQualityRecords(
                element: "ssn", issue: "missing", worker: nil, from: nil, to: nil, program: nil, page: 1, by: actor)
        }
    }
}
