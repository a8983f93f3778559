import Foundation
import Plot
import TrellisCore

enum DirectoryPage {
    static func render(
        _ ctx: PageContext, query: ResourceQuery, results: [ResourceListing], canEdit: Bool, canImport: Bool,
        page: Int, hasMore: Bool, referFor caseID: UUID?
    ) -> String {
        let t = ctx.t
        let f = Fields(
            t: t,
            state: FormState(values: [
                "q": query.text ?? "", "need": query.need ?? "", "category": query.category ?? "",
                "place": query.place ?? "", "case": caseID?.uuidString.lowercased() ?? ""
            ]))
        var content: [HNode] = [H.el("h1", [], H.text(t("dir.title")))]
        if let caseID {
            content.append(H.p(t("dir.referHint"), [("class", "hint")]))
            content.append(Bits.back(t, caseID))
        }
        var actions: [HNode] = []
        if canEdit { actions.append(H.a(Paths.newResource, t("dir.new"), [("class", "button")])) }
        if canImport { actions.append(H.a(Paths.directoryImport, t("dir.import"), [("class", "button secondary")])) }
        if !actions.isEmpty { content.append(H.el("p", [("class", "actions")], actions)) }
        content.append(
            H.el(
                "form",
                [("method", "get"), ("action", Paths.directory), ("class", "inline-fields"), ("role", "search")],
                [
                    f.input("q", t("dir.q")),
                    f.select("need", t("dir.need"), options: Bits.needOptions(t), includeBlank: true),
                    f.input("category", t("dir.category")),
                    f.input("place", t("dir.place")),
                    caseID.map { Bits.hidden("case", $0.uuidString.lowercased()) } ?? H.group([]),
                    Layout.button(t("action.search"))
                ]))
        if results.isEmpty {
            content.append(Bits.empty(query.isEmpty ? t("dir.emptyAll") : t("dir.none")))
        } else {
            content.append(
                H.table(
                    caption: t("dir.results"), hiddenCaption: true,
                    [t("dir.service"), t("dir.organization"), t("dir.needs"), t("dir.where"), t("dir.phone"), ""],
                    results.map { r in
                        let s = r.service
                        return Bits.row([
                            H.a(
                                Paths.resource(s.id) + (caseID.map { "?case=" + $0.uuidString.lowercased() } ?? ""),
                                s.name),
                            H.text(r.organization?.name ?? "—"),
                            H.text(s.needs.compactMap { domainLabel(t, $0) }.joined(separator: ", ")),
                            H.text(s.locations.first?.line ?? s.areaServed.map { String($0.prefix(60)) } ?? "—"),
                            H.text(s.phone ?? "—"),
                            caseID.map {
                                H.a(
                                    Paths.newReferral($0) + "?service=" + s.id.uuidString.lowercased(), t("dir.refer"),
                                    [("class", "button small")])
                            } ?? H.group([])
                        ])
                    }))
            let qs = [
                ("q", query.text), ("need", query.need), ("category", query.category), ("place", query.place),
                ("case", caseID?.uuidString.lowercased())
            ]
            .compactMap { k, v in
                v.flatMap {
                    $0.isEmpty ? nil : k + "=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
                }
            }.joined(separator: "&")
            content.append(Layout.pagination(t, base: Paths.directory + "?" + qs, page: page, hasMore: hasMore))
        }
        return Layout.page(ctx, title: t("dir.title"), content)
    }
}

enum ResourcePage {
    static func render(_ ctx: PageContext, listing: ResourceListing, canEdit: Bool, referFor caseID: UUID?) -> String {
        let t = ctx.t
        let s = listing.service
        var content: [HNode] = [H.el("h1", [], H.text(s.name)), H.el("p", [], H.a(Paths.directory, t("dir.back")))]
        var actions: [HNode] = []
        if let caseID {
            actions.append(
                H.a(
                    Paths.newReferral(caseID) + "?service=" + s.id.uuidString.lowercased(), t("dir.refer"),
                    [("class", "button")]))
        }
        if canEdit { actions.append(H.a(Paths.editResource(s.id), t("action.edit"), [("class", "button secondary")])) }
        if !actions.isEmpty { content.append(H.el("p", [("class", "actions")], actions)) }
        content.append(
            H.el(
                "dl", [("class", "summary")],
                H.pair(t("dir.organization"), listing.organization?.name),
                H.pair(t("dir.status"), s.status),
                H.pair(t("dir.description"), s.description),
                H.pair(t("dir.needs"), s.needs.compactMap { domainLabel(t, $0) }.joined(separator: ", ").nilIfEmpty),
                H.pair(t("dir.categories"), s.categories.joined(separator: ", ").nilIfEmpty),
                H.pair(t("dir.eligibility"), s.eligibility),
                H.pair(
                    t("dir.ages"),
                    s.minimumAge == nil && s.maximumAge == nil
                        ? nil : "\(s.minimumAge.map(String.init) ?? "—")–\(s.maximumAge.map(String.init) ?? "—")"),
                H.pair(t("dir.fees"), s.fees),
                H.pair(t("dir.hours"), s.hours),
                H.pair(t("dir.languages"), s.languages.joined(separator: ", ").nilIfEmpty),
                H.pair(t("dir.applicationProcess"), s.applicationProcess),
                H.pair(t("dir.requiredDocuments"), s.requiredDocuments),
                H.pair(t("dir.areaServed"), s.areaServed),
                H.pair(t("dir.phone"), s.phone),
                H.pair(t("dir.email"), s.email),
                H.pair(t("dir.url"), s.url)))
        if !s.locations.isEmpty {
            content.append(
                Bits.section(
                    "s-locations", t("dir.locations"),
                    [
                        H.table(
                            caption: t("dir.locations"), hiddenCaption: true,
                            [t("dir.locationName"), t("dir.address"), t("dir.accessibility"), t("dir.transportation")],
                            s.locations.map { l in
                                Bits.row([
                                    H.text(l.name ?? "—"), H.text(l.line.nilIfEmpty ?? "—"),
                                    H.text(l.accessibility ?? "—"), H.text(l.transportation ?? "—")
                                ])
                            })
                    ]))
        }
        if !s.contacts.isEmpty {
            content.append(
                Bits.section(
                    "s-contacts", t("dir.contacts"),
                    [
                        H.el(
                            "ul", [],
                            s.contacts.map { c in
                                H.el(
                                    "li", [],
                                    H.text(
                                        [c.name, c.title, c.phone, c.email].compactMap { $0 }.joined(separator: " · ")))
                            })
                    ]))
        }
        content.append(
            H.p(
                t("dir.updated", ["date": t.dateTime(s.updatedAt)]) + (s.externalID.map { " · HSDS " + $0 } ?? ""),
                [("class", "hint")]))
        return Layout.page(ctx, title: s.name, content)
    }
}

enum ResourceFormPage {
    static func render(_ ctx: PageContext, id: UUID?, organizations: [ResourceOrganization], state: FormState) -> String
    {
        let t = ctx.t
        let f = Fields(t: t, state: state)
        let title = id == nil ? t("dir.new") : t("dir.edit")
        let needs = Set(state.multi["needs"] ?? [])
        return Layout.page(
            ctx, title: title,
            [
                H.el("h1", [], H.text(title)),
                H.el("p", [], H.a(id.map(Paths.resource) ?? Paths.directory, t("action.cancel"))),
                Layout.errorSummary(t, state),
                Layout.form(
                    ctx, action: id.map(Paths.editResource) ?? Paths.directory, [("novalidate", "")],
                    [
                        f.select(
                            "organizationID", t("dir.organization"),
                            options: organizations.map { ($0.id.uuidString.lowercased(), $0.name) }, includeBlank: true),
                        f.input("organizationName", t("dir.newOrganization"), hint: t("dir.newOrganization.hint")),
                        f.input("name", t("dir.service"), required: true),
                        f.textarea("description", t("dir.description"), rows: 3),
                        f.select("status", t("dir.status"), options: ResourceService.statuses.map { ($0, $0) }),
                        H.el(
                            "fieldset", [("class", "field")],
                            [H.el("legend", [], H.text(t("dir.needs")))]
                                + Bits.needOptions(t).map { v, l in
                                    let fid = Fields.id("needs-" + v)
                                    return H.el(
                                        "div", [("class", "check")],
                                        H.void(
                                            "input",
                                            [
                                                ("type", "checkbox"), ("id", fid), ("name", "needs"), ("value", v),
                                                ("checked", H.flag(needs.contains(v)))
                                            ]),
                                        H.el("label", [("for", fid)], H.text(l)))
                                }),
                        f.input("categories", t("dir.categories"), hint: t("dir.commaSeparated")),
                        f.textarea("eligibility", t("dir.eligibility"), rows: 2),
                        f.input("fees", t("dir.fees")),
                        f.input("hours", t("dir.hours")),
                        f.input("languages", t("dir.languages"), hint: t("dir.commaSeparated")),
                        f.textarea("applicationProcess", t("dir.applicationProcess"), rows: 2),
                        f.input("phone", t("dir.phone"), type: "tel"),
                        f.input("email", t("dir.email"), type: "email"),
                        f.input("url", t("dir.url"), type: "url"),
                        f.input("contactName", t("dir.contactName")),
                        f.input("locationName", t("dir.locationName")),
                        f.input("address", t("dir.address")),
                        f.input("city", t("dir.city")),
                        f.input("region", t("dir.region")),
                        f.input("postalCode", t("dir.postalCode")),
                        Bits.hidden("version", state["version"]),
                        Layout.button(t("action.save"))
                    ])
            ])
    }
}

enum ImportPage {
    static func render(_ ctx: PageContext, report: ImportReport?, error: String?) -> String {
        let t = ctx.t
        var content: [HNode] = [
            H.el("h1", [], H.text(t("import.title"))), H.el("p", [], H.a(Paths.directory, t("dir.back"))),
            H.p(t("import.hint"), [("class", "hint")])
        ]
        if let error {
            content.append(H.el("div", [("class", "error-summary"), ("role", "alert")], H.p(t.message(error))))
        }
        content.append(
            H.el(
                "form", [("method", "post"), ("action", Paths.directoryImport), ("enctype", "multipart/form-data")],
                Layout.csrfField(ctx),
                H.el(
                    "div", [("class", "field")],
                    H.el("label", [("for", "f-files")], H.text(t("import.files"))),
                    H.void(
                        "input",
                        [
                            ("type", "file"), ("id", "f-files"), ("name", "files[]"), ("multiple", ""),
                            ("accept", ".csv,text/csv")
                        ])),
                Layout.button(t("import.run"))))
        if let r = report {
            content.append(
                Bits.section(
                    "s-report", t("import.report"),
                    [
                        H.table(
                            caption: t("import.byFile"),
                            [
                                t("import.file"), t("import.read"), t("import.created"), t("import.updated"),
                                t("import.unchanged"), t("import.attached"), t("import.rejected")
                            ],
                            r.files.map { c in
                                Bits.row([
                                    H.text(c.file), H.text(String(c.read)), H.text(String(c.created)),
                                    H.text(String(c.updated)),
                                    H.text(String(c.unchanged)), H.text(String(c.attached)), H.text(String(c.rejected))
                                ])
                            }),
                        H.el("h3", [], H.text(t("import.rejectedRows") + " (\(r.rejected.count))")),
                        r.rejected.isEmpty
                            ? H.p(t("import.noneRejected"))
                            : H.table(
                                caption: t("import.rejectedRows"), hiddenCaption: true,
                                [t("import.file"), t("import.line"), "id", t("import.reason")],
                                r.rejected.map { p in
                                    Bits.row([
                                        H.text(p.file), H.text(String(p.line)), H.text(p.id ?? "—"), H.text(p.reason)
                                    ])
                                }),
                        H.el("h3", [], H.text(t("import.warnings") + " (\(r.warnings.count))")),
                        r.warnings.isEmpty
                            ? H.p(t("import.noWarnings"))
                            : H.table(
                                caption: t("import.warnings"), hiddenCaption: true,
                                [t("import.file"), t("import.line"), "id", t("import.reason")],
                                r.warnings.map { p in
                                    Bits.row([
                                        H.text(p.file), H.text(String(p.line)), H.text(p.id ?? "—"), H.text(p.reason)
                                    ])
                                }),
                        H.p(t("import.ignored") + ": " + (r.ignoredFiles.joined(separator: ", ").nilIfEmpty ?? "—")),
                        H.p(t("import.missing") + ": " + (r.missingFiles.joined(separator: ", ").nilIfEmpty ?? "—"))
                    ]))
        }
        return Layout.page(ctx, title: t("import.title"), content)
    }
}
