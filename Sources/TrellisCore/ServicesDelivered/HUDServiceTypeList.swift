// Generated from HUD's FY2026 HMIS code lists (../shared/data/hmis/spec/2026_hud_lists.json):
// list 1.4 RecordType and, for each, the list of its TypeProvided values.
extension HUDServiceTypes {
    static let recordTypes: [(Int, String, String, [(Int, String)])] = [
        (
            141, "PATH Service", "P1.2",
            [
                (1, "Re-engagement"), (2, "Screening"), (3, "Habilitation/rehabilitation"),
                (4, "Community mental health"), (5, "Substance use treatment"), (6, "Case management"),
                (7, "Residential supportive services"), (8, "Housing minor renovation"),
                (9, "Housing moving assistance"), (10, "Housing eligibility determination"), (11, "Security deposits"),
                (12, "One-time rent for eviction prevention"), (14, "Clinical assessment")
            ]
        ),
        (
            142, "RHY Service Connections", "R14.2",
            [
                (2, "Community service/service learning (CSL)"), (5, "Education"),
                (6, "Employment and training services"), (7, "Criminal justice /legal services"),
                (8, "Life skills training"), (10, "Parenting education for youth with children"),
                (12, "Post-natal care for client (person who gave birth)"), (13, "Pre-natal care"),
                (14, "Health/medical care"), (17, "Substance use disorder treatment"),
                (18, "Substance use disorder/Prevention Services"), (26, "Home-based Services"),
                (27, "Post-natal newborn care (wellness exams; immunizations)"), (28, "STD Testing"),
                (29, "Street-based Services")
            ]
        ),
        (
            143, "HOPWA Service", "W1.2",
            [
                (1, "Adult day care and personal assistance"), (2, "Case management"), (3, "Child care"),
                (4, "Criminal justice/legal services"), (5, "Education"), (6, "Employment and training services"),
                (7, "Food/meals/nutritional services"), (8, "Health/medical care"), (9, "Life skills training"),
                (10, "Mental health care/counseling"), (11, "Outreach and/or engagement"),
                (12, "Substance use services/treatment"), (13, "Transportation"), (14, "Other HOPWA funded service")
            ]
        ),
        (
            144, "SSVF Service", "V2.2",
            [
                (1, "Outreach services"), (2, "Case management services"), (3, "Assistance obtaining VA benefits"),
                (4, "Assistance obtaining/coordinating other public benefits"),
                (5, "Direct provision of other public benefits"),
                (6, "Other (non-TFA) supportive service approved by VA"), (7, "Shallow Subsidy"), (8, "Returning Home"),
                (9, "Rapid Resolution"), (10, "Healthcare Navigation")
            ]
        ),
        (
            151, "HOPWA Financial Assistance", "V2.3",
            [
                (1, "Rental assistance"), (2, "Security deposits"), (3, "Utility deposits"), (4, "Utility payments"),
                (7, "Mortgage assistance")
            ]
        ),
        (
            152, "SSVF Financial Assistance", "V3.3",
            [
                (1, "Rental assistance"), (2, "Security deposit"), (3, "Utility deposit"),
                (4, "Utility fee payment assistance"), (5, "Moving costs"),
                (8, "Transportation services: tokens/vouchers"),
                (9, "Transportation services: vehicle repair/maintenance"), (10, "Child care"),
                (12, "General housing stability assistance"), (14, "Emergency housing assistance"),
                (15, "Shallow Subsidy - Financial Assistance"), (16, "Food Assistance"), (17, "Landlord Incentive"),
                (18, "Tenant Incentive")
            ]
        ),
        (
            161, "PATH Referral", "P2.2",
            [
                (1, "Community mental health"), (2, "Substance use treatment"), (3, "Primary health/dental care"),
                (4, "Job training"), (5, "Educational services"), (6, "Housing services"), (7, "Permanent housing"),
                (8, "Income assistance"), (9, "Employment assistance"), (10, "Medical insurance"),
                (11, "Temporary housing")
            ]
        ),
        (200, "Bed Night", "4.14", [(200, "Bed Night")]),
        (
            300, "Moving On Assistance", "C2.2",
            [
                (1, "Subsidized housing application assistance"),
                (2, "Financial assistance for Moving On (e.g., security deposit, moving expenses)"),
                (3, "Non-financial assistance for Moving On (e.g., housing navigation, transition support)"),
                (4, "Housing referral/placement"), (5, "Other")
            ]
        )
    ]
}

// HUD FY2026 list 3.12 Destination.
extension HUDDestination {
    public static let all: [HUDDestination] = [
        HUDDestination(code: 8, label: "Client doesn't know"),
        HUDDestination(code: 9, label: "Client prefers not to answer"),
        HUDDestination(code: 17, label: "Other"),
        HUDDestination(code: 24, label: "Deceased"),
        HUDDestination(code: 30, label: "No exit interview completed"),
        HUDDestination(code: 99, label: "Data not collected"),
        HUDDestination(
            code: 101,
            label:
                "Emergency shelter, including hotel or motel paid for with emergency shelter voucher, or Host Home shelter"
        ),
        HUDDestination(
            code: 116,
            label:
                "Place not meant for habitation (e.g., a vehicle, an abandoned building, bus/train/subway station/airport or anywhere outside)"
        ),
        HUDDestination(code: 118, label: "Safe Haven"),
        HUDDestination(code: 204, label: "Psychiatric hospital or other psychiatric facility"),
        HUDDestination(code: 205, label: "Substance abuse treatment facility or detox center"),
        HUDDestination(code: 206, label: "Hospital or other residential non-psychiatric medical facility"),
        HUDDestination(code: 207, label: "Jail, prison or juvenile detention facility"),
        HUDDestination(code: 215, label: "Foster care home or foster care group home"),
        HUDDestination(code: 225, label: "Long-term care facility or nursing home"),
        HUDDestination(code: 302, label: "Transitional housing for homeless persons (including homeless youth)"),
        HUDDestination(
            code: 312, label: "Staying or living with family, temporary tenure (e.g. room, apartment or house)"),
        HUDDestination(
            code: 313, label: "Staying or living with friends, temporary tenure (e.g. room apartment or house)"),
        HUDDestination(code: 314, label: "Hotel or motel paid for without emergency shelter voucher"),
        HUDDestination(code: 327, label: "Moved from one HOPWA funded project to HOPWA TH"),
        HUDDestination(code: 329, label: "Residential project or halfway house with no homeless criteria"),
        HUDDestination(code: 332, label: "Host Home (non-crisis)"),
        HUDDestination(code: 410, label: "Rental by client, no ongoing housing subsidy"),
        HUDDestination(code: 411, label: "Owned by client, no ongoing housing subsidy"),
        HUDDestination(code: 421, label: "Owned by client, with ongoing housing subsidy"),
        HUDDestination(code: 422, label: "Staying or living with family, permanent tenure"),
        HUDDestination(code: 423, label: "Staying or living with friends, permanent tenure"),
        HUDDestination(code: 426, label: "Moved from one HOPWA funded project to HOPWA PH"),
        HUDDestination(code: 435, label: "Rental by client, with ongoing housing subsidy")
    ]
}
