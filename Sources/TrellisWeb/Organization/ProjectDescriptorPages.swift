import Foundation
import TrellisCore

/// `/admin/programs/{id}/hud`: the program's HUD project descriptor data, with a blank row to add to each list.
enum ProjectDescriptorPage {
    static func options(_ t: Strings, _ list: String, _ codes: [Int]) -> [(String, String)] {
        codes.map { (String($0), t("hud.\(list).\($0)")) }
    }

    static func yesNo(_ t: Strings) -> [(String, String)] { [("1", t("yesno.1")), ("0", t("yesno.0"))] }

    /// The form's values for a saved descriptor (and a blank row after each list's rows).
    static func state(_ d: ProjectDescriptor?, version: Int) -> FormState {
        var v: [String: String] = ["version": String(version)]
        // Before the first save: not a victim service provider unless the administrator says so.
        guard let d else {
            return FormState(values: v.merging(["victimServiceProvider": "0", "continuumProject": "1"]) { a, _ in a })
        }
        func put(_ k: String, _ s: String?) { if let s { v[k] = s } }
        func int(_ k: String, _ i: Int?) { put(k, i.map(String.init)) }
        func flag(_ k: String, _ b: Bool?) { put(k, b.map { $0 ? "1" : "0" }) }
        put("organizationName", d.organizationName)
        flag("victimServiceProvider", d.victimServiceProvider)
        put("operatingStartDate", d.operatingStartDate.description)
        put("operatingEndDate", d.operatingEndDate?.description)
        flag("continuumProject", d.continuumProject)
        int("projectType", d.projectType)
        int("rrhSubType", d.rrhSubType)
        flag("residentialAffiliation", d.residentialAffiliation)
        int("housingType", d.housingType)
        int("targetPopulation", d.targetPopulation)
        int("hopwaMedAssistedLivingFac", d.hopwaMedAssistedLivingFac)
        for (n, c) in d.cocs.enumerated() {
            let p = "cocs[\(n)]."
            put(p + "cocCode", c.cocCode)
            put(p + "geocode", c.geocode)
            put(p + "address1", c.address1)
            put(p + "address2", c.address2)
            put(p + "city", c.city)
            put(p + "state", c.state)
            put(p + "zip", c.zip)
            int(p + "geographyType", c.geographyType)
        }
        for (n, f) in d.funders.enumerated() {
            let p = "funders[\(n)]."
            int(p + "funder", f.funder)
            put(p + "otherFunder", f.otherFunder)
            put(p + "grantID", f.grantID)
            put(p + "startDate", f.startDate.description)
            put(p + "endDate", f.endDate?.description)
        }
        for (n, i) in d.inventory.enumerated() {
            let p = "inventory[\(n)]."
            put(p + "cocCode", i.cocCode)
            int(p + "householdType", i.householdType)
            int(p + "availability", i.availability)
            int(p + "esBedType", i.esBedType)
            int(p + "unitInventory", i.unitInventory)
            int(p + "bedInventory", i.bedInventory)
            for (k, x) in bedSubsets(i) { int(p + k, x) }
            put(p + "startDate", i.startDate.description)
            put(p + "endDate", i.endDate?.description)
        }
        for (n, h) in d.participation.enumerated() {
            let p = "participation[\(n)]."
            int(p + "participationType", h.participationType)
            put(p + "startDate", h.startDate.description)
            put(p + "endDate", h.endDate?.description)
        }
        return FormState(values: v)
    }

    static let bedSubsetKeys = [
        "chVetBedInventory", "youthVetBedInventory", "vetBedInventory", "chYouthBedInventory", "youthBedInventory",
        "chBedInventory", "otherBedInventory"
    ]

    static func bedSubsets(_ i: ProjectInventory) -> [(String, Int?)] {
        [
            i.chVetBedInventory, i.youthVetBedInventory, i.vetBedInventory, i.chYouthBedInventory,
            i.youthBedInventory, i.chBedInventory, i.otherBedInventory
        ].enumerated().map { (bedSubsetKeys[$0.offset], $0.element) }
    }

    /// How many rows of a list the form holds: those filled in (or sent back), and one blank.
    static func rows(_ state: FormState, _ list: String) -> Int {
        var n = 0
        while state.values.keys.contains(where: { $0.hasPrefix("\(list)[\(n)].") }) { n += 1 }
        return min(n + 1, 51)
    }

    static func render(_ ctx: PageContext, program: Program, state: FormState, canEdit: Bool) -> String {
        let t = ctx.t
        let f = Fields(t: t, state: state)
        let title = t("hud.title", ["name": program.name])
        func fieldset(_ legend: String, _ hint: String?, _ nodes: [HNode]) -> HNode {
            H.el(
                "fieldset", [],
                [H.el("legend", [], H.text(legend))] + (hint.map { [H.p($0, [("class", "hint")])] } ?? []) + nodes)
        }
        func row(_ list: String, _ n: Int, _ nodes: [HNode]) -> HNode {
            H.el(
                "div",
                [
                    ("class", "household-row"), ("role", "group"),
                    ("aria-label", t("hud.\(list).row", ["n": String(n + 1)]))
                ],
                nodes)
        }
        let project = fieldset(
            t("hud.section.project"), nil,
            [
                f.input("organizationName", t("hud.organizationName"), required: true),
                f.select("victimServiceProvider", t("hud.victimServiceProvider"), options: yesNo(t), required: true),
                f.input("operatingStartDate", t("hud.operatingStartDate"), type: "date", required: true),
                f.input("operatingEndDate", t("hud.operatingEndDate"), type: "date"),
                f.select("continuumProject", t("hud.continuumProject"), options: yesNo(t), required: true),
                f.select(
                    "projectType", t("hud.projectType"), options: options(t, "projectType", ProjectLists.projectTypes),
                    includeBlank: true),
                f.select(
                    "rrhSubType", t("hud.rrhSubType"), options: options(t, "rrhSubType", ProjectLists.rrhSubTypes),
                    includeBlank: true, hint: t("hud.rrhSubType.hint")),
                f.select(
                    "residentialAffiliation", t("hud.residentialAffiliation"), options: yesNo(t), includeBlank: true,
                    hint: t("hud.residentialAffiliation.hint")),
                f.select(
                    "housingType", t("hud.housingType"), options: options(t, "housingType", ProjectLists.housingTypes),
                    includeBlank: true),
                f.select(
                    "targetPopulation", t("hud.targetPopulation"),
                    options: options(t, "targetPopulation", ProjectLists.targetPopulations), includeBlank: true),
                f.select(
                    "hopwaMedAssistedLivingFac", t("hud.hopwaMedAssistedLivingFac"),
                    options: options(t, "hopwa", ProjectLists.hopwaMedAssisted), includeBlank: true)
            ])
        let cocs = fieldset(
            t("hud.section.cocs"), t("hud.cocs.hint"),
            (0..<rows(state, "cocs")).map { n in
                let p = "cocs[\(n)]."
                return row(
                    "cocs", n,
                    [
                        f.input(p + "cocCode", t("hud.cocCode"), hint: t("hud.cocCode.hint")),
                        f.input(p + "geocode", t("hud.geocode")), f.input(p + "address1", t("hud.address1")),
                        f.input(p + "address2", t("hud.address2")), f.input(p + "city", t("hud.city")),
                        f.input(p + "state", t("hud.state")), f.input(p + "zip", t("hud.zip")),
                        f.select(
                            p + "geographyType", t("hud.geographyType"),
                            options: options(t, "geographyType", ProjectLists.geographyTypes), includeBlank: true)
                    ])
            })
        let funders = fieldset(
            t("hud.section.funders"), nil,
            (0..<rows(state, "funders")).map { n in
                let p = "funders[\(n)]."
                return row(
                    "funders", n,
                    [
                        f.select(
                            p + "funder", t("hud.funder"), options: options(t, "funder", ProjectLists.funders),
                            includeBlank: true),
                        f.input(p + "otherFunder", t("hud.otherFunder")), f.input(p + "grantID", t("hud.grantID")),
                        f.input(p + "startDate", t("hud.startDate"), type: "date"),
                        f.input(p + "endDate", t("hud.endDate"), type: "date")
                    ])
            })
        let inventory = fieldset(
            t("hud.section.inventory"), t("hud.inventory.hint"),
            (0..<rows(state, "inventory")).map { n in
                let p = "inventory[\(n)]."
                return row(
                    "inventory", n,
                    [
                        f.input(p + "cocCode", t("hud.cocCode")),
                        f.select(
                            p + "householdType", t("hud.householdType"),
                            options: options(t, "householdType", ProjectLists.householdTypes), includeBlank: true),
                        f.select(
                            p + "availability", t("hud.availability"),
                            options: options(t, "availability", ProjectLists.availabilities), includeBlank: true),
                        f.select(
                            p + "esBedType", t("hud.esBedType"),
                            options: options(t, "esBedType", ProjectLists.esBedTypes), includeBlank: true),
                        f.input(p + "unitInventory", t("hud.unitInventory"), type: "number"),
                        f.input(p + "bedInventory", t("hud.bedInventory"), type: "number")
                    ]
                        + bedSubsetKeys.map { f.input(p + $0, t("hud.\($0)"), type: "number") }
                        + [
                            f.input(p + "startDate", t("hud.startDate"), type: "date"),
                            f.input(p + "endDate", t("hud.endDate"), type: "date")
                        ])
            })
        let participation = fieldset(
            t("hud.section.participation"), nil,
            (0..<rows(state, "participation")).map { n in
                let p = "participation[\(n)]."
                return row(
                    "participation", n,
                    [
                        f.select(
                            p + "participationType", t("hud.participationType"),
                            options: options(t, "participationType", ProjectLists.participationTypes),
                            includeBlank: true),
                        f.input(p + "startDate", t("hud.startDate"), type: "date"),
                        f.input(p + "endDate", t("hud.endDate"), type: "date")
                    ])
            })
        let body: [HNode] = [
            H.el("h1", [], H.text(title)),
            H.el("p", [("class", "no-print")], H.a(Paths.adminProgram(program.id), t("hud.back"))),
            Layout.errorSummary(t, state),
            H.p(t("hud.lede"), [("class", "lede")]),
            canEdit
                ? Layout.form(
                    ctx, action: Paths.programHUD(program.id), [("novalidate", "")],
                    [
                        project, cocs, funders, inventory, participation,
                        H.void("input", [("type", "hidden"), ("name", "version"), ("value", state["version"])]),
                        Layout.button(t("action.save"))
                    ])
                : H.group([project, cocs, funders, inventory, participation])
        ]
        return Layout.page(ctx, title: title, body)
    }
}
