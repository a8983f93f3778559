import Foundation
import Plot
import TrellisCore

enum ClientSearchPage {
    static func render(
        _ ctx: PageContext, query: String, results: [ClientSummary], details: [UUID: ClientSearchDetail] = [:],
        programs: [UUID: String] = [:], today: LocalDate? = nil, page: Int, hasMore: Bool
    ) -> String {
        let t = ctx.t
        let f = Fields(t: t, state: FormState(values: ["q": query]))
        var content: [HNode] = [
            H.el("h1", [], H.text(t("clients.title"))),
            H.el(
                "form", [("method", "get"), ("action", Paths.clients), ("role", "search"), ("class", "search")],
                f.input("q", t("clients.search.label"), type: "search", hint: t("clients.search.hint")),
                Layout.button(t("clients.search.submit"))),
            H.el(
                "p", [("class", "actions")], H.a(Paths.newClient, t("client.register"), [("class", "button")]),
                H.a(Paths.sharedRecords, t("shared.title"), [("class", "button secondary")]))
        ]
        if query.isEmpty {
            content.append(H.el("div", [("class", "empty")], H.p(t("clients.search.prompt"))))
        } else if results.isEmpty {
            content.append(H.el("div", [("class", "empty")], H.p(t("clients.search.none"))))
        } else {
            content.append(
                H.el(
                    "table", [("class", "data")],
                    H.el("caption", [], H.text(t("clients.search.results"))),
                    H.head([
                        t("client.name"), t("clients.col.id"), t("client.birthDate"), t("clients.col.age"),
                        t("clients.col.ssn"), t("clients.col.programs")
                    ]),
                    H.el(
                        "tbody", [],
                        results.map { c in
                            // Enough to tell two people of one name apart: short id, age, the SSN's last
                            // four (never more) and the programs of their open cases.
                            let d = details[c.id]
                            let age = c.birthDate.flatMap { b in today.map { String(b.age(on: $0)) } }
                            let open = (d?.openProgramIDs ?? []).compactMap { programs[$0] }
                            return H.el(
                                "tr", [], H.el("th", [("scope", "row")], H.a(Paths.client(c.id), c.displayName)),
                                H.el(
                                    "td", [], H.el("code", [], H.text(String(c.id.uuidString.lowercased().prefix(8))))),
                                H.el("td", [], H.text(c.birthDate?.description ?? "—")),
                                H.el("td", [("class", "num")], H.text(age ?? "—")),
                                H.el("td", [], H.text(d?.ssnLast4.map { "•••-••-" + $0 } ?? "—")),
                                H.el(
                                    "td", [],
                                    H.text(open.isEmpty ? t("clients.noOpenCase") : open.joined(separator: ", "))))
                        })))
            content.append(
                Layout.pagination(
                    t,
                    base: Paths.clients + "?q="
                        + (query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""), page: page,
                    hasMore: hasMore))
        }
        return Layout.page(ctx, title: t("clients.title"), content)
    }
}

enum ClientFormPage {
    static func codeOptions<E: RawRepresentable & CaseIterable>(_ t: Strings, _ prefix: String, _ e: E.Type) -> [(
        String, String
    )] where E.RawValue == Int {
        E.allCases.map { (String($0.rawValue), t("\(prefix).\($0.rawValue)")) }
    }

    /// The intake form (new) or the edit form (with `clientID` and `version`).
    static func render(
        _ ctx: PageContext, state: FormState, clientID: UUID?, version: Int?, joining: ClientSummary?,
        duplicates: [DuplicateCandidate]
    ) -> String {
        let t = ctx.t
        let f = Fields(t: t, state: state)
        let title = clientID == nil ? t("client.new.title") : t("client.edit.title")
        var body: [HNode] = []
        if !duplicates.isEmpty {
            body.append(
                H.el(
                    "section", [("class", "duplicates"), ("aria-labelledby", "dup-title"), ("role", "alert")],
                    H.el("h2", [("id", "dup-title")], H.text(t("client.duplicates.title"))),
                    H.p(t("client.duplicates.body")),
                    H.el(
                        "ul", [],
                        duplicates.map { d in
                            H.el(
                                "li", [],
                                H.a(
                                    Paths.client(d.client.id),
                                    d.client.displayName + (d.client.birthDate.map { " (\($0))" } ?? "")),
                                H.text(" — " + d.reasons.map { t("match.\($0)") }.joined(separator: ", ")))
                        }),
                    Layout.button(
                        t("client.duplicates.createAnyway"),
                        [("name", "acknowledgeDuplicates"), ("value", "1"), ("class", "secondary")])))
        }
        body += [
            H.el(
                "fieldset", [],
                [
                    H.el("legend", [], H.text(t("client.section.name"))),
                    f.input("firstName", t("client.firstName"), autocomplete: "off"),
                    f.input("middleName", t("client.middleName"), autocomplete: "off"),
                    f.input("lastName", t("client.lastName"), autocomplete: "off"),
                    f.input("nameSuffix", t("client.nameSuffix"), autocomplete: "off"),
                    f.select(
                        "nameDataQuality", t("client.nameDataQuality"), options: codeOptions(t, "dq", DataQuality.self),
                        required: true),
                    f.input("preferredName", t("client.preferredName"), autocomplete: "off"),
                    f.input("pronouns", t("client.pronouns"), autocomplete: "off")
                ]),
            H.el(
                "fieldset", [],
                [
                    H.el("legend", [], H.text(t("client.section.identity"))),
                    f.input("birthDate", t("client.birthDate"), type: "date", hint: t("client.birthDate.hint")),
                    f.select(
                        "dobDataQuality", t("client.dobDataQuality"), options: codeOptions(t, "dq", DataQuality.self),
                        required: true),
                    f.input(
                        "ssn", t("client.ssn"), hint: t("client.ssn.hint"), autocomplete: "off",
                        extra: [("inputmode", "numeric")]),
                    f.select(
                        "ssnDataQuality", t("client.ssnDataQuality"), options: codeOptions(t, "dq", DataQuality.self),
                        required: true, includeBlank: true),
                    f.select(
                        "sex", t("client.sex"), options: codeOptions(t, "sex", HUDSex.self), required: true,
                        includeBlank: true),
                    f.checkboxes(
                        "races", t("client.races"),
                        options: RaceEthnicity.allCases.map { ($0.rawValue, t("race.\($0.rawValue)")) }),
                    f.select(
                        "raceNone", t("client.raceNone"), options: codeOptions(t, "dq", RaceNone.self),
                        includeBlank: true, hint: t("client.raceNone.hint")),
                    f.input("additionalRaceEthnicity", t("client.additionalRaceEthnicity")),
                    f.select(
                        "veteranStatus", t("client.veteranStatus"), options: codeOptions(t, "yesno", NoYesMissing.self),
                        required: true, includeBlank: true)
                ]),
            H.el(
                "fieldset", [],
                [
                    H.el("legend", [], H.text(t("client.section.contact"))),
                    f.input("phone", t("client.phone"), type: "tel", autocomplete: "off"),
                    f.input("email", t("client.email"), type: "email", autocomplete: "off"),
                    f.textarea("address", t("client.address"), rows: 3),
                    f.input("preferredLanguage", t("client.preferredLanguage")),
                    f.input("alias", t("client.alias"), hint: t("client.alias.hint"))
                ]),
            joining.map { head in
                H.el(
                    "fieldset", [],
                    H.el("legend", [], H.text(t("client.section.household"))),
                    H.p(t("household.joining", ["name": t.name(head)]), [("class", "hint")]),
                    H.void(
                        "input",
                        [("type", "hidden"), ("name", "householdOf"), ("value", state.values["householdOf"] ?? "")]),
                    f.select(
                        "relationshipToHead", t("household.relationship"), options: HouseholdPages.relationships(t),
                        required: true, includeBlank: true))
            } ?? H.group([]),
            version.map { H.void("input", [("type", "hidden"), ("name", "version"), ("value", String($0))]) }
                ?? H.group([]),
            Layout.button(clientID == nil ? t("client.new.submit") : t("action.save"))
        ]
        let action = clientID.map(Paths.editClient) ?? Paths.clients
        return Layout.page(
            ctx, title: title,
            [
                H.el("h1", [], H.text(title)),
                Layout.errorSummary(t, state),
                Layout.form(ctx, action: action, [("novalidate", "")], body)
            ])
    }
}

enum ClientDetailPage {
    static func render(
        _ ctx: PageContext, detail: ClientDetail, programs: [UUID: Program], canWrite: Bool, canSeeHistory: Bool,
        today: LocalDate, releases: HNode? = nil
    ) -> String {
        let t = ctx.t
        let c = detail.client
        let races =
            c.races.isEmpty
            ? c.raceNone.map { t("dq.\($0.rawValue)") }
            : c.races.map { t("race.\($0.rawValue)") }.joined(separator: ", ")
        var actions: [HNode] = []
        // A record whose personal data was removed is kept for the counts, not worked on.
        if canWrite && c.purgedAt == nil {
            actions.append(H.a(Paths.editClient(c.id), t("client.edit.title"), [("class", "button secondary")]))
            actions.append(H.a(Paths.newCase(c.id), t("case.open"), [("class", "button")]))
        }
        if canSeeHistory {
            actions.append(H.a(Paths.clientHistory(c.id), t("access.title"), [("class", "button secondary")]))
        }
        let open = detail.cases.filter { $0.status != .closed }
        var facts: [HNode] = []
        func fact(_ label: String, _ value: String) {
            facts.append(H.el("li", [], H.el("span", [("class", "fact-label")], H.text(label + ": ")), H.text(value)))
        }
        fact(t("client.id"), String(c.id.uuidString.lowercased().prefix(8)))
        if let dob = c.birthDate { fact(t("record.age"), String(dob.age(on: today))) }
        fact(
            t("clients.col.programs"),
            open.isEmpty
                ? t("clients.noOpenCase") : open.compactMap { programs[$0.programID]?.name }.joined(separator: ", "))
        var sections: [(String, String)] = [
            ("s-cases", t("client.section.cases")), ("s-identity", t("client.section.identity")),
            ("s-contact", t("client.section.contact")), ("s-household", t("client.section.household"))
        ]
        if releases != nil { sections.append(("s-releases", t("release.title"))) }
        sections.append((Paths.documents(c.id), t("record.documents")))
        if canSeeHistory { sections.append((Paths.clientHistory(c.id), t("access.title"))) }
        let content: [HNode] = [
            H.el(
                "header", [("class", "record-header")],
                H.el("h1", [], H.text(c.purgedAt == nil ? c.displayName : t("retention.removedName"))),
                H.el("ul", [("class", "record-facts")], facts)),
            H.el(
                "nav", [("class", "record-nav no-print"), ("aria-label", t("record.onThisPage"))],
                H.el(
                    "ul", [],
                    sections.map { target, label in
                        H.el("li", [], H.a(target.hasPrefix("/") ? target : "#" + target, label))
                    })),
            H.el("p", [("class", "lede")], H.text(t("client.id") + ": " + c.id.uuidString.lowercased())),
            c.purgedAt.map {
                H.el(
                    "div", [("class", "notice"), ("role", "note")],
                    H.p(t("retention.purgedNotice", ["date": t.dateTime($0)])))
            } ?? H.group([]),
            H.el("div", [("class", "actions no-print")], actions),
            H.el(
                "section", [("aria-labelledby", "s-cases")],
                H.el("h2", [("id", "s-cases")], H.text(t("client.section.cases"))),
                detail.cases.isEmpty
                    ? H.p(t("case.none"))
                    : H.el(
                        "table", [("class", "data")],
                        H.head([
                            t("case.program"), t("case.status"), t("case.stage"), t("case.openedOn"), t("case.closedOn")
                        ]),
                        H.el(
                            "tbody", [],
                            detail.cases.map { k in
                                H.el(
                                    "tr", [],
                                    H.el("td", [], H.a(Paths.case(k.id), programs[k.programID]?.name ?? "—")),
                                    H.el("td", [], H.text(t.label("status", k.status))),
                                    H.el("td", [], H.text(t.label("stage", k.stage))),
                                    H.el("td", [], H.text(k.openedOn.description)),
                                    H.el("td", [], H.text(k.closedOn?.description ?? "—")))
                            }))),
            H.el(
                "section", [("aria-labelledby", "s-identity")],
                H.el("h2", [("id", "s-identity")], H.text(t("client.section.identity"))),
                H.el(
                    "dl", [("class", "summary")],
                    H.pair(t("client.legalName"), c.legalName.isEmpty ? nil : c.legalName),
                    H.pair(t("client.nameDataQuality"), t("dq.\(c.nameDataQuality.rawValue)")),
                    H.pair(t("client.preferredName"), c.preferredName),
                    H.pair(t("client.pronouns"), c.pronouns),
                    H.pair(t("client.birthDate"), c.birthDate?.description),
                    H.pair(t("client.dobDataQuality"), t("dq.\(c.dobDataQuality.rawValue)")),
                    H.pair(t("client.ssn"), c.maskedSSN),
                    H.pair(t("client.sex"), t("sex.\(c.sex.rawValue)")),
                    H.pair(t("client.races"), races),
                    H.pair(t("client.additionalRaceEthnicity"), c.additionalRaceEthnicity),
                    H.pair(t("client.veteranStatus"), t("yesno.\(c.veteranStatus.rawValue)")))),
            H.el(
                "section", [("aria-labelledby", "s-contact")],
                H.el("h2", [("id", "s-contact")], H.text(t("client.section.contact"))),
                H.el(
                    "dl", [("class", "summary")],
                    H.pair(t("client.phone"), c.phone), H.pair(t("client.email"), c.email),
                    H.pair(t("client.address"), c.address), H.pair(t("client.preferredLanguage"), c.preferredLanguage),
                    H.pair(t("client.alias"), c.alias))),
            HouseholdPages.section(ctx, clientID: c.id, detail.household, canWrite: canWrite && c.purgedAt == nil),
            releases ?? H.group([]),
            H.el("p", [("class", "print-only")], H.text(t("print.confidential")))
        ]
        return Layout.page(ctx, title: c.displayName, content)
    }
}

enum AccessHistoryPage {
    static func render(
        _ ctx: PageContext, client: ClientSummary, entries: [AuditEntry], total: Int, staff: [UUID: StaffMember],
        people: [StaffMember], filters: FormState, page: Int
    ) -> String {
        let t = ctx.t
        let base = AuditPages.query(Paths.clientHistory(client.id), filters)
        let content: [HNode] = [
            H.el("h1", [], H.text(t("access.title") + ": " + client.displayName)),
            H.p(t("history.lede"), [("class", "lede")]),
            AuditPages.filterForm(ctx, action: Paths.clientHistory(client.id), people: people, filters: filters),
            H.p(t.plural("history.matching", total), [("class", "hint"), ("role", "status")]),
            AuditPages.table(ctx, entries, staff: staff, clients: nil),
            Layout.pagination(t, base: base, page: page, hasMore: page * 50 < total)
        ]
        return Layout.page(ctx, title: t("access.title"), content, wide: true)
    }
}
