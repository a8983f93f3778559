import Fluent
import Foundation
import SQLKit
import TrellisCore

// MARK: Assessments

struct AssessmentRow: Codable {
    var id: UUID
    var agency_id: UUID
    var case_id: UUID
    var client_id: UUID
    var assessor_id: UUID
    var instrument_code: String
    var instrument_version: Int
    var completed_on: String
    var result: String
    var created_at: Date
}

struct AlertRow: Codable {
    var id: UUID
    var agency_id: UUID
    var case_id: UUID
    var client_id: UUID
    var assessment_id: UUID
    var reason: String
    var raised_at: Date
    var acknowledged_at: Date?
    var acknowledged_by: UUID?
    var action_taken: String?
    init(_ a: RiskAlert) {
        id = a.id
        agency_id = a.agencyID
        case_id = a.caseID
        client_id = a.clientID
        assessment_id = a.assessmentID
        reason = a.reason
        raised_at = a.raisedAt
        acknowledged_at = a.acknowledgedAt
        acknowledged_by = a.acknowledgedBy
        action_taken = a.actionTaken
    }
    var domain: RiskAlert {
        RiskAlert(
            id: id, agencyID: agency_id, caseID: case_id, clientID: client_id, assessmentID: assessment_id,
            reason: reason,
            raisedAt: raised_at, acknowledgedAt: acknowledged_at, acknowledgedBy: acknowledged_by,
            actionTaken: action_taken)
    }
}

extension SQLStore {
    public func insertAssessment(_ a: Assessment) async throws {
        let row = AssessmentRow(
            id: a.id, agency_id: a.agencyID, case_id: a.caseID, client_id: a.clientID, assessor_id: a.assessorID,
            instrument_code: a.result.instrumentCode, instrument_version: a.result.instrumentVersion,
            completed_on: a.completedOn.description, result: JSONText.encode(a.result), created_at: a.createdAt)
        try await sql.insert(into: "assessments").model(row, with: Self.encoder).run()
    }

    public func assessments(caseID: UUID) async throws -> [Assessment] {
        try await sql.select().column("*").from("assessments").where("case_id", .equal, caseID)
            .orderBy("completed_on").orderBy("created_at").all(decoding: AssessmentRow.self).compactMap { r in
                guard let result = JSONText.decode(ScoredAssessment.self, r.result),
                    let date = LocalDate(r.completed_on)
                else { return nil }
                return Assessment(
                    id: r.id, agencyID: r.agency_id, caseID: r.case_id, clientID: r.client_id,
                    assessorID: r.assessor_id,
                    completedOn: date, result: result, createdAt: r.created_at)
            }
    }

    public func insertAlerts(_ alerts: [RiskAlert]) async throws {
        guard !alerts.isEmpty else { return }
        try await sql.insert(into: "risk_alerts").models(alerts.map(AlertRow.init), with: Self.encoder).run()
    }

    public func alert(id: UUID) async throws -> RiskAlert? {
        try await sql.select().column("*").from("risk_alerts").where("id", .equal, id).first(decoding: AlertRow.self)?
            .domain
    }

    public func acknowledgeAlert(id: UUID, at: Date, by: UUID, action: String) async throws -> Bool {
        let rows = try await sql.update("risk_alerts").set("acknowledged_at", to: at).set("acknowledged_by", to: by)
            .set("action_taken", to: action).where("id", .equal, id).where("acknowledged_at", .is, SQLLiteral.null)
            .returning("id").all()
        return !rows.isEmpty
    }

    public func alerts(caseID: UUID) async throws -> [RiskAlert] {
        try await sql.select().column("*").from("risk_alerts").where("case_id", .equal, caseID)
            .orderBy("raised_at", .descending).all(decoding: AlertRow.self).map(\.domain)
    }

    struct AlertListRow: Decodable {
        var alert: AlertRow
        var first_name: String?
        var last_name: String?
        var preferred_name: String?
        var alias: String?
        init(from decoder: any Decoder) throws {
            alert = try AlertRow(from: decoder)
            enum K: String, CodingKey { case first_name, last_name, preferred_name, alias }
            let c = try decoder.container(keyedBy: K.self)
            first_name = try c.decodeIfPresent(String.self, forKey: .first_name)
            last_name = try c.decodeIfPresent(String.self, forKey: .last_name)
            preferred_name = try c.decodeIfPresent(String.self, forKey: .preferred_name)
            alias = try c.decodeIfPresent(String.self, forKey: .alias)
        }
    }

    public func openAlerts(agencyID: UUID, caseManagers staffIDs: [UUID]) async throws -> [RiskAlert] {
        guard !staffIDs.isEmpty else { return [] }
        // Driven from the workers' open cases (a handful), not from every open alert of the agency; SQLite
        // is held to that order (CROSS JOIN), PostgreSQL's planner finds it from the indexes.
        var q: SQLQueryString = "SELECT a.*, cl.first_name, cl.last_name, cl.preferred_name, cl.alias FROM cases c "
        q.appendLiteral(isSQLite ? "CROSS JOIN" : "JOIN")
        q.appendLiteral(
            " risk_alerts a ON a.case_id = c.id JOIN clients cl ON cl.id = a.client_id WHERE c.primary_case_manager_id IN ("
        )
        for (i, id) in staffIDs.enumerated() {
            if i > 0 { q.appendLiteral(", ") }
            q.appendInterpolation(bind: id)
        }
        q.appendLiteral(") AND c.status <> 'closed' AND a.acknowledged_at IS NULL AND a.agency_id = ")
        q.appendInterpolation(bind: agencyID)
        q.appendLiteral(" ORDER BY a.raised_at")
        return try await sql.raw(q).all(decoding: AlertListRow.self).map { r in
            var a = r.alert.domain
            a.clientName =
                ClientSummary(
                    id: a.clientID, firstName: r.first_name, lastName: r.last_name,
                    preferredName: r.preferred_name, birthDate: nil, alias: r.alias
                ).displayName
            return a
        }
    }

    public func assessment(id: UUID) async throws -> Assessment? {
        guard
            let r = try await sql.select().column("*").from("assessments").where("id", .equal, id).first(
                decoding: AssessmentRow.self),
            let result = JSONText.decode(ScoredAssessment.self, r.result), let date = LocalDate(r.completed_on)
        else { return nil }
        return Assessment(
            id: r.id, agencyID: r.agency_id, caseID: r.case_id, clientID: r.client_id, assessorID: r.assessor_id,
            completedOn: date, result: result, createdAt: r.created_at)
    }

    public func markAssessed(caseID: UUID, on date: LocalDate) async throws {
        try await sql.update("cases").set("last_assessed_on", to: date.description).where("id", .equal, caseID)
            .where {
                $0.where("last_assessed_on", .is, SQLLiteral.null).orWhere(
                    "last_assessed_on", .lessThan, date.description)
            }.run()
    }

    public func insertInstrument(_ def: InstrumentDefinition, id: UUID, createdBy: UUID, at: Date) async throws {
        guard let agency = def.agencyID else { return }
        let row = InstrumentRow(
            id: id, agency_id: agency, code: def.code, version: def.version, definition: JSONText.encode(def),
            created_by: createdBy, created_at: at)
        do { try await sql.insert(into: "instruments").model(row, with: Self.encoder).run() } catch let e
            as any DatabaseError where e.isConstraintFailure
        {
            throw TrellisError.conflict(
                "Someone saved a newer version of this form. Reload it and make your changes again.")
        }
    }

    public func agencyInstruments(agencyID: UUID) async throws -> [InstrumentDefinition] {
        try await sql.select().column("definition").from("instruments").where("agency_id", .equal, agencyID)
            .orderBy("code").orderBy("version").all().compactMap { row in
                JSONText.decode(InstrumentDefinition.self, try row.decode(column: "definition", as: String.self))
            }
    }

    public func insertBiopsychosocial(_ b: BiopsychosocialAssessment) async throws {
        try await sql.insert(into: "biopsychosocial_assessments").model(BiopsychosocialRow(b), with: Self.encoder).run()
    }

    public func biopsychosocial(id: UUID) async throws -> BiopsychosocialAssessment? {
        try await sql.select().column("*").from("biopsychosocial_assessments").where("id", .equal, id)
            .first(decoding: BiopsychosocialRow.self)?.domain
    }

    public func biopsychosocials(caseID: UUID) async throws -> [BiopsychosocialAssessment] {
        try await sql.select().column("*").from("biopsychosocial_assessments").where("case_id", .equal, caseID)
            .orderBy("completed_on").orderBy("created_at").all(decoding: BiopsychosocialRow.self).compactMap(\.domain)
    }
}

struct InstrumentRow: Codable {
    var id: UUID
    var agency_id: UUID
    var code: String
    var version: Int
    var definition: String
    var created_by: UUID
    var created_at: Date
}

struct BiopsychosocialRow: Codable {
    var id: UUID
    var agency_id: UUID
    var case_id: UUID
    var client_id: UUID
    var author_id: UUID
    var completed_on: String
    var body: String
    var created_at: Date
    struct Body: Codable {
        var domains: [BPSDomainEntry]
        var strengths: [StrengthArea: [String]]
    }
    init(_ b: BiopsychosocialAssessment) {
        id = b.id
        agency_id = b.agencyID
        case_id = b.caseID
        client_id = b.clientID
        author_id = b.authorID
        completed_on = b.completedOn.description
        body = JSONText.encode(Body(domains: b.domains, strengths: b.strengths))
        created_at = b.createdAt
    }
    var domain: BiopsychosocialAssessment? {
        guard let body = JSONText.decode(Body.self, body), let date = LocalDate(completed_on) else { return nil }
        return BiopsychosocialAssessment(
            id: id, agencyID: agency_id, caseID: case_id, clientID: client_id, authorID: author_id,
            completedOn: date, domains: body.domains, strengths: body.strengths, createdAt: created_at)
    }
}
