import Foundation
import TrellisCore
import TrellisData
import Vapor

/// `trellis bench`: times the pages staff use most, through the whole request path (routing,
/// middleware, session lookup, service, SQL, HTML) in-process, so figures are repeatable and free of
/// network noise. Prints p50/p95/max per page.
public enum TrellisBench {
    public struct Row: Sendable { public var name: String; public var p50: Double; public var p95: Double; public var max: Double }

    public static func run(config: TrellisConfig, clients: Int, iterations: Int, output: (String) -> Void) async throws {
        try await TrellisRunner.withApplication(config) { app in
            let store = SQLStore(database: app.db)
            if try await store.staffCount() == 0 {
                let start = Date()
                let s = try await TrellisRunner.seedDemo(app, clients: clients)
                output(String(format: "seeded %d clients, %d cases, %d notes in %.1f s", s.clients, s.cases, s.notes, Date().timeIntervalSince(start)))
            }
            guard let staff = try await store.staff(username: "casemanager1") else { throw TrellisError.notFound("casemanager1 (seed an empty data directory)") }
            let cookie = Tokens.random()
            try await store.insertSession(StaffSession(tokenHash: Tokens.hash(cookie), staffID: staff.id, csrfToken: Tokens.random(),
                                                       createdAt: Date(), expiresAt: Date().addingTimeInterval(3600)))
            try await app.asyncBoot()
            let headers: HTTPHeaders = ["Cookie": "\(SessionCookie.name)=\(cookie)"]

            let actor = ActingUser(staff)
            let caseload = try await CaseloadService(store: store, deps: app.trellis.deps).caseload(of: staff.id, by: actor)
            guard let entry = caseload.entries.first else { throw TrellisError.notFound("an open case for casemanager1") }
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
                    let answers = Dictionary(uniqueKeysWithValues: domains.enumerated().map { d, id in
                        (id, Answer.value(min(5, 1 + (i + d) / 5)))
                    })
                    _ = try await assessments.record(caseID: entry.caseID, instrument: "ssm", answers: answers,
                                                     completedOn: date.description, by: actor)
                }
            }
            let fragment = String(SearchText.normalize(client.lastName ?? "gar").prefix(4))
            let pages: [(String, String)] = [
                ("caseload", "/caseload"),
                ("caseload sorted by client", "/caseload?sort=client"),
                ("search: part of a surname", "/clients?q=\(fragment)"),
                ("search: date of birth", "/clients?q=\(client.birthDate?.description ?? "1980-01-01")"),
                ("client summary", "/clients/\(client.id.uuidString.lowercased())"),
                ("case with notes, 20 assessments", "/cases/\(entry.caseID.uuidString.lowercased())"),
                ("progress view, 20 assessments", "/cases/\(entry.caseID.uuidString.lowercased())/progress"),
                ("intake form", "/clients/new"),
            ]
            output("page                              p50 ms   p95 ms   max ms   (\(iterations) requests each)")
            for (name, path) in pages {
                var times: [Double] = []
                for i in 0..<(iterations + 5) {
                    let req = Request(application: app, method: .GET, url: URI(string: path), headers: headers, on: app.eventLoopGroup.next())
                    let t0 = DispatchTime.now().uptimeNanoseconds
                    let res = try await app.responder.respond(to: req).get()
                    let ms = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1_000_000
                    guard res.status == .ok else { throw Abort(.internalServerError, reason: "\(path) answered \(res.status.code)") }
                    if i >= 5 { times.append(ms) }   // the first few warm caches
                }
                times.sort()
                let p = { (q: Double) in times[min(times.count - 1, Int(Double(times.count) * q))] }
                output(name.padding(toLength: 32, withPad: " ", startingAt: 0) + String(format: " %7.2f  %7.2f  %7.2f", p(0.5), p(0.95), times.last!))
            }
            try await store.deleteSession(tokenHash: Tokens.hash(cookie))
        }
    }
}
