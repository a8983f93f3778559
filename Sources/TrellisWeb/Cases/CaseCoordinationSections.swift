import Foundation
import Plot
import TrellisCore

/// What the case page shows of the work done with and for the client beyond notes and assessments.
struct CaseCoordination {
    var compliance: [ContactCompliance]
    var referrals: [Referral]
    var services: [ServiceRecord]
    var tasks: [CaseTask]
    var advocacy: [AdvocacyAction]
    var letters: [Letter]
    var events: [CaseEvent]
    var names: [UUID: String]
    var programs: [UUID: String]
    var canTransfer: Bool
    /// A closure waiting for a supervisor, and each note's co-signature review.
    var pendingClosure: ClosureRequest? = nil
    var noteReviews: [UUID: NoteReview] = [:]
}

extension CaseDetailPage {
    static func contactLabel(_ t: Strings, _ r: ContactRequirement) -> String {
        t(
            "rule.every",
            ["type": r.contactType.map { t.label("contact", $0) } ?? t("rule.anyContact"), "days": String(r.everyDays)])
    }

    static func complianceSection(_ ctx: PageContext, _ c: Case, _ k: CaseCoordination) -> HNode {
        let t = ctx.t
        guard c.status != .closed, !k.compliance.isEmpty else { return H.group([]) }
        return Bits.section(
            "s-contact", t("rule.title"),
            [
                H.table(
                    caption: t("rule.title"), hiddenCaption: true,
                    [t("rule.rule"), t("rule.last"), t("rule.due"), t("rule.status")],
                    k.compliance.map { x in
                        Bits.row([
                            H.text(contactLabel(t, x.requirement)),
                            H.text(x.lastOn?.description ?? t("caseload.never")), H.text(x.dueOn.description),
                            Bits.badge(t("compliance.\(x.status.rawValue)"), "compliance-" + x.status.rawValue)
                        ])
                    })
            ])
    }

    static func coordinationSections(
        _ ctx: PageContext, _ detail: CaseDetail, _ k: CaseCoordination, canUpdate: Bool, canWrite: Bool,
        today: LocalDate
    ) -> [HNode] {
        let t = ctx.t
        let c = detail.case
        let open = c.status != .closed
        var out: [HNode] = []
        out.append(
            Bits.section(
                "s-referrals", t("ref.list"),
                [
                    canWrite && open
                        ? H.el(
                            "p", [("class", "actions")],
                            H.a(Paths.newReferral(c.id), t("ref.new"), [("class", "button secondary")]),
                            H.a(
                                Paths.directory + "?case=" + c.id.uuidString.lowercased(), t("ref.findInDirectory"),
                                [("class", "button secondary")])) : H.group([]),
                    k.referrals.isEmpty
                        ? Bits.empty(t("ref.none"))
                        : H.table(
                            caption: t("ref.list"), hiddenCaption: true,
                            [t("ref.provider"), t("ref.goal"), t("ref.status"), t("ref.sentOn")],
                            k.referrals.map { r in
                                Bits.row([
                                    H.a(Paths.referral(r.id), r.providerName), H.text(r.goalText ?? "—"),
                                    Bits.badge(t("refStatus.\(r.status.rawValue)"), "ref-" + r.status.rawValue),
                                    H.text(r.sentOn?.description ?? "—")
                                ])
                            })
                ]))
        out.append(
            Bits.section(
                "s-services", t("svc.list"),
                [
                    canWrite && open
                        ? H.el(
                            "p", [("class", "actions")],
                            H.a(Paths.newServiceRecord(c.id), t("svc.new"), [("class", "button secondary")]))
                        : H.group([]),
                    k.services.isEmpty
                        ? Bits.empty(t("svc.none"))
                        : H.table(
                            caption: t("svc.list"), hiddenCaption: true,
                            [t("svc.providedOn"), t("svc.type"), t("svc.units"), t("svc.amount"), t("svc.provider")],
                            k.services.map { s in
                                Bits.row([
                                    H.text(s.providedOn.description),
                                    H.text(
                                        s.type.map {
                                            t.recordType($0.recordType, fallback: $0.recordLabel) + ": "
                                                + t.serviceType($0)
                                        }
                                            ?? "\(s.recordType):\(s.typeProvided)"),
                                    H.text(
                                        s.units.map { String(format: "%g", $0) + (s.unitLabel.map { " " + $0 } ?? "") }
                                            ?? "—"),
                                    H.text(
                                        s.amountCents.map {
                                            "$" + Money.format($0)
                                                + (s.periodStart.map { p in
                                                    " (\(p) – \(s.periodEnd?.description ?? ""))"
                                                } ?? "") + (s.payee.map { " → " + $0 } ?? "")
                                        } ?? "—"),
                                    H.text(s.providerName ?? "—")
                                ])
                            })
                ]))
        let openTasks = k.tasks.filter { $0.status == .open }
        let closedTasks = k.tasks.count - openTasks.count
        out.append(
            Bits.section(
                "s-tasks", t("task.caseTasks"),
                [
                    canWrite && open
                        ? H.el(
                            "p", [("class", "actions")],
                            H.a(
                                Paths.newTask + "?case=" + c.id.uuidString.lowercased(), t("task.new"),
                                [("class", "button secondary")])) : H.group([]),
                    openTasks.isEmpty
                        ? Bits.empty(t("task.none"))
                        : TasksPage.taskTable(
                            ctx, openTasks.map { TaskRow(task: $0, client: nil, programName: nil) }, today: today,
                            names: k.names, showClient: false),
                    closedTasks == 0
                        ? H.group([])
                        : H.p(t.plural("task.closedOnCase", closedTasks), [("class", "hint")])
                ]))
        out.append(
            Bits.section(
                "s-advocacy", t("adv.list"),
                [
                    canWrite && open
                        ? H.el(
                            "p", [("class", "actions")],
                            H.a(Paths.newAdvocacy(c.id), t("adv.new"), [("class", "button secondary")])) : H.group([]),
                    k.advocacy.isEmpty
                        ? Bits.empty(t("adv.none"))
                        : H.table(
                            caption: t("adv.list"), hiddenCaption: true,
                            [
                                t("adv.otherParty"), t("adv.issue"), t("adv.filingDeadline"), t("adv.hearingOn"),
                                t("adv.status")
                            ],
                            k.advocacy.map { a in
                                Bits.row([
                                    H.a(Paths.advocacy(a.id), t("advKind.\(a.kind.rawValue)") + ": " + a.otherParty),
                                    H.text(t("advIssue.\(a.issue.rawValue)")),
                                    H.text(a.filingDeadline?.description ?? "—"),
                                    H.text(a.hearingOn?.description ?? "—"),
                                    H.text(
                                        t("advStatus.\(a.status.rawValue)")
                                            + (a.outcome == .pending
                                                ? "" : " · " + t("advOutcome.\(a.outcome.rawValue)")))
                                ])
                            })
                ]))
        out.append(
            Bits.section(
                "s-letters", t("letter.list"),
                [
                    canWrite && open
                        ? H.el(
                            "p", [("class", "actions")],
                            H.a(Paths.newLetter(c.id), t("letter.write"), [("class", "button secondary")]))
                        : H.group([]),
                    k.letters.isEmpty
                        ? Bits.empty(t("letter.none"))
                        : H.el(
                            "ul", [],
                            k.letters.map { l in
                                H.el(
                                    "li", [], H.a(Paths.letter(l.id), l.title),
                                    H.text(" · " + t.dateTime(l.createdAt)))
                            }),
                    H.el("p", [], H.a(Paths.documents(c.clientID), t("doc.title")))
                ]))
        var actions: [HNode] = []
        if let p = k.pendingClosure {
            actions.append(
                H.el(
                    "p", [("class", "flash warn"), ("role", "status")],
                    H.text(t("close.pending", ["date": t.dateTime(p.requestedAt)]))))
        } else if canUpdate && open {
            actions.append(H.a(Paths.closeCase(c.id), t("close.title"), [("class", "button secondary")]))
        }
        if k.canTransfer && open {
            actions.append(H.a(Paths.transferCase(c.id), t("transfer.title"), [("class", "button secondary")]))
        }
        var reopen: HNode = H.group([])
        if canUpdate && !open {
            reopen = Layout.form(
                ctx, action: Paths.reopenCase(c.id), [("novalidate", "")],
                [
                    Fields(t: t, state: FormState()).textarea("reason", t("reopen.reason"), required: true, rows: 2),
                    Bits.hidden("version", String(c.version)),
                    Layout.button(t("reopen.submit"), [("class", "secondary")])
                ])
        }
        out.append(
            Bits.section(
                "s-history", t("history.title"),
                [
                    actions.isEmpty ? H.group([]) : H.el("p", [("class", "actions no-print")], actions),
                    c.status == .closed
                        ? H.el(
                            "dl", [("class", "summary")],
                            H.pair(t("close.reason"), c.closureReason.map { t("closeReason.\($0.rawValue)") }),
                            H.pair(t("close.destination"), c.exitDestination.map(t.destination)))
                        : H.group([]),
                    reopen,
                    k.events.isEmpty
                        ? Bits.empty(t("history.none"))
                        : H.table(
                            caption: t("history.title"), hiddenCaption: true,
                            [t("history.when"), t("history.what"), t("history.by"), t("history.details")],
                            k.events.map { e in
                                var details: [String] = []
                                switch e.kind {
                                case .closed:
                                    if let x = e.closure {
                                        details.append(t("closeReason.\(x.reason.rawValue)"))
                                        details.append(
                                            t("close.destination") + ": "
                                                + t.destination(x.destination))
                                        details.append(
                                            t("close.checklist") + ": "
                                                + ClosureCheck.allCases.map {
                                                    t("closeCheck.\($0.rawValue)") + " "
                                                        + (x.checklist[$0] == true ? "✓" : "✗")
                                                }.joined(separator: "; "))
                                        if !x.followUpDays.isEmpty {
                                            details.append(
                                                t("close.followUps") + ": "
                                                    + x.followUpDays.map(String.init).joined(separator: ", "))
                                        }
                                        if let w = x.openWork {
                                            let parts = [
                                                (w.tasks, "close.left.tasks"),
                                                (w.appointments, "close.left.appointments"),
                                                (w.appeals, "close.left.appeals"),
                                                (w.referrals, "close.left.referrals"),
                                                (w.openGoals, "close.left.goals")
                                            ].filter { $0.0 > 0 }.map { t.plural($0.1, $0.0) }
                                            details.append(
                                                t("close.openWork") + ": " + parts.joined(separator: ", ")
                                                    + (x.openWorkReason.map { " — " + $0 } ?? ""))
                                        }
                                    }
                                case .reopened: details.append(e.reason ?? "")
                                case .transferred:
                                    if e.fromManagerID != e.toManagerID {
                                        details.append(
                                            (e.fromManagerID.flatMap { k.names[$0] } ?? "—") + " → "
                                                + (e.toManagerID.flatMap { k.names[$0] } ?? "—"))
                                    }
                                    if e.fromProgramID != e.toProgramID {
                                        details.append(
                                            (e.fromProgramID.flatMap { k.programs[$0] } ?? "—") + " → "
                                                + (e.toProgramID.flatMap { k.programs[$0] } ?? "—"))
                                    }
                                }
                                if let n = e.note { details.append(t("history.note") + ": " + n) }
                                return Bits.row([
                                    H.text(e.on.description), H.text(t("event.\(e.kind.rawValue)")),
                                    H.text(k.names[e.by] ?? "—"), H.text(details.joined(separator: " · "))
                                ])
                            })
                ]))
        return out
    }
}
