import Foundation
import SQLKit
import TrellisCore

/// A case row with the columns the services keep beside the case's own fields, for bulk seeding.
struct SeedCaseRow: BulkRow {
    var base: CaseRow
    var extra: SeedCaseExtra
    static let columns =
        CaseRow.columns + [
            "closure_reason", "exit_destination", "last_assessed_on", "acuity_severity", "crisis_domains",
            "ssm_first", "ssm_latest", "ssm_latest_on", "goals_total", "goals_achieved"
        ]
    var values: [any Encodable & Sendable] {
        base.values + [
            base.closure_reason, base.exit_destination, extra.lastAssessedOn?.description, extra.signals?.severity ?? 0,
            extra.signals?.crisisDomains ?? 0, extra.signals?.ssmFirst, extra.signals?.ssmLatest,
            extra.signals?.ssmLatestOn?.description, extra.goals.total, extra.goals.achieved
        ]
    }
}

extension SQLStore {
    /// Rows of one encodable shape, in multi-row inserts small enough for either database's bind limit.
    func bulkModels<R: Encodable & Sendable>(_ table: String, _ rows: [R], columns: Int) async throws {
        for chunk in rows.chunked(max(1, 30_000 / columns)) where !chunk.isEmpty {
            try await sql.insert(into: table).models(chunk, with: Self.encoder).run()
        }
    }

    func bulkRecords<R: StoredRecord>(_ records: [R]) async throws {
        guard let first = records.first else { return }
        let keys = first.index.keys.sorted()
        for chunk in records.chunked(max(1, 30_000 / (keys.count + 3))) {
            let insert = sql.insert(into: R.table).columns(["id", "version", "body"] + keys)
            for r in chunk {
                let idx = r.index
                insert.values(
                    [SQLBind(r.id), SQLBind(r.version), SQLBind(try Self.bodyText(r))]
                        + keys.map { Self.bind(idx[$0] ?? .text(nil)) })
            }
            try await insert.run()
        }
    }

    func bulkInsertTeams(_ teams: [Team]) async throws {
        try await bulkModels("teams", teams.map(TeamRow.init), columns: 5)
    }
    func bulkInsertStaff(_ staff: [StaffMember]) async throws {
        try await bulkModels("staff", staff.map(StaffRow.init), columns: 10)
    }

    func insertSeedBatch(_ b: SeedBatch) async throws {
        try await insertClients(b.clients, households: b.households)
        for chunk in zip(b.cases, b.extras).map({ SeedCaseRow(base: CaseRow($0), extra: $1) }).chunked(1000) {
            try await bulkInsert("cases", chunk)
        }
        try await insertCaseMembers(b.caseMembers)
        try await refreshClientFindings(b.clients.map(\.id))
        try await insertNotes(b.notes)
        try await bulkModels(
            "assessments",
            b.assessments.map { a in
                AssessmentRow(
                    id: a.id, agency_id: a.agencyID, case_id: a.caseID, client_id: a.clientID,
                    assessor_id: a.assessorID,
                    instrument_code: a.result.instrumentCode, instrument_version: a.result.instrumentVersion,
                    completed_on: a.completedOn.description, result: JSONText.encode(a.result), created_at: a.createdAt)
            }, columns: 10)
        try await bulkModels("risk_alerts", b.alerts.map(AlertRow.init), columns: 10)
        try await bulkModels("service_plans", b.plans.map(PlanRow.init), columns: 12)
        try await bulkRecords(b.referrals)
        try await bulkRecords(b.tasks)
        try await bulkRecords(b.noteReviews)
    }
}
