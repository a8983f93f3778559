import Foundation
import Testing
import TrellisCore
import TrellisData
@testable import TrellisWeb
import VaporTesting

@Suite("Assessments and risk alerts (storage and services)")
struct AssessmentStorageTests {
    func service(_ app: Application) -> AssessmentService {
        AssessmentService(store: SQLStore(database: app.db), deps: testDeps)
    }

    func phq9(item9: Int, rest: Int = 1) -> [String: Answer] {
        var a: [String: Answer] = [:]
        for i in 1...8 { a["item\(i)"] = .value(rest) }
        a["item9"] = .value(item9)
        return a
    }

    @Test func aPHQ9WithItem9AboveZeroAlertsTheCaseManagerAndTheirSupervisorUntilAcknowledged() async throws {
        try await withTrellis { app, f in
            let c = try await f.openCase(app, client: try await f.client(app))
            let (a, alerts) = try await service(app).record(
                caseID: c.id, instrument: "phq9", answers: phq9(item9: 1),
                completedOn: "2026-06-10", by: f.actor(.caseManager))
            #expect(a.result.total == 9)
            #expect(a.result.band?.label == "Mild")
            #expect(alerts.map(\.reason) == ["PHQ-9 item 9: thoughts of death or self-harm"])

            #expect(try await service(app).openAlerts(for: f.actor(.caseManager)).map(\.id) == alerts.map(\.id))
            #expect(try await service(app).openAlerts(for: f.actor(.supervisor)).map(\.id) == alerts.map(\.id))
            #expect(
                try await service(app).openAlerts(for: ActingUser(f.caseManager2)).isEmpty,
                "another team's case manager")

            await #expect(throws: TrellisError.validation([FieldError("actionTaken", "is required")])) {
                try await service(app).acknowledge(alertID: alerts[0].id, actionTaken: "  ", by: f.actor(.caseManager))
            }
            await #expect(throws: TrellisError.forbidden("Your role does not allow this.")) {
                try await service(app).acknowledge(alertID: alerts[0].id, actionTaken: "Called", by: f.actor(.auditor))
            }
            await #expect(throws: TrellisError.notFound("alert")) {
                try await service(app).acknowledge(
                    alertID: alerts[0].id, actionTaken: "Called", by: ActingUser(f.otherAgencyStaff))
            }
            let done = try await service(app).acknowledge(
                alertID: alerts[0].id, actionTaken: "Completed a safety plan; crisis line given.",
                by: f.actor(.supervisor))
            #expect(done.acknowledgedBy == f.staff[.supervisor]!.id)
            #expect(try await service(app).openAlerts(for: f.actor(.caseManager)).isEmpty)
            await #expect(throws: TrellisError.self) {
                try await service(app).acknowledge(
                    alertID: alerts[0].id, actionTaken: "Again", by: f.actor(.supervisor))
            }
            let actions = try await SQLStore(database: app.db).auditEntries(clientID: c.clientID, limit: 50, offset: 0)
                .map(\.action)
            #expect(
                actions.contains("assessment.create") && actions.contains("alert.raise")
                    && actions.contains("alert.acknowledge"))
        }
    }

    @Test func resultsKeepTheirInstrumentVersionAndComeBackInOrder() async throws {
        try await withTrellis { app, f in
            let c = try await f.openCase(app, client: try await f.client(app))
            var ssm: [String: Answer] = Dictionary(
                uniqueKeysWithValues: BuiltInInstruments.selfSufficiencyMatrix.items.map { ($0.id, Answer.value(2)) })
            ssm["childCare"] = .notApplicable
            _ = try await service(app).record(
                caseID: c.id, instrument: "ssm", answers: ssm, completedOn: "2026-06-12", by: f.actor(.caseManager))
            _ = try await service(app).record(
                caseID: c.id, instrument: "phq9", answers: phq9(item9: 0, rest: 0), completedOn: "2026-05-02",
                by: f.actor(.caseManager))
            let list = try await service(app).history(caseID: c.id, by: f.actor(.auditor))
            #expect(list.map(\.result.instrumentCode) == ["phq9", "ssm"])
            #expect(list[1].result.answers["childCare"] == .notApplicable)
            #expect(list[1].result.total == 16 * 2)
            #expect(list.allSatisfy { $0.result.instrumentVersion == 1 })
        }
    }

    @Test func badAnswersAndDatesAreRefusedAndNothingIsWritten() async throws {
        try await withTrellis { app, f in
            let c = try await f.openCase(app, client: try await f.client(app), opened: "2026-05-01")
            var bad = phq9(item9: 0)
            bad["item1"] = .value(7)
            bad["item2"] = nil
            await #expect(
                throws: TrellisError.validation([
                    FieldError("completedOn", "cannot be before the case was opened (2026-05-01)"),
                    FieldError("answers.item1", "is not one of the item's options"),
                    FieldError("answers.item2", "is required")
                ])
            ) {
                try await service(app).record(
                    caseID: c.id, instrument: "phq9", answers: bad, completedOn: "2026-04-01", by: f.actor(.caseManager)
                )
            }
            await #expect(
                throws: TrellisError.validation([FieldError("instrument", "is not one of the available instruments")])
            ) {
                try await service(app).record(
                    caseID: c.id, instrument: "beck", answers: [:], completedOn: nil, by: f.actor(.caseManager))
            }
            await #expect(throws: TrellisError.forbidden("Your role does not allow this.")) {
                try await service(app).record(
                    caseID: c.id, instrument: "phq9", answers: phq9(item9: 0), completedOn: nil, by: f.actor(.auditor))
            }
            #expect(try await app.count("assessments") == 0)
            #expect(try await app.count("risk_alerts") == 0)
        }
    }
}
