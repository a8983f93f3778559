import Fluent
import Foundation
import SQLKit
import TrellisCore

/// What the data-quality report finds in a client's own fields, kept as bits on each of the client's cases
/// (`client_dq`, with `client_birth_date`), so the report reads the cases alone rather than joining a
/// client for each of a million cases (14 s on SQLite at a million clients).
enum ClientFinding: Int, CaseIterable {
    case nameUnknown, nameMissing, nameInvalid, ssnUnknown, ssnMissing, ssnInvalid
    case birthDateUnknown, birthDateMissing, birthDatePartial, birthDateGiven
    case raceUnknown, raceMissing, sexUnknown, sexMissing, veteranUnknown, veteranMissing, veteran

    var bit: Int { 1 << rawValue }

    /// HUD's rules over the client row `cl`.
    var condition: String {
        switch self {
        case .nameUnknown: return "cl.name_data_quality IN (8, 9)"
        case .nameMissing:
            return
                "(cl.name_data_quality = 99 OR (cl.name_data_quality NOT IN (8, 9) AND (cl.first_name IS NULL OR cl.last_name IS NULL)))"
        case .nameInvalid:
            return "(cl.name_data_quality = 2 AND cl.first_name IS NOT NULL AND cl.last_name IS NOT NULL)"
        case .ssnUnknown: return "cl.ssn_data_quality IN (8, 9)"
        case .ssnMissing: return "(cl.ssn_data_quality = 99 OR (cl.ssn_data_quality IN (1, 2) AND cl.ssn IS NULL))"
        // The digits are sealed: whether they break HUD's rules is kept beside them (`ssn_invalid`).
        case .ssnInvalid:
            return
                "(cl.ssn IS NOT NULL AND cl.ssn_data_quality IN (1, 2) AND (cl.ssn_data_quality = 2 OR cl.ssn_invalid = 1))"
        case .birthDateUnknown: return "cl.dob_data_quality IN (8, 9)"
        case .birthDateMissing:
            return "(cl.dob_data_quality = 99 OR (cl.dob_data_quality IN (1, 2) AND cl.birth_date IS NULL))"
        // Invalid on its own; a date after the case's opening is judged per case.
        case .birthDatePartial:
            return
                "(cl.birth_date IS NOT NULL AND cl.dob_data_quality IN (1, 2) AND (cl.dob_data_quality = 2 OR cl.birth_date < '1915-01-01'))"
        case .birthDateGiven: return "(cl.birth_date IS NOT NULL AND cl.dob_data_quality IN (1, 2))"
        case .raceUnknown: return "cl.race_none IN (8, 9)"
        case .raceMissing: return "(cl.race_none = 99 OR (cl.race_none IS NULL AND cl.races = ''))"
        case .sexUnknown: return "cl.sex IN (8, 9)"
        case .sexMissing: return "cl.sex = 99"
        case .veteranUnknown: return "cl.veteran_status IN (8, 9)"
        case .veteranMissing: return "cl.veteran_status = 99"
        case .veteran: return "cl.veteran_status = 1"
        }
    }

    /// Copies the findings of the clients `cl` onto the cases `c`; `filter` narrows the cases.
    static func refresh(_ filter: String) -> String {
        let bits = allCases.map { "(CASE WHEN \($0.condition) THEN \($0.bit) ELSE 0 END)" }.joined(separator: " + ")
        return
            "UPDATE cases AS c SET client_dq = \(bits), client_birth_date = cl.birth_date FROM clients AS cl WHERE cl.id = c.client_id\(filter)"
    }
}

extension SQLStore {
    /// Called whenever a client changes or gains a case.
    func refreshClientFindings(_ clientIDs: [UUID]) async throws {
        for chunk in Array(Set(clientIDs)).chunked(500) where !chunk.isEmpty {
            var q = SQLQueryString(
                stringLiteral: ClientFinding.refresh(" AND cl.purged_at IS NULL AND c.client_id IN ("))
            for (i, id) in chunk.enumerated() {
                if i > 0 { q.appendLiteral(", ") }
                q.appendInterpolation(bind: id)
            }
            q.appendLiteral(")")
            try await sql.raw(q).run()
        }
    }

    // MARK: ReportingRepository

    public func ssmChange(_ scope: CaseScope, _ f: ReportFilter, domains: [String]) async throws -> [SSMDomainChange] {
        // Two short strings per case, tallied here: one pass, no per-domain expressions in SQL.
        let rows = try await sql.raw(
            """
            SELECT c.ssm_first, c.ssm_latest FROM cases c
            WHERE c.ssm_latest_on >= \(bind: f.from.description) AND c.ssm_latest_on <= \
            \(bind: f.to.description)\(scopeClause(scope))
            """
        ).all()
        var out = domains.map {
            SSMDomainChange(
                domain: $0, cases: 0, firstTotal: 0, latestTotal: 0, improved: 0, worsened: 0, crisisFirst: 0,
                crisisLatest: 0)
        }
        for r in rows {
            guard let first = try r.decode(column: "ssm_first", as: String?.self),
                let latest = try r.decode(column: "ssm_latest", as: String?.self)
            else { continue }
            let a = Array(first.utf8)
            let b = Array(latest.utf8)
            for k in 0..<min(domains.count, a.count, b.count) {
                // "1"..."5"; "-" is not applicable
                guard (49...53).contains(a[k]), (49...53).contains(b[k]) else { continue }
                let x = Int(a[k]) - 48
                let y = Int(b[k]) - 48
                out[k].cases += 1
                out[k].firstTotal += x
                out[k].latestTotal += y
                if y > x { out[k].improved += 1 } else if y < x { out[k].worsened += 1 }
                if x == 1 { out[k].crisisFirst += 1 }
                if y == 1 { out[k].crisisLatest += 1 }
            }
        }
        return out
    }

    func programCounts(_ rows: [any SQLRow], _ columns: [String]) throws -> [ProgramCounts] {
        try rows.map { r in
            ProgramCounts(
                programID: try r.decode(column: "program_id", as: UUID.self),
                values: Dictionary(uniqueKeysWithValues: try columns.map { ($0, try int(r, $0)) }))
        }
    }

    public func goalCounts(_ scope: CaseScope, _ f: ReportFilter) async throws -> [ProgramCounts] {
        try programCounts(
            try await sql.raw(
                """
                SELECT c.program_id, COUNT(*) AS cases, SUM(c.goals_total) AS goals, SUM(c.goals_achieved) AS achieved
                FROM cases c WHERE c.goals_total > 0\(activeIn(f))\(scopeClause(scope)) GROUP BY c.program_id
                """
            ).all(), ["cases", "goals", "achieved"])
    }

    public func referralCounts(_ scope: CaseScope, _ f: ReportFilter) async throws -> [ProgramCounts] {
        let rows = try await sql.raw(
            """
            SELECT c.program_id, r.status, COUNT(*) AS n FROM referrals r JOIN cases c ON c.id = r.case_id
            WHERE r.agency_id = \(bind: scope.agencyID) AND r.sent_on >= \(bind: f.from.description) AND r.sent_on \
            <= \(bind: f.to.description)\(scopeClause(scope))
            GROUP BY c.program_id, r.status
            """
        ).all()
        var out: [UUID: [String: Int]] = [:]
        for r in rows {
            let pid = try r.decode(column: "program_id", as: UUID.self)
            let status = try r.decode(column: "status", as: String.self)
            let n = try int(r, "n")
            out[pid, default: [:]]["sent", default: 0] += n
            let key: String
            switch ReferralStatus(rawValue: status) {
            case .completed?: key = "completed"
            case .notCompleted?: key = "notCompleted"
            case .declined?: key = "declined"
            default: key = "open"
            }
            out[pid, default: [:]][key, default: 0] += n
        }
        return out.map { ProgramCounts(programID: $0.key, values: $0.value) }
    }

    public func exitCounts(_ scope: CaseScope, _ f: ReportFilter) async throws -> [UUID: [Int?: Int]] {
        let rows = try await sql.raw(
            """
            SELECT c.program_id, c.exit_destination, COUNT(*) AS n FROM cases c
            WHERE c.status = 'closed' AND c.closed_on >= \(bind: f.from.description) AND c.closed_on <= \
            \(bind: f.to.description)\(scopeClause(scope))
            GROUP BY c.program_id, c.exit_destination
            """
        ).all()
        var out: [UUID: [Int?: Int]] = [:]
        for r in rows {
            out[try r.decode(column: "program_id", as: UUID.self), default: [:]][
                try r.decode(column: "exit_destination", as: Int?.self)] = try int(r, "n")
        }
        return out
    }

    var daysExpression: String {
        isSQLite
            ? "CAST(julianday(c.closed_on) - julianday(c.opened_on) AS INTEGER)"
            : "(CAST(c.closed_on AS DATE) - CAST(c.opened_on AS DATE))"
    }

    public func participationDays(_ scope: CaseScope, _ f: ReportFilter) async throws -> [Int: Int] {
        let rows = try await sql.raw(
            """
            SELECT \(unsafeRaw: daysExpression) AS days, COUNT(*) AS n FROM cases c
            WHERE c.status = 'closed' AND c.closed_on >= \(bind: f.from.description) AND c.closed_on <= \
            \(bind: f.to.description)\(scopeClause(scope))
            GROUP BY 1
            """
        ).all()
        var out: [Int: Int] = [:]
        for r in rows { out[try int(r, "days")] = try int(r, "n") }
        return out
    }

    public func refreshLastVisit(programID: UUID, contactType: ContactType?, caseID: UUID?) async throws {
        if let caseID {
            try await sql.raw(
                """
                UPDATE cases SET visit_last_on = (SELECT MAX(n.contact_date) FROM case_notes n WHERE n.case_id = \
                cases.id
                AND n.contact_type = \(bind: contactType?.rawValue ?? "") AND n.addendum_to IS NULL) WHERE id = \
                \(bind: caseID)
                """
            ).run()
            return
        }
        // A whole program: one aggregate over the notes of that type, not a probe per case.
        try await sql.raw("UPDATE cases SET visit_last_on = NULL WHERE program_id = \(bind: programID)").run()
        guard let contactType else { return }
        try await sql.raw(
            """
            UPDATE cases SET visit_last_on = m.last FROM (SELECT n.case_id, MAX(n.contact_date) AS last FROM \
            case_notes n
            WHERE n.contact_type = \(bind: contactType.rawValue) AND n.addendum_to IS NULL GROUP BY n.case_id) m
            WHERE m.case_id = cases.id AND cases.program_id = \(bind: programID)
            """
        ).run()
    }

    public func complianceCounts(_ scope: CaseScope, programs: [Program], today: LocalDate) async throws
        -> [ProgramCounts]
    {
        let inScope = programs.filter { scope.programIDs?.contains($0.id) ?? true }
        guard !inScope.isEmpty else { return [] }
        // One pass over the open cases, off the report index: each program's reassessment threshold and
        // home-visit threshold (its first rule with a contact type, against the latest such note kept on
        // the case) are chosen per row with CASE.
        func perProgram(_ value: (Program) -> String?) -> SQLQueryString {
            let values = inScope.compactMap { p in value(p).map { (p.id, $0) } }
            guard !values.isEmpty else { return "NULL" }
            var q: SQLQueryString = "CASE c.program_id"
            for (id, v) in values {
                q.appendLiteral(" WHEN ")
                q.appendInterpolation(bind: id)
                q.appendLiteral(" THEN ")
                q.appendInterpolation(bind: v)
            }
            q.appendLiteral(" ELSE NULL END")
            return q
        }
        let visitSince = perProgram { p in p.visitRule.map { today.adding(days: -$0.everyDays).description } }
        let rows = try await sql.raw(
            """
            SELECT c.program_id, COUNT(*) AS open, SUM(CASE WHEN c.contact_due_on >= \(bind: today.description) THEN \
            1 ELSE 0 END) AS contact_met,
                   SUM(CASE WHEN COALESCE(c.last_assessed_on, c.opened_on) >= \
            \(perProgram { p in p.reassessmentDays.map { today.adding(days: -$0).description } })
                       THEN 1 ELSE 0 END) AS reassessment_met,
                   SUM(CASE WHEN c.opened_on >= \(visitSince) OR c.visit_last_on >= \(visitSince) THEN 1 ELSE 0 END) \
            AS visit_met
            FROM cases c WHERE c.status IN ('open', 'on_hold')\(scopeClause(scope)) GROUP BY c.program_id
            """
        ).all()
        let byID = Dictionary(inScope.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return try rows.compactMap { r in
            guard let p = byID[try r.decode(column: "program_id", as: UUID.self)] else { return nil }
            var values = ["open": try int(r, "open"), "contactMet": try int(r, "contact_met")]
            if p.reassessmentDays != nil {
                values["reassessmentMet"] = try int(r, "reassessment_met")
                values["reassessmentApplies"] = values["open"]
            }
            if p.visitRule != nil {
                values["visitRules"] = 1
                values["visitMet"] = try int(r, "visit_met")
            }
            return ProgramCounts(programID: p.id, values: values)
        }
    }

    public func caseloadHistory(_ scope: CaseScope, monthEnds: [LocalDate]) async throws -> [[Int]] {
        guard let first = monthEnds.first, let last = monthEnds.last else { return [] }
        var q: SQLQueryString = "SELECT c.primary_case_manager_id"
        for (i, end) in monthEnds.enumerated() {
            q.appendLiteral(", SUM(CASE WHEN c.opened_on <= ")
            q.appendInterpolation(bind: end.description)
            q.appendLiteral(" AND (c.closed_on IS NULL OR c.closed_on > ")
            q.appendInterpolation(bind: end.description)
            q.appendLiteral(")  THEN 1 ELSE 0 END) AS m\(i)")
        }
        q.appendLiteral(" FROM cases c WHERE c.opened_on <= ")
        q.appendInterpolation(bind: last.description)
        q.appendLiteral(" AND (c.closed_on IS NULL OR c.closed_on > ")
        q.appendInterpolation(bind: first.description)
        q.appendLiteral(")")
        q.appendInterpolation(scopeClause(scope))
        q.appendLiteral(" GROUP BY c.primary_case_manager_id")
        return try await sql.raw(q).all().map { r in try monthEnds.indices.map { try int(r, "m\($0)") } }
    }

    // MARK: Data quality

    /// Cases `c` closed within the period: the base for the exit-destination element.
    func exitedIn(_ f: ReportFilter) -> SQLQueryString {
        "c.status = 'closed' AND c.closed_on >= \(bind: f.from.description) AND c.closed_on <= \(bind: f.to.description)"
    }

    /// The SQL condition for one element and issue over cases `c`, from the client's findings kept on each
    /// case; a veteran's age is judged at `today`, an exit destination among the period's exits.
    func condition(_ e: DataElement, _ i: DataIssue, _ f: ReportFilter, today: LocalDate) -> SQLQueryString? {
        func has(_ f: ClientFinding) -> SQLQueryString { "(c.client_dq & \(unsafeRaw: String(f.bit))) <> 0" }
        switch (e, i) {
        case (.name, .unknown): return has(.nameUnknown)
        case (.name, .missing): return has(.nameMissing)
        case (.name, .invalid): return has(.nameInvalid)
        case (.ssn, .unknown): return has(.ssnUnknown)
        case (.ssn, .missing): return has(.ssnMissing)
        case (.ssn, .invalid): return has(.ssnInvalid)
        case (.birthDate, .unknown): return has(.birthDateUnknown)
        case (.birthDate, .missing): return has(.birthDateMissing)
        case (.birthDate, .invalid):
            return "(\(has(.birthDatePartial)) OR (\(has(.birthDateGiven)) AND c.client_birth_date > c.opened_on))"
        case (.race, .unknown): return has(.raceUnknown)
        case (.race, .missing): return has(.raceMissing)
        case (.sex, .unknown): return has(.sexUnknown)
        case (.sex, .missing): return has(.sexMissing)
        case (.veteran, .unknown): return has(.veteranUnknown)
        case (.veteran, .missing): return has(.veteranMissing)
        case (.veteran, .invalid):
            return "(\(has(.veteran)) AND c.client_birth_date > \(bind: today.adding(years: -18).description))"
        case (.destination, .unknown): return "(\(exitedIn(f)) AND c.exit_destination IN (8, 9))"
        case (.destination, .missing):
            return "(\(exitedIn(f)) AND (c.exit_destination IS NULL OR c.exit_destination IN (30, 99)))"
        case (.race, .invalid), (.sex, .invalid), (.destination, .invalid): return nil
        }
    }

    public func dataQuality(_ scope: CaseScope, _ f: ReportFilter, grouping: DataQualityGrouping, today: LocalDate)
        async throws -> [DataQualityRow]
    {
        let group = grouping == .program ? "c.program_id" : "c.primary_case_manager_id"
        var q: SQLQueryString = "SELECT COUNT(*) AS records, SUM(CASE WHEN \(exitedIn(f)) THEN 1 ELSE 0 END) AS exits"
        var keys: [(DataElement, DataIssue, String)] = []
        for e in DataElement.allCases {
            for i in DataIssue.allCases {
                guard let cond = condition(e, i, f, today: today) else { continue }
                let key = "\(e.rawValue)_\(i.rawValue)"
                q.appendLiteral(", SUM(CASE WHEN ")
                q.appendInterpolation(cond)
                q.appendLiteral(" THEN 1 ELSE 0 END) AS \(key)")
                keys.append((e, i, key))
            }
        }
        q.appendLiteral(", \(group) AS group_id FROM cases c WHERE 1 = 1")
        q.appendInterpolation(activeIn(f))
        q.appendInterpolation(scopeClause(scope))
        q.appendLiteral(" GROUP BY \(group)")
        return try await sql.raw(q).all().map { r in
            var counts: [DataElement: [DataIssue: Int]] = [:]
            for (e, i, key) in keys { counts[e, default: [:]][i] = try int(r, key) }
            let records = try int(r, "records")
            return DataQualityRow(
                groupID: try r.decode(column: "group_id", as: UUID.self),
                records: records, exits: try int(r, "exits"), counts: counts)
        }
    }

    public func dataQualityRecords(
        _ scope: CaseScope, _ f: ReportFilter, element: DataElement, issue: DataIssue?, today: LocalDate,
        limit: Int, offset: Int
    ) async throws -> [DataQualityRecord] {
        // The issues are disjoint, so "any issue" lists exactly as many records as the report's error count.
        let conds = (issue.map { [$0] } ?? DataIssue.allCases).compactMap { condition(element, $0, f, today: today) }
        guard var cond = conds.first else { return [] }
        if conds.count > 1 {
            cond = "("
            for (k, c) in conds.enumerated() {
                if k > 0 { cond.appendLiteral(" OR ") }
                cond.appendInterpolation(c)
            }
            cond.appendLiteral(")")
        }
        var q: SQLQueryString =
            "SELECT c.id, c.client_id, cl.first_name, cl.last_name, cl.preferred_name, cl.alias, c.program_id, c.primary_case_manager_id "
        q.appendLiteral("FROM cases c JOIN clients cl ON cl.id = c.client_id WHERE 1 = 1")
        q.appendInterpolation(activeIn(f))
        q.appendInterpolation(scopeClause(scope))
        q.appendLiteral(" AND ")
        q.appendInterpolation(cond)
        // The report index's order (worker, program, opening), so the first page is found without sorting every match.
        q.appendLiteral(" ORDER BY c.primary_case_manager_id, c.program_id, c.opened_on, c.id LIMIT ")
        q.appendInterpolation(bind: limit)
        q.appendLiteral(" OFFSET ")
        q.appendInterpolation(bind: offset)
        return try await sql.raw(q).all().map { r in
            let cid = try r.decode(column: "client_id", as: UUID.self)
            return DataQualityRecord(
                clientID: cid, caseID: try r.decode(column: "id", as: UUID.self),
                clientName: ClientSummary(
                    id: cid, firstName: try r.decode(column: "first_name", as: String?.self),
                    lastName: try r.decode(column: "last_name", as: String?.self),
                    preferredName: try r.decode(column: "preferred_name", as: String?.self), birthDate: nil,
                    alias: try r.decode(column: "alias", as: String?.self)
                ).displayName,
                programID: try r.decode(column: "program_id", as: UUID.self),
                caseManagerID: try r.decode(column: "primary_case_manager_id", as: UUID.self))
        }
    }
}
