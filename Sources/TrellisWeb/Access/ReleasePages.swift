import Foundation
import Plot
import TrellisCore

enum ReleasePages {
    /// The recipient's name, or a plain word when retention removed the name of a person.
    static func recipient(_ t: Strings, _ r: Release) -> String {
        r.recipientName.isEmpty ? t("retention.removedName") : r.recipientName
    }

    static func status(_ t: Strings, _ r: Release, today: LocalDate) -> String {
        if r.revokedAt != nil { return t("release.status.revoked") }
        if today < r.startsOn { return t("release.status.future") }
        if today > r.endsOn { return t("release.status.ended") }
        return t("release.status.active")
    }

    static func categories(_ t: Strings, _ r: Release) -> String {
        r.categories.map { t("releaseCategory.\($0.rawValue)") }.joined(separator: ", ")
    }

    /// The client page's section: each release with its recipient, what it covers and until when.
    static func section(
        _ ctx: PageContext, clientID: UUID, releases: [Release], canWrite: Bool, today: LocalDate,
        knownElsewhere: Int = 0
    ) -> HNode {
        let t = ctx.t
        var body: [HNode] = [H.el("h2", [("id", "s-releases")], H.text(t("release.title")))]
        if knownElsewhere > 0 {
            body.append(
                H.el(
                    "div", [("class", "notice"), ("role", "note")],
                    H.p(t.plural("shared.knownElsewhere", knownElsewhere))))
        }
        body.append(
            H.el(
                "p", [("class", "actions no-print")],
                canWrite ? H.a(Paths.newRelease(clientID), t("release.new"), [("class", "button")]) : H.group([]),
                H.a(Paths.disclosures(clientID), t("disclosures.link"), [("class", "button secondary")])))
        body.append(
            releases.isEmpty
                ? Bits.empty(t("release.none"))
                : H.table(
                    caption: t("release.title"), hiddenCaption: true,
                    [t("release.recipient"), t("release.categories"), t("release.period"), t("release.status")],
                    releases.map { r in
                        H.el(
                            "tr", [], H.el("td", [], H.a(Paths.release(r.id), recipient(t, r))),
                            H.el("td", [], H.text(categories(t, r))),
                            H.el("td", [], H.text(r.startsOn.description + " – " + r.endsOn.description)),
                            H.el("td", [], H.text(status(t, r, today: today))))
                    }))
        return H.el("section", [("aria-labelledby", "s-releases")], body)
    }

    static func form(
        _ ctx: PageContext, client: ClientSummary, agencies: [Agency], documents: [StoredDocument], state: FormState
    ) -> String {
        let t = ctx.t
        let f = Fields(t: t, state: state)
        let content: [HNode] = [
            H.el("h1", [], H.text(t("release.new.title", ["name": t.name(client)]))),
            H.p(t("release.new.lede"), [("class", "lede")]),
            Layout.errorSummary(t, state),
            Layout.form(
                ctx, action: Paths.releases(client.id), [("novalidate", "")],
                [
                    f.select(
                        "recipientKind", t("release.recipientKind"),
                        options: ReleaseRecipientKind.allCases.map { ($0.rawValue, t("releaseKind.\($0.rawValue)")) },
                        required: true),
                    f.select(
                        "recipientAgencyID", t("release.recipientAgency"),
                        options: agencies.map { ($0.id.uuidString.lowercased(), $0.name) }, includeBlank: true,
                        hint: t("release.recipientAgency.hint")),
                    f.input("recipientName", t("release.recipientName"), hint: t("release.recipientName.hint")),
                    f.checkboxes(
                        "categories", t("release.categories"),
                        options: ReleaseCategory.allCases.map { ($0.rawValue, t("releaseCategory.\($0.rawValue)")) }),
                    f.textarea("purpose", t("release.purpose"), required: true, rows: 3),
                    H.el(
                        "div", [("class", "inline-fields")],
                        f.input("startsOn", t("release.startsOn"), type: "date", required: true),
                        f.input("endsOn", t("release.endsOn"), type: "date", required: true)),
                    f.select(
                        "method", t("release.method"),
                        options: ConsentMethod.allCases.map { ($0.rawValue, t("consentMethod.\($0.rawValue)")) },
                        required: true),
                    f.select(
                        "documentID", t("release.document"),
                        options: documents.filter { $0.deletedAt == nil }.map {
                            ($0.id.uuidString.lowercased(), $0.filename)
                        }, includeBlank: true, hint: t("release.document.hint")),
                    f.input("witnessName", t("release.witness"), hint: t("release.witness.hint")),
                    Layout.button(t("release.save"))
                ])
        ]
        return Layout.page(ctx, title: t("release.new"), content)
    }

    static func detail(
        _ ctx: PageContext, release r: Release, client: ClientSummary, names: [UUID: String], state: FormState,
        canWrite: Bool, today: LocalDate
    ) -> String {
        let t = ctx.t
        let f = Fields(t: t, state: state)
        var content: [HNode] = [
            H.el("h1", [], H.text(t("release.detail.title", ["name": t.name(client)]))),
            H.el("p", [("class", "no-print")], H.a(Paths.client(client.id), t("case.backToClient"))),
            H.el(
                "dl", [("class", "summary")],
                H.pair(t("release.status"), status(t, r, today: today)),
                H.pair(t("release.recipientKind"), t("releaseKind.\(r.recipientKind.rawValue)")),
                H.pair(t("release.recipient"), recipient(t, r)),
                H.pair(t("release.categories"), categories(t, r)),
                H.pair(t("release.purpose"), r.purpose.isEmpty ? nil : r.purpose),
                H.pair(t("release.startsOn"), r.startsOn.description),
                H.pair(t("release.endsOn"), r.endsOn.description),
                H.pair(t("release.method"), t("consentMethod.\(r.method.rawValue)")),
                H.pair(t("release.witness"), r.witnessName),
                H.pair(t("release.recordedBy"), names[r.createdBy]),
                H.pair(t("release.revokedOn"), r.revokedAt.map { ISO8601DateFormatter().string(from: $0) }),
                H.pair(t("release.revokedBy"), r.revokedBy.flatMap { names[$0] }),
                H.pair(t("release.revocationReason"), r.revocationReason))
        ]
        if let d = r.documentID {
            content.append(H.el("p", [], H.a(Paths.document(d), t("release.document.open"))))
        }
        if canWrite && r.revokedAt == nil {
            content.append(
                H.el(
                    "section", [("aria-labelledby", "s-revoke"), ("class", "no-print")],
                    H.el("h2", [("id", "s-revoke")], H.text(t("release.revoke"))),
                    H.p(t("release.revoke.lede")),
                    Layout.errorSummary(t, state),
                    Layout.form(
                        ctx, action: Paths.revokeRelease(r.id), [("novalidate", "")],
                        [
                            f.textarea("reason", t("release.revocationReason"), rows: 2),
                            f.checkbox("confirm", t("release.revoke.confirm")),
                            H.void("input", [("type", "hidden"), ("name", "version"), ("value", String(r.version))]),
                            Layout.button(t("release.revoke"), [("class", "danger")])
                        ])))
        }
        return Layout.page(ctx, title: t("release.title"), content)
    }
}

/// Records other agencies of the Continuum of Care share with the actor's agency, and referrals they sent it.
enum SharedPages {
    static func list(
        _ ctx: PageContext, shares: [IncomingShare], referrals: [(Referral, name: String?, from: String)],
        programs: [Program], state: FormState = FormState()
    ) -> String {
        let t = ctx.t
        let f = Fields(t: t, state: state)
        var content: [HNode] = [
            H.el("h1", [], H.text(t("shared.title"))), H.p(t("shared.lede"), [("class", "lede")]),
            Layout.errorSummary(t, state),
            H.el("h2", [("id", "s-referrals")], H.text(t("shared.referrals")))
        ]
        content.append(
            referrals.isEmpty
                ? Bits.empty(t("shared.referrals.none"))
                : H.table(
                    caption: t("shared.referrals"), hiddenCaption: true,
                    [t("shared.client"), t("shared.from"), t("ref.reason"), t("shared.accept")],
                    referrals.map { r, name, from in
                        H.el(
                            "tr", [],
                            H.el(
                                "td", [],
                                r.releaseID.map { H.a(Paths.shared($0), name ?? t("shared.unnamed")) }
                                    ?? H.text(name ?? t("shared.unnamed"))),
                            H.el("td", [], H.text(from)), H.el("td", [], H.text(r.reason)),
                            H.el(
                                "td", [],
                                Layout.form(
                                    ctx, action: Paths.acceptReferral(r.id), [("class", "inline-fields")],
                                    [
                                        f.select(
                                            "programID-\(r.id.uuidString.prefix(8).lowercased())",
                                            t("shared.accept.program"),
                                            options: programs.filter(\.active).map {
                                                ($0.id.uuidString.lowercased(), $0.name)
                                            }),
                                        Layout.button(t("shared.accept"))
                                    ])))
                    }))
        content.append(H.el("h2", [("id", "s-shares")], H.text(t("shared.records"))))
        content.append(
            shares.isEmpty
                ? Bits.empty(t("shared.records.none"))
                : H.table(
                    caption: t("shared.records"), hiddenCaption: true,
                    [t("shared.client"), t("shared.from"), t("release.categories"), t("release.endsOn")],
                    shares.map { s in
                        H.el(
                            "tr", [],
                            H.el("td", [], H.a(Paths.shared(s.release.id), s.name ?? t("shared.unnamed"))),
                            H.el("td", [], H.text(s.agencyName)),
                            H.el("td", [], H.text(ReleasePages.categories(t, s.release))),
                            H.el("td", [], H.text(s.release.endsOn.description)))
                    }))
        return Layout.page(ctx, title: t("shared.title"), content)
    }

    static func record(_ ctx: PageContext, _ r: SharedRecord) -> String {
        let t = ctx.t
        var content: [HNode] = [
            H.el("h1", [], H.text(r.client?.displayName ?? t("shared.unnamed"))),
            H.el(
                "div", [("class", "notice"), ("role", "note")],
                H.p(
                    t(
                        "shared.record.lede",
                        [
                            "agency": r.agencyName, "categories": ReleasePages.categories(t, r.release),
                            "date": r.release.endsOn.description
                        ])))
        ]
        if let c = r.client {
            content.append(
                H.el(
                    "dl", [("class", "summary")], H.pair(t("client.birthDate"), c.birthDate?.description),
                    H.pair(t("client.sex"), t("sex.\(c.sex.rawValue)")),
                    H.pair(t("client.veteranStatus"), t("yesno.\(c.veteranStatus.rawValue)")),
                    r.showsContact ? H.pair(t("client.phone"), c.phone) : H.group([]),
                    r.showsContact ? H.pair(t("client.email"), c.email) : H.group([]),
                    r.showsContact ? H.pair(t("client.address"), c.address) : H.group([])))
        }
        for k in r.cases {
            var body: [HNode] = [
                H.el(
                    "h2", [],
                    H.text(
                        k.programName + " · " + k.openedOn.description
                            + (k.closedOn.map { " – " + $0.description } ?? "")))
            ]
            for n in k.notes.sorted(by: { $0.contactDate > $1.contactDate }) {
                body.append(
                    H.el(
                        "article", [("class", "card")],
                        H.el("h3", [], H.text(n.contactDate.description + " · " + t.label("contact", n.contactType))),
                        H.group(n.format.sections.compactMap { n.sections[$0] }.map { H.p($0) })))
            }
            for a in k.assessments {
                body.append(
                    H.p(
                        a.result.instrumentCode.uppercased() + " · " + a.completedOn.description
                            + (a.result.total.map { " · " + String($0) } ?? "")))
            }
            if let plan = k.plan {
                body.append(H.el("ul", [], plan.goals.map { H.el("li", [], H.text($0.goal)) }))
            }
            content.append(H.el("section", [], body))
        }
        return Layout.page(ctx, title: t("shared.title"), content)
    }
}

/// The client's accounting of disclosures, laid out to print and hand to them.
enum DisclosuresPage {
    static func render(_ ctx: PageContext, _ a: AccountingOfDisclosures) -> String {
        let t = ctx.t
        let time = DateFormatter()
        time.dateFormat = "yyyy-MM-dd HH:mm"
        let content: [HNode] = [
            H.el("h1", [], H.text(t("disclosures.title", ["name": t.name(a.client)]))),
            H.p(t("disclosures.lede", ["agency": a.agencyName, "date": a.asOf.description]), [("class", "lede")]),
            H.el(
                "p", [("class", "no-print")], H.a(Paths.client(a.client.id), t("case.backToClient")),
                H.text(" · "),
                H.el("button", [("type", "button"), ("data-print", "")], H.text(t("action.print")))),
            H.el("h2", [("id", "s-disclosed")], H.text(t("disclosures.reads"))),
            a.disclosures.isEmpty
                ? Bits.empty(t("disclosures.none"))
                : H.table(
                    caption: t("disclosures.reads"), hiddenCaption: true,
                    [t("disclosures.when"), t("disclosures.who"), t("disclosures.what"), t("disclosures.why")],
                    a.disclosures.map { d in
                        H.el(
                            "tr", [], H.el("td", [], H.text(time.string(from: d.at))),
                            H.el("td", [], H.text(d.staffName + " · " + d.agencyName)),
                            H.el("td", [], H.text(t("audit.\(d.action)"))),
                            H.el("td", [], H.text(t("purpose.\(d.purpose.rawValue)") + ": " + d.basis)))
                    }),
            H.el("h2", [("id", "s-released")], H.text(t("release.title"))),
            a.releases.isEmpty
                ? Bits.empty(t("release.none"))
                : H.table(
                    caption: t("release.title"), hiddenCaption: true,
                    [t("release.recipient"), t("release.categories"), t("release.period"), t("release.status")],
                    a.releases.map { r in
                        H.el(
                            "tr", [], H.el("td", [], H.text(ReleasePages.recipient(t, r))),
                            H.el("td", [], H.text(ReleasePages.categories(t, r))),
                            H.el("td", [], H.text(r.startsOn.description + " – " + r.endsOn.description)),
                            H.el("td", [], H.text(ReleasePages.status(t, r, today: a.asOf))))
                    }),
            H.el("h2", [("id", "s-referred")], H.text(t("disclosures.referrals"))),
            a.referrals.isEmpty
                ? Bits.empty(t("disclosures.referrals.none"))
                : H.table(
                    caption: t("disclosures.referrals"), hiddenCaption: true,
                    [t("disclosures.when"), t("ref.provider"), t("ref.reason")],
                    a.referrals.map { r in
                        H.el(
                            "tr", [], H.el("td", [], H.text(r.sentOn?.description ?? "—")),
                            H.el("td", [], H.text(r.providerName)), H.el("td", [], H.text(r.reason)))
                    }),
            H.el("p", [("class", "print-only")], H.text(t("print.confidential")))
        ]
        return Layout.page(ctx, title: t("disclosures.title", ["name": t.name(a.client)]), content)
    }
}
