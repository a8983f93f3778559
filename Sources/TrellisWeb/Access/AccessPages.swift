import Foundation
import Plot
import TrellisCore

/// What someone outside a client's care team sees: who the client is, and the two ways in.
enum ClientIdentityPage {
    static func render(
        _ ctx: PageContext, identity: ClientIdentity, programs: [UUID: Program], state: FormState = FormState(),
        canWrite: Bool
    ) -> String {
        let t = ctx.t
        let c = identity.client
        let f = Fields(t: t, state: state)
        let names = identity.programIDs.compactMap { programs[$0]?.name }.sorted()
        var content: [HNode] = [
            H.el(
                "header", [("class", "record-header")], H.el("h1", [], H.text(c.displayName)),
                H.el(
                    "ul", [("class", "record-facts")],
                    H.el(
                        "li", [], H.el("span", [("class", "fact-label")], H.text(t("client.birthDate") + ": ")),
                        H.text(c.birthDate?.description ?? "—")),
                    H.el(
                        "li", [], H.el("span", [("class", "fact-label")], H.text(t("clients.col.programs") + ": ")),
                        H.text(names.isEmpty ? t("clients.noOpenCase") : names.joined(separator: ", "))))),
            H.el("div", [("class", "notice"), ("role", "note")], H.p(t("careTeam.identityOnly"))),
            Layout.errorSummary(t, state)
        ]
        guard canWrite || ctx.staff?.role == .auditor else { return Layout.page(ctx, title: c.displayName, content) }
        content.append(
            H.el(
                "section", [("aria-labelledby", "s-ask")],
                H.el("h2", [("id", "s-ask")], H.text(t("careTeam.ask.title"))),
                H.p(t("careTeam.ask.lede")),
                Layout.form(
                    ctx, action: Paths.accessRequest(c.id), [("novalidate", "")],
                    [f.textarea("note", t("careTeam.ask.note"), rows: 3), Layout.button(t("careTeam.ask.submit"))])))
        content.append(
            H.el(
                "section", [("aria-labelledby", "s-glass"), ("class", "break-glass")],
                H.el("h2", [("id", "s-glass")], H.text(t("careTeam.glass.title"))),
                H.p(t("careTeam.glass.lede")),
                Layout.form(
                    ctx, action: Paths.breakGlass(c.id), [("novalidate", "")],
                    [
                        f.textarea("reason", t("careTeam.glass.reason"), required: true, rows: 3),
                        f.select(
                            "hours", t("careTeam.glass.hours"),
                            options: AccessService.breakGlassHours.map { (String($0), t.plural("careTeam.hours", $0)) }
                        ),
                        Layout.button(t("careTeam.glass.submit"), [("class", "danger")])
                    ])))
        return Layout.page(ctx, title: c.displayName, content)
    }
}

enum CareTeamSection {
    /// Who is on the case's care team and why; the people who may change the case add and remove colleagues.
    static func render(_ ctx: PageContext, caseID: UUID, team: CareTeamMembers) -> HNode {
        let t = ctx.t
        var rows: [(StaffMember, String, Bool)] = []
        if let p = team.primaryCaseManager { rows.append((p, t("careTeam.why.primary"), false)) }
        rows += team.assigned.map { ($0, t("careTeam.why.assigned"), true) }
        rows += team.supervisors.map { ($0, t("careTeam.why.supervisor"), false) }
        rows += team.programManagers.map { ($0, t("careTeam.why.programManager"), false) }
        rows += team.programStaff.map { ($0, t("careTeam.why.programStaff"), false) }
        let canChange = team.canChange
        var body: [HNode] = [H.el("h2", [("id", "s-team")], H.text(t("careTeam.title")))]
        body.append(
            H.p(
                t("careTeam.policy.\(team.policy.rawValue)")
                    + (team.restriction.map {
                        " " + t("careTeam.restricted", ["category": t("restriction.\($0.rawValue)")])
                    }
                        ?? "")))
        body.append(
            H.table(
                caption: t("careTeam.title"), hiddenCaption: true, [t("careTeam.member"), t("careTeam.why")],
                rows.map { s, why, removable in
                    H.el(
                        "tr", [], H.el("td", [], H.text(s.displayName)),
                        H.el(
                            "td", [], H.text(why),
                            removable && canChange
                                ? Layout.form(
                                    ctx, action: Paths.removeFromCareTeam(caseID, s.id), [("class", "inline")],
                                    [
                                        Layout.button(
                                            t("careTeam.remove"),
                                            [
                                                ("class", "link"),
                                                ("aria-label", t("careTeam.removeNamed", ["name": s.displayName]))
                                            ])
                                    ]) : H.group([])))
                }))
        if canChange && !team.addable.isEmpty {
            let f = Fields(t: t, state: FormState())
            body.append(
                Layout.form(
                    ctx, action: Paths.careTeam(caseID), [("class", "inline-fields no-print")],
                    [
                        f.select(
                            "staffID", t("careTeam.add.who"),
                            options: team.addable.map { ($0.id.uuidString.lowercased(), $0.displayName) }),
                        Layout.button(t("careTeam.add.submit"))
                    ]))
        }
        return H.el("section", [("aria-labelledby", "s-team")], body)
    }
}

/// The administrator's access settings: the agency's policy, and each program's restriction and staff.
enum AdminAccessPage {
    static func render(
        _ ctx: PageContext, agency: Agency, programs: [Program], staff: [StaffMember], programStaff: [UUID: [UUID]],
        state: FormState = FormState(), stateProgram: UUID? = nil
    ) -> String {
        let t = ctx.t
        var policyState = stateProgram == nil ? state : FormState()
        if policyState["policy"].isEmpty { policyState.values["policy"] = agency.accessPolicy.rawValue }
        if policyState.values["continuumCode"] == nil {
            policyState.values["continuumCode"] = agency.continuumCode ?? ""
        }
        let pf = Fields(t: t, state: policyState)
        var content: [HNode] = [
            H.el("h1", [], H.text(t("adminAccess.title"))),
            H.p(t("adminAccess.lede")),
            stateProgram == nil ? Layout.errorSummary(t, state) : H.group([]),
            H.el(
                "section", [("aria-labelledby", "s-policy")],
                H.el("h2", [("id", "s-policy")], H.text(t("adminAccess.policy"))),
                Layout.form(
                    ctx, action: Paths.adminAccess, [("novalidate", "")],
                    [
                        pf.select(
                            "policy", t("adminAccess.policy"),
                            options: AccessPolicy.allCases.map { ($0.rawValue, t("careTeam.policy.\($0.rawValue)")) }),
                        Layout.button(t("action.save"))
                    ])),
            H.el(
                "section", [("aria-labelledby", "s-continuum")],
                H.el("h2", [("id", "s-continuum")], H.text(t("adminAccess.continuum"))),
                H.p(t("adminAccess.continuum.lede")),
                Layout.form(
                    ctx, action: Paths.adminContinuum, [("novalidate", "")],
                    [
                        pf.input(
                            "continuumCode", t("adminAccess.continuumCode"), hint: t("adminAccess.continuumCode.hint")),
                        Layout.button(t("action.save"))
                    ]))
        ]
        var sections: [HNode] = [H.el("h2", [("id", "s-programs")], H.text(t("adminAccess.programs")))]
        for p in programs {
            let short = String(p.id.uuidString.lowercased().prefix(8))
            let fs =
                stateProgram == p.id
                ? state
                : FormState(
                    values: ["restriction-\(short)": p.restriction?.rawValue ?? ""],
                    multi: ["staff-\(short)": (programStaff[p.id] ?? []).map { $0.uuidString.lowercased() }])
            let f = Fields(t: t, state: fs)
            sections.append(
                H.el(
                    "div", [("class", "card")],
                    H.el("h3", [("id", "p-\(short)")], H.text(p.name)),
                    stateProgram == p.id ? Layout.errorSummary(t, state) : H.group([]),
                    Layout.form(
                        ctx, action: Paths.programAccess(p.id), [("novalidate", "")],
                        [
                            f.select(
                                "restriction-\(short)", t("adminAccess.restriction"),
                                options: [("", t("restriction.none"))]
                                    + RestrictedCategory.allCases.map { ($0.rawValue, t("restriction.\($0.rawValue)")) },
                                hint: t("adminAccess.restriction.hint")),
                            f.checkboxes(
                                "staff-\(short)", t("adminAccess.staff"),
                                options: staff.filter(\.active).map { ($0.id.uuidString.lowercased(), $0.displayName) }),
                            Layout.button(t("action.save"))
                        ])))
        }
        content.append(H.el("section", [("aria-labelledby", "s-programs")], sections))
        return Layout.page(ctx, title: t("adminAccess.title"), content)
    }
}
