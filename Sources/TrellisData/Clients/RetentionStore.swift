import Foundation
import SQLKit
import TrellisCore

extension SQLStore {
    // MARK: RetentionRepository

    public func retentionYears(agencyID: UUID) async throws -> Int {
        try await sql.raw("SELECT retention_years FROM agencies WHERE id = \(bind: agencyID)").first()?
            .decode(column: "retention_years", as: Int.self) ?? RetentionService.defaultYears
    }

    public func setRetentionYears(agencyID: UUID, _ years: Int) async throws {
        try await sql.raw("UPDATE agencies SET retention_years = \(bind: years) WHERE id = \(bind: agencyID)").run()
    }

    /// The clients of the agency not yet purged, unchanged since `changedBefore`, with no case (their own, or one
    /// they are enrolled in with their household) open or closed on or after `closedBefore`.
    private func dueCondition(_ agencyID: UUID, _ changedBefore: Date, _ closedBefore: LocalDate) -> SQLQueryString {
        """
        cl.agency_id = \(bind: agencyID) AND cl.purged_at IS NULL AND cl.updated_at < \(bind: changedBefore) \
        AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.client_id = cl.id AND (c.status <> 'closed' \
        OR c.closed_on IS NULL OR c.closed_on >= \(bind: closedBefore.description))) \
        AND NOT EXISTS (SELECT 1 FROM case_members m JOIN cases c ON c.id = m.case_id WHERE m.client_id = cl.id \
        AND (c.status <> 'closed' OR c.closed_on IS NULL OR c.closed_on >= \(bind: closedBefore.description)))
        """
    }

    public func dueForPurge(agencyID: UUID, changedBefore: Date, closedBefore: LocalDate, limit: Int, offset: Int)
        async throws -> [RetentionCandidate]
    {
        try await sql.raw(
            """
            SELECT cl.id, cl.created_at, cl.updated_at, \
            (SELECT MAX(c.closed_on) FROM cases c WHERE c.client_id = cl.id) AS last_closed, \
            (SELECT COUNT(*) FROM cases c WHERE c.client_id = cl.id) AS n FROM clients cl \
            WHERE \(dueCondition(agencyID, changedBefore, closedBefore)) \
            ORDER BY cl.updated_at, cl.id LIMIT \(bind: limit) OFFSET \(bind: offset)
            """
        ).all().map { r in
            RetentionCandidate(
                clientID: try r.decode(column: "id", as: UUID.self),
                createdAt: try r.decode(column: "created_at", as: Date.self),
                updatedAt: try r.decode(column: "updated_at", as: Date.self),
                lastClosedOn: try r.decode(column: "last_closed", as: String?.self).flatMap(LocalDate.init),
                cases: try r.decode(column: "n", as: Int.self))
        }
    }

    public func dueForPurgeCount(agencyID: UUID, changedBefore: Date, closedBefore: LocalDate) async throws -> Int {
        try await sql.raw(
            "SELECT COUNT(*) AS n FROM clients cl WHERE \(dueCondition(agencyID, changedBefore, closedBefore))"
        ).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    public func dueForPurge(_ ids: [UUID], agencyID: UUID, changedBefore: Date, closedBefore: LocalDate)
        async throws -> Set<UUID>
    {
        guard !ids.isEmpty else { return [] }
        var q: SQLQueryString =
            "SELECT cl.id FROM clients cl WHERE \(dueCondition(agencyID, changedBefore, closedBefore))"
        q.appendLiteral(" AND cl.id IN (")
        for (i, id) in ids.enumerated() {
            if i > 0 { q.appendLiteral(", ") }
            q.appendInterpolation(bind: id)
        }
        q.appendLiteral(")")
        return Set(try await sql.raw(q).all().map { try $0.decode(column: "id", as: UUID.self) })
    }

    /// Removes what identifies the client and what was written about them, keeping what is counted:
    /// - the client: names, alias, pronouns, SSN and its keyed hash, birth date, phone, email, address and the
    ///   free-text ethnicity go (the HUD codes and data-quality codes stay, and so do the findings the data-quality
    ///   report copied onto their cases, which are no longer refreshed);
    /// - their uploaded documents, contents and all (their household membership stays: ids and a relationship
    ///   code; each member is a client of their own, kept or removed on their own record's dates);
    /// - their case notes' text and participants (type, date and duration stay: contacts are counted), the
    ///   narrative of their biopsychosocial assessments (instrument scores stay), and what was written when a risk
    ///   alert was acknowledged (when it was stays), and the text and date answers of their assessments (options,
    ///   numbers and scores stay);
    /// - their service plans' words (goals, targets, steps, the client's own words, comments);
    /// - the birth date copied onto their cases, replaced by one that keeps the data-quality finding it fed
    ///   (born after the case opened, or not) and says nothing else.
    public func purgeClient(_ id: UUID, at: Date) async throws {
        for row in try await sql.raw(
            "SELECT id, opened_on, client_birth_date FROM cases WHERE client_id = \(bind: id)"
        ).all() {
            let caseID = try row.decode(column: "id", as: UUID.self)
            let opened = try row.decode(column: "opened_on", as: String.self)
            let born = try row.decode(column: "client_birth_date", as: String?.self)
            let kept: String? =
                if let born, born > opened, let o = LocalDate(opened) { o.adding(days: 1).description } else { nil }
            try await sql.raw("UPDATE cases SET client_birth_date = \(bind: kept) WHERE id = \(bind: caseID)").run()
        }
        for step: SQLQueryString in [
            """
            UPDATE clients SET first_name = NULL, middle_name = NULL, last_name = NULL, name_suffix = NULL, \
            preferred_name = NULL, pronouns = NULL, alias = NULL, ssn = NULL, ssn_hmac = NULL, birth_date = NULL, \
            additional_race_ethnicity = NULL, phone = NULL, email = NULL, address = NULL, search_names = '', \
            last_name_key = '', last_name_soundex = '', purged_at = \(bind: at), version = version + 1 \
            WHERE id = \(bind: id)
            """,
            """
            UPDATE case_notes SET sections = '{}', participants = '[]', purged_at = \(bind: at) \
            WHERE client_id = \(bind: id) AND purged_at IS NULL
            """,
            """
            UPDATE biopsychosocial_assessments SET body = '{"domains":[],"strengths":{}}' WHERE client_id = \(bind: id)
            """,
            "UPDATE risk_alerts SET action_taken = NULL WHERE client_id = \(bind: id) AND action_taken IS NOT NULL",
            "DELETE FROM document_contents WHERE id IN (SELECT id FROM documents WHERE client_id = \(bind: id))",
            "DELETE FROM documents WHERE client_id = \(bind: id)"
        ] {
            try await sql.raw(step).run()
        }
        if isSQLite { try await sql.raw("DELETE FROM client_search WHERE client_id = \(bind: id)").run() }
        // Assessments keep their chosen options, numbers, totals, bands and alerts; text and date answers go.
        for row in try await sql.raw("SELECT id, result FROM assessments WHERE client_id = \(bind: id)").all() {
            guard var result = JSONText.decode(ScoredAssessment.self, try row.decode(column: "result", as: String.self))
            else { continue }
            let before = result.answers.count
            result.answers = result.answers.filter { if case .text = $0.value { false } else { true } }
            guard result.answers.count < before else { continue }
            try await sql.raw(
                """
                UPDATE assessments SET result = \(bind: JSONText.encode(result)) \
                WHERE id = \(bind: try row.decode(column: "id", as: UUID.self))
                """
            ).run()
        }
        // Service plans keep their goals' needs, statuses and dates (and the counts on the cases), not the words.
        for plan in try await sql.select().column("*").from("service_plans").where("client_id", .equal, id)
            .all(decoding: PlanRow.self).compactMap(\.domain)
        {
            var p = plan
            p.changeSummary = nil
            p.reviewComment = nil
            p.goals = p.goals.map { goal in
                var g = goal
                g.clientWords = nil
                g.goal = ""
                g.target = ""
                g.steps = g.steps.map { step in
                    var s = step
                    s.description = ""
                    s.responsibleName = nil
                    return s
                }
                return g
            }
            let row = PlanRow(p)
            try await sql.update("service_plans").set("body", to: row.body).set(
                "review_comment", to: row.review_comment
            )
            .where("id", .equal, p.id).run()
        }
    }
}
