import Fluent
import Foundation
import SQLKit
import TrellisCore

struct AgencyRow: Codable {
    var id: UUID
    var name: String
    var created_at: Date
    var letterhead_address: String?
    var letterhead_phone: String?
    var access_policy: String
    var continuum_code: String?
    init(_ a: Agency) {
        continuum_code = a.continuumCode
        access_policy = a.accessPolicy.rawValue
        id = a.id
        name = a.name
        created_at = a.createdAt
        letterhead_address = a.letterheadAddress
        letterhead_phone = a.letterheadPhone
    }
    var domain: Agency {
        var a = Agency(id: id, name: name, createdAt: created_at)
        a.letterheadAddress = letterhead_address
        a.letterheadPhone = letterhead_phone
        a.accessPolicy = AccessPolicy(rawValue: access_policy) ?? .needToKnow
        a.continuumCode = continuum_code
        return a
    }
}

struct ProgramRow: Codable {
    var id: UUID
    var agency_id: UUID
    var name: String
    var type: String
    var contact_frequency_days: Int
    var reassessment_days: Int?
    var requires_plan_approval: Bool
    var contact_rules: String?
    var referral_response_days: Int?
    var caseload_target: Int?
    var priority_weights: String?
    var requires_closure_approval: Bool
    var requires_note_cosign: Bool
    var restriction: String?
    var active: Bool
    var created_at: Date
    var version: Int
    init(_ p: Program) {
        restriction = p.restriction?.rawValue
        version = p.version
        caseload_target = p.caseloadTarget
        priority_weights = JSONText.encode(p.priorityWeights)
        requires_closure_approval = p.requiresClosureApproval
        requires_note_cosign = p.requiresNoteCosign
        contact_rules = JSONText.encode(p.contactRules)
        referral_response_days = p.referralResponseDays
        id = p.id
        agency_id = p.agencyID
        name = p.name
        type = p.type.rawValue
        contact_frequency_days = p.contactFrequencyDays
        reassessment_days = p.reassessmentDays
        requires_plan_approval = p.requiresPlanApproval
        active = p.active
        created_at = p.createdAt
    }
    var domain: Program {
        var p = Program(
            id: id, agencyID: agency_id, name: name, type: ProgramType(rawValue: type) ?? .other,
            contactFrequencyDays: contact_frequency_days, reassessmentDays: reassessment_days,
            requiresPlanApproval: requires_plan_approval,
            contactRules: contact_rules.flatMap { JSONText.decode([ContactRequirement].self, $0) } ?? [],
            referralResponseDays: referral_response_days, active: active, createdAt: created_at)
        p.caseloadTarget = caseload_target
        p.priorityWeights = priority_weights.flatMap { JSONText.decode(PriorityWeights.self, $0) } ?? .standard
        p.requiresClosureApproval = requires_closure_approval
        p.requiresNoteCosign = requires_note_cosign
        p.restriction = restriction.flatMap(RestrictedCategory.init(rawValue:))
        p.version = version
        return p
    }
}

struct TeamRow: Codable {
    var id: UUID
    var agency_id: UUID
    var program_id: UUID?
    var name: String
    var created_at: Date
    init(_ t: Team) {
        id = t.id
        agency_id = t.agencyID
        program_id = t.programID
        name = t.name
        created_at = t.createdAt
    }
    var domain: Team { Team(id: id, agencyID: agency_id, programID: program_id, name: name, createdAt: created_at) }
}

struct StaffRow: Codable {
    var id: UUID
    var agency_id: UUID
    var team_id: UUID?
    var username: String
    var display_name: String
    var role: String
    var language: String
    var password_hash: String
    var active: Bool
    var created_at: Date
    var version: Int
    var must_change_password: Bool
    init(_ s: StaffMember) {
        version = s.version
        must_change_password = s.mustChangePassword
        id = s.id
        agency_id = s.agencyID
        team_id = s.teamID
        username = s.username
        display_name = s.displayName
        role = s.role.rawValue
        language = s.language.rawValue
        password_hash = s.passwordHash
        active = s.active
        created_at = s.createdAt
    }
    var domain: StaffMember {
        var s = StaffMember(
            id: id, agencyID: agency_id, teamID: team_id, username: username, displayName: display_name,
            role: Role(rawValue: role) ?? .auditor, language: Language(rawValue: language) ?? .en,
            passwordHash: password_hash, active: active, createdAt: created_at)
        s.version = version
        s.mustChangePassword = must_change_password
        return s
    }
}

extension SQLStore {
    // MARK: Organization

    public func insertAgency(_ a: Agency) async throws {
        try await sql.insert(into: "agencies").model(AgencyRow(a), with: Self.encoder).run()
    }

    public func agency(id: UUID) async throws -> Agency? {
        try await sql.select().column("*").from("agencies").where("id", .equal, id).first(decoding: AgencyRow.self)?
            .domain
    }

    public func updateLetterhead(agencyID: UUID, address: String?, phone: String?) async throws {
        try await sql.update("agencies").set("letterhead_address", to: address).set("letterhead_phone", to: phone)
            .where("id", .equal, agencyID).run()
    }

    public func agency(named name: String) async throws -> Agency? {
        try await sql.select().column("*").from("agencies").where("name", .equal, name).first(decoding: AgencyRow.self)?
            .domain
    }

    public func insertProgram(_ p: Program) async throws {
        try await sql.insert(into: "programs").model(ProgramRow(p), with: Self.encoder).run()
    }

    public func program(id: UUID) async throws -> Program? {
        try await sql.select().column("*").from("programs").where("id", .equal, id).first(decoding: ProgramRow.self)?
            .domain
    }

    public func updateProgramSettings(_ p: Program) async throws {
        try await sql.update("programs").set("reassessment_days", to: p.reassessmentDays)
            .set("requires_plan_approval", to: p.requiresPlanApproval).set(
                "contact_rules", to: JSONText.encode(p.contactRules)
            )
            .set("referral_response_days", to: p.referralResponseDays)
            .set("caseload_target", to: p.caseloadTarget).set(
                "priority_weights", to: JSONText.encode(p.priorityWeights)
            )
            .set("requires_closure_approval", to: p.requiresClosureApproval).set(
                "requires_note_cosign", to: p.requiresNoteCosign
            )
            .where("id", .equal, p.id).run()
    }

    public func programs(agencyID: UUID) async throws -> [Program] {
        try await sql.select().column("*").from("programs").where("agency_id", .equal, agencyID)
            .orderBy("name").all(decoding: ProgramRow.self).map(\.domain)
    }

    public func insertTeam(_ t: Team) async throws {
        try await sql.insert(into: "teams").model(TeamRow(t), with: Self.encoder).run()
    }

    public func team(id: UUID) async throws -> Team? {
        try await sql.select().column("*").from("teams").where("id", .equal, id).first(decoding: TeamRow.self)?.domain
    }

    public func teams(agencyID: UUID) async throws -> [Team] {
        try await sql.select().column("*").from("teams").where("agency_id", .equal, agencyID)
            .orderBy("name").all(decoding: TeamRow.self).map(\.domain)
    }

    public func insertStaff(_ s: StaffMember) async throws {
        do {
            try await sql.insert(into: "staff").model(StaffRow(s), with: Self.encoder).run()
        } catch let e as any DatabaseError where e.isConstraintFailure {
            throw TrellisError.validation([FieldError("username", "is already taken")])
        }
    }

    public func staff(id: UUID) async throws -> StaffMember? {
        try await sql.select().column("*").from("staff").where("id", .equal, id).first(decoding: StaffRow.self)?.domain
    }

    public func staff(username: String) async throws -> StaffMember? {
        try await sql.select().column("*").from("staff").where("username", .equal, username.lowercased())
            .first(decoding: StaffRow.self)?.domain
    }

    public func staff(agencyID: UUID) async throws -> [StaffMember] {
        try await sql.select().column("*").from("staff").where("agency_id", .equal, agencyID)
            .orderBy("display_name").all(decoding: StaffRow.self).map(\.domain)
    }

    public func staff(ids: [UUID]) async throws -> [StaffMember] {
        guard !ids.isEmpty else { return [] }
        return try await sql.select().column("*").from("staff").where("id", .in, Array(Set(ids)))
            .all(decoding: StaffRow.self).map(\.domain)
    }

    public func updateStaffLanguage(id: UUID, language: Language) async throws {
        try await sql.raw(
            "UPDATE staff SET language = \(bind: language.rawValue), version = version + 1 WHERE id = \(bind: id)"
        ).run()
    }

    public func updateStaffPassword(id: UUID, passwordHash: String, mustChange: Bool) async throws {
        try await sql.update("staff").set("password_hash", to: passwordHash).set("must_change_password", to: mustChange)
            .where("id", .equal, id).run()
    }

    public func updateStaff(_ s: StaffMember, expectedVersion: Int) async throws -> Bool {
        let changed = try await sql.raw(
            """
            UPDATE staff SET display_name = \(bind: s.displayName), role = \(bind: s.role.rawValue), \
            team_id = \(bind: s.teamID), language = \(bind: s.language.rawValue), active = \(bind: s.active), \
            must_change_password = \(bind: s.mustChangePassword), version = \(bind: s.version) \
            WHERE id = \(bind: s.id) AND version = \(bind: expectedVersion) RETURNING id
            """
        ).all()
        return !changed.isEmpty
    }

    public func updateProgram(_ p: Program, expectedVersion: Int) async throws -> Bool {
        let changed = try await sql.raw(
            """
            UPDATE programs SET name = \(bind: p.name), type = \(bind: p.type.rawValue), \
            contact_frequency_days = \(bind: p.contactFrequencyDays), version = \(bind: p.version) \
            WHERE id = \(bind: p.id) AND version = \(bind: expectedVersion) RETURNING id
            """
        ).all()
        return !changed.isEmpty
    }

    public func rescheduleContacts(programID: UUID, frequencyDays: Int) async throws -> Int {
        let due =
            isSQLite
            ? "date(COALESCE(last_contact_on, opened_on), '+' || \(frequencyDays) || ' days')"
            : "to_char(COALESCE(last_contact_on, opened_on)::date + \(frequencyDays), 'YYYY-MM-DD')"
        return try await sql.raw(
            """
            UPDATE cases SET contact_due_on = \(unsafeRaw: due), version = version + 1 WHERE program_id = \(bind: programID) \
            AND status <> 'closed' RETURNING id
            """
        ).all().count
    }

    public func staffCount() async throws -> Int {
        try await sql.raw("SELECT COUNT(*) AS n FROM staff").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    // MARK: SupervisionRepository

    public func staff(teamID: UUID) async throws -> [StaffMember] {
        try await sql.select().column("*").from("staff").where("team_id", .equal, teamID).orderBy("display_name")
            .all(decoding: StaffRow.self).map(\.domain)
    }
}
