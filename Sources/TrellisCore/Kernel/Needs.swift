import Foundation

/// The one vocabulary of needs: a plan goal's domain, the needs a directory service answers, a referral's need
/// and the reports by need all use these codes, so a goal's need finds the services that answer it. It joins
/// the biopsychosocial domains and the Self-Sufficiency Matrix's domains, each life area once.
public enum Needs {
    public static let all: [String] = [
        "housing", "finances", "income", "employment", "education_employment", "adult_education",
        "physical_health", "health_care_coverage", "mental_health", "substance_use", "safety", "legal", "food",
        "child_care", "childrens_education", "parenting_skills", "family_relations", "support_system",
        "community_involvement", "life_skills", "mobility"
    ]

    /// Codes used before there was one vocabulary: the Self-Sufficiency Matrix's item ids, which named two of
    /// the biopsychosocial domains again under other codes.
    public static let formerCodes: [String: String] = [
        "mentalHealth": "mental_health", "substanceUse": "substance_use", "adultEducation": "adult_education",
        "childCare": "child_care", "childrensEducation": "childrens_education",
        "communityInvolvement": "community_involvement", "familyRelations": "family_relations",
        "healthCareCoverage": "health_care_coverage", "lifeSkills": "life_skills", "parentingSkills": "parenting_skills"
    ]

    /// The vocabulary's code for `code`, which may be a former code; unknown codes are returned as given.
    public static func canonical(_ code: String) -> String { formerCodes[code] ?? code }

    /// The need a Self-Sufficiency Matrix domain (its item id) stands for.
    public static func forSSMDomain(_ itemID: String) -> String { canonical(itemID) }

    public static func contains(_ code: String) -> Bool { all.contains(code) }
}
