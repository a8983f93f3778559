import Foundation
import TrellisCore

// Database rows, named as their columns. They stay in the data layer and map to the domain's
// plain structs; nothing outside this module sees them.

struct AgencyRow: Codable {
    var id: UUID
    var name: String
    var created_at: Date
    init(_ a: Agency) {
        id = a.id
        name = a.name
        created_at = a.createdAt
    }
    var domain: Agency { Agency(id: id, name: name, createdAt: created_at) }
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
    var active: Bool
    var created_at: Date
    init(_ p: Program) {
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
    init(_ s: StaffMember) {
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
        StaffMember(
            id: id, agencyID: agency_id, teamID: team_id, username: username, displayName: display_name,
            role: Role(rawValue: role) ?? .auditor, language: Language(rawValue: language) ?? .en,
            passwordHash: password_hash, active: active, createdAt: created_at)
    }
}

struct ClientRow: Codable {
    var id: UUID
    var agency_id: UUID
    var first_name: String?
    var middle_name: String?
    var last_name: String?
    var name_suffix: String?
    var name_data_quality: Int
    var preferred_name: String?
    var pronouns: String?
    var ssn: String?
    var ssn_data_quality: Int
    var birth_date: String?
    var dob_data_quality: Int
    var sex: Int
    var races: String
    var race_none: Int?
    var additional_race_ethnicity: String?
    var veteran_status: Int
    var phone: String?
    var email: String?
    var address: String?
    var preferred_language: String?
    var search_names: String
    var last_name_key: String
    var last_name_soundex: String
    var created_at: Date
    var updated_at: Date
    var created_by: UUID
    var version: Int

    init(_ c: Client) {
        id = c.id
        agency_id = c.agencyID
        first_name = c.firstName
        middle_name = c.middleName
        last_name = c.lastName
        name_suffix = c.nameSuffix
        name_data_quality = c.nameDataQuality.rawValue
        preferred_name = c.preferredName
        pronouns = c.pronouns
        ssn = c.ssn
        ssn_data_quality = c.ssnDataQuality.rawValue
        birth_date = c.birthDate?.description
        dob_data_quality = c.dobDataQuality.rawValue
        sex = c.sex.rawValue
        races = c.races.map(\.rawValue).joined(separator: ",")
        race_none = c.raceNone?.rawValue
        additional_race_ethnicity = c.additionalRaceEthnicity
        veteran_status = c.veteranStatus.rawValue
        phone = c.phone
        email = c.email
        address = c.address
        preferred_language = c.preferredLanguage
        search_names = SearchText.indexText(
            first: c.firstName, middle: c.middleName, last: c.lastName, preferred: c.preferredName)
        last_name_key = SearchText.normalize(c.lastName ?? "")
        last_name_soundex = Soundex.code(c.lastName ?? "")
        created_at = c.createdAt
        updated_at = c.updatedAt
        created_by = c.createdBy
        version = c.version
    }

    var domain: Client {
        Client(
            id: id, agencyID: agency_id, firstName: first_name, middleName: middle_name, lastName: last_name,
            nameSuffix: name_suffix, nameDataQuality: DataQuality(rawValue: name_data_quality) ?? .notCollected,
            preferredName: preferred_name, pronouns: pronouns, ssn: ssn,
            ssnDataQuality: DataQuality(rawValue: ssn_data_quality) ?? .notCollected,
            birthDate: birth_date.flatMap(LocalDate.init),
            dobDataQuality: DataQuality(rawValue: dob_data_quality) ?? .notCollected,
            sex: HUDSex(rawValue: sex) ?? .notCollected,
            races: races.split(separator: ",").compactMap { RaceEthnicity(rawValue: String($0)) },
            raceNone: race_none.flatMap(RaceNone.init), additionalRaceEthnicity: additional_race_ethnicity,
            veteranStatus: NoYesMissing(rawValue: veteran_status) ?? .notCollected, phone: phone, email: email,
            address: address, preferredLanguage: preferred_language, createdAt: created_at, updatedAt: updated_at,
            createdBy: created_by, version: version)
    }
}

struct ClientSummaryRow: Codable {
    var id: UUID
    var first_name: String?
    var last_name: String?
    var preferred_name: String?
    var birth_date: String?
    var domain: ClientSummary {
        ClientSummary(
            id: id, firstName: first_name, lastName: last_name, preferredName: preferred_name,
            birthDate: birth_date.flatMap(LocalDate.init))
    }
    static let columns = ["id", "first_name", "last_name", "preferred_name", "birth_date"]
}

struct HouseholdRow: Codable {
    var id: UUID
    var client_id: UUID
    var position: Int
    var first_name: String?
    var last_name: String?
    var birth_date: String?
    var relationship: Int
    var domain: HouseholdMember {
        HouseholdMember(
            id: id, clientID: client_id, firstName: first_name, lastName: last_name,
            birthDate: birth_date.flatMap(LocalDate.init),
            relationship: RelationshipToHoH(rawValue: relationship) ?? .notCollected)
    }
}

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

struct NoteRow: Codable {
    var id: UUID
    var agency_id: UUID
    var case_id: UUID
    var client_id: UUID
    var author_id: UUID
    var contact_type: String
    var contact_date: String
    var duration_minutes: Int
    var participants: String
    var format: String
    var sections: String
    var status: String
    var signed_at: Date?
    var addendum_to: UUID?
    var created_at: Date
    var updated_at: Date
    var version: Int
    init(_ n: CaseNote) {
        id = n.id
        agency_id = n.agencyID
        case_id = n.caseID
        client_id = n.clientID
        author_id = n.authorID
        contact_type = n.contactType.rawValue
        contact_date = n.contactDate.description
        duration_minutes = n.durationMinutes
        participants = JSONText.encode(n.participants)
        format = n.format.rawValue
        sections = JSONText.encode(n.sections)
        status = n.status.rawValue
        signed_at = n.signedAt
        addendum_to = n.addendumTo
        created_at = n.createdAt
        updated_at = n.updatedAt
        version = n.version
    }
    var domain: CaseNote {
        CaseNote(
            id: id, agencyID: agency_id, caseID: case_id, clientID: client_id, authorID: author_id,
            contactType: ContactType(rawValue: contact_type) ?? .inPerson, contactDate: LocalDate(contact_date)!,
            durationMinutes: duration_minutes, participants: JSONText.decode([String].self, participants) ?? [],
            format: NoteFormat(rawValue: format) ?? .narrative,
            sections: JSONText.decode([String: String].self, sections) ?? [:],
            status: NoteStatus(rawValue: status) ?? .draft, signedAt: signed_at, addendumTo: addendum_to,
            createdAt: created_at, updatedAt: updated_at, version: version)
    }
}

struct AuditRow: Codable {
    var id: UUID
    var at: Date
    var actor_id: UUID?
    var agency_id: UUID?
    var action: String
    var record_type: String
    var record_id: UUID?
    var client_id: UUID?
    var changed_fields: String
    init(_ a: AuditEntry) {
        id = a.id
        at = a.at
        actor_id = a.actorID
        agency_id = a.agencyID
        action = a.action
        record_type = a.recordType
        record_id = a.recordID
        client_id = a.clientID
        changed_fields = a.changedFields.joined(separator: ",")
    }
    var domain: AuditEntry {
        AuditEntry(
            id: id, at: at, actorID: actor_id, agencyID: agency_id, action: action, recordType: record_type,
            recordID: record_id, clientID: client_id,
            changedFields: changed_fields.split(separator: ",").map(String.init))
    }
}

/// Column names and values in one order, for bulk inserts that skip Codable's per-row cost.
protocol BulkRow {
    static var columns: [String] { get }
    var values: [any Encodable & Sendable] { get }
}

extension ClientRow: BulkRow {
    static let columns = [
        "id", "agency_id", "first_name", "middle_name", "last_name", "name_suffix", "name_data_quality",
        "preferred_name", "pronouns", "ssn", "ssn_data_quality", "birth_date", "dob_data_quality", "sex", "races",
        "race_none",
        "additional_race_ethnicity", "veteran_status", "phone", "email", "address", "preferred_language",
        "search_names",
        "last_name_key", "last_name_soundex", "created_at", "updated_at", "created_by", "version"
    ]
    var values: [any Encodable & Sendable] {
        [
            id, agency_id, first_name, middle_name, last_name, name_suffix, name_data_quality, preferred_name, pronouns,
            ssn,
            ssn_data_quality, birth_date, dob_data_quality, sex, races, race_none, additional_race_ethnicity,
            veteran_status,
            phone, email, address, preferred_language, search_names, last_name_key, last_name_soundex, created_at,
            updated_at,
            created_by, version
        ]
    }
}

extension HouseholdRow: BulkRow {
    static let columns = ["id", "client_id", "position", "first_name", "last_name", "birth_date", "relationship"]
    var values: [any Encodable & Sendable] {
        [id, client_id, position, first_name, last_name, birth_date, relationship]
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

extension NoteRow: BulkRow {
    static let columns = [
        "id", "agency_id", "case_id", "client_id", "author_id", "contact_type", "contact_date", "duration_minutes",
        "participants", "format", "sections", "status", "signed_at", "addendum_to", "created_at", "updated_at",
        "version"
    ]
    var values: [any Encodable & Sendable] {
        [
            id, agency_id, case_id, client_id, author_id, contact_type, contact_date, duration_minutes, participants,
            format,
            sections, status, signed_at, addendum_to, created_at, updated_at, version
        ]
    }
}

enum JSONText {
    static func encode<T: Encodable>(_ v: T) -> String {
        let e = JSONEncoder()
        e.outputFormatting = .sortedKeys
        return String(decoding: (try? e.encode(v)) ?? Data("null".utf8), as: UTF8.self)
    }
    /// The common shapes of note columns, without a JSONEncoder per row.
    static func encode(_ strings: [String]) -> String {
        "[" + strings.map(quote).joined(separator: ",") + "]"
    }
    static func encode(_ dict: [String: String]) -> String {
        "{" + dict.keys.sorted().map { quote($0) + ":" + quote(dict[$0]!) }.joined(separator: ",") + "}"
    }
    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20: out += String(format: "\\u%04x", u.value)
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
    static func decode<T: Decodable>(_ t: T.Type, _ s: String) -> T? {
        try? JSONDecoder().decode(t, from: Data(s.utf8))
    }
}
