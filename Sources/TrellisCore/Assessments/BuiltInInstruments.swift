import Foundation

/// The standard instruments Trellis ships, scored as published.
public enum BuiltInInstruments {
    public static let all: [InstrumentDefinition] = [phq9, gad7, selfSufficiencyMatrix]

    /// "Over the last 2 weeks, how often have you been bothered by…": the shared options of PHQ-9 and GAD-7.
    static let frequency = [
        ResponseOption(value: 0, label: "Not at all"), ResponseOption(value: 1, label: "Several days"),
        ResponseOption(value: 2, label: "More than half the days"), ResponseOption(value: 3, label: "Nearly every day")
    ]

    /// Items answered on the `frequency` scale, numbered item1, item2, … in order.
    static func frequencyItems(_ texts: [String]) -> [InstrumentItem] {
        texts.enumerated().map { InstrumentItem(id: "item\($0.offset + 1)", text: $0.element, options: frequency) }
    }

    /// PHQ-9 (Kroenke, Spitzer & Williams 2001): nine items 0–3, total 0–27.
    public static let phq9 = InstrumentDefinition(
        code: "phq9", version: 1, title: "Patient Health Questionnaire (PHQ-9)", loinc: "44249-1",
        totalLoinc: "44261-6",
        items: frequencyItems([
            "Little interest or pleasure in doing things",
            "Feeling down, depressed, or hopeless",
            "Trouble falling or staying asleep, or sleeping too much",
            "Feeling tired or having little energy",
            "Poor appetite or overeating",
            "Feeling bad about yourself, or that you are a failure or have let yourself or your family down",
            "Trouble concentrating on things, such as reading the newspaper or watching television",
            "Moving or speaking so slowly that other people could have noticed; or the opposite, being so fidgety or restless that you have been moving around a lot more than usual",
            "Thoughts that you would be better off dead, or of hurting yourself in some way"
        ]),
        scoring: .sum,
        bands: [
            SeverityBand(0, 4, "Minimal", .minimal), SeverityBand(5, 9, "Mild", .mild),
            SeverityBand(10, 14, "Moderate", .moderate),
            SeverityBand(15, 19, "Moderately severe", .moderatelySevere), SeverityBand(20, 27, "Severe", .severe)
        ],
        alerts: [
            .itemAbove(item: "item9", threshold: 0, reason: "PHQ-9 item 9: thoughts of death or self-harm"),
            .severityAtLeast(.severe, reason: "PHQ-9 total in the severe range")
        ])

    /// GAD-7 (Spitzer et al. 2006): seven items 0–3, total 0–21.
    public static let gad7 = InstrumentDefinition(
        code: "gad7", version: 1, title: "Generalized Anxiety Disorder scale (GAD-7)", loinc: "69737-5",
        totalLoinc: "70274-6",
        items: frequencyItems([
            "Feeling nervous, anxious, or on edge",
            "Not being able to stop or control worrying",
            "Worrying too much about different things",
            "Trouble relaxing",
            "Being so restless that it is hard to sit still",
            "Becoming easily annoyed or irritable",
            "Feeling afraid, as if something awful might happen"
        ]),
        scoring: .sum,
        bands: [
            SeverityBand(0, 4, "Minimal", .minimal), SeverityBand(5, 9, "Mild", .mild),
            SeverityBand(10, 14, "Moderate", .moderate),
            SeverityBand(15, 21, "Severe", .severe)
        ],
        alerts: [.severityAtLeast(.severe, reason: "GAD-7 total in the severe range")])

    static let ssmLevels = ["In Crisis", "Vulnerable", "Safe", "Building Capacity", "Empowered"]

    /// Self-Sufficiency Matrix: each domain scored 1 In Crisis … 5 Empowered, or not applicable.
    /// The descriptions tell the worker what each level looks like in that domain.
    static let ssmDomains: [(String, String, [String])] = [
        (
            "housing", "Housing",
            [
                "Homeless or threatened with eviction",
                "In transitional, temporary or substandard housing; current rent or mortgage is unaffordable",
                "In stable housing that is safe but only marginally adequate",
                "Household is in safe, adequate subsidised housing",
                "Household is safely housed in adequate, unsubsidised housing"
            ]
        ),
        (
            "employment", "Employment",
            [
                "No job", "Temporary, part-time or seasonal work; inadequate pay, no benefits",
                "Employed full time; inadequate pay; few or no benefits",
                "Employed full time with adequate pay and benefits",
                "Maintains permanent employment with adequate income and benefits"
            ]
        ),
        (
            "income", "Income",
            [
                "No income", "Inadequate income and/or spontaneous or inappropriate spending",
                "Can meet basic needs with subsidy; appropriate spending",
                "Can meet basic needs and manage debt without assistance",
                "Income is sufficient, well managed; has discretionary income and is able to save"
            ]
        ),
        (
            "food", "Food",
            [
                "No food or means to prepare it; relies on free or low-cost food", "Household is on food assistance",
                "Can meet basic food needs but needs occasional assistance",
                "Can meet basic food needs without assistance", "Can choose to purchase any food the household desires"
            ]
        ),
        (
            "childCare", "Child care",
            [
                "Needs child care but none is available or accessible",
                "Child care is unreliable or unaffordable; inadequate supervision",
                "Affordable, subsidised child care is available but limited",
                "Reliable, affordable child care is available; no need for subsidies",
                "Able to select quality child care of choice"
            ]
        ),
        (
            "childrensEducation", "Children's education",
            [
                "One or more school-aged children not enrolled in school",
                "One or more school-aged children enrolled but not attending classes",
                "Enrolled and attending classes most of the time", "Enrolled and attending classes on a regular basis",
                "All school-aged children enrolled and attending on a regular basis"
            ]
        ),
        (
            "adultEducation", "Adult education",
            [
                "Literacy problems and/or no high school diploma or GED are serious barriers to employment",
                "Enrolled in literacy and/or GED programme and/or has sufficient command of English",
                "Has high school diploma or GED", "Needs additional education or training to improve employment",
                "Has completed education or training needed to become employable"
            ]
        ),
        (
            "healthCareCoverage", "Health care coverage",
            [
                "No medical coverage with immediate need",
                "No medical coverage and great difficulty accessing care when needed; some household members may be in poor health",
                "Some members (e.g. children) have medical coverage",
                "All members can get medical care when needed, but it may strain the budget",
                "All members are covered by affordable, adequate health insurance"
            ]
        ),
        (
            "lifeSkills", "Life skills",
            [
                "Unable to meet basic needs such as hygiene, food, activities of daily living",
                "Can meet a few but not all needs of daily living without assistance",
                "Can meet most but not all daily living needs without assistance",
                "Able to meet all basic needs of daily living without assistance",
                "Able to provide beyond basic needs of daily living for self and family"
            ]
        ),
        (
            "mentalHealth", "Mental health",
            [
                "Danger to self or others; recurring suicidal ideation; experiencing severe difficulty in day-to-day life",
                "Recurrent mental health symptoms that may affect behaviour, but not a danger to self or others; persistent problems with functioning",
                "Mild symptoms may be present but are transient; only moderate difficulty in functioning",
                "Minimal symptoms that are expectable responses to life stressors; only slight impairment in functioning",
                "Symptoms are absent or rare; good or superior functioning in a wide range of activities"
            ]
        ),
        (
            "substanceUse", "Substance use",
            [
                "Meets criteria for severe abuse or dependence; resulting problems so severe that institutional living or hospitalisation may be necessary",
                "Meets criteria for dependence; preoccupation with use; use causes recurrent problems",
                "Use within the last 6 months; evidence of persistent or recurrent problems caused by use",
                "Client has used during the last 6 months, but no evidence of persistent problems",
                "No drug use or alcohol abuse in the last 6 months"
            ]
        ),
        (
            "familyRelations", "Family relations",
            [
                "Lack of necessary support from family or friends; abuse (DV, child) is present or there is child neglect",
                "Family or friends may be supportive, but lack ability or resources to help; members do not relate well; potential for abuse or neglect",
                "Some support from family or friends; members acknowledge and seek to change negative behaviours",
                "Strong support from family or friends; household members support each other's efforts",
                "Has healthy, expanding support network; household is stable and communication is consistently open"
            ]
        ),
        (
            "mobility", "Mobility",
            [
                "No access to transportation, public or private; may have a car that is inoperable",
                "Transportation is available but unreliable, unpredictable or unaffordable",
                "Transportation is available and reliable but limited and/or inconvenient",
                "Transportation is generally accessible to meet basic travel needs",
                "Transportation is readily available and affordable; car is adequately insured"
            ]
        ),
        (
            "communityInvolvement", "Community involvement",
            [
                "Not applicable due to crisis situation; in survival mode",
                "Socially isolated and/or no social skills and/or lacks motivation to become involved",
                "Lacks knowledge of ways to become involved",
                "Some community involvement (advisory group, support group) but has barriers",
                "Actively involved in community"
            ]
        ),
        (
            "parentingSkills", "Parenting skills",
            [
                "There are safety concerns regarding parenting skills", "Parenting skills are minimal",
                "Parenting skills are apparent but not adequate", "Parenting skills are adequate",
                "Parenting skills are well developed"
            ]
        ),
        (
            "legal", "Legal",
            [
                "Current outstanding tickets or warrants",
                "Current charges or trial pending; non-compliance with probation or parole",
                "Fully compliant with probation or parole terms",
                "Has successfully completed probation or parole within the past 12 months; no new charges filed",
                "No active criminal justice involvement in more than 12 months and/or no felony criminal history"
            ]
        ),
        (
            "safety", "Safety",
            [
                "Home or residence is not safe; immediate level of lethality is extremely high; possible CPS involvement",
                "Safety is threatened or temporary protection is available; level of lethality is high",
                "Current level of safety is minimally adequate; ongoing safety planning is essential",
                "Environment is safe, however future of such is uncertain; safety planning is important",
                "Environment is apparently safe and stable"
            ]
        )
    ]

    public static let selfSufficiencyMatrix = InstrumentDefinition(
        code: "ssm", version: 1, title: "Self-Sufficiency Matrix",
        items: ssmDomains.map { id, title, descriptions in
            InstrumentItem(
                id: id, text: title,
                options: zip(ssmLevels, descriptions).enumerated().map { i, pair in
                    ResponseOption(value: i + 1, label: pair.0, description: pair.1)
                },
                required: true, allowsNotApplicable: true)
        },
        scoring: .domains,
        alerts: [
            .itemAtMost(item: "safety", value: 1, reason: "Self-Sufficiency Matrix: Safety in crisis"),
            .itemAtMost(item: "housing", value: 1, reason: "Self-Sufficiency Matrix: Housing in crisis")
        ])
}
