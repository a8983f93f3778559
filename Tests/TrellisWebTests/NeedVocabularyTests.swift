import Foundation
import Testing
import TrellisCore
@testable import TrellisData
@testable import TrellisWeb
import VaporTesting

/// One vocabulary of needs across plan domains, directory needs and referrals (issue 13, point 5).
@Suite("Need vocabulary")
struct NeedVocabularyTests {
    func mentalHealthService(_ app: Application, _ f: Fixture) async throws -> ResourceService {
        var input = ResourceServiceInput()
        input.organizationName = "Riverside Counseling"
        input.name = "Walk-in counseling"
        input.needs = ["mental_health"]
        return try await ResourceDirectory(store: SQLStore(database: app.db), deps: testDeps).save(
            nil, input, expectedVersion: nil, by: f.actor(.caseManager))
    }

    @Test func everyNeedAppearsOnceWithOneLabel() async throws {
        let catalogs = try Catalogs.load()
        for lang in Language.allCases {
            let labels = Needs.all.map { catalogs.tables[lang]!["need.\($0)"] }
            #expect(!labels.contains(nil), "\(lang): a need has no label")
            #expect(Set(labels).count == labels.count, "\(lang): two needs share a label: \(labels)")
        }
        #expect(Set(Needs.all).count == Needs.all.count)
        // Every Self-Sufficiency Matrix domain and every biopsychosocial domain is a need of the vocabulary.
        for item in BuiltInInstruments.selfSufficiencyMatrix.items {
            #expect(Needs.contains(Needs.forSSMDomain(item.id)))
        }
        for d in BPSDomain.allCases { #expect(Needs.contains(d.rawValue)) }
        try await withTrellis { app, f in
            let c = try await f.openCase(app, client: try await f.client(app))
            for path in ["/cases/\(c.id)/plan/edit", "/directory", "/directory/new"] {
                let page = try await app.web(.GET, path, as: f.caseManager, fixture: f)
                #expect(page.status == .ok, "\(path)")
                #expect(page.body.components(separatedBy: ">Mental health</option>").count - 1 <= 1, "\(path)")
                #expect(page.body.components(separatedBy: ">Substance use</option>").count - 1 <= 1, "\(path)")
            }
        }
    }

    @Test func aMatrixNeedFindsTheServicesThatAnswerIt() async throws {
        try await withTrellis { app, f in
            let store = SQLStore(database: app.db)
            let service = try await mentalHealthService(app, f)
            let c = try await f.openCase(app, client: try await f.client(app))
            // A goal built from the matrix's "Mental health" domain, as a client of the API might still send it.
            let saved = try await app.api(
                .PUT, "/api/v1/cases/\(c.id)/plan", as: f.caseManager, fixture: f,
                json:
                    #"{"goals":[{"domain":"mentalHealth","goal":"Start counseling","target":"Attends 4 sessions","targetDate":"2026-09-01"}]}"#,
                headers: ["If-Match": "\"0\""])
            #expect(saved.status == .ok || saved.status == .created, "\(saved.body)")
            let plan = try #require(try await store.planVersions(caseID: c.id).first)
            #expect(plan.goals[0].domain == "mental_health")
            let found = try await ResourceDirectory(store: store, deps: testDeps).search(
                ResourceQuery(need: plan.goals[0].domain), by: f.actor(.caseManager))
            #expect(found.map(\.service.id) == [service.id])
            // The matrix's needs form proposes goals under the vocabulary's code.
            let (a, _) = try await AssessmentService(store: store, deps: testDeps).record(
                caseID: c.id, instrument: "ssm",
                answers: Dictionary(
                    uniqueKeysWithValues: BuiltInInstruments.selfSufficiencyMatrix.items.map {
                        ($0.id, Answer.value($0.id == "mentalHealth" ? 1 : 4))
                    }), completedOn: "2026-06-10", by: f.actor(.caseManager))
            let def = BuiltInInstruments.selfSufficiencyMatrix
            let needs = ssmNeeds(a, def, Strings(language: .en, catalogs: try Catalogs.load()))
            #expect(needs.map(\.domain) == ["mental_health"])
        }
    }

    @Test func theMigrationMapsFormerCodes() async throws {
        try await withTrellis { app, f in
            let store = SQLStore(database: app.db)
            let service = try await mentalHealthService(app, f)
            let c = try await f.openCase(app, client: try await f.client(app))
            _ = try await PlanService(store: store, deps: testDeps).save(
                caseID: c.id,
                PlanInput(goals: [
                    .init(
                        domain: "mental_health", goal: "Talk about \"mentalHealth\" with a counselor",
                        target: "Weekly", targetDate: "2026-09-30")
                ]), expectedVersion: nil, by: f.actor(.caseManager))
            // As the code before one vocabulary stored them.
            try await app.sql.raw(
                "UPDATE service_plans SET body = REPLACE(body, '\"domain\":\"mental_health\"', '\"domain\":\"mentalHealth\"')"
            ).run()
            try await app.sql.raw(
                "UPDATE directory_services SET body = REPLACE(body, '\"needs\":[\"mental_health\"]', '\"needs\":[\"mental_health\",\"mentalHealth\"]'), need_text = '|mental_health|mentalHealth|'"
            ).run()
            #expect(try await store.planVersions(caseID: c.id).first?.goals.first?.domain == "mentalHealth")
            try await M018_OneNeedVocabulary().prepare(on: app.db)
            let goal = try #require(try await store.planVersions(caseID: c.id).first?.goals.first)
            #expect(goal.domain == "mental_health")
            // Free text is never touched, even where it quotes a former code.
            #expect(goal.goal == "Talk about \"mentalHealth\" with a counselor")
            let s = try #require(try await store.record(ResourceService.self, id: service.id))
            #expect(s.needs == ["mental_health"])
            let text = try await app.sql.raw(
                "SELECT need_text FROM directory_services WHERE id = \(bind: service.id)"
            ).first()?.decode(column: "need_text", as: String.self)
            #expect(text == "|mental_health|")
        }
    }
}
