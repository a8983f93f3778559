import Foundation

/// A client record with the HMIS universal data elements Trellis collects at intake.
public struct Client: Sendable, Codable, Equatable {
    public var id: UUID
    public var agencyID: UUID
    public var firstName: String?
    public var middleName: String?
    public var lastName: String?
    public var nameSuffix: String?
    public var nameDataQuality: DataQuality
    public var preferredName: String?
    public var pronouns: String?
    /// Nine digits, no dashes; shown masked everywhere but the edit form.
    public var ssn: String?
    public var ssnDataQuality: DataQuality
    public var birthDate: LocalDate?
    public var dobDataQuality: DataQuality
    public var sex: HUDSex
    public var races: [RaceEthnicity]
    public var raceNone: RaceNone?
    public var additionalRaceEthnicity: String?
    public var veteranStatus: NoYesMissing
    public var phone: String?
    public var email: String?
    public var address: String?
    public var preferredLanguage: String?
    public var createdAt: Date
    public var updatedAt: Date
    public var createdBy: UUID
    public var version: Int
    /// A confidential client's name in lists (search, caseloads, tasks, dashboards): the real name shows only on
    /// their own record, to the care team.
    public var alias: String? = nil
    /// When the agency's retention period removed the client's personal data (`RetentionService`); the record
    /// keeps its cases, dates and codes for the counts, and cannot be changed.
    public var purgedAt: Date? = nil

    /// Name and birth date, for pages about the client to the care team.
    public var summary: ClientSummary {
        ClientSummary(
            id: id, firstName: firstName, lastName: lastName, preferredName: preferredName, birthDate: birthDate,
            purged: purgedAt != nil)
    }

    /// As lists show the client: under the alias when they are confidential.
    public var listed: ClientSummary {
        ClientSummary(
            id: id, firstName: firstName, lastName: lastName, preferredName: preferredName, birthDate: birthDate,
            alias: alias, purged: purgedAt != nil)
    }

    public var displayName: String {
        if purgedAt != nil { return "(personal data removed)" }
        let given = preferredName ?? firstName
        let parts = [given, lastName].compactMap { $0 }
        return parts.isEmpty ? "(name not collected)" : parts.joined(separator: " ")
    }

    public var legalName: String {
        [firstName, middleName, lastName, nameSuffix].compactMap { $0 }.joined(separator: " ")
    }

    public var maskedSSN: String? {
        guard let s = ssn, s.count >= 4 else { return nil }
        return "XXX-XX-" + s.suffix(4)
    }

    public init(
        id: UUID, agencyID: UUID, firstName: String?, middleName: String?, lastName: String?, nameSuffix: String?,
        nameDataQuality: DataQuality, preferredName: String?, pronouns: String?, ssn: String?,
        ssnDataQuality: DataQuality, birthDate: LocalDate?, dobDataQuality: DataQuality, sex: HUDSex,
        races: [RaceEthnicity], raceNone: RaceNone?, additionalRaceEthnicity: String?, veteranStatus: NoYesMissing,
        phone: String?, email: String?, address: String?, preferredLanguage: String?, createdAt: Date, updatedAt: Date,
        createdBy: UUID, version: Int
    ) {
        self.id = id
        self.agencyID = agencyID
        self.firstName = firstName
        self.middleName = middleName
        self.lastName = lastName
        self.nameSuffix = nameSuffix
        self.nameDataQuality = nameDataQuality
        self.preferredName = preferredName
        self.pronouns = pronouns
        self.ssn = ssn
        self.ssnDataQuality = ssnDataQuality
        self.birthDate = birthDate
        self.dobDataQuality = dobDataQuality
        self.sex = sex
        self.races = races
        self.raceNone = raceNone
        self.additionalRaceEthnicity = additionalRaceEthnicity
        self.veteranStatus = veteranStatus
        self.phone = phone
        self.email = email
        self.address = address
        self.preferredLanguage = preferredLanguage
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.createdBy = createdBy
        self.version = version
    }
}

/// What a search result or duplicate candidate shows: enough to recognise a person, no more.
public struct ClientSummary: Sendable, Codable, Equatable {
    public var id: UUID
    public var firstName: String?
    public var lastName: String?
    public var preferredName: String?
    public var birthDate: LocalDate?
    /// Set for a confidential client: lists show it instead of the name, and the name fields are left out.
    public var alias: String? = nil
    /// The agency's retention period removed the client's personal data (`Client.purgedAt`).
    public var purged = false
    public var displayName: String {
        if purged { return "(personal data removed)" }
        if let alias { return alias }
        let parts = [preferredName ?? firstName, lastName].compactMap { $0 }
        return parts.isEmpty ? "(name not collected)" : parts.joined(separator: " ")
    }
    private enum CodingKeys: String, CodingKey { case id, firstName, lastName, preferredName, birthDate, displayName }
    /// Written with its display name, so an API client shows the same name Trellis does.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(firstName, forKey: .firstName)
        try c.encode(lastName, forKey: .lastName)
        try c.encode(preferredName, forKey: .preferredName)
        try c.encode(birthDate, forKey: .birthDate)
        try c.encode(displayName, forKey: .displayName)
    }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(UUID.self, forKey: .id)
        firstName = try c.decodeIfPresent(String.self, forKey: .firstName)
        lastName = try c.decodeIfPresent(String.self, forKey: .lastName)
        preferredName = try c.decodeIfPresent(String.self, forKey: .preferredName)
        birthDate = try c.decodeIfPresent(LocalDate.self, forKey: .birthDate)
    }
    public init(
        id: UUID, firstName: String?, lastName: String?, preferredName: String?, birthDate: LocalDate?,
        alias: String? = nil, purged: Bool = false
    ) {
        self.id = id
        self.purged = purged
        // A confidential client's list entry carries the alias, not the name.
        self.firstName = alias == nil ? firstName : nil
        self.lastName = alias == nil ? lastName : nil
        self.preferredName = alias == nil ? preferredName : nil
        self.birthDate = birthDate
        self.alias = alias
    }
}

public protocol ClientRepository: Sendable {
    func insertClient(_ client: Client) async throws
    /// Writes the client only if its stored version is `expectedVersion`; false means someone else won.
    func updateClient(_ client: Client, expectedVersion: Int) async throws -> Bool
    func client(id: UUID) async throws -> Client?
    func searchClients(agencyID: UUID, query: ClientQuery, limit: Int, offset: Int) async throws -> [ClientSummary]
    /// For a page of search results: each client's SSN's last four digits and the programs of their open cases.
    func searchDetails(clientIDs: [UUID], agencyID: UUID) async throws -> [UUID: ClientSearchDetail]
    /// The names (and birth dates) of these clients of the agency; ids of other agencies are left out.
    func clientSummaries(ids: [UUID], agencyID: UUID) async throws -> [UUID: ClientSummary]
    /// Clients of the agency whose date of birth is one of `birthDates` or whose surname sounds or
    /// reads like `lastName`: the pool the duplicate matcher scores.
    /// Clients of the agency whose full SSN is `digits` (compared through the keyed hash).
    func clients(withSSN digits: String, agencyID: UUID) async throws -> [ClientSummary]
    func duplicatePool(agencyID: UUID, lastName: String?, birthDates: [LocalDate], limit: Int) async throws
        -> [ClientSummary]
}

/// What a search result shows beyond the name, so two people with one name can be told apart without opening
/// either record: the SSN's last four digits (never more) and the programs of the client's open cases.
public struct ClientSearchDetail: Sendable, Equatable {
    public var ssnLast4: String?
    public var openProgramIDs: [UUID]
    /// Each open case with its program, so the programs shown can be narrowed to those the reader may know of.
    public var openCases: [OpenCaseRef] = []
    public init(ssnLast4: String?, openProgramIDs: [UUID]) {
        self.ssnLast4 = ssnLast4
        self.openProgramIDs = openProgramIDs
    }
}

public struct OpenCaseRef: Sendable, Equatable {
    public var caseID: UUID
    public var programID: UUID
    public init(caseID: UUID, programID: UUID) {
        self.caseID = caseID
        self.programID = programID
    }
}

/// HUD's rules for the digits of an SSN (HMIS Reporting Glossary, SSN data quality): nine digits; not 000,
/// 666 or 9xx first; not 00 in the middle; not 0000 last.
public enum SSNRules {
    public static func breaksHUDRules(_ digits: String) -> Bool {
        let d = Array(digits.utf8)
        guard d.count == 9, d.allSatisfy({ (48...57).contains($0) }) else { return true }
        let area = String(decoding: d[0..<3], as: UTF8.self)
        return area == "000" || area == "666" || d[0] == UInt8(ascii: "9")
            || String(decoding: d[3..<5], as: UTF8.self) == "00" || String(decoding: d[5..<9], as: UTF8.self) == "0000"
    }

    /// The nine digits of text typed as an SSN (`123-45-6789`, `123 45 6789`, `123456789`), or nil.
    public static func digits(_ text: String) -> String? {
        let t = text.trimmingCharacters(in: .whitespaces)
        let kept = t.filter { $0 != "-" && $0 != " " }
        guard kept.count == 9, kept.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return kept
    }
}
