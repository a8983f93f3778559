import Foundation

/// A staff member's role within their agency. Roles are cumulative only where the policy says so.
public enum Role: String, Codable, Sendable, CaseIterable {
    case caseManager = "case_manager"
    case supervisor
    case programManager = "program_manager"
    case agencyAdmin = "agency_admin"
    case auditor
}

public enum ProgramType: String, Codable, Sendable, CaseIterable {
    case emergencyShelter = "emergency_shelter"
    case rapidRehousing = "rapid_rehousing"
    case permanentSupportiveHousing = "permanent_supportive_housing"
    case streetOutreach = "street_outreach"
    case school
    case hospital
    case reentry
    case fosterCare = "foster_care"
    case veterans
    case refugeeResettlement = "refugee_resettlement"
    case behavioralHealth = "behavioral_health"
    case other
}

/// HUD HMIS "data quality" lists share one shape: 1 full, 2 partial/approximate, 8, 9, 99.
public enum DataQuality: Int, Codable, Sendable, CaseIterable {
    case full = 1
    case partial = 2
    case clientDoesNotKnow = 8
    case clientPrefersNotToAnswer = 9
    case notCollected = 99
}

/// HUD FY2026 list 4.21 (Sex).
public enum HUDSex: Int, Codable, Sendable, CaseIterable {
    case female = 0
    case male = 1
    case clientDoesNotKnow = 8
    case clientPrefersNotToAnswer = 9
    case notCollected = 99
}

/// HUD list 1.8 (No/Yes/Reasons for missing data), used for veteran status.
public enum NoYesMissing: Int, Codable, Sendable, CaseIterable {
    case no = 0
    case yes = 1
    case clientDoesNotKnow = 8
    case clientPrefersNotToAnswer = 9
    case notCollected = 99
}

/// HUD race and ethnicity categories (FY2024+ Client.csv columns). A client may have several.
public enum RaceEthnicity: String, Codable, Sendable, CaseIterable {
    case amIndAKNative = "AmIndAKNative"
    case asian = "Asian"
    case blackAfAmerican = "BlackAfAmerican"
    case hispanicLatinao = "HispanicLatinao"
    case midEastNAfrican = "MidEastNAfrican"
    case nativeHIPacific = "NativeHIPacific"
    case white = "White"
}

/// HUD list 1.6 (RaceNone): why no race category was recorded.
public enum RaceNone: Int, Codable, Sendable, CaseIterable {
    case clientDoesNotKnow = 8
    case clientPrefersNotToAnswer = 9
    case notCollected = 99
}

/// HUD list 3.15.1.
public enum RelationshipToHoH: Int, Codable, Sendable, CaseIterable {
    case selfHead = 1
    case child = 2
    case spouseOrPartner = 3
    case otherRelative = 4
    case unrelatedMember = 5
    case notCollected = 99
}

public enum CaseStatus: String, Codable, Sendable, CaseIterable {
    case open
    case onHold = "on_hold"
    case closed
}

public enum CaseStage: String, Codable, Sendable, CaseIterable {
    case engagement, assessment, planning, implementation, monitoring, reassessment, closing
}

public enum CasePriority: String, Codable, Sendable, CaseIterable {
    case low, medium, high, urgent
    public var rank: Int {
        switch self {
        case .low: 0
        case .medium: 1
        case .high: 2
        case .urgent: 3
        }
    }
}

public enum ContactType: String, Codable, Sendable, CaseIterable {
    case inPerson = "in_person"
    case homeVisit = "home_visit"
    case phone, video, collateral, attempted

    /// An attempted contact documents effort, but does not satisfy a contact-frequency rule.
    public var countsAsContact: Bool { self != .attempted }
}

public enum NoteFormat: String, Codable, Sendable, CaseIterable {
    case narrative, dap, soap

    /// The sections a note of this format is written in, in order.
    public var sections: [String] {
        switch self {
        case .narrative: ["narrative"]
        case .dap: ["data", "assessment", "plan"]
        case .soap: ["subjective", "objective", "assessment", "plan"]
        }
    }
}

public enum NoteStatus: String, Codable, Sendable, CaseIterable {
    case draft, signed
}

public enum Language: String, Codable, Sendable, CaseIterable {
    case en, es
}
