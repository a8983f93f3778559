import Foundation
import Plot
import TrellisCore
import TrellisData

enum AdminUsersPage {
    static func render(
        _ ctx: PageContext, staff: [StaffMember], teams: [Team], state: FormState, locked: Set<String> = [],
        twoStepOn: Set<UUID> = [], twoStepRoles: Set<Role> = []
    ) -> String {
        let t = ctx.t
        let f = Fields(t: t, state: state)
        let roles = Fields(t: t, state: FormState(multi: ["roles": twoStepRoles.map(\.rawValue)]))
        let teamNames = Dictionary(uniqueKeysWithValues: teams.map { ($0.id, $0.name) })
        return Layout.page(
            ctx, title: t("admin.users.title"),
            [
                H.el("h1", [], H.text(t("admin.users.title"))),
                H.table(
                    caption: t("admin.users.title"), hiddenCaption: true,
                    [
                        t("admin.users.name"), t("signin.username"), t("team.role"), t("admin.team"), t("nav.language"),
                        t("admin.users.status"), t("twoStep.title")
                    ],
                    cells: staff.map { s in
                        (
                            [],
                            [
                                H.a(Paths.adminUser(s.id), s.displayName), H.text(s.username),
                                H.text(t.label("role", s.role)), H.text(s.teamID.flatMap { teamNames[$0] } ?? "—"),
                                H.text(t("language.\(s.language.rawValue)")),
                                H.text(
                                    !s.active
                                        ? t("admin.users.deactivated")
                                        : locked.contains(s.username)
                                            ? t("admin.users.lockedShort") : t("admin.users.active")),
                                H.text(
                                    twoStepOn.contains(s.id)
                                        ? t("twoStep.onShort")
                                        : twoStepRoles.contains(s.role) ? t("twoStep.notSetUp") : "—")
                            ]
                        )
                    }),
                H.el("h2", [], H.text(t("twoStep.title"))),
                H.p(t("twoStep.adminHint"), [("class", "hint")]),
                Layout.form(
                    ctx, action: Paths.adminTwoStep, [],
                    [
                        roles.checkboxes(
                            "roles", t("twoStep.requiredFor"),
                            options: Role.allCases.map { ($0.rawValue, t.label("role", $0)) }),
                        Layout.button(t("action.save"))
                    ]),
                H.el("h2", [], H.text(t("admin.users.new"))),
                Layout.errorSummary(t, state),
                Layout.form(
                    ctx, action: Paths.adminUsers, [("novalidate", "")],
                    [
                        f.input("displayName", t("admin.users.name"), required: true),
                        f.input("username", t("signin.username"), required: true, autocomplete: "off"),
                        f.select(
                            "role", t("team.role"), options: Role.allCases.map { ($0.rawValue, t.label("role", $0)) },
                            required: true),
                        f.select(
                            "teamID", t("admin.team"), options: teams.map { ($0.id.uuidString.lowercased(), $0.name) },
                            includeBlank: true),
                        f.select(
                            "language", t("nav.language"),
                            options: TrellisCore.Language.allCases.map { ($0.rawValue, t("language.\($0.rawValue)")) }),
                        f.input(
                            "password", t("signin.password"), type: "password", required: true,
                            hint: t(
                                "admin.users.passwordHint", ["n": String(OrganizationService.minimumPasswordLength)]),
                            autocomplete: "new-password"),
                        Layout.button(t("admin.users.create"))
                    ])
            ], wide: true)
    }
}

enum AdminProgramsPage {
    /// Caseload target, "Who needs me today" weights, approval rules and the program's managers.
    static func supervisionForm(
        _ ctx: PageContext, _ p: Program, managers: [UUID], programManagers: [StaffMember], state: FormState?
    ) -> HNode {
        let t = ctx.t
        let id = p.id.uuidString.lowercased()
        var values = ["caseloadTarget": p.caseloadTarget.map(String.init) ?? ""]
        for (name, kp) in PriorityWeights.fields { values["weights.\(name)"] = String(p.priorityWeights[keyPath: kp]) }
        let st = state ?? FormState(values: values)
        let checked = { (name: String, current: Bool) in state.map { $0[name] == "on" } ?? current }
        // Field ids carry the program id so several forms on one page stay distinct.
        func input(_ name: String, _ label: String, min: Int, max: Int) -> HNode {
            let fid = "s-\(id)-" + name.replacingOccurrences(of: ".", with: "-")
            let errs = st.errors[name] ?? []
            st.note(name, label: label, anchor: fid)
            return H.el(
                "div", [("class", errs.isEmpty ? "field" : "field has-error")],
                H.el("label", [("for", fid)], H.text(label)),
                errs.isEmpty
                    ? H.group([])
                    : H.el(
                        "p", [("class", "field-error"), ("id", fid + "-error")],
                        H.text(errs.map(t.message).joined(separator: "; "))),
                H.void(
                    "input",
                    [
                        ("type", "number"), ("id", fid), ("name", name), ("min", String(min)), ("max", String(max)),
                        ("value", st[name]),
                        ("aria-invalid", errs.isEmpty ? nil : "true"),
                        ("aria-describedby", errs.isEmpty ? nil : fid + "-error")
                    ]))
        }
        func check(_ name: String, _ label: String, _ on: Bool) -> HNode {
            H.el(
                "div", [("class", "check")],
                H.void(
                    "input",
                    [
                        ("type", "checkbox"), ("id", "s-\(id)-\(name)"), ("name", name), ("value", "on"),
                        ("checked", H.flag(on))
                    ]),
                H.el("label", [("for", "s-\(id)-\(name)")], H.text(label)))
        }
        let chosen = Set(state.map { ($0.multi["managers[]"] ?? []).compactMap(UUID.init(uuidString:)) } ?? managers)
        return H.el(
            "details", [("class", "settings"), ("open", H.flag(state != nil))],
            H.el(
                "summary", [],
                H.text(p.name + " — " + t("settings.targetSummary", ["n": String(p.effectiveCaseloadTarget)]))),
            Layout.form(
                ctx, action: Paths.supervisionSettings(p.id), [("novalidate", "")],
                [
                    input("caseloadTarget", t("settings.caseloadTarget"), min: 1, max: 200),
                    H.el(
                        "fieldset", [("class", "weights")],
                        [H.el("legend", [], H.text(t("settings.weights")))]
                            + PriorityWeights.fields.map {
                                input("weights.\($0.name)", t("settings.weight.\($0.name)"), min: 0, max: 100)
                            }),
                    check(
                        "requiresClosureApproval", t("settings.closureApproval"),
                        checked("requiresClosureApproval", p.requiresClosureApproval)),
                    check(
                        "requiresNoteCosign", t("settings.noteCosign"),
                        checked("requiresNoteCosign", p.requiresNoteCosign)),
                    programManagers.isEmpty
                        ? H.group([])
                        : H.el(
                            "fieldset", [],
                            [H.el("legend", [], H.text(t("settings.managers")))]
                                + programManagers.map { m in
                                    H.el(
                                        "div", [("class", "check")],
                                        H.void(
                                            "input",
                                            [
                                                ("type", "checkbox"),
                                                ("id", "s-\(id)-m-\(m.id.uuidString.lowercased())"),
                                                ("name", "managers[]"),
                                                ("value", m.id.uuidString.lowercased()),
                                                ("checked", H.flag(chosen.contains(m.id)))
                                            ]),
                                        H.el(
                                            "label", [("for", "s-\(id)-m-\(m.id.uuidString.lowercased())")],
                                            H.text(m.displayName)))
                                }),
                    Layout.button(
                        t("action.save"), [("class", "secondary"), ("aria-label", t("action.save") + ": " + p.name)])
                ]))
    }

    static func render(
        _ ctx: PageContext, programs: [Program], teams: [Team], programState: FormState, teamState: FormState,
        managers: [UUID: [UUID]] = [:], programManagers: [StaffMember] = [], supervision: (UUID, FormState)? = nil
    ) -> String {
        let t = ctx.t
        let pf = Fields(t: t, state: programState)
        let tf = Fields(t: t, state: teamState)
        let programNames = Dictionary(uniqueKeysWithValues: programs.map { ($0.id, $0.name) })
        return Layout.page(
            ctx, title: t("admin.programs.title"),
            [
                H.el("h1", [], H.text(t("admin.programs.title"))),
                programs.isEmpty
                    ? H.el("div", [("class", "empty")], H.p(t("admin.programs.empty")))
                    : H.el(
                        "table", [("class", "data")],
                        H.head([
                            t("admin.programs.name"), t("admin.programs.type"), t("admin.programs.frequency"),
                            t("admin.programs.assessmentSettings")
                        ]),
                        H.el(
                            "tbody", [],
                            programs.map { p in
                                let id = p.id.uuidString.lowercased()
                                return H.el(
                                    "tr", [],
                                    H.el(
                                        "td", [],
                                        H.a(
                                            Paths.adminProgram(p.id), p.name,
                                            [("aria-label", t("admin.programs.edit") + ": " + p.name)])),
                                    H.el("td", [], H.text(t("programType.\(p.type.rawValue)"))),
                                    H.el("td", [("class", "num")], H.text(String(p.contactFrequencyDays))),
                                    H.el(
                                        "td", [],
                                        Layout.form(
                                            ctx, action: Paths.programSettings(p.id),
                                            [("class", "inline-fields compact")],
                                            [
                                                H.el(
                                                    "label", [("for", "r-\(id)")],
                                                    H.text(t("admin.programs.reassessmentDays"))),
                                                H.void(
                                                    "input",
                                                    [
                                                        ("type", "number"), ("id", "r-\(id)"),
                                                        ("name", "reassessmentDays"), ("min", "7"), ("max", "730"),
                                                        ("value", p.reassessmentDays.map(String.init) ?? "")
                                                    ]),
                                                H.el(
                                                    "span", [("class", "check")],
                                                    H.void(
                                                        "input",
                                                        [
                                                            ("type", "checkbox"), ("id", "a-\(id)"),
                                                            ("name", "requiresPlanApproval"), ("value", "on"),
                                                            ("checked", H.flag(p.requiresPlanApproval))
                                                        ]),
                                                    H.el(
                                                        "label", [("for", "a-\(id)")],
                                                        H.text(t("admin.programs.requiresApproval")))),
                                                H.el("label", [("for", "d-\(id)")], H.text(t("settings.referralDays"))),
                                                H.void(
                                                    "input",
                                                    [
                                                        ("type", "number"), ("id", "d-\(id)"),
                                                        ("name", "referralResponseDays"), ("min", "1"), ("max", "90"),
                                                        ("value", p.referralResponseDays.map(String.init) ?? "")
                                                    ]),
                                                H.group(
                                                    (0..<2).map { i in
                                                        let rule = i < p.contactRules.count ? p.contactRules[i] : nil
                                                        return H.el(
                                                            "span", [("class", "rule")],
                                                            H.el(
                                                                "label", [("for", "rt\(i)-\(id)")],
                                                                H.text(t("settings.ruleType") + " \(i + 1)")),
                                                            H.el(
                                                                "select",
                                                                [("id", "rt\(i)-\(id)"), ("name", "ruleType")],
                                                                [
                                                                    H.el(
                                                                        "option", [("value", "")],
                                                                        H.text(t("rule.anyContact")))
                                                                ]
                                                                    + ContactType.allCases.filter(\.countsAsContact).map
                                                                { c in
                                                                    H.el(
                                                                        "option",
                                                                        [
                                                                            ("value", c.rawValue),
                                                                            ("selected", H.flag(rule?.contactType == c))
                                                                        ], H.text(t.label("contact", c)))
                                                                }),
                                                            H.el(
                                                                "label", [("for", "rd\(i)-\(id)")],
                                                                H.text(t("settings.ruleDays"))),
                                                            H.void(
                                                                "input",
                                                                [
                                                                    ("type", "number"), ("id", "rd\(i)-\(id)"),
                                                                    ("name", "ruleDays"), ("min", "1"), ("max", "730"),
                                                                    ("value", rule.map { String($0.everyDays) } ?? "")
                                                                ]))
                                                    }),
                                                Layout.button(
                                                    t("action.save"),
                                                    [
                                                        ("class", "secondary"),
                                                        ("aria-label", t("action.save") + ": " + p.name)
                                                    ])
                                            ])))
                            })),
                H.el("h2", [("id", "supervision")], H.text(t("settings.supervision"))),
                H.p(t("settings.supervisionHint"), [("class", "hint")]),
                H.group(
                    programs.map { p in
                        supervisionForm(
                            ctx, p, managers: managers[p.id] ?? [], programManagers: programManagers,
                            state: supervision?.0 == p.id ? supervision?.1 : nil)
                    }),
                H.el("h2", [], H.text(t("admin.programs.new"))),
                Layout.errorSummary(t, programState),
                Layout.form(
                    ctx, action: Paths.adminPrograms, [("novalidate", "")],
                    [
                        pf.input("name", t("admin.programs.name"), required: true),
                        pf.select(
                            "type", t("admin.programs.type"),
                            options: ProgramType.allCases.map { ($0.rawValue, t("programType.\($0.rawValue)")) },
                            required: true),
                        pf.input(
                            "contactFrequencyDays", t("admin.programs.frequency"), type: "number", required: true,
                            extra: [("min", "1"), ("max", "365")]),
                        pf.input(
                            "reassessmentDays", t("admin.programs.reassessmentDays"), type: "number",
                            hint: t("admin.programs.reassessmentDays.hint"),
                            extra: [("min", "7"), ("max", "730")]),
                        H.el(
                            "div", [("class", "check")],
                            H.void(
                                "input",
                                [
                                    ("type", "checkbox"), ("id", "f-requiresPlanApproval"),
                                    ("name", "requiresPlanApproval"), ("value", "on"),
                                    ("checked", H.flag(programState["requiresPlanApproval"] == "on"))
                                ]),
                            H.el(
                                "label", [("for", "f-requiresPlanApproval")],
                                H.text(t("admin.programs.requiresApproval")))),
                        Layout.button(t("admin.programs.create"))
                    ]),
                H.el("h2", [], H.text(t("admin.teams.title"))),
                teams.isEmpty
                    ? H.p(t("admin.teams.empty"))
                    : H.el(
                        "ul", [],
                        teams.map { tm in
                            H.el(
                                "li", [],
                                H.text(tm.name + (tm.programID.flatMap { programNames[$0] }.map { " (\($0))" } ?? "")))
                        }),
                Layout.errorSummary(t, teamState),
                Layout.form(
                    ctx, action: Paths.adminTeams, [("novalidate", "")],
                    [
                        tf.input("name", t("admin.teams.name"), required: true),
                        tf.select(
                            "programID", t("case.program"),
                            options: programs.map { ($0.id.uuidString.lowercased(), $0.name) }, includeBlank: true),
                        Layout.button(t("admin.teams.create"))
                    ])
            ])
    }
}

/// One user: change their details; end or restore their access, unlock them, give them a temporary password.
enum AdminUserPage {
    static func render(
        _ ctx: PageContext, staff s: StaffMember, teams: [Team], locked: Bool, failedSignIns: Int, openCases: Int,
        state: FormState, accessErrors: FormState, temporaryPassword: String?, isSelf: Bool,
        sessions: [StaffSession] = [], tokens: [APITokenRecord] = [], now: Date = Date(),
        twoStep: SecondFactorService.Status? = nil
    ) -> String {
        let t = ctx.t
        let f = Fields(t: t, state: state)
        let version = Bits.hidden("version", String(s.version))
        var content: [HNode] = [
            H.el("h1", [], H.text(s.displayName)),
            H.el("p", [], H.a(Paths.adminUsers, t("admin.users.back")))
        ]
        if let temporaryPassword {
            content.append(
                H.el(
                    "div", [("class", "notice"), ("role", "status")],
                    H.p(t("admin.users.temporaryShown", ["name": s.displayName])),
                    H.el("p", [], H.el("code", [("class", "temporary-password")], H.text(temporaryPassword))),
                    H.p(t("admin.users.temporaryHint"), [("class", "hint")])))
        }
        content.append(
            H.el(
                "dl", [("class", "summary")],
                H.pair(t("signin.username"), s.username),
                H.pair(
                    t("admin.users.status"),
                    !s.active
                        ? t("admin.users.deactivated")
                        : locked
                            ? t("admin.users.locked", ["n": String(failedSignIns)])
                            : s.mustChangePassword ? t("admin.users.mustChange") : t("admin.users.active")),
                H.pair(t("admin.users.openCases"), String(openCases))))
        content.append(
            Bits.section(
                "s-details", t("admin.users.details"),
                [
                    Layout.errorSummary(t, state),
                    Layout.form(
                        ctx, action: Paths.adminUser(s.id), [("novalidate", "")],
                        [
                            f.input("displayName", t("admin.users.name"), required: true),
                            f.select(
                                "role", t("team.role"),
                                options: Role.allCases.map { ($0.rawValue, t.label("role", $0)) }, required: true,
                                hint: isSelf ? t("admin.users.ownRole") : nil),
                            f.select(
                                "teamID", t("admin.team"),
                                options: teams.map { ($0.id.uuidString.lowercased(), $0.name) }, includeBlank: true),
                            f.select(
                                "language", t("nav.language"),
                                options: TrellisCore.Language.allCases.map {
                                    ($0.rawValue, t("language.\($0.rawValue)"))
                                }),
                            version, Layout.button(t("action.save"))
                        ])
                ]))
        var access: [HNode] = [Layout.errorSummary(t, accessErrors)]
        if !isSelf {
            if s.active {
                access.append(
                    Layout.form(
                        ctx, action: Paths.adminUserActive(s.id), [("novalidate", "")],
                        [
                            H.p(
                                openCases > 0
                                    ? t.plural("admin.users.deactivate.cases", openCases)
                                    : t("admin.users.deactivate.hint"), [("class", "hint")]),
                            Fields(t: t, state: accessErrors).checkbox("confirm", t("admin.users.confirmDeactivate")),
                            Bits.hidden("active", "0"), version,
                            Layout.button(t("admin.users.deactivate"), [("class", "danger")])
                        ]))
            } else {
                access.append(
                    Layout.form(
                        ctx, action: Paths.adminUserActive(s.id), [],
                        [Bits.hidden("active", "1"), version, Layout.button(t("admin.users.reactivate"))]))
            }
            if locked {
                access.append(
                    Layout.form(
                        ctx, action: Paths.adminUserUnlock(s.id), [],
                        [
                            H.p(t("admin.users.unlock.hint"), [("class", "hint")]),
                            Layout.button(t("admin.users.unlock"), [("class", "secondary")])
                        ]))
            }
            if s.active {
                access.append(
                    Layout.form(
                        ctx, action: Paths.adminUserPassword(s.id), [],
                        [
                            H.p(t("admin.users.reset.hint"), [("class", "hint")]), version,
                            Layout.button(t("admin.users.reset"), [("class", "secondary")])
                        ]))
            }
        } else {
            access.append(H.p(t("admin.users.self"), [("class", "hint")]))
        }
        if let twoStep {
            let on = twoStep.factor?.confirmedAt
            access.append(
                H.el(
                    "dl", [("class", "summary")],
                    H.pair(
                        t("twoStep.title"),
                        on.map { t("twoStep.onSince", ["date": t.dateTime($0)]) }
                            ?? t(twoStep.required ? "twoStep.notSetUp" : "twoStep.off"))))
            if twoStep.factor != nil && !isSelf {
                access.append(
                    Layout.form(
                        ctx, action: Paths.adminUserTwoStepReset(s.id), [("novalidate", "")],
                        [
                            H.p(t("twoStep.resetHint"), [("class", "hint")]),
                            Fields(t: t, state: accessErrors).checkbox("confirmReset", t("twoStep.confirmReset")),
                            Layout.button(t("twoStep.reset"), [("class", "danger")])
                        ]))
            }
        }
        content.append(Bits.section("s-access", t("admin.users.access"), access))
        // Their ways in: sessions and API tokens, each of which an administrator can end.
        let base = Paths.adminUser(s.id)
        content.append(
            Bits.section(
                "s-keys", t("keys.title"),
                [
                    H.el("h3", [], H.text(t("keys.sessions"))),
                    AccessKeysPage.sessions(ctx, sessions, current: nil, base: base),
                    H.el("h3", [], H.text(t("keys.tokens"))),
                    AccessKeysPage.tokens(ctx, tokens, base: base, now: now)
                ]))
        return Layout.page(ctx, title: s.displayName, content)
    }
}

/// A program's name, type and how often its clients must be contacted.
enum AdminProgramPage {
    static func render(_ ctx: PageContext, program p: Program, state: FormState) -> String {
        let t = ctx.t
        let f = Fields(t: t, state: state)
        return Layout.page(
            ctx, title: p.name,
            [
                H.el("h1", [], H.text(p.name)),
                H.el("p", [], H.a(Paths.adminPrograms, t("admin.programs.back"))),
                H.el("p", [], H.a(Paths.programHUD(p.id), t("hud.link"))),
                Layout.errorSummary(t, state),
                Layout.form(
                    ctx, action: Paths.adminProgram(p.id), [("novalidate", "")],
                    [
                        f.input("name", t("admin.programs.name"), required: true),
                        f.select(
                            "type", t("admin.programs.type"),
                            options: ProgramType.allCases.map { ($0.rawValue, t("programType.\($0.rawValue)")) },
                            required: true),
                        f.input(
                            "contactFrequencyDays", t("admin.programs.frequency"), type: "number", required: true,
                            hint: t("admin.programs.frequency.change"), extra: [("min", "1"), ("max", "365")]),
                        Bits.hidden("version", state["version"]),
                        Layout.button(t("action.save"))
                    ])
            ])
    }
}
