import Foundation
import Plot
import TrellisCore

enum ReferralFormPage {
    static func render(
        _ ctx: PageContext, detail: CaseDetail, goals: [PlanGoal], service: ResourceListing?, state: FormState,
        releases: [Release] = []
    ) -> String {
        let t = ctx.t
        let f = Fields(t: t, state: state)
        let c = detail.case
        return Layout.page(
            ctx, title: t("ref.new"),
            [
                H.el("h1", [], H.text(t("ref.new"))),
                H.p(detail.client.displayName + " · " + detail.program.name),
                Bits.back(t, c.id),
                Layout.errorSummary(t, state),
                Layout.form(
                    ctx, action: Paths.createReferral(c.id), [("novalidate", "")],
                    [
                        goals.isEmpty
                            ? H.p(t("ref.noGoals"), [("class", "hint")])
                            : f.select(
                                "goalID", t("ref.goal"),
                                options: goals.map {
                                    (
                                        $0.id.uuidString.lowercased(),
                                        $0.goal + (domainLabel(t, $0.domain).map { " (" + $0 + ")" } ?? "")
                                    )
                                }, includeBlank: true),
                        service.map { s in
                            H.group([
                                Bits.hidden("serviceID", s.service.id.uuidString.lowercased()),
                                H.el(
                                    "dl", [("class", "summary")],
                                    H.pair(
                                        t("ref.provider"),
                                        [s.organization?.name, s.service.name].compactMap { $0 }.joined(
                                            separator: " — ")))
                            ])
                        }
                            ?? H.group([
                                H.p(t("ref.chooseOrType"), [("class", "hint")]),
                                H.el(
                                    "p", [],
                                    H.a(
                                        Paths.directory + "?case=" + c.id.uuidString.lowercased()
                                            + (state["need"].isEmpty ? "" : "&need=" + state["need"]),
                                        t("ref.findInDirectory"))),
                                f.input("providerName", t("ref.providerName"))
                            ]),
                        releases.isEmpty
                            ? H.group([])
                            : f.select(
                                "releaseID", t("ref.release"),
                                options: releases.map {
                                    (
                                        $0.id.uuidString.lowercased(),
                                        $0.recipientName + " · " + ReleasePages.categories(t, $0)
                                    )
                                }, includeBlank: true, hint: t("ref.release.hint")),
                        f.input("providerContact", t("ref.providerContact")),
                        f.textarea("reason", t("ref.reason"), required: true, rows: 3, hint: t("ref.reason.hint")),
                        f.input("consentOn", t("ref.consentOn"), type: "date", hint: t("ref.consentOn.hint")),
                        Layout.button(t("ref.send"), [("name", "send"), ("value", "1")]),
                        Layout.button(t("ref.saveDraft"), [("name", "send"), ("value", "0"), ("class", "secondary")])
                    ])
            ])
    }
}

enum ReferralPage {
    static func render(
        _ ctx: PageContext, detail d: ReferralDetail, names: [UUID: String], canWrite: Bool, state: FormState
    ) -> String {
        let t = ctx.t
        let r = d.referral
        let f = Fields(t: t, state: state)
        var content: [HNode] = [
            H.el("h1", [], H.text(t("ref.title") + ": " + r.providerName)),
            Bits.back(t, r.caseID),
            H.el(
                "p", [("class", "actions")],
                H.a(Paths.printReferral(r.id), t("ref.print"), [("class", "button secondary")])),
            H.el(
                "dl", [("class", "summary")],
                H.pair(t("ref.status"), t("refStatus.\(r.status.rawValue)")),
                H.pair(t("ref.client"), d.client.displayName),
                H.pair(t("ref.goal"), r.goalText),
                H.pair(t("plan.domain"), domainLabel(t, r.need)),
                H.pair(t("ref.provider"), r.providerName),
                H.pair(t("ref.providerContact"), r.providerContact),
                H.pair(t("ref.reason"), r.reason),
                H.pair(t("ref.consentOn"), r.consentOn?.description),
                H.pair(t("ref.sentOn"), r.sentOn?.description),
                H.pair(t("ref.responseDue"), r.status == .sent ? r.responseDueOn?.description : nil),
                H.pair(t("ref.connectedOn"), r.connectedOn?.description))
        ]
        if canWrite && !r.status.next.isEmpty {
            content.append(
                H.el(
                    "section", [("aria-labelledby", "s-move"), ("class", "no-print")],
                    H.el("h2", [("id", "s-move")], H.text(t("ref.move"))),
                    Layout.errorSummary(t, state),
                    Layout.form(
                        ctx, action: Paths.referralStatus(r.id), [("novalidate", "")],
                        [
                            f.select(
                                "status", t("ref.newStatus"),
                                options: r.status.next.map { ($0.rawValue, t("refStatus.\($0.rawValue)")) },
                                required: true),
                            f.input("on", t("ref.on"), type: "date"),
                            f.textarea("reason", t("ref.why"), rows: 2, hint: t("ref.why.hint")),
                            Bits.hidden("version", String(r.version)),
                            Layout.button(t("action.save"))
                        ])))
        }
        content.append(
            Bits.section(
                "s-steps", t("ref.steps"),
                [
                    H.table(
                        caption: t("ref.steps"), hiddenCaption: true,
                        [t("ref.status"), t("ref.on"), t("ref.by"), t("ref.why")],
                        r.events.map { e in
                            Bits.row([
                                H.text(t("refStatus.\(e.status.rawValue)")), H.text(e.on.description),
                                H.text(names[e.by] ?? "—"), H.text(e.reason ?? "—")
                            ])
                        })
                ]))
        return Layout.page(ctx, title: t("ref.title"), content)
    }
}

/// The referral as the provider receives it: a plain printable page.
enum ReferralPrintPage {
    static func render(_ ctx: PageContext, detail d: ReferralDetail) -> String {
        let t = ctx.t
        let r = d.referral
        let loc = d.service?.service.locations.first
        return Layout.page(
            ctx, title: t("ref.form"),
            [
                H.el("p", [("class", "no-print")], H.a(Paths.referral(r.id), t("ref.backToReferral"))),
                H.el(
                    "p", [("class", "no-print")],
                    H.el("button", [("type", "button"), ("data-print", "")], H.text(t("action.print")))),
                H.el(
                    "article", [("class", "printable")],
                    H.el("h1", [], H.text(t("ref.form"))),
                    H.p((d.agency?.name ?? "") + " · " + ((r.sentOn ?? r.events.first?.on)?.description ?? "")),
                    H.el("h2", [], H.text(t("ref.to"))),
                    H.el(
                        "dl", [("class", "summary")],
                        H.pair(t("ref.provider"), r.providerName),
                        H.pair(t("dir.address"), loc?.line.nilIfEmpty),
                        H.pair(t("ref.providerContact"), r.providerContact)),
                    H.el("h2", [], H.text(t("ref.about"))),
                    H.el(
                        "dl", [("class", "summary")],
                        H.pair(t("client.name"), d.client.legalName.nilIfEmpty ?? d.client.displayName),
                        H.pair(t("client.birthDate"), d.client.birthDate?.description),
                        // Under a release, the client's contact details only when it covers them.
                        H.pair(
                            t("client.phone"),
                            d.release.map { $0.covers(.contact) } == false ? t("ref.notCovered") : d.client.phone),
                        H.pair(t("client.preferredLanguage"), d.client.preferredLanguage),
                        H.pair(t("ref.reason"), r.reason),
                        H.pair(t("ref.goal"), r.goalText),
                        d.release.map { rel in
                            H.pair(
                                t("ref.underRelease"),
                                t(
                                    "ref.underRelease.value",
                                    [
                                        "recipient": rel.recipientName, "until": rel.endsOn.description,
                                        "categories": ReleasePages.categories(t, rel)
                                    ]))
                        } ?? H.pair(t("ref.consentOn"), r.consentOn?.description ?? t("ref.noConsent"))),
                    H.el("h2", [], H.text(t("ref.from"))),
                    H.el(
                        "dl", [("class", "summary")],
                        H.pair(t("case.caseManager"), d.caseManager?.displayName),
                        H.pair(t("ref.agency"), d.agency?.name)),
                    H.p(t("ref.pleaseReply")))
            ])
    }
}
