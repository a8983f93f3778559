import Fluent
import Foundation
import SQLKit
import TrellisCore

struct CaseRow: Codable {
    var id: UUID
    var agency_id: UUID
    var client_id: UUID
    var program_id: UUID
    var primary_case_manager_id: UUID
    var status: String
    var stage: String
    var priority: String
    var opened_on: String
    var closed_on: String?
    var last_contact_on: String?
    var contact_due_on: String
    var created_at: Date
    var updated_at: Date
    var version: Int
    var closure_reason: String?
    var exit_destination: Int?
    init(_ c: Case) {
        closure_reason = c.closureReason?.rawValue
        exit_destination = c.exitDestination
        id = c.id
        agency_id = c.agencyID
        client_id = c.clientID
        program_id = c.programID
        primary_case_manager_id = c.primaryCaseManagerID
        status = c.status.rawValue
        stage = c.stage.rawValue
        priority = c.priority.rawValue
        opened_on = c.openedOn.description
        closed_on = c.closedOn?.description
        last_contact_on = c.lastContactOn?.description
        contact_due_on = c.contactDueOn.description
        created_at = c.createdAt
        updated_at = c.updatedAt
        version = c.version
    }
    var domain: Case {
        Case(
            id: id, agencyID: agency_id, clientID: client_id, programID: program_id,
            primaryCaseManagerID: primary_case_manager_id,
            status: CaseStatus(rawValue: status) ?? .open, stage: CaseStage(rawValue: stage) ?? .engagement,
            priority: CasePriority(rawValue: priority) ?? .medium, openedOn: LocalDate(opened_on)!,
            closedOn: closed_on.flatMap(LocalDate.init), lastContactOn: last_contact_on.flatMap(LocalDate.init),
            contactDueOn: LocalDate(contact_due_on)!,
            closureReason: closure_reason.flatMap(ClosureReason.init(rawValue:)),
            exitDestination: exit_destination, createdAt: created_at, updatedAt: updated_at, version: version)
    }
}

extension CaseRow: BulkRow {
    static let columns = [
        "id", "agency_id", "client_id", "program_id", "primary_case_manager_id", "status", "stage", "priority",
        "opened_on", "closed_on", "last_contact_on", "contact_due_on", "created_at", "updated_at", "version"
    ]
    var values: [any Encodable & Sendable] {
        [
            id, agency_id, client_id, program_id, primary_case_manager_id, status, stage, priority, opened_on,
            closed_on,
            last_contact_on, contact_due_on, created_at, updated_at, version
        ]
    }
}

extension SQLStore {
    // MARK: Cases

    public func insertCase(_ c: Case) async throws {
        do {
            try await sql.insert(into: "cases").model(CaseRow(c), with: Self.encoder).run()
        } catch let e as any DatabaseError where e.isConstraintFailure {
            throw TrellisError.validation([
                FieldError("programID", "this client already has an open case in this program")
            ])
        }
        try await refreshClientFindings([c.clientID])
    }

    public func updateCase(_ c: Case, expectedVersion: Int) async throws -> Bool {
        let rows = try await sql.update("cases").set(model: CaseRow(c), with: Self.encoder)
            .where("id", .equal, c.id).where("version", .equal, expectedVersion).returning("id").all()
        return !rows.isEmpty
    }

    public func `case`(id: UUID) async throws -> Case? {
        try await sql.select().column("*").from("cases").where("id", .equal, id).first(decoding: CaseRow.self)?.domain
    }

    public func cases(ids: [UUID], agencyID: UUID) async throws -> [Case] {
        guard !ids.isEmpty else { return [] }
        var out: [Case] = []
        for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
            out += try await sql.select().column("*").from("cases").where("agency_id", .equal, agencyID)
                .where("id", .in, chunk).all(decoding: CaseRow.self).map(\.domain)
        }
        return out
    }

    public func cases(clientID: UUID) async throws -> [Case] {
        try await sql.select().column("*").from("cases").where("client_id", .equal, clientID)
            .orderBy("opened_on", .descending).all(decoding: CaseRow.self).map(\.domain)
    }

    struct CaseloadRow: Decodable {
        var id: UUID
        var client_id: UUID
        var first_name: String?
        var last_name: String?
        var preferred_name: String?
        var alias: String?
        var program_id: UUID
        var program_name: String
        var contact_frequency_days: Int
        var stage: String
        var priority: String
        var opened_on: String
        var last_contact_on: String?
        var reassessment_days: Int?
        var last_assessed_on: String?
        var acuity_severity: Int
        var crisis_domains: Int
    }

    public func caseload(staffID: UUID) async throws -> [CaseloadEntry] {
        try await sql.raw(
            """
            SELECT c.id, c.client_id, cl.first_name, cl.last_name, cl.preferred_name, cl.alias, c.program_id, p.name AS \
            program_name,
                   p.contact_frequency_days, c.stage, c.priority, c.opened_on, c.last_contact_on,
                   p.reassessment_days, c.last_assessed_on, c.acuity_severity, c.crisis_domains
            FROM cases c JOIN clients cl ON cl.id = c.client_id JOIN programs p ON p.id = c.program_id
            WHERE c.primary_case_manager_id = \(bind: staffID) AND c.status <> 'closed'
            """
        ).all(decoding: CaseloadRow.self).map { r in
            var e = CaseloadEntry(
                caseID: r.id, clientID: r.client_id,
                clientName: ClientSummary(
                    id: r.client_id, firstName: r.first_name, lastName: r.last_name,
                    preferredName: r.preferred_name, birthDate: nil, alias: r.alias
                ).displayName,
                programName: r.program_name, contactFrequencyDays: r.contact_frequency_days,
                stage: CaseStage(rawValue: r.stage) ?? .engagement,
                priority: CasePriority(rawValue: r.priority) ?? .medium,
                openedOn: LocalDate(r.opened_on)!, lastContactOn: r.last_contact_on.flatMap(LocalDate.init),
                reassessmentDays: r.reassessment_days, lastAssessedOn: r.last_assessed_on.flatMap(LocalDate.init))
            e.programID = r.program_id
            e.acuitySeverity = r.acuity_severity
            e.crisisDomains = r.crisis_domains
            return e
        }
    }

    public func caseloadCounts(agencyID: UUID, today: LocalDate) async throws -> [UUID: (open: Int, overdue: Int)] {
        let rows = try await sql.raw(
            """
            SELECT primary_case_manager_id AS staff_id, COUNT(*) AS open_count,
                   SUM(CASE WHEN contact_due_on < \(bind: today.description) THEN 1 ELSE 0 END) AS overdue_count
            FROM cases WHERE agency_id = \(bind: agencyID) AND status <> 'closed' GROUP BY primary_case_manager_id
            """
        ).all()
        var out: [UUID: (open: Int, overdue: Int)] = [:]
        for r in rows {
            out[try r.decode(column: "staff_id", as: UUID.self)] =
                (
                    try r.decode(column: "open_count", as: Int.self),
                    try r.decode(column: "overdue_count", as: Int?.self) ?? 0
                )
        }
        return out
    }
}
