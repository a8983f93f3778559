import Foundation
import TrellisCore

/// A client's household: the section on their record, and the page that adds, relates and removes members.
enum HouseholdPages {
    /// HUD's relationships to the head (3.15), the head itself left out: a household has one, made by the service.
    static func relationships(_ t: Strings) -> [(String, String)] {
        RelationshipToHoH.allCases.filter { $0 != .selfHead }.map { (String($0.rawValue), t("rel.\($0.rawValue)")) }
    }

    /// The members' table: each by name (a link for those the reader may open), relationship and birth date.
    static func table(
        _ ctx: PageContext, _ view: HouseholdView, current: UUID, actions: ((HouseholdMemberView) -> HNode)?
    )
        -> HNode
    {
        let t = ctx.t
        var columns = [t("client.name"), t("household.relationship"), t("client.birthDate")]
        if actions != nil { columns.append(t("household.change")) }
        return H.group([
            H.el(
                "table", [("class", "data")],
                H.head(columns),
                H.el(
                    "tbody", [],
                    view.members.map { m in
                        let name = t.name(m.client)
                        let label = m.client.id == current ? name + " " + t("household.thisClient") : name
                        return H.el(
                            "tr", [],
                            [
                                H.el(
                                    "td", [],
                                    m.canRead && m.client.id != current
                                        ? H.a(Paths.client(m.client.id), label) : H.text(label)),
                                H.el("td", [], H.text(t("rel.\(m.relationship.rawValue)"))),
                                H.el("td", [], H.text(m.canRead ? m.client.birthDate?.description ?? "—" : "—"))
                            ] + (actions.map { [H.el("td", [], $0(m))] } ?? []))
                    })),
            view.hidden > 0 ? H.p(t.plural("household.hidden", view.hidden), [("class", "hint")]) : H.group([])
        ])
    }

    /// The section on the client's record.
    static func section(_ ctx: PageContext, clientID: UUID, _ view: HouseholdView?, canWrite: Bool) -> HNode {
        let t = ctx.t
        let manage =
            canWrite
            ? H.el(
                "p", [("class", "no-print")],
                H.a(Paths.household(clientID), view == nil ? t("household.start") : t("household.manage")))
            : H.group([])
        return H.el(
            "section", [("aria-labelledby", "s-household")],
            H.el("h2", [("id", "s-household")], H.text(t("client.section.household"))),
            view.map { table(ctx, $0, current: clientID, actions: nil) } ?? H.p(t("household.none")),
            manage)
    }

    /// `/clients/{id}/household`: the members with their relationship and removal, a search to add someone
    /// already registered, and the link to register a new member into the household.
    static func render(
        _ ctx: PageContext, client: ClientSummary, view: HouseholdView?, query: String, found: [ClientSummary],
        inHousehold: Set<UUID>, isHead: Bool, state: FormState
    ) -> String {
        let t = ctx.t
        let f = Fields(t: t, state: state)
        let version = view.map { String($0.household.version) } ?? ""
        let base = Paths.household(client.id)
        func versionField() -> HNode { H.void("input", [("type", "hidden"), ("name", "version"), ("value", version)]) }
        let actions: ((HouseholdMemberView) -> HNode)? =
            isHead
            ? { m in
                guard m.relationship != .selfHead else { return H.text(t("household.head")) }
                let short = m.client.id.uuidString.lowercased()
                return H.group([
                    Layout.form(
                        ctx, action: Paths.householdMember(client.id, m.client.id), [("class", "inline")],
                        [
                            versionField(),
                            f.select(
                                "relationship-\(short)", t("household.relationshipOf", ["name": t.name(m.client)]),
                                options: relationships(t)),
                            Layout.button(t("household.saveRelationship"), [("class", "secondary")])
                        ]),
                    Layout.form(
                        ctx, action: Paths.householdMember(client.id, m.client.id) + "/remove", [("class", "inline")],
                        [
                            versionField(),
                            f.checkbox("confirm-\(short)", t("household.removeConfirm", ["name": t.name(m.client)])),
                            Layout.button(t("household.remove"), [("class", "danger")])
                        ])
                ])
            } : nil
        var content: [HNode] = [
            H.el("h1", [], H.text(t("household.title", ["name": t.name(client)]))),
            H.el("p", [("class", "no-print")], H.a(Paths.client(client.id), t("household.back"))),
            Layout.errorSummary(t, state),
            H.p(t("household.lede"), [("class", "lede")])
        ]
        if let view {
            content.append(table(ctx, view, current: client.id, actions: actions))
        } else {
            content.append(H.p(t("household.noneYet")))
        }
        guard isHead else {
            content.append(H.p(t("household.notHead"), [("class", "notice"), ("role", "note")]))
            return Layout.page(ctx, title: t("household.title", ["name": t.name(client)]), content)
        }
        content += [
            H.el("h2", [], H.text(t("household.add"))),
            H.el(
                "form", [("method", "get"), ("action", base), ("role", "search")],
                f.input("q", t("household.search"), type: "search", hint: t("household.search.hint")),
                Layout.button(t("action.search"), [("class", "secondary")]))
        ]
        if !query.isEmpty {
            content.append(
                found.isEmpty
                    ? H.p(t("household.search.none"), [("role", "status")])
                    : H.el(
                        "table", [("class", "data")],
                        H.head([t("client.name"), t("client.birthDate"), t("household.add")]),
                        H.el(
                            "tbody", [],
                            found.filter { $0.id != client.id }.map { c in
                                H.el(
                                    "tr", [],
                                    H.el("td", [], H.text(t.name(c))),
                                    H.el("td", [], H.text(c.birthDate?.description ?? "—")),
                                    H.el(
                                        "td", [],
                                        inHousehold.contains(c.id)
                                            ? H.text(t("household.alreadyIn"))
                                            : Layout.form(
                                                ctx, action: base + "/members", [("class", "inline")],
                                                [
                                                    versionField(),
                                                    H.void(
                                                        "input", [("type", "hidden"), ("name", "q"), ("value", query)]),
                                                    H.void(
                                                        "input",
                                                        [
                                                            ("type", "hidden"), ("name", "clientID"),
                                                            ("value", c.id.uuidString.lowercased())
                                                        ]),
                                                    f.select(
                                                        "relationship-\(c.id.uuidString.lowercased())",
                                                        t("household.relationshipOf", ["name": t.name(c)]),
                                                        options: relationships(t), includeBlank: true),
                                                    Layout.button(t("household.addThis"), [("class", "secondary")])
                                                ])))
                            })))
        }
        content.append(
            H.el(
                "p", [],
                H.a(
                    Paths.newClient + "?householdOf=" + client.id.uuidString.lowercased(),
                    t("household.registerNew"))))
        return Layout.page(ctx, title: t("household.title", ["name": t.name(client)]), content)
    }
}
